import duckdb
import pytest

from cadre.data._extensions import EXTENSION_PACKAGES, OFFLINE_CONFIG, load_extension


@pytest.mark.parametrize("name", sorted(EXTENSION_PACKAGES))
def test_every_extension_loads_from_its_installed_package(name: str) -> None:
    connection = duckdb.connect(config=OFFLINE_CONFIG)
    load_extension(connection, name)
    loaded = connection.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = ?", [name]).fetchone()
    assert loaded == (True,)
    connection.close()
