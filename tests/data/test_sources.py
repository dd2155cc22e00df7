import shutil
from pathlib import Path

import pytest

from cadre.data.service import DataService
from cadre.data.sources import SourceRegistry, check_source_name, parse_source_uri
from cadre.data.store import SourceRow
from cadre.errors import NotFound, SourceError, SourceUnavailable
from cadre.settings import Settings
from cadre.store import Database, open_database
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


def test_a_file_source_inside_the_home_follows_a_copy_of_the_home(tmp_path: Path) -> None:
    home, outside = tmp_path / "home", tmp_path / "elsewhere.db"
    db = open_database(Settings(home=home))
    (home / "sources").mkdir()
    write_crm(home / "sources" / "crm.db")
    write_crm(outside)
    DataService(Settings(home=home), db).sources.add("crm", f"sqlite://{home / 'sources' / 'crm.db'}")
    DataService(Settings(home=home), db).sources.add("shared", f"sqlite://{outside}")
    with db.session() as session:
        assert session.get(SourceRow, "crm").uri == "sqlite://$CADRE_HOME/sources/crm.db"  # type: ignore[union-attr]
    db.close()

    copy = tmp_path / "copy"
    shutil.copytree(home, copy)
    copied_db = open_database(Settings(home=copy))
    try:
        registry = DataService(Settings(home=copy), copied_db).sources
        assert registry.get("crm").uri == f"sqlite://{(copy / 'sources' / 'crm.db').resolve()}"
        assert registry.get("shared").uri == f"sqlite://{outside.resolve()}"  # outside any home: as given
        assert [s.uri for s in registry.list()] == [registry.get("crm").uri, registry.get("shared").uri]
        with pytest.raises(SourceError, match="lies in the Cadre home"):
            SourceRegistry(copied_db).get("crm")
    finally:
        copied_db.close()
