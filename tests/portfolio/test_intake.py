"""Intake scores on hand-made proposals whose answers are worked out by hand from the documented formulas."""

from pathlib import Path

import pytest

from cadre.portfolio.intake import assess, load_proposal, positions, rank
from cadre.portfolio.models import DataNeed, Proposal, ProposalInvalid
from cadre.portfolio.readiness import DataReadiness, FieldCheck
from cadre.portfolio.sample import PROPOSALS, hero_proposals

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "cadre" / "portfolio" / "examples"


def proposal(**changes: object) -> Proposal:
    body: dict[str, object] = {
        "name": "returns",
        "owner": "ops@example.com",
        "problem": "Returns take a person ten minutes each",
        "volume_per_year": 10_000,
        "cost_per_contact": 10.0,
        "expected_deflection": 1.0,
        "cost_per_conversation": 4.0,
        "yearly_cost": 0.0,
    }
    return Proposal.model_validate({**body, **changes})


def readiness(ready: int, missing: int) -> DataReadiness:
    checks = [FieldCheck("Order", f"f{i}", "ready") for i in range(ready)]
    checks += [FieldCheck("Order", f"m{i}", "unknown_field", "no such field") for i in range(missing)]
    return DataReadiness(tuple(checks))


def test_a_proposal_scored_by_hand() -> None:
    # value 10,000 x 1.0 x $10 = $100k: impact 50 on the log scale; cost 10,000 x $4 = $40k, value/cost 2.5: ROI
    # 100 x log10(2.5) / log10(20) = 30.59; 3 of 4 fields ready and 1 of 2 actions registered: feasibility
    # 100 x (0.525 + 0.15).
    done = assess(proposal(actions=["order_status", "open_return"]), readiness(3, 1), ["order_status"])
    assert (done.impact, done.feasibility, done.roi) == (50.0, 67.5, 30.6)
    assert done.overall == 51.3  # 0.4 x 50 + 0.35 x 67.5 + 0.25 x 30.59 = 51.27
    assert (done.annual_value, done.annual_cost, done.net) == (100_000, 40_000, 60_000)
    assert done.new_actions == ("open_return",)
    assert done.to_json()["value"]["roi_multiple"] == 2.5


def test_small_and_unprofitable_scores_zero_impact_and_roi_but_needs_nothing() -> None:
    # 2,000 contacts x 0.5 x (6 min at $50/h = $5) = $5k, under the $10k floor; default costs 2,000 x $0.05 + $6k.
    small = Proposal.model_validate(
        {
            "name": "tiny",
            "owner": "a",
            "problem": "b",
            "volume_per_year": 2000,
            "handle_minutes": 6,
            "hourly_cost": 50,
            "expected_deflection": 0.5,
        }
    )
    done = assess(small, DataReadiness(()), [])
    assert (done.impact, done.roi, done.feasibility, done.overall) == (0.0, 0.0, 100.0, 35.0)
    assert done.annual_cost == 6100
    assert done.inputs["human_cost_per_contact"] == 5.0


@pytest.mark.parametrize(("contacts", "impact"), [(1_000, 0.0), (10_000, 50.0), (100_000, 100.0), (1_000_000, 100.0)])
def test_impact_is_a_log_scale_from_ten_thousand_to_a_million(contacts: int, impact: float) -> None:
    assert assess(proposal(volume_per_year=contacts, cost_per_conversation=0), DataReadiness(()), []).impact == impact


@pytest.mark.parametrize(
    ("cost_per_conversation", "roi"), [(20.0, 0.0), (10.0, 0.0), (5.0, 23.1), (0.5, 100.0), (0.0, 100.0)]
)
def test_roi_is_a_log_scale_from_break_even_to_twenty_times_the_cost(cost_per_conversation: float, roi: float) -> None:
    scored = assess(proposal(cost_per_conversation=cost_per_conversation), DataReadiness(()), [])
    assert scored.roi == roi


def test_rank_counts_the_entries_scored_higher_and_ties_share_a_place() -> None:
    placed = rank("new", 53.0, {"a": 60.0, "b": 53.0, "c": 40.0, "new": 99.0})
    assert (placed.position, placed.of, placed.ahead) == (2, 4, ("a",))
    assert positions({"a": 60.0, "b": 53.0, "c": 53.0, "d": 1.0}) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_a_proposal_must_say_what_a_human_contact_costs(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: p\nowner: a\nproblem: b\nvolume_per_year: 5\nexpected_deflection: 2\n")
    with pytest.raises(ProposalInvalid) as caught:
        load_proposal(path)
    assert caught.value.problems == [f"{path}:5: `expected_deflection`: Input should be less than or equal to 1"]
    path.write_text("name: p\nowner: a\nproblem: b\nvolume_per_year: 5\nexpected_deflection: 0.5\nhandle_minutes: 4\n")
    with pytest.raises(ProposalInvalid, match="human cost must be `cost_per_contact`, or both"):
        load_proposal(path)


def test_the_shipped_examples_load() -> None:
    loaded = {name.removesuffix(".yaml"): load_proposal(EXAMPLES / name) for name in PROPOSALS}
    assert set(loaded) == {"billing_desk", "partner_onboarding"}
    assert [p.name for p in hero_proposals()] == ["service", "sdr", "seller_assistant", "concierge"]
    assert loaded["billing_desk"].data[0] == DataNeed(
        entity="Invoice", fields=["invoice_id", "status", "amount", "due_at"]
    )
    assert [a.writes for a in loaded["billing_desk"].actions] == [[], [], ["Case"]]
