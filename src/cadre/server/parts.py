"""The parts that serve HTTP, in mounting order. A part is listed here once its routes exist."""

from __future__ import annotations

from cadre.server.app import Mount

MOUNTS: list[Mount] = []
