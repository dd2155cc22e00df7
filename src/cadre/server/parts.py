"""The parts that serve HTTP, in mounting order."""

from __future__ import annotations

from cadre import console
from cadre.channels import email, slack, web
from cadre.server import api, openai_face
from cadre.server.app import Mount

MOUNTS: list[Mount] = [api.mount, openai_face.mount, web.mount, email.mount, slack.mount, console.mount]
