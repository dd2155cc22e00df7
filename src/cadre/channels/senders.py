"""The channels that send a human's reply out themselves (the others deliver through the transcript)."""

from __future__ import annotations

from cadre.channels.delivery import Sender


def default_senders() -> dict[str, Sender]:
    return {}
