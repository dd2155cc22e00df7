"""Build the sample company's systems in a folder: CRM (SQLite), billing (Parquet), marketing (CSV), truth."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from cadre.errors import ConfigError
from cadre.sample._clock import NOW, YEAR
from cadre.sample._crm_schema import write_crm
from cadre.sample.billing import BillingData, build_billing
from cadre.sample.cast import Cast, FillPlan, make_cast
from cadre.sample.crm import CrmData, build_crm
from cadre.sample.marketing import MarketingData, Recipient, build_marketing
from cadre.sample.models import SCALES, SampleSize, SampleSummary
from cadre.sample.people import name_pools
from cadre.sample.products import price_book
from cadre.sample.staff import make_availability, make_staff


def create_sample_company(directory: Path, *, size: SampleSize = "default", seed: int = 7) -> SampleSummary:
    """Write the fictional company Halyard Cloud's systems into `directory`, the same for the same seed."""
    started = time.perf_counter()
    if size not in SCALES:
        raise ConfigError(f"`size` must be one of {sorted(SCALES)}, got {size!r}")
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ConfigError(
            f"the sample company's folder must be new or empty, got {str(directory)!r}",
            hint="choose another folder or remove this one",
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the destination and rename at the end, so a failure never leaves half a company.
    partial = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".partial", dir=directory.parent))
    try:
        counts = _write_company(partial, size, seed)
        if directory.exists():
            directory.rmdir()
        partial.rename(directory)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return SampleSummary(directory, seed, size, counts, time.perf_counter() - started)


def _write_company(folder: Path, size: SampleSize, seed: int) -> dict[str, int]:
    scale = SCALES[size]
    # One independent stream per system, so changing how one system is drawn leaves the others as they were.
    streams = [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(5)]
    pools = name_pools(seed)
    cast = make_cast(streams[0], scale, pools)
    staff = make_staff(streams[1], scale, pools)
    prices = price_book()
    crm = build_crm(
        streams[2], cast, staff, make_availability(streams[1], staff), prices, _first_forms(cast.fills), scale
    )
    billing = build_billing(streams[3], cast.customers, crm.account_ids, prices, scale.orders)
    marketing = build_marketing(streams[4], cast.fills, _audience(cast, crm), scale)

    counts: dict[str, int] = {}
    write_crm(folder / "crm.db", crm.tables)
    counts.update({f"crm.{name}": len(rows) for name, rows in crm.tables.items()})
    for system, tables, write in (
        ("billing", billing.tables, _write_parquet),
        ("marketing", marketing.tables, _write_csv),
    ):
        (folder / system).mkdir()
        for name, table in tables.items():
            write(folder / system / name, table)
            counts[f"{system}.{name}"] = table.num_rows
    (folder / "ground_truth").mkdir()
    for name, table in _ground_truth(cast, crm, billing, marketing).items():
        _write_csv(folder / "ground_truth" / name, table)
        counts[f"ground_truth.{name}"] = table.num_rows
    return counts


def _write_parquet(stem: Path, table: pa.Table) -> None:
    pq.write_table(table, stem.with_suffix(".parquet"), compression="zstd")


def _write_csv(stem: Path, table: pa.Table) -> None:
    pa_csv.write_csv(table, stem.with_suffix(".csv"))


def _first_forms(fills: list[FillPlan]) -> dict[str, FillPlan]:
    first: dict[str, FillPlan] = {}
    for plan in fills:
        first.setdefault(plan.person.person_id, plan)
    return first


def _audience(cast: Cast, crm: CrmData) -> list[Recipient]:
    """Every address the CRM holds, with the language marketing writes to it in, from when it was known."""
    recipients: dict[str, Recipient] = {}
    for row in crm.tables["contacts"]:
        if row["email"]:
            recipients.setdefault(row["email"], Recipient(row["email"], row["language"], NOW - 3 * YEAR))
    for row, plan in zip(crm.tables["leads"], cast.leads, strict=True):
        if row["email"] and row["status"] != "disqualified":
            recipients.setdefault(row["email"], Recipient(row["email"], row["language"], plan.created_at))
    return list(recipients.values())


def _ground_truth(cast: Cast, crm: CrmData, billing: BillingData, marketing: MarketingData) -> dict[str, pa.Table]:
    people: list[dict[str, Any]] = []
    for member, records in (
        ("Contact", crm.contact_people),
        ("Lead", crm.lead_people),
        ("BillingContact", billing.contact_people),
        ("FormFill", marketing.fill_people),
    ):
        people.extend(
            {"member": member, "record_key": key, "person_id": person.person_id} for key, person in records.items()
        )
    companies = [
        {"member": "Account", "record_key": account_id, "company_id": company_id}
        for company_id, account_id in sorted(crm.account_ids.items(), key=lambda pair: pair[1])
    ]
    companies.extend(
        {"member": "BillingCustomer", "record_key": customer_id, "company_id": company_id}
        for customer_id, company_id in billing.customer_companies.items()
    )
    return {
        "person_links": pa.Table.from_pylist(people),
        "company_links": pa.Table.from_pylist(companies),
    }
