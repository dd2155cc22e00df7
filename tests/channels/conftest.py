"""The channels' tests run on the sample company with its Person identity resolved and every sample agent deployed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr

from cadre.agents.runtime import Runtime
from cadre.data.identity import IdentityService
from cadre.server.services import Services
from cadre.testing.smtp import LocalSmtpServer
from tests.channels.mail import SUPPORT
from tests.hero_company import Hero

WIDGET_SECRET = "widget-secret-for-tests"


@dataclass(frozen=True)
class Company:
    hero: Hero
    runtime: Runtime

    def services(self, **settings: Any) -> Services:
        """Services over the shared company, with `settings` changed for this test."""
        changed = self.hero.settings.model_copy(update=settings)
        injected = {"runtime": self.runtime, "data": self.hero.data, "knowledge": self.hero.kb}
        return Services(changed, self.hero.db, injected=injected)

    def person_email(self, entity: str = "Contact") -> str:
        """The e-mail of a resolved person: the first `entity` record that has one."""
        rows = self.hero.data.get(entity, principal="role:admin", purpose="tests", fields=["email"], limit=50).rows
        return next(str(row["email"]) for row in rows if row["email"])


@pytest.fixture(scope="session")
def company(hero: Hero) -> Company:
    # Resolution replaces the Person links with the same ones every time (stable profile ids), so resolving
    # the shared company again changes nothing another test could see.
    IdentityService(hero.data).resolve("Person")
    return Company(hero, hero.runtime())


@pytest.fixture
def smtp() -> Iterator[LocalSmtpServer]:
    with LocalSmtpServer() as server:
        yield server


@pytest.fixture
def services(company: Company, smtp: LocalSmtpServer) -> Services:
    return company.services(
        widget_secret=SecretStr(WIDGET_SECRET),
        support_mail_from=SUPPORT,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_retries=0,
    )
