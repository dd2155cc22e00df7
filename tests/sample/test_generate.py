import csv
import hashlib
import re
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml

from cadre.data.models import Catalog, EntityMapping, PolicySet, Principal
from cadre.data.policies import authorize
from cadre.errors import ConfigError, PolicyDenied
from cadre.sample import TODAY, SampleSummary, create_sample_company, sample_catalog_yaml, sample_policies_yaml

LANGUAGES = {"en", "es", "fr", "de", "it", "pt", "ja"}
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> SampleSummary:
    return create_sample_company(tmp_path_factory.mktemp("sample") / "company", size="small", seed=7)


def crm_rows(folder: Path, table: str) -> list[dict[str, Any]]:
    with sqlite3.connect(folder / "crm.db") as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1")]


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.suffix in (".csv", ".parquet")
    }


def crm_dump(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(folder / "crm.db") as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in tables}


def test_same_seed_gives_the_same_company_and_another_seed_another(small: SampleSummary, tmp_path: Path) -> None:
    again = create_sample_company(tmp_path / "again", size="small", seed=7)
    other = create_sample_company(tmp_path / "other", size="small", seed=8)

    assert file_hashes(again.directory) == file_hashes(small.directory)
    assert crm_dump(again.directory) == crm_dump(small.directory)
    differing = {
        name for name, digest in file_hashes(other.directory).items() if file_hashes(small.directory)[name] != digest
    }
    assert differing == set(file_hashes(small.directory))
    assert crm_dump(other.directory)["contacts"] != crm_dump(small.directory)["contacts"]


def test_summary_counts_are_the_rows_written(small: SampleSummary) -> None:
    folder = small.directory
    written: dict[str, int] = {}
    for table, rows in crm_dump(folder).items():
        written[f"crm.{table}"] = len(rows)
    for path in sorted((folder / "billing").glob("*.parquet")):
        written[f"billing.{path.stem}"] = pq.read_metadata(path).num_rows
    for system in ("marketing", "ground_truth"):
        for path in sorted((folder / system).glob("*.csv")):
            written[f"{system}.{path.stem}"] = len(csv_rows(path))

    assert small.counts == written
    assert (small.size, small.seed) == ("small", 7)
    assert {key: small.counts[key] for key in ("crm.accounts", "crm.contacts", "crm.leads", "billing.orders")} == {
        "crm.accounts": 60,
        "crm.contacts": 300,
        "crm.leads": 150,
        "billing.orders": 600,
    }
    assert small.counts["marketing.page_views"] > small.counts["marketing.form_fills"] > 0


def test_references_between_records_hold(small: SampleSummary) -> None:
    folder = small.directory
    with sqlite3.connect(folder / "crm.db") as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    accounts = {row["account_id"] for row in crm_rows(folder, "accounts")}
    assert {row["account_id"] for row in crm_rows(folder, "contacts")} <= accounts

    customers = pq.read_table(folder / "billing" / "customers.parquet").to_pydict()
    orders = pq.read_table(folder / "billing" / "orders.parquet").to_pydict()
    invoices = pq.read_table(folder / "billing" / "invoices.parquet").to_pydict()
    subscriptions = pq.read_table(folder / "billing" / "subscriptions.parquet").to_pydict()
    assert set(orders["customer_id"]) <= set(customers["customer_id"])
    assert set(subscriptions["customer_id"]) <= set(customers["customer_id"])
    assert set(invoices["order_id"]) <= set(orders["order_id"])
    linked = [account for account in customers["crm_account_id"] if account is not None]
    assert 0 < len(linked) < len(customers["customer_id"])  # some billing customers are not linked to the CRM
    assert set(linked) <= accounts


def test_values_are_in_their_documented_forms(small: SampleSummary) -> None:
    contacts = crm_rows(small.directory, "contacts")
    leads = crm_rows(small.directory, "leads")
    assert {row["language"] for row in contacts} == LANGUAGES
    assert {row["status"] for row in leads} <= {"new", "working", "nurture", "qualified", "disqualified", "converted"}
    stamps = [row["updated_at"] for row in contacts + leads] + [
        row["filled_at"] for row in csv_rows(small.directory / "marketing" / "form_fills.csv")
    ]
    assert all(ISO_UTC.match(stamp) for stamp in stamps)
    assert max(stamps) <= TODAY.strftime("%Y-%m-%dT%H:%M:%SZ")
    users = crm_rows(small.directory, "users")
    assert {row["role"] for row in users} == {"seller", "sales_manager", "support_rep", "sdr", "admin"}
    assert all(not row["email"] or row["email"].split("@")[1].endswith(".example") for row in contacts)


def test_ground_truth_names_the_person_behind_every_member_record(small: SampleSummary) -> None:
    folder = small.directory
    links = csv_rows(folder / "ground_truth" / "person_links.csv")
    customers = pq.read_table(folder / "billing" / "customers.parquet").column("customer_id").to_pylist()
    expected = (
        {("Contact", row["contact_id"]) for row in crm_rows(folder, "contacts")}
        | {("Lead", row["lead_id"]) for row in crm_rows(folder, "leads")}
        | {("BillingContact", key) for key in customers}
        | {("FormFill", row["fill_id"]) for row in csv_rows(folder / "marketing" / "form_fills.csv")}
    )
    assert len(links) == len(expected)
    assert {(link["member"], link["record_key"]) for link in links} == expected

    companies = csv_rows(folder / "ground_truth" / "company_links.csv")
    assert {(link["member"], link["record_key"]) for link in companies} == (
        {("Account", row["account_id"]) for row in crm_rows(folder, "accounts")}
        | {("BillingCustomer", key) for key in customers}
    )


