"""The adoption review: live agents below the adoption or score bar are retirement candidates; proposals and agents
being built are not judged. Read through a fake `AdoptionReader`, and through the dashboard's figures."""

from datetime import UTC, datetime, timedelta

from cadre.observability.events import Event, EventStore
from cadre.observability.events import Stage as EventStage
from cadre.observability.window import Window
from cadre.portfolio.models import Entry, Stage
from cadre.portfolio.review import EventFiguresReader, Thresholds, review
from cadre.store import Database

NOW = datetime(2026, 11, 30, tzinfo=UTC)
WINDOW = Window.ending(NOW, timedelta(days=30))


class Figures:
    """Conversations and scores per agent, for the window under review and the one before it."""

    def __init__(self, now: dict[str, tuple[int, float | None]], before: dict[str, int]) -> None:
        self.now, self.before = now, before
        self.asked: list[tuple[str, Window]] = []

    def conversations(self, agent: str, window: Window) -> int:
        self.asked.append((agent, window))
        return self.now[agent][0] if window == WINDOW else self.before.get(agent, 0)

    def score(self, agent: str, window: Window) -> float | None:
        return self.now[agent][1]


def entry(name: str, stage: Stage, *, deployed: bool = True) -> Entry:
    return Entry(name=name, stage=stage, deployed=deployed, recorded=True)


def test_low_adoption_or_a_low_score_makes_a_retirement_candidate() -> None:
    figures = Figures(
        {"busy": (400, 81.0), "quiet": (7, 90.0), "poor": (300, 31.5), "new": (0, None)},
        before={"quiet": 60, "busy": 350},
    )
    done = review(
        [entry("busy", "hero"), entry("quiet", "pilot"), entry("poor", "hero"), entry("new", "pilot")],
        figures,
        WINDOW,
        Thresholds(min_conversations=20, min_score=50),
    )
    assert {a.name: a.reasons for a in done.agents} == {
        "busy": (),
        "quiet": ("adoption: 7 conversation(s) in the period, below 20",),
        "poor": ("score: 31.5, below 50",),
        "new": ("adoption: 0 conversation(s) in the period, below 20",),
    }
    assert [a.name for a in done.candidates] == ["quiet", "poor", "new"]
    quiet = done.to_json()["agents"][1]
    assert (quiet["conversations"], quiet["previous_conversations"], quiet["candidate"]) == (7, 60, True)
    assert done.to_json()["candidates"] == ["quiet", "poor", "new"]


def test_proposals_agents_being_built_and_retired_ones_are_not_reviewed() -> None:
    figures = Figures({}, before={})
    done = review(
        [
            entry("idea", "proposed", deployed=False),
            entry("wip", "building"),
            entry("gone", "retired"),
            entry("planned", "pilot", deployed=False),
        ],
        figures,
        WINDOW,
        Thresholds(),
    )
    assert done.agents == ()
    assert figures.asked == []


def turn(agent: str, conversation: str, at: datetime, *, stage: EventStage = "production") -> Event:
    return Event(kind="turn", agent=agent, at=at, conversation_id=conversation, outcome="answered", stage=stage)


def test_the_dashboards_figures_are_the_real_reader(database: Database) -> None:
    inside = NOW - timedelta(days=2)
    EventStore(database).record(
        [
            turn("service", "c1", inside),
            turn("service", "c1", inside + timedelta(minutes=1)),
            turn("service", "c2", inside),
            turn("service", "c3", inside, stage="shadow"),  # customers never saw it
            turn("service", "c4", NOW - timedelta(days=40)),  # the period before
            turn("concierge", "c5", inside),
        ]
    )
    reader = EventFiguresReader(database)
    assert reader.conversations("service", WINDOW) == 2
    assert reader.conversations("service", WINDOW.before()) == 1
    assert reader.conversations("sdr", WINDOW) == 0
    done = review([entry("service", "hero")], reader, WINDOW, Thresholds(min_conversations=2, min_score=0))
    assert done.agents[0].conversations == 2
    assert done.agents[0].previous_conversations == 1
    assert done.candidates == []
