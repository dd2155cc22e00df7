"""A hand-off carries the customer's unified profile, read in place under the agent's own principal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cadre.agents.inbox import Inbox
from cadre.agents.runtime import TurnRequest
from cadre.agents.setup import build_runtime
from cadre.agents.specs import AgentVersions
from cadre.data.identity import IdentityService
from cadre.data.service import DataService
from cadre.knowledge.service import KnowledgeBase
from cadre.settings import Settings
from cadre.store import open_database
from tests.agents.help_desk import SPEC, help_desk_actions
from tests.company import POLICIES
from tests.data.conftest import tiny_company  # noqa: F401  (fixture)
from tests.knowledge.conftest import write_help_centre

SUPPORT_READS_NAMES = """
  - name: service-contact-names
    principals: ["agent:service"]
    purposes: [support]
    entity: Contact
    fields: [contact_id, first_name, last_name, email]
    mask: {email: email}
"""


@pytest.fixture
def data(tiny_company: dict[str, Any]) -> Iterator[DataService]:  # noqa: F811
    home = tiny_company["home"]
    (home / "policies.yaml").write_text(POLICIES + SUPPORT_READS_NAMES)
    settings = Settings(home=home)
    service = DataService(settings, open_database(settings))
    paths = tiny_company["paths"]
    for name, uri in (("crm", "sqlite://"), ("billing", "parquet://"), ("marketing", "csv://")):
        service.sources.add(name, f"{uri}{paths[name]}")
    yield service
    service.close()
    service.db.close()


def test_the_human_sees_who_the_customer_is_within_the_agents_policy(data: DataService, tmp_path: Path) -> None:
    IdentityService(data).resolve("Person")
    person_id, _ = IdentityService(data).largest_profiles("Person", limit=1)[0]
    kb = KnowledgeBase(data.db)
    kb.ingest([write_help_centre(tmp_path / "help")], collection="help")
    spec = tmp_path / "service.yaml"
    spec.write_text(SPEC.replace("name: help-desk", "name: service"), encoding="utf-8")  # the company's agent
    actions = help_desk_actions()
    AgentVersions(data.db, actions).deploy(spec)
    runtime = build_runtime(data.settings, data.db, kb, data=data, actions=actions)

    result = runtime.run_turn(TurnRequest(agent="service", message="I want to talk to a human", person_id=person_id))

    assert result.handoff is not None
    profile = Inbox(data.db).list()[0].profile
    assert profile is not None and profile["profile_id"] == person_id
    assert {"first_name", "last_name"} <= set(profile["fields"])
    assert "***@" in profile["fields"]["email"]  # masked by the policy, as for any read by this agent
    assert profile["withheld"] == ["FormFill"]  # the agent may not read marketing form fills for support
