"""The sample company through the CLI: create, resolve identities, assemble a profile, run the demo."""

import csv
from pathlib import Path
from typing import Any

import pytest

from cadre.access.keys import ApiKeys
from cadre.access.users import ConsoleUsers
from cadre.cli._output import console
from cadre.cli.demo import _render
from cadre.settings import Settings
from cadre.store import open_database


@pytest.fixture
def sample(cadre: Any) -> dict[str, Any]:
    ran = cadre("sample", "create", "--size", "small", "--seed", "3", "--json")
    assert ran.exit_code == 0, ran.stderr
    return ran.json()


def test_sample_create_registers_three_systems(cadre: Any, sample: dict[str, Any], cadre_home: Path) -> None:
    assert sample["sources"] == ["crm", "billing", "marketing"]
    assert sample["counts"]["crm.accounts"] == 60
    sources = {s["name"]: s for s in cadre("data", "sources", "--json").json()["sources"]}
    assert sources["billing"]["tables"] == ["customers", "invoices", "orders", "subscriptions"]
    assert sources["marketing"]["tables"] == ["email_engagement", "form_fills", "page_views"]
    assert cadre("data", "entities", "--json").exit_code == 0
    again = cadre("sample", "create", "--size", "small")
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "--force" in again.stderr


def test_sample_create_keeps_an_edited_catalog(cadre: Any, sample: dict[str, Any], cadre_home: Path) -> None:
    catalog = cadre_home / "catalog.yaml"
    catalog.write_text(catalog.read_text() + "\n# my edit\n")
    ran = cadre("sample", "create", "--size", "small", "--force", "--json")
    assert ran.exit_code == 0
    assert catalog.read_text().endswith("# my edit\n")
    assert any("kept your edited catalog" in note for note in ran.json()["notes"])
    reset = cadre("sample", "create", "--size", "small", "--force", "--reset-config", "--json")
    assert reset.exit_code == 0
    assert not catalog.read_text().endswith("# my edit\n")
    assert (cadre_home / "catalog.yaml.bak").read_text().endswith("# my edit\n")


def test_resolve_then_profile_from_sources_in_place(cadre: Any, sample: dict[str, Any], cadre_home: Path) -> None:
    summary = cadre("data", "resolve", "Person", "--json").json()
    assert summary["records"] == sum(summary["records_by_member"].values())
    assert set(summary["records_by_member"]) == {"Contact", "Lead", "BillingContact", "FormFill"}
    assert summary["multi_record_profiles"] > 0
    biggest = summary["largest_profiles"][0]
    profile = cadre("data", "profile", biggest["profile_id"], "--json").json()
    assert profile["identity"] == "Person"
    assert len(profile["records"]) == biggest["records"] >= 2
    assert {r["source"] for r in profile["records"]} >= {"crm"}
    email = profile["fields"]["email"]
    assert email["value"] and email["source"] in {"crm", "billing", "marketing"}

    # Every linked record in the profile belongs to one true person in the ground truth.
    with (cadre_home / "sources" / "ground_truth" / "person_links.csv").open() as links:
        truth = {(row["member"], row["record_key"]): row["person_id"] for row in csv.DictReader(links)}
    people = {truth[(r["entity"], r["record_key"])] for r in profile["records"]}
    assert len(people) == 1


def test_profile_reads_are_governed(cadre: Any, sample: dict[str, Any]) -> None:
    summary = cadre("data", "resolve", "Person", "--json").json()
    profile_id = summary["largest_profiles"][0]["profile_id"]
    ran = cadre("data", "profile", profile_id, "--as", "agent:concierge", "--purpose", "marketing")
    assert ran.exit_code == 2
    assert "no policy lets agent:concierge" in ran.stderr


def test_resolve_files_prints_clusters_and_pairs(cadre: Any, tmp_path: Path) -> None:
    (tmp_path / "crm.csv").write_text(
        "id,first_name,last_name,email\n"
        "a1,Robert,Smith,robert.smith@acme.example\n"
        "a2,Maria,Garcia,maria.garcia@globex.example\n"
        "a3,Kenji,Sato,kenji.sato@initech.example\n"
    )
    (tmp_path / "shop.csv").write_text(
        "id,first_name,last_name,email\n"
        "b1,Bob,Smith,robert.smith@acme.example\n"
        "b2,Anna,Kowalska,anna.k@umbrella.example\n"
    )
    ran = cadre(
        "data",
        "resolve",
        "--input",
        str(tmp_path / "crm.csv"),
        "--input",
        str(tmp_path / "shop.csv"),
        "--id-column",
        "id",
        "--json",
    )
    assert ran.exit_code == 0, ran.stderr
    payload = ran.json()
    assert ["a1", "b1"] in payload["clusters"]
    assert sorted(id_ for cluster in payload["clusters"] for id_ in cluster) == ["a1", "a2", "a3", "b1", "b2"]
    assert [(p["a"], p["b"]) for p in payload["pairs"]] == [("a1", "b1")]
    assert 0.9 <= payload["pairs"][0]["probability"] <= 1.0
    missing = cadre("data", "resolve", "--input", str(tmp_path / "crm.csv"), "--id-column", "key", "--json")
    assert missing.exit_code == 2 and "key" in missing.stderr


