"""Load DuckDB extensions from their PyPI packages, so nothing is downloaded at run time."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb

from cadre.errors import SourceError

# extension name -> the PyPI package (module) that ships its binary
EXTENSION_PACKAGES = {
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "mysql_scanner": "duckdb_extension_mysql_scanner",
    "httpfs": "duckdb_extension_httpfs",
    "avro": "duckdb_extension_avro",
    "iceberg": "duckdb_extension_iceberg",
    "delta": "duckdb_extension_delta",
}
# Extensions an extension needs loaded first (iceberg reads avro manifests).
PREREQUISITES = {"iceberg": ("avro", "httpfs")}

# Offline-first: DuckDB must never fetch an extension from the network on its own.
OFFLINE_CONFIG = {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def extension_file(name: str) -> Path:
    package = EXTENSION_PACKAGES.get(name)
    if package is None:
        raise SourceError(f"extension must be one of {sorted(EXTENSION_PACKAGES)}, got {name!r}")
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        pypi_name = package.replace("_", "-")
        raise SourceError(
            f"DuckDB extension `{name}` is not installed", hint=f"pip install {pypi_name}=={duckdb.__version__}"
        ) from exc
    version = f"v{duckdb.__version__}"
    files = sorted(Path(module.__file__ or "").parent.glob(f"extensions/{version}/*.duckdb_extension"))
    if not files:
        raise SourceError(
            f"package {package!r} ships no extension for DuckDB {duckdb.__version__}",
            hint=f"install the `{package.replace('_', '-')}` release matching DuckDB {duckdb.__version__}",
        )
    return files[0]


def load_extension(connection: duckdb.DuckDBPyConnection, name: str) -> None:
    """Load `name` (and what it needs) into `connection` from the installed package."""
    for prerequisite in PREREQUISITES.get(name, ()):
        load_extension(connection, prerequisite)
    loaded = connection.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = ?", [name]).fetchone()
    if loaded and loaded[0]:
        return
    connection.execute(f"LOAD '{extension_file(name)}'")
