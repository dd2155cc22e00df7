"""The agent portfolio: a registry of agents and proposed use cases, intake scoring, overlap detection, lifecycle
stages with gates, and adoption-based retirement."""

from cadre.portfolio.intake import Assessment, Rank, assess, load_proposal, rank
from cadre.portfolio.lifecycle import GateFacts, check_stage
from cadre.portfolio.models import (
    STAGES,
    Entry,
    Kpi,
    PortfolioError,
    Proposal,
    ProposalInvalid,
    Stage,
    StageChange,
    StageRefused,
    UnknownEntry,
)
from cadre.portfolio.overlap import Overlap, find_overlaps
from cadre.portfolio.readiness import CatalogReader, DataReadiness, data_readiness
from cadre.portfolio.review import AdoptionReader, EventFiguresReader, Review, Thresholds, review
from cadre.portfolio.service import Intake, Portfolio

__all__ = [
    "STAGES",
    "AdoptionReader",
    "Assessment",
    "CatalogReader",
    "DataReadiness",
    "Entry",
    "EventFiguresReader",
    "GateFacts",
    "Intake",
    "Kpi",
    "Overlap",
    "Portfolio",
    "PortfolioError",
    "Proposal",
    "ProposalInvalid",
    "Rank",
    "Review",
    "Stage",
    "StageChange",
    "StageRefused",
    "Thresholds",
    "UnknownEntry",
    "assess",
    "check_stage",
    "data_readiness",
    "find_overlaps",
    "load_proposal",
    "rank",
    "review",
]
