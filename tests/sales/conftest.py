"""Fixtures: the small sample company (seed 7) installed once, a fresh Cadre home per test, a local SMTP server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cadre.data.service import DataService
from cadre.sales.mail import SmtpMailer
from cadre.sales.service import SalesService
from cadre.sample.install import install_sample
from cadre.settings import Settings
from cadre.store import open_database
from cadre.testing.smtp import LocalSmtpServer

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # the sample's "today", 15:00 UTC: night in Tokyo, morning in LA


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("sales-sample")
    settings = Settings(home=home)
    db = open_database(settings)
    data = DataService(settings, db)
    install_sample(data, size="small", seed=7)
    data.close()
    db.close()
    return home


@pytest.fixture
def smtp() -> Iterator[LocalSmtpServer]:
    with LocalSmtpServer() as server:
        yield server


@pytest.fixture
def home(sample_home: Path, tmp_path: Path) -> Path:
    """A copy of the installed sample's home, sources included (the SDR writes lead statuses to the CRM)."""
    target = tmp_path / "home"
    shutil.copytree(sample_home, target, ignore=shutil.ignore_patterns("tmp"))
    settings = Settings(home=target)
    db = open_database(settings)
    data = DataService(settings, db)
    for source in data.sources.list():
        data.add_source(source.name, source.uri.replace(str(sample_home), str(target)), replace=True)
    data.close()
    db.close()
    return target


@pytest.fixture
def sales(home: Path, smtp: LocalSmtpServer) -> Iterator[SalesService]:
    settings = Settings(home=home, smtp_host=smtp.host, smtp_port=smtp.port)
    db = open_database(settings)
    data = DataService(settings, db)
    mailer = SmtpMailer(smtp.host, smtp.port, retries=1, backoff_s=0.0, sleep=lambda _: None)
    yield SalesService(settings, db, data, mailer)
    data.close()
    db.close()
