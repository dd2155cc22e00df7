"""The sample company's portfolio: owners, problems, KPIs and intake assessments of the four hero agents, and two
proposals (one repeating the Service agent's work), so the demo's portfolio page has something to show."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from pydantic import RootModel

from cadre.portfolio.intake import load_proposal
from cadre.portfolio.models import Proposal, ProposalInvalid
from cadre.portfolio.service import Intake, Portfolio
from cadre.yamlfile import parse_model

PROPOSALS = ("billing_desk.yaml", "partner_onboarding.yaml")


class _HeroList(RootModel[list[Proposal]]):
    pass


def hero_proposals() -> list[Proposal]:
    with as_file(files("cadre.portfolio") / "examples" / "heroes.yaml") as path:
        text = Path(path).read_text(encoding="utf-8")
    return parse_model(text, _HeroList, what="hero proposals", error=ProposalInvalid).root


def install_sample_portfolio(portfolio: Portfolio, *, by: str = "role:admin") -> list[Intake]:
    """Assess the deployed hero agents (their stages stay as they are) and propose the two example use cases."""
    deployed = {entry.name for entry in portfolio.entries() if entry.deployed}
    done = [portfolio.propose(p, by=by) for p in hero_proposals() if p.name in deployed]
    with as_file(files("cadre.portfolio") / "examples") as folder:
        done += [portfolio.propose(load_proposal(Path(folder) / name), by=by) for name in PROPOSALS]
    return done
