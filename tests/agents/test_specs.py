"""Agent specs: validation with lines and paths, immutable versions, listing and diffs."""

from __future__ import annotations

from pathlib import Path

import pytest

from cadre.agents.models import json_schema
from cadre.agents.specs import AgentVersions, SpecInvalid, UnknownAgent, validate_file
from cadre.store import Database
from tests.agents.help_desk import SPEC, help_desk_actions

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "src" / "cadre" / "agents" / "agent-spec.schema.json"


def write(tmp_path: Path, text: str, name: str = "agent.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_reported_with_its_line_and_path(tmp_path: Path) -> None:
    broken = SPEC.replace("languages: [en, de, ja, es]", "languages: [en, klingon]").replace(
        "actions: [open_case]", "actions: [open_case, launch_rockets]"
    )
    with pytest.raises(SpecInvalid) as caught:
        validate_file(write(tmp_path, broken), help_desk_actions())
    problems = caught.value.problems
    assert len(problems) == 2
    assert any(":4: `languages.1`" in p and "'ja'" in p for p in problems)
    assert any("`topics.2.actions`" in p and "launch_rockets" in p and "open_case" in p for p in problems)


def test_invalid_yaml_and_semantic_rules_are_reported(tmp_path: Path) -> None:
    with pytest.raises(SpecInvalid, match="not valid YAML"):
        validate_file(write(tmp_path, "name: [unclosed"), help_desk_actions())
    twice = SPEC.replace("  - name: cases", "  - name: billing")
    with pytest.raises(SpecInvalid, match="topic names must be unique, repeated: billing"):
        validate_file(write(tmp_path, twice), help_desk_actions())
    with pytest.raises(SpecInvalid, match="`name`"):
        validate_file(write(tmp_path, SPEC.replace("name: help-desk", "name: Help Desk!")), help_desk_actions())


def test_deploying_stores_numbered_immutable_versions(db: Database, tmp_path: Path) -> None:
    versions = AgentVersions(db, help_desk_actions())
    first = versions.deploy(write(tmp_path, SPEC))
    again = versions.deploy(write(tmp_path, SPEC))
    changed = versions.deploy(write(tmp_path, SPEC.replace("queue: tier1", "queue: tier2"), "v2.yaml"))
    assert (first.version, first.created) == (1, True)
    assert (again.version, again.created) == (1, False)
    assert (changed.version, changed.created) == (2, True)
    assert versions.get("help-desk", 1).spec.escalation.queue == "tier1"
    assert versions.get("help-desk").spec.escalation.queue == "tier2"
    assert [(a["name"], a["version"]) for a in versions.list()] == [("help-desk", 2)]
    diff = versions.diff("help-desk", 1, 2)
    assert diff["changed"] == ["escalation.queue"]
    assert "-  queue: tier1\n+  queue: tier2" in diff["diff"]


def test_topics_are_compared_by_name_not_position(db: Database, tmp_path: Path) -> None:
    versions = AgentVersions(db, help_desk_actions())
    versions.deploy(write(tmp_path, SPEC))
    versions.deploy(write(tmp_path, SPEC.replace("Invoices, payments and refunds.", "Invoices and refunds."), "b.yaml"))
    assert versions.diff("help-desk", 1, 2)["changed"] == ["topics.billing.description"]


def test_an_unknown_agent_or_version_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    versions = AgentVersions(db, help_desk_actions())
    with pytest.raises(UnknownAgent, match="'nobody' is not deployed"):
        versions.get("nobody")
    versions.deploy(write(tmp_path, SPEC))
    with pytest.raises(UnknownAgent, match="version 7"):
        versions.get("help-desk", 7)


def test_the_published_json_schema_is_current() -> None:
    import json

    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema(), (
        "regenerate with `cadre agents schema > src/cadre/agents/agent-spec.schema.json`"
    )


def test_the_pii_an_agent_may_unmask_is_exactly_what_is_masked_by_default() -> None:
    from typing import get_args

    from cadre.agents.models import PiiVisibility
    from cadre.guardrails.pii import DEFAULT_MASKED

    assert set(get_args(PiiVisibility)) == DEFAULT_MASKED
