"""The sales workflow's front door: one object holding what an SDR pass and a reply need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cadre.data.service import DataService
from cadre.knowledge.service import KnowledgeBase
from cadre.observability.events import EventSink, EventStore
from cadre.sales.cadence import Cadence
from cadre.sales.leads import SalesData
from cadre.sales.mail import Mailer, SmtpMailer, name_of
from cadre.sales.store import SalesStore
from cadre.settings import Settings
from cadre.store import Database


@dataclass
class SalesService:
    settings: Settings
    db: Database
    data: DataService
    mailer: Mailer
    knowledge: KnowledgeBase | None = None  # answers leads' questions; without it questions go to the rep
    store: SalesStore = field(init=False)
    reads: SalesData = field(init=False)
    cadence: Cadence = field(init=False)
    events: EventSink = field(init=False)

    def __post_init__(self) -> None:
        self.store = SalesStore(self.db)
        self.events = EventStore(self.db)
        self.reads = SalesData(self.data)
        self.cadence = Cadence(
            followup_days=tuple(self.settings.sales_followup_days),
            quiet_start_hour=self.settings.sales_quiet_start_hour,
            quiet_end_hour=self.settings.sales_quiet_end_hour,
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, db: Database, data: DataService, *, knowledge: KnowledgeBase | None = None
    ) -> SalesService:
        return cls(settings, db, data, SmtpMailer.from_settings(settings), knowledge)

    @property
    def sender(self) -> str:
        return self.settings.mail_from

    @property
    def signature(self) -> str:
        return name_of(self.settings.mail_from)

    def run(self, *, now: datetime) -> dict[str, Any]:
        """One SDR pass over every open lead at `now`; see `cadre.sales.run.run_pass`."""
        from cadre.sales.run import run_pass

        return run_pass(self, now=now)

    def inbound(self, raw: bytes, *, now: datetime) -> dict[str, Any]:
        """Handle one e-mail reply (the bytes of an .eml); see `cadre.sales.inbound.handle_reply`."""
        from cadre.sales.inbound import handle_reply

        return handle_reply(self, raw, now=now)
