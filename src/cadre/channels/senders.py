"""The channels that send a human's reply out themselves (the others deliver through the transcript)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cadre.channels.delivery import Sender

if TYPE_CHECKING:
    from cadre.agents.store import ConversationRow
    from cadre.server.services import Services


def default_senders() -> dict[str, Sender]:
    return {"email": _email, "slack": _slack}


def _email(services: Services, conversation: ConversationRow, text: str, author: str) -> str | None:
    """By SMTP, threaded under the customer's last e-mail."""
    from cadre.channels.email import send_human_reply

    return send_human_reply(services, conversation, text, author)


def _slack(services: Services, conversation: ConversationRow, text: str, author: str) -> str | None:
    """In the Slack thread the conversation started in (slack-bolt loads only when a reply goes there)."""
    from cadre.channels.slack import send_human_reply

    return send_human_reply(services, conversation, text, author)
