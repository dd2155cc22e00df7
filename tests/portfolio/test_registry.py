"""The registry: deployed agents and proposals with owners, problems and KPIs; stage changes through their gates,
each recorded with who, when and why."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadre.agents.actions import ActionRegistry
from cadre.agents.rollout import Rollout
from cadre.agents.specs import AgentVersions
from cadre.portfolio.models import Kpi, PortfolioError, Proposal, StageRefused, UnknownEntry, parse_kpi
from cadre.portfolio.sample import install_sample_portfolio
from cadre.portfolio.service import Portfolio
from cadre.portfolio.store import Changes, Registry
from cadre.sample.install import deploy_sample_agents
from cadre.store import Database
from cadre.store.base import aware
from tests.portfolio.conftest import open_company

PROPOSAL = Proposal.model_validate(
    {
        "name": "returns",
        "owner": "ops@example.com",
        "problem": "Returns take a person ten minutes each",
        "volume_per_year": 10_000,
        "cost_per_contact": 10.0,
        "expected_deflection": 0.5,
        "topics": [{"name": "returns", "description": "Sending a product back", "examples": ["How do I return it?"]}],
        "kpis": [{"name": "deflection_rate", "target": 0.5}],
    }
)


@pytest.fixture
def portfolio(database: Database, versions: AgentVersions) -> Portfolio:
    deploy_sample_agents(versions, ["service", "concierge"])
    return Portfolio(database, versions)


def test_deployed_agents_are_listed_before_anyone_registers_them(portfolio: Portfolio) -> None:
    listed = {e.name: e for e in portfolio.entries()}
    assert set(listed) == {"concierge", "service"}
    assert (listed["service"].stage, listed["service"].recorded, listed["service"].version) == ("pilot", False, 1)


def test_owner_problem_and_kpis_are_set_and_merged_by_name(portfolio: Portfolio) -> None:
    portfolio.update("service", owner="ana", problem="Support is swamped", kpis=[parse_kpi("csat=4.5")], by="ana")
    entry = portfolio.update("service", kpis=[parse_kpi("csat=4.6@4.2"), parse_kpi("deflection=0.6")], by="ana")
    assert (entry.owner, entry.problem, entry.recorded) == ("ana", "Support is swamped", True)
    assert entry.kpis == (Kpi("csat", 4.6, 4.2), Kpi("deflection", 0.6, None))
    assert portfolio.update("service", drop_kpis=["csat"], by="ana").kpis == (Kpi("deflection", 0.6, None),)
    with pytest.raises(PortfolioError, match="name=target or name=target@current, got 'csat'"):
        parse_kpi("csat")


def test_hero_needs_a_production_version_that_passed_its_promotion(
    portfolio: Portfolio, database: Database, versions: AgentVersions
) -> None:
    with pytest.raises(StageRefused, match="got no production version recorded"):
        portfolio.update("service", stage="hero", by="ana")
    rollout = Rollout(database, versions)
    rollout.record("service", 1, "production", by="ana")  # rolled out without gates
    with pytest.raises(StageRefused, match="production version 1 was rolled out without gates"):
        portfolio.update("service", stage="hero", by="ana")
    rollout.record("service", 1, "production", action="refused", by="ana")
    with pytest.raises(StageRefused):
        portfolio.update("service", stage="hero", by="ana")
    promoted = rollout.record("service", 1, "production", action="promote", gates={"checks": []}, by="bo")
    assert portfolio.update("service", stage="hero", why="gates passed", by="ana").stage == "hero"
    last = portfolio.history("service")[-1]
    assert (last.from_stage, last.to_stage, last.by, last.why) == ("pilot", "hero", "ana", "gates passed")
    assert last.evidence == {
        "promotion": {"event": promoted.id, "version": 1, "at": aware(promoted.at).isoformat(), "by": "bo"}
    }


def test_retiring_needs_a_reason_and_takes_the_agent_off_the_active_list(portfolio: Portfolio) -> None:
    with pytest.raises(StageRefused, match="must say why"):
        portfolio.update("concierge", stage="retired", by="ana")
    portfolio.update("concierge", stage="retired", why="nobody uses it", by="ana")
    assert [e.name for e in portfolio.entries()] == ["service"]
    assert {e.name: e.stage for e in portfolio.entries(include_retired=True)} == {
        "concierge": "retired",
        "service": "pilot",
    }
    history = portfolio.history("concierge")
    assert [(h.from_stage, h.to_stage) for h in history] == [("pilot", "retired")]
    assert history[0].at <= datetime.now(UTC)


def test_proposals_live_in_the_registry_and_their_stages_follow_deployment(portfolio: Portfolio) -> None:
    intake = portfolio.propose(PROPOSAL, by="ops")
    assert (intake.stored, intake.stage) == (True, "proposed")
    entry = portfolio.get("returns")
    assert (entry.deployed, entry.owner, entry.kpis) == (False, "ops@example.com", (Kpi("deflection_rate", 0.5),))
    assert entry.overall == intake.assessment.overall
    with pytest.raises(StageRefused, match="needs a deployed agent"):
        portfolio.update("returns", stage="pilot", by="ops")
    assert portfolio.update("returns", stage="building", why="approved", by="steering").stage == "building"
    with pytest.raises(StageRefused, match="must not be deployed, got version 1"):
        portfolio.update("service", stage="proposed", by="ops")
    with pytest.raises(UnknownEntry, match="got 'nobody'"):
        portfolio.update("nobody", owner="x", by="ops")


def test_a_dry_run_stores_nothing_and_a_deployed_agent_keeps_its_stage(portfolio: Portfolio) -> None:
    assert portfolio.propose(PROPOSAL, by="ops", dry_run=True).stored is False
    assert [e.name for e in portfolio.entries()] == ["concierge", "service"]
    again = portfolio.propose(PROPOSAL.model_copy(update={"name": "service"}), by="ops")
    assert again.stage == "pilot"
    assert portfolio.get("service").assessment == again.assessment.to_json()


def test_the_registry_store_on_both_systems_of_record(db: Database) -> None:
    registry = Registry(db)
    registry.save(
        "a", Changes(owner="ana", kpis=(Kpi("csat", 4.5),)), stage="proposed", initial="proposed", by="x", why=""
    )
    registry.save("a", Changes(problem="p"), stage="building", initial="proposed", by="y", why="go")
    record = registry.record("a")
    assert record is not None
    assert (record.owner, record.problem, record.stage, record.kpis) == ("ana", "p", "building", (Kpi("csat", 4.5),))
    assert [(h.from_stage, h.to_stage, h.by) for h in registry.history("a")] == [
        (None, "proposed", "x"),
        ("proposed", "building", "y"),
    ]


def test_the_sample_portfolio_assesses_the_heroes_and_proposes_two_use_cases(
    database: Database, versions: AgentVersions, actions: ActionRegistry, cadre_home: Path
) -> None:
    deploy_sample_agents(versions)
    data, _ = open_company(cadre_home)  # the tiny company's catalog has none of the heroes' billing entities
    try:
        done = install_sample_portfolio(Portfolio(database, versions, actions=actions, data=data))
    finally:
        data.close()
        data.db.close()
    assert [(i.proposal.name, i.stage) for i in done] == [
        ("service", "pilot"),
        ("sdr", "pilot"),
        ("seller_assistant", "pilot"),
        ("concierge", "pilot"),
        ("billing_desk", "proposed"),
        ("partner_onboarding", "proposed"),
    ]
    assert all(i.assessment.new_actions == () for i in done[:4])  # every hero action is registered
    listed = {e.name: e for e in Portfolio(database, versions).entries()}
    assert listed["service"].owner == "support-lead@halyard.example"
    assert [k.name for k in listed["sdr"].kpis] == ["leads_touched_within_sla", "meetings_booked_per_month"]
    assert all(e.overall is not None for e in listed.values())
