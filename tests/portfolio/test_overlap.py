"""Overlap detection with the shipped multilingual embedder: a copy of a hero agent under a new name and a reworded
duplicate are flagged; the four hero agents among themselves are not."""

from collections.abc import Iterator

import numpy as np
import pytest
import yaml

from cadre.agents.actions import ActionRegistry
from cadre.agents.specs import AgentVersions
from cadre.knowledge.embeddings import Embedder, Vectors
from cadre.portfolio.intake import load_proposal
from cadre.portfolio.models import Profile, ProfileTopic, Stage
from cadre.portfolio.overlap import FLAG, Overlap, find_overlaps
from cadre.portfolio.service import Portfolio
from cadre.sample.install import deploy_sample_agents, sample_agent_specs
from cadre.settings import Settings
from cadre.store import open_database
from tests.portfolio.conftest import open_company
from tests.portfolio.test_intake import EXAMPLES

HEROES = {"concierge", "sdr", "seller_assistant", "service"}


@pytest.fixture(scope="module")
def found(
    tmp_path_factory: pytest.TempPathFactory, actions: ActionRegistry, embedder: Embedder
) -> Iterator[dict[frozenset[str], Overlap]]:
    """The four heroes, a copy of the Service agent deployed under another name, and the `billing_desk` example
    proposed: every pair compared once."""
    home = tmp_path_factory.mktemp("overlap") / "home"
    home.mkdir()
    data, _ = open_company(home)  # its policies let no agent write: writes come from proposals only
    db = open_database(Settings(home=home))
    versions = AgentVersions(db, actions)
    deploy_sample_agents(versions)
    service = next(p for p in sample_agent_specs() if p.stem == "service")
    copy = yaml.safe_load(service.read_text(encoding="utf-8")) | {"name": "service_copy"}
    copied = home / "service_copy.yaml"
    copied.write_text(yaml.safe_dump(copy, allow_unicode=True), encoding="utf-8")
    versions.deploy(copied)
    portfolio = Portfolio(db, versions, actions=actions, data=data, embedder=embedder)
    portfolio.propose(load_proposal(EXAMPLES / "billing_desk.yaml"), by="finance")
    yield {frozenset((o.first, o.second)): o for o in portfolio.overlaps()}
    data.close()
    data.db.close()
    db.close()


def test_a_copy_of_a_hero_under_a_new_name_is_flagged_against_the_original(
    found: dict[frozenset[str], Overlap],
) -> None:
    pair = found[frozenset(("service", "service_copy"))]
    assert pair.flagged
    assert (pair.topic_overlap, pair.action_overlap) == (1.0, 1.0)
    assert {m.topic for m in pair.topics} == {
        "how-to",
        "troubleshooting",
        "billing",
        "refunds",
        "plans-and-pricing",
        "order-status",
        "cases",
        "account-and-access",
        "security",
        "account-administration",
    }  # the hand-off topic is everyone's
    assert all(m.topic == m.other and m.similarity == pytest.approx(1.0, abs=1e-5) for m in pair.topics)
    assert pair.suggestion == "extend agent 'service' instead of 'service_copy'"
    assert "find_invoice" in pair.actions


def test_the_four_heroes_among_themselves_are_not_flagged(found: dict[frozenset[str], Overlap]) -> None:
    among = {names: o for names, o in found.items() if names <= HEROES}
    assert len(among) == 6
    assert not [o for o in among.values() if o.flagged]
    # What they do share is one topic each with the concierge: a visitor's pricing question is also a lead's
    # question to the SDR agent and a seller's pricing topic, and product questions resemble the help centre's
    # how-to. No action is called by two heroes.
    assert {names: [(m.topic, m.other) for m in o.topics] for names, o in among.items() if o.topics} == {
        frozenset(("concierge", "sdr")): [("pricing", "question")],
        frozenset(("concierge", "seller_assistant")): [("pricing", "pricing")],
        frozenset(("concierge", "service")): [("products", "how-to")],
    }
    assert max(o.score for o in among.values()) == 0.25 < FLAG
    assert not any(o.actions for o in among.values())


def test_a_reworded_proposal_of_the_service_agents_work_is_flagged(found: dict[frozenset[str], Overlap]) -> None:
    pair = found[frozenset(("billing_desk", "service"))]
    assert pair.flagged
    assert pair.topic_overlap == 0.5  # money-back ~ refunds, renewals ~ order-status: half its topics
    assert (pair.first, pair.second) == ("billing_desk", "service")
    assert [(m.topic, m.other) for m in pair.topics] == [("money-back", "refunds"), ("renewals", "order-status")]
    assert pair.actions == ("find_invoice", "open_case", "request_refund")
    assert pair.suggestion == "extend agent 'service' instead of 'billing_desk'"
    assert not found[frozenset(("billing_desk", "concierge"))].flagged


class Orthogonal:
    """Every distinct text its own direction: topics never match, so only actions can overlap."""

    name = "orthogonal"
    dimensions = 64

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def embed_passages(self, texts: list[str]) -> Vectors:
        return np.vstack([self._one(text) for text in texts]) if texts else np.zeros((0, self.dimensions), np.float32)

    def embed_query(self, text: str) -> Vectors:
        return self._one(text)

    def _one(self, text: str) -> Vectors:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        vector[self._seen.setdefault(text, len(self._seen))] = 1.0
        return vector


def profile(name: str, stage: Stage, actions: set[str], writes: set[str], topics: int = 1) -> Profile:
    made = tuple(ProfileTopic(f"{name}-{i}", f"what {name} does, part {i}") for i in range(topics))
    return Profile(name, stage, made, frozenset(actions), frozenset(writes))


def test_shared_actions_flag_a_pair_and_shared_writes_alone_do_not() -> None:
    pairs = find_overlaps(
        [
            profile("hero", "hero", {"open_case", "find_invoice", "order_status"}, {"Case"}, topics=3),
            profile("idea", "proposed", {"open_case", "new_thing"}, {"Case"}),
            profile("other", "pilot", {"qualify"}, {"Case"}),
        ],
        Orthogonal(),
    )
    by_pair = {(o.first, o.second): o for o in pairs}
    idea = by_pair[("hero", "idea")]
    assert (idea.action_overlap, idea.topic_overlap, idea.flagged) == (0.5, 0.0, True)
    assert idea.suggestion == "extend agent 'hero' instead of 'idea'"
    assert by_pair[("hero", "other")].writes == ("Case",)
    assert not by_pair[("hero", "other")].flagged
    assert pairs[0] is idea  # most overlapping first
