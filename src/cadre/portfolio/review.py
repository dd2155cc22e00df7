"""Adoption-based review: live agents that few people used, or that scored low, over a period are listed for
retirement, each with the figures and the bar it missed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from cadre.observability.window import Window
from cadre.portfolio.models import LIVE, Entry, Stage
from cadre.store import Database

if TYPE_CHECKING:
    from cadre.observability.figures import EventFigures

MIN_CONVERSATIONS = 20  # over the reviewed period: fewer and nobody would miss it
MIN_SCORE = 50.0  # the dashboard's overall performance score, 0..100


class AdoptionReader(Protocol):
    """What the review needs from observability: conversations and the overall score of one agent in a window."""

    def conversations(self, agent: str, window: Window) -> int: ...

    def score(self, agent: str, window: Window) -> float | None: ...


class EventFiguresReader:
    """The dashboard's figures (`cadre.observability.figures.EventFigures`) as an `AdoptionReader`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @cached_property
    def _figures(self) -> EventFigures:
        from cadre.observability.figures import EventFigures

        return EventFigures(self._db)

    def conversations(self, agent: str, window: Window) -> int:
        value = self._figures.value("conversations", window.narrowed(agent=agent))
        return int(value or 0)

    def score(self, agent: str, window: Window) -> float | None:
        value = self._figures.value("score", window.narrowed(agent=agent))
        return None if value is None else float(value)


@dataclass(frozen=True)
class Thresholds:
    min_conversations: int = MIN_CONVERSATIONS
    min_score: float = MIN_SCORE


@dataclass(frozen=True)
class Adoption:
    name: str
    stage: Stage
    conversations: int
    previous_conversations: int  # in the period just before: is use growing or fading
    score: float | None  # None: nothing to score yet
    reasons: tuple[str, ...]  # the bars it missed; empty: it stays

    @property
    def candidate(self) -> bool:
        return bool(self.reasons)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "stage": self.stage,
            "conversations": self.conversations,
            "previous_conversations": self.previous_conversations,
            "score": self.score,
            "candidate": self.candidate,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Review:
    window: Window
    thresholds: Thresholds
    agents: tuple[Adoption, ...]

    @property
    def candidates(self) -> list[Adoption]:
        return [a for a in self.agents if a.candidate]

    def to_json(self) -> dict[str, Any]:
        return {
            "window": {"since": self.window.since.isoformat(), "until": self.window.until.isoformat()},
            "thresholds": {
                "min_conversations": self.thresholds.min_conversations,
                "min_score": self.thresholds.min_score,
            },
            "agents": [a.to_json() for a in self.agents],
            "candidates": [a.name for a in self.candidates],
        }


def review(entries: list[Entry], reader: AdoptionReader, window: Window, thresholds: Thresholds) -> Review:
    """Every deployed agent in a live stage (pilot, hero) measured over `window`; the ones below a bar are
    retirement candidates. Proposals and agents still being built have no adoption to judge yet."""
    measured: list[Adoption] = []
    for entry in entries:
        if not entry.deployed or entry.stage not in LIVE:
            continue
        conversations = reader.conversations(entry.name, window)
        score = reader.score(entry.name, window)
        reasons: list[str] = []
        if conversations < thresholds.min_conversations:
            reasons.append(
                f"adoption: {conversations} conversation(s) in the period, below {thresholds.min_conversations}"
            )
        if score is not None and score < thresholds.min_score:
            reasons.append(f"score: {score:.1f}, below {thresholds.min_score:g}")
        measured.append(
            Adoption(
                name=entry.name,
                stage=entry.stage,
                conversations=conversations,
                previous_conversations=reader.conversations(entry.name, window.before()),
                score=score,
                reasons=tuple(reasons),
            )
        )
    return Review(window, thresholds, tuple(measured))
