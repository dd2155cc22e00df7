"""`cadre serve` in its own process: it listens where asked, answers health, and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from cadre.testing.ports import free_port

STARTUP_S = 60.0


def test_serve_answers_health_and_the_openapi_document(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "CADRE_HOME": str(tmp_path / "home")}
    server = subprocess.Popen(
        [sys.executable, "-m", "cadre.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            assert server.poll() is None, f"cadre serve exited early: {server.communicate()[1]}"
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "cadre serve did not start listening"
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        openapi = httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5).json()
        assert openapi["info"]["title"] == "Cadre"
        assert "/healthz" in openapi["paths"]
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr
    assert f"http://127.0.0.1:{port}/" in stderr
