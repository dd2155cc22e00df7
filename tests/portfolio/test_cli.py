"""`cadre portfolio …` end to end on a fresh home: the JSON each command prints, and exit 2 on a refused gate."""

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cadre.cli import _context, app
from cadre.sample.install import sample_agent_specs
from tests.portfolio.test_intake import EXAMPLES


def cadre(*args: str) -> tuple[int, Any, str]:
    _context.reset()
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    body = json.loads(result.stdout) if result.exit_code == 0 and "--json" in args else result.stdout
    return result.exit_code, body, result.stderr


def test_the_portfolio_commands(cadre_home: Path) -> None:
    for spec in sample_agent_specs():
        if spec.stem in ("service", "concierge"):
            assert cadre("agents", "deploy", str(spec))[0] == 0
    code, listed, _ = cadre("portfolio", "list", "--json")
    assert [(e["name"], e["stage"], e["recorded"], e["rank"]) for e in listed["entries"]] == [
        ("concierge", "pilot", False, None),
        ("service", "pilot", False, None),
    ]

    code, intake, _ = cadre("portfolio", "propose", str(EXAMPLES / "billing_desk.yaml"), "--json")
    assert code == 0
    # $51,030 a year (18,000 x 0.45 x 9 min at $42/h) for $6,900 (18,000 x $0.05 + $6,000): impact 35.4, ROI
    # 100 x log10(7.4) / log10(20) = 66.8. A fresh home has no catalog, so no field is ready: feasibility is its
    # registered actions' 30 alone. Overall 0.4 x 35.39 + 0.35 x 30 + 0.25 x 66.79 = 41.35.
    assert (intake["impact"], intake["feasibility"], intake["roi"], intake["overall"]) == (35.4, 30.0, 66.8, 41.4)
    assert (intake["value"]["annual_value"], intake["value"]["annual_cost"]) == (51030.0, 6900.0)
    assert {c["status"] for c in intake["data_readiness"]["checks"]} == {"no_catalog"}
    assert (intake["stored"], intake["stage"]) == (True, "proposed")
    assert intake["rank"] == {"position": 1, "of": 1, "ahead": []}
    assert [o["suggestion"] for o in intake["overlaps"]] == ["extend agent 'service' instead of 'billing_desk'"]

    code, dry, _ = cadre("portfolio", "propose", str(EXAMPLES / "partner_onboarding.yaml"), "--dry-run", "--json")
    assert (dry["stored"], dry["rank"]["position"], dry["rank"]["ahead"]) == (False, 2, ["billing_desk"])
    assert dry["overlaps"] == []

    code, service, _ = cadre(
        "portfolio", "set", "service", "--owner", "ana@example.com", "--kpi", "csat=4.5@4.1", "--json"
    )
    assert (service["owner"], service["kpis"]) == ("ana@example.com", [{"name": "csat", "target": 4.5, "current": 4.1}])
    code, _, err = cadre("portfolio", "set", "service", "--stage", "hero")
    assert code == 2 and "stage `hero` needs a production version that passed its promotion gates" in err
    assert cadre("portfolio", "set", "concierge", "--stage", "retired", "--why", "the website has a form")[0] == 0
    names = [e["name"] for e in cadre("portfolio", "list", "--json")[1]["entries"]]
    assert names == ["billing_desk", "service"]
    assert "concierge" in [e["name"] for e in cadre("portfolio", "list", "--all", "--json")[1]["entries"]]

    code, shown, _ = cadre("portfolio", "show", "concierge", "--json")
    assert [(h["from"], h["to"], h["by"], h["why"]) for h in shown["history"]] == [
        ("pilot", "retired", "role:admin", "the website has a form")
    ]

    code, overlaps, _ = cadre("portfolio", "overlaps", "--json")
    assert overlaps["thresholds"] == {"topic_match": 0.9, "flag": 0.5}
    assert [o["agents"] for o in overlaps["flagged"]] == [["billing_desk", "service"]]
    assert len(overlaps["pairs"]) == 1  # the retired concierge is compared with nothing

    code, review, _ = cadre("portfolio", "review", "--since", "30d", "--json")
    assert code == 0
    assert review["candidates"] == ["service"]
    assert review["agents"][0]["reasons"] == ["adoption: 0 conversation(s) in the period, below 20"]
