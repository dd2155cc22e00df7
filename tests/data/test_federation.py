import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import create_engine, text

from cadre.data.federation import Federation
from cadre.data.models import SourceInfo
from cadre.errors import QueryError, SourceUnavailable
from cadre.testing.postgres import ThrowawayPostgres
from tests.company import write_company


@pytest.fixture
def company(tmp_path: Path) -> dict[str, Path]:
    return write_company(tmp_path / "company")


def sources_for(paths: dict[str, Path]) -> list[SourceInfo]:
    return [
        SourceInfo("crm", f"sqlite://{paths['crm']}", "sqlite"),
        SourceInfo("billing", f"parquet://{paths['billing']}", "parquet"),
        SourceInfo("marketing", f"csv://{paths['marketing']}", "csv"),
    ]


def test_one_query_joins_three_systems_in_place(company: dict[str, Path]) -> None:
    with Federation.open(sources_for(company), strict=True) as federation:
        result = federation.query("""
            SELECT c.id, o.amount, f.fill_id
            FROM crm.contacts c
            JOIN billing.orders o ON o.email = c.email
            LEFT JOIN marketing.form_fills f ON f.email = c.email
            ORDER BY c.id""")
        assert result.columns == ["id", "amount", "fill_id"]
        assert list(result.rows()) == [("C1", 120.0, "F1"), ("C2", 80.5, None)]


def test_changes_in_sources_show_up_in_the_next_query(company: dict[str, Path]) -> None:
    with Federation.open(sources_for(company), strict=True) as federation:
        count = "SELECT (SELECT count(*) FROM crm.contacts), (SELECT count(*) FROM billing.orders)"
        assert list(federation.query(count).rows()) == [(3, 2)]
        with sqlite3.connect(company["crm"]) as connection:
            connection.execute("INSERT INTO contacts (id, first_name) VALUES ('C4', 'New')")
        more = company["billing"] / "orders"
        more.mkdir()
        pq.write_table(pa.table({"order_id": ["O3"], "email": ["x@y.z"], "amount": [1.0]}), more / "part.parquet")
        federation.close()
    with Federation.open(sources_for(company), strict=True) as federation:
        # the folder `orders/` is its own table; the sqlite insert is visible without any re-sync
        assert list(federation.query(count).rows()) == [(4, 2)]
        assert list(federation.query("SELECT count(*) FROM billing.orders").rows()) == [(2,)]


def test_sqlite_changes_are_visible_on_the_same_connection(company: dict[str, Path]) -> None:
    with Federation.open(sources_for(company), strict=True) as federation:
        before = list(federation.query("SELECT count(*) FROM crm.accounts").rows())
        with sqlite3.connect(company["crm"]) as connection:
            connection.execute("INSERT INTO accounts (id, name) VALUES ('A9', 'Umbrella')")
        after = list(federation.query("SELECT count(*) FROM crm.accounts").rows())
    assert (before, after) == ([(3,)], [(4,)])


def test_results_stream_in_batches(tmp_path: Path) -> None:
    pq.write_table(pa.table({"n": list(range(10_000))}), tmp_path / "numbers.parquet")
    source = SourceInfo("numbers", f"parquet://{tmp_path / 'numbers.parquet'}", "parquet")
    with Federation.open([source], strict=True) as federation:
        batches = list(federation.query("SELECT n FROM numbers", batch_rows=1000).batches())
    assert len(batches) >= 5
    assert sum(len(b) for b in batches) == 10_000


def test_a_missing_source_fails_only_the_queries_that_need_it(company: dict[str, Path]) -> None:
    sources = sources_for(company)
    company["crm"].unlink()
    with Federation.open(sources) as federation:
        assert "crm" in federation.unavailable
        assert list(federation.query("SELECT count(*) FROM billing.orders").rows()) == [(2,)]
        with pytest.raises(SourceUnavailable, match="crm"):
            federation.relation("crm", "contacts")
        with pytest.raises(SourceUnavailable, match="source 'crm' is unavailable"):
            federation.query("SELECT * FROM crm.contacts")


def test_bad_sql_is_a_query_error(company: dict[str, Path]) -> None:
    with Federation.open(sources_for(company)) as federation, pytest.raises(QueryError, match="query failed"):
        federation.query("SELECT nope FROM billing.orders")


@pytest.mark.postgres
def test_postgres_sources_are_attached_read_only(postgres: ThrowawayPostgres) -> None:
    url = postgres.create_database("warehouse")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id int primary key, total numeric(10,2))"))
        connection.execute(text("INSERT INTO invoices VALUES (1, 10.50), (2, 20.25)"))
    source = SourceInfo("warehouse", postgres.url("warehouse", driver="postgresql"), "postgres")
    with Federation.open([source], strict=True) as federation:
        assert federation.tables["warehouse"] == ["invoices"]
        assert list(federation.query("SELECT sum(total)::DOUBLE FROM warehouse.invoices").rows()) == [(30.75,)]
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO invoices VALUES (3, 1.00)"))
        assert list(federation.query("SELECT count(*) FROM warehouse.invoices").rows()) == [(3,)]
        with pytest.raises(QueryError):
            federation.query("INSERT INTO warehouse.invoices VALUES (4, 1.0)")
    engine.dispose()


@pytest.mark.postgres
def test_an_unreachable_postgres_is_reported_not_hung() -> None:
    source = SourceInfo("gone", "postgres://postgres@127.0.0.1:1/nothing", "postgres")
    with pytest.raises(SourceUnavailable, match="cannot read source 'gone'"):
        Federation.open([source], strict=True)


def test_concurrent_queries_each_get_their_own_rows(company: dict[str, Path]) -> None:
    """Requests run on a thread pool: each thread's statements and results are its own, never another's."""
    from concurrent.futures import ThreadPoolExecutor

    with Federation.open(sources_for(company), strict=True) as federation:
        relations = [federation.relation("crm", "contacts"), federation.relation("billing", "orders")]

        def ask(n: int) -> tuple[int, list[tuple[object, ...]]]:
            # Each query's answer names its own number, so a result read by the wrong thread shows.
            relation = relations[n % 2]
            return n, list(federation.query(f"SELECT ? AS n, count(*) FROM {relation}", [n]).rows())

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(ask, range(400)))
    assert all(rows == [(n, 3 if n % 2 == 0 else 2)] for n, rows in answers), [
        (n, rows) for n, rows in answers if rows != [(n, 3 if n % 2 == 0 else 2)]
    ][:5]
