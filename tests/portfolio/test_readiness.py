"""Data readiness against the tests' tiny company: each field ready, unknown, mismatched or out of reach."""

import shutil
from pathlib import Path

from cadre.portfolio.models import DataNeed
from cadre.portfolio.readiness import data_readiness
from tests.company import CATALOG
from tests.portfolio.conftest import open_company


def statuses(readiness: object) -> dict[str, str]:
    return {f"{c.entity}.{c.field or '*'}": c.status for c in readiness.checks}  # type: ignore[attr-defined]


def test_each_needed_field_is_checked_against_the_catalog_and_its_source(cadre_home: Path) -> None:
    wrong_column = CATALOG.replace("revenue: annual_revenue", "revenue: yearly_revenue")
    data, paths = open_company(cadre_home, wrong_column)
    shutil.rmtree(paths["billing"])  # the billing source is registered but gone
    try:
        found = data_readiness(
            [
                DataNeed(entity="Account", fields=["account_id", "revenue", "budget"]),
                DataNeed(entity="Order", fields=["amount"]),
                DataNeed(entity="Invoice"),
                DataNeed(entity="Contact", fields=["email"]),
            ],
            data,
        )
    finally:
        data.close()
        data.db.close()
    assert statuses(found) == {
        "Account.account_id": "ready",
        "Account.revenue": "mismatch",
        "Account.budget": "unknown_field",
        "Order.amount": "source_unavailable",
        "Invoice.*": "unknown_entity",
        "Contact.email": "ready",
    }
    assert found.share == 2 / 6
    details = {c.field: c.detail for c in found.checks}
    assert "yearly_revenue" in (details["revenue"] or "")


def test_without_a_catalog_nothing_is_ready_and_without_needs_everything_is(cadre_home: Path) -> None:
    from cadre.data.service import DataService
    from cadre.settings import Settings
    from cadre.store import open_database

    settings = Settings(home=cadre_home)
    data = DataService(settings, open_database(settings))
    found = data_readiness([DataNeed(entity="Order", fields=["amount", "status"])], data)
    data.db.close()
    assert [c.status for c in found.checks] == ["no_catalog", "no_catalog"]
    assert found.share == 0.0
    assert data_readiness([], None).share == 1.0
    assert data_readiness([DataNeed(entity="Order")], None).checks[0].status == "no_catalog"
