from pathlib import Path

import pytest

from cadre.data.sources import SourceRegistry, check_source_name, parse_source_uri
from cadre.errors import NotFound, SourceError, SourceUnavailable
from cadre.store import Database
from tests.company import write_crm


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("crm.db", "must look like"),
        ("ftp://host/file", "scheme must be one of"),
        ("sqlite:///no/such/file.db", "no file or folder"),
        ("parquet:///no/such/*.parquet", "no file matches"),
        ("postgresql://localhost", "must name a host and a database"),
    ],
)
def test_bad_uris_are_refused_with_a_reason(uri: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_source_uri(uri)


def test_relative_sqlite_paths_become_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_crm(tmp_path / "crm.db")
    monkeypatch.chdir(tmp_path)
    parsed = parse_source_uri("sqlite://crm.db")
    assert parsed.kind == "sqlite"
    assert parsed.location == str(tmp_path / "crm.db")


def test_postgres_uri_keeps_its_connection_string() -> None:
    parsed = parse_source_uri("postgres://u:secret@db.internal:5432/sales")
    assert (parsed.kind, parsed.location) == ("postgres", "postgresql://u:secret@db.internal:5432/sales")


@pytest.mark.parametrize("name", ["CRM", "1crm", "main", "crm-prod", ""])
def test_source_names_are_plain_identifiers(name: str) -> None:
    with pytest.raises(SourceError):
        check_source_name(name)


def test_registry_round_trip_on_both_stores(db: Database, tmp_path: Path) -> None:
    write_crm(tmp_path / "crm.db")
    registry = SourceRegistry(db)
    added = registry.add("crm", f"sqlite://{tmp_path / 'crm.db'}")
    assert added.tables == ("accounts", "contacts", "users")
    assert [s.name for s in registry.list()] == ["crm"]
    with pytest.raises(SourceError, match="already exists"):
        registry.add("crm", f"sqlite://{tmp_path / 'crm.db'}")
    registry.remove("crm")
    with pytest.raises(NotFound):
        registry.get("crm")


def test_a_source_that_cannot_be_read_is_not_stored(db: Database, tmp_path: Path) -> None:
    (tmp_path / "broken.db").write_bytes(b"this is not a database file at all" * 100)
    registry = SourceRegistry(db)
    with pytest.raises(SourceUnavailable, match="cannot read source 'broken'"):
        registry.add("broken", f"sqlite://{tmp_path / 'broken.db'}")
    assert registry.list() == []