def test_the_same_people_appear_in_several_systems_looking_different(small: SampleSummary) -> None:
    folder = small.directory
    seen: dict[tuple[str, str], tuple[str | None, str | None]] = {}  # record -> (first name, email)
    for row in crm_rows(folder, "contacts"):
        seen[("Contact", row["contact_id"])] = (row["first_name"], row["email"])
    for row in crm_rows(folder, "leads"):
        seen[("Lead", row["lead_id"])] = (row["first_name"], row["email"])
    for row in csv_rows(folder / "marketing" / "form_fills.csv"):
        seen[("FormFill", row["fill_id"])] = (row["first_name"], row["email"] or None)
    customers = pq.read_table(folder / "billing" / "customers.parquet").to_pylist()
    for row in customers:
        seen[("BillingContact", row["customer_id"])] = (row["billing_contact_name"].split(" ")[0], row["billing_email"])
    people: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for link in csv_rows(folder / "ground_truth" / "person_links.csv"):
        people[link["person_id"]].append((link["member"], link["record_key"]))

    spread = {person: records for person, records in people.items() if len({m for m, _ in records}) >= 2}
    emails = [{seen[r][1] for r in records if seen[r][1]} for records in spread.values()]
    first_names = [{seen[r][0] for r in records} for records in spread.values()]
    assert len(spread) >= 30
    assert sum(len(found) > 1 for found in emails) >= 10  # work vs personal address, an alias, a typo
    assert sum(len(found) > 1 for found in first_names) >= 3  # a nickname, a typo, swapped names
    assert any(len({m for m, _ in records}) >= 3 for records in spread.values())
    assert sum(len(records) == 1 for records in people.values()) > len(people) / 2  # most are in one system


def test_refuses_a_folder_that_is_not_empty_and_leaves_it_untouched(tmp_path: Path) -> None:
    target = tmp_path / "company"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")

    with pytest.raises(ConfigError, match="new or empty"):
        create_sample_company(target, size="small")
    assert [path.name for path in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["company"]


def test_a_failure_half_way_leaves_no_company_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("cadre.sample.generate._write_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        create_sample_company(tmp_path / "company", size="small")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    (tmp_path / "company").mkdir()
    summary = create_sample_company(tmp_path / "company", size="small")
    assert sorted(path.name for path in summary.directory.iterdir()) == [
        "billing",
        "crm.db",
        "ground_truth",
        "marketing",
    ]


def test_shipped_catalog_maps_onto_the_generated_company(small: SampleSummary) -> None:
    catalog = Catalog.model_validate(yaml.safe_load(sample_catalog_yaml()))
    folder = small.directory
    with sqlite3.connect(folder / "crm.db") as connection:
        crm = {
            table: {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
            for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    columns = {("crm", table): names for table, names in crm.items()}
    for path in (folder / "billing").glob("*.parquet"):
        columns[("billing", path.stem)] = set(pq.read_schema(path).names)
    for path in (folder / "marketing").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            columns[("marketing", path.stem)] = set(next(csv.reader(handle)))

    for name, entity in catalog.entities.items():
        table = columns.get((entity.source, entity.table))
        assert table is not None, f"{name}: no table {entity.source}.{entity.table}"
        assert {field.column for field in entity.fields.values()} <= table, name
    assert {"Person", "Company"} <= set(catalog.identities)
    assert {m.entity for m in catalog.identities["Person"].members} == {"Contact", "Lead", "BillingContact", "FormFill"}


def test_shipped_policies_govern_the_catalog_entities() -> None:
    catalog = Catalog.model_validate(yaml.safe_load(sample_catalog_yaml()))
    policies = PolicySet.model_validate(yaml.safe_load(sample_policies_yaml()))
    for policy in policies.policies:
        assert policy.description
        if policy.entity != "*":
            fields = catalog.entities[policy.entity].fields
            assert set(policy.rows) | set(policy.mask) <= set(fields), policy.name

    def grant(principal: Principal, purpose: str, entity: str) -> Any:
        mapping: EntityMapping = catalog.entities[entity]
        return authorize(policies, principal, purpose=purpose, entity_name=entity, entity=mapping)

    seller = Principal("user:U0004", ("seller",), {"team": "east", "user_id": "U0004"})
    contacts = grant(seller, "sales", "Contact")
    assert (contacts.row_filter, contacts.mask) == ({"owner_team": "east"}, {"email": "email", "phone": "phone"})
    assert grant(Principal("role:admin", ("admin",)), "anything", "Invoice").policy.name == "admin-everything"
    service = Principal("agent:service", ("service_agent",))
    assert grant(service, "support", "Invoice").row_filter == {}
    with pytest.raises(PolicyDenied):
        grant(service, "support", "Lead")
    with pytest.raises(PolicyDenied):
        grant(Principal("agent:concierge", ("concierge_agent",)), "marketing", "Contact")
