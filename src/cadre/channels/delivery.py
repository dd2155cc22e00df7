"""A human's reply reaches the customer on the channel the conversation is on.

The transcript is the delivery for the web widget and the API (they read the conversation's messages); e-mail
and Slack conversations also get the reply sent out through that channel, threaded where the customer wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cadre.agents.store import ConversationRow

if TYPE_CHECKING:
    from cadre.server.services import Services


@dataclass(frozen=True)
class Delivered:
    seq: int  # the reply's place in the transcript
    channel: str
    sent_via: str  # transcript | email | slack
    detail: str | None = None  # e.g. the Message-ID of the e-mail, the Slack message ts

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "channel": self.channel, "sent_via": self.sent_via, "detail": self.detail}


# channel -> sends `text` from `author` out on that channel for the conversation; returns a detail to record
Sender = Callable[["Services", ConversationRow, str, str], str | None]


class Delivery:
    def __init__(self, services: Services, senders: dict[str, Sender] | None = None) -> None:
        self._services = services
        self._senders = dict(senders or {})

    def register(self, channel: str, sender: Sender) -> None:
        self._senders[channel] = sender

    def human_reply(self, handoff_id: int, text: str, *, by: str) -> Delivered:
        """Answer a hand-off as `by`: the reply joins the transcript, then goes out on the conversation's channel."""
        handoff = self._services.inbox.get(handoff_id)
        seq = self._services.inbox.reply(handoff_id, text, by=by)
        with self._services.db.session() as session:
            conversation = session.get(ConversationRow, handoff.conversation_id)
        assert conversation is not None  # the hand-off's foreign key keeps its conversation
        # The person may have moved channels since the conversation began: answer where they last wrote.
        channel = next(
            (
                m["channel"]
                for m in reversed(self._services.conversations.messages(conversation.id))
                if m["role"] == "customer"
            ),
            conversation.channel,
        )
        sender = self._senders.get(channel)
        if sender is None:
            return Delivered(seq, channel, "transcript")
        detail = sender(self._services, conversation, text, by)
        return Delivered(seq, channel, channel, detail)