def test_demo_summarises_the_unified_governed_company(
    cadre: Any, cadre_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = cadre("demo", "--size", "small", "--kb-languages", "ja", "--conversations", "16", "--no-serve", "--json")
    assert ran.exit_code == 0, ran.stderr
    summary = ran.json()
    knowledge = summary["knowledge"]
    assert knowledge["collections"]["help"]["added"] == 66
    assert knowledge["collections"]["sales"]["added"] == 9
    # Every chunk was scanned for instructions aimed at a model once ingested; the Japanese articles hold none.
    help_centre = knowledge["collections"]["help"]
    assert help_centre["chunks_scanned"] == help_centre["chunks_embedded"] > 0 and help_centre["flagged"] == []
    with console.capture() as shown:
        _render(summary)
    panel_text = " ".join(shown.get().replace("│", " ").split())  # the panel wraps its lines between borders
    assert f"{help_centre['chunks_scanned']} scanned for instructions to a model, 0 flagged" in panel_text
    japanese = next(s for s in knowledge["searches"] if s["language"] == "ja")
    assert japanese["top"]["language"] == "ja" and not japanese["cross_lingual"]
    english = next(s for s in knowledge["searches"] if s["query"].startswith("How do I set up"))
    assert english["cross_lingual"] and english["top"]["doc_id"] == "set-up-saml-sso"
    assert summary["sample"]["counts"]["crm.contacts"] == 300
    assert set(summary["identities"]) == {"Person", "Company"}
    assert summary["identities"]["Person"]["multi_record_profiles"] > 0
    decisions = {(step["entity"], step["decision"]) for step in summary["governance"]}
    assert ("Account", "allowed") in decisions
    assert ("Invoice", "denied") in decisions
    contact = next(step for step in summary["governance"] if step["entity"] == "Contact")
    assert "email" in contact["masked"] and "***@" in contact["example"]["email"]
    assert summary["audit"]["chain_intact"] is True
    agents = summary["agents"]
    assert set(agents["deployed"]) == {"concierge", "sdr", "seller_assistant", "service"}
    suites = {run["agent"]: run for run in agents["suites"]}
    assert set(suites) == set(agents["deployed"])
    assert all(run["conversations"] >= 40 and run["passed"] > 0 for run in suites.values())
    assert {"en", "es", "fr", "de", "it", "pt", "ja"} <= set(suites["service"]["languages"])
    sales = agents["sales"]
    assert sales["coverage"]["share"] == 1.0
    assert sales["meetings_booked"] >= 1 and sales["invites_with_ics"] == sales["meetings_booked"]
    assert all(n > 0 for n in sales["replies"].values())  # a reply of every kind was handled
    briefing = agents["briefing"]
    assert Path(briefing["markdown"]).read_text().startswith("#") and Path(briefing["pdf"]).stat().st_size > 1000
    day = summary["day"]
    assert day["planned"] == 16 and day["conversations"] >= 16
    assert set(day["agents"]) == set(agents["deployed"]) and len(day["channels"]) >= 3
    assert day["handoffs_open"] > 0 and day["feedback"] > 0
    access = summary["console"]
    assert access["url"] == "http://127.0.0.1:8400/" and access["user"] == "demo"
    login = cadre_home / "demo-login.txt"
    assert login.read_text().split() == ["demo", access["password"]] and login.stat().st_mode & 0o777 == 0o600
    assert f'data-key="{access["widget_key"]}"' in access["widget_tag"]

    served: list[tuple[str, int]] = []
    monkeypatch.setattr("cadre.cli.demo.run_server", lambda host, port, **_jobs: served.append((host, port)))
    rerun = cadre("demo", "--reuse", "--kb-languages", "none", "--port", "8411", "--json").json()
    assert "reused" in rerun["sample"]
    assert "reused" in rerun["day"] and rerun["day"]["conversations"] == day["conversations"]  # not run again
    assert rerun["console"]["password"] == access["password"]
    assert rerun["console"]["widget_key"] == access["widget_key"]
    assert served == [("127.0.0.1", 8411)]  # it ends by serving the console
    database = open_database(Settings(home=cadre_home))
    try:
        assert ConsoleUsers(database).authenticate("demo", access["password"]) is not None
        key = ApiKeys(database).verify(access["widget_key"])
        assert key is not None and (key.role, key.agent) == ("channel", "service")
    finally:
        database.close()


@pytest.mark.postgres
def test_the_demo_runs_with_postgresql_as_the_system_of_record(
    cadre: Any, postgres: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CADRE_DATABASE_URL", postgres.create_database("cadre_demo"))
    ran = cadre("demo", "--size", "small", "--kb-languages", "none", "--no-serve", "--json")
    assert ran.exit_code == 0, ran.stderr
    person = ran.json()["identities"]["Person"]
    profile = cadre("data", "profile", person["example_profile"], "--json").json()
    assert len(profile["records"]) >= 2
    audit = cadre("data", "audit", "--verify", "--json").json()
    assert audit["verification"]["ok"] is True
    assert audit["total"] == audit["verification"]["entries"] > 10


def test_a_stricter_threshold_links_fewer_records(cadre: Any, sample: dict[str, Any]) -> None:
    default = cadre("data", "resolve", "Company", "--json").json()
    strict = cadre("data", "resolve", "Company", "--threshold", "0.99", "--json").json()
    assert (default["threshold"], strict["threshold"]) == (0.9, 0.99)
    assert strict["linked_pairs"] <= default["linked_pairs"]
    assert strict["profiles"] >= default["profiles"]
