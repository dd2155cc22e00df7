"""A channel's own threads (e-mail Message-IDs, Slack `channel:thread_ts`) and the conversations they continue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from cadre.agents.store import ConversationRow
from cadre.channels.tables import ChannelThreadRow

if TYPE_CHECKING:
    from cadre.server.services import Services


def conversation_of(services: Services, channel: str, keys: Iterable[str], *, agent: str | None = None) -> str | None:
    """The conversation the first known key of `keys` belongs to (with `agent`, when given)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return None
    query = (
        select(ChannelThreadRow.thread_key, ChannelThreadRow.conversation_id)
        .join(ConversationRow, ConversationRow.id == ChannelThreadRow.conversation_id)
        .where(ChannelThreadRow.channel == channel, ChannelThreadRow.thread_key.in_(wanted))
    )
    if agent is not None:
        query = query.where(ConversationRow.agent == agent)
    with services.db.session() as session:
        found = {key: conversation for key, conversation in session.execute(query).all()}
    return next((found[key] for key in wanted if key in found), None)


def record_thread(
    services: Services, channel: str, key: str, conversation_id: str, *, address: str | None = None
) -> None:
    """Remember that `key` continues `conversation_id`; a key already known keeps its first conversation."""
    with services.db.session() as session:
        known = session.scalars(
            select(ChannelThreadRow.id).where(ChannelThreadRow.channel == channel, ChannelThreadRow.thread_key == key)
        ).first()
        if known is None:
            session.add(
                ChannelThreadRow(
                    channel=channel,
                    thread_key=key,
                    conversation_id=conversation_id,
                    address=address,
                    created_at=datetime.now(UTC),
                )
            )


def threads_of(services: Services, channel: str, conversation_id: str) -> list[ChannelThreadRow]:
    """The conversation's keys on `channel`, oldest first."""
    with services.db.session() as session:
        return list(
            session.scalars(
                select(ChannelThreadRow)
                .where(ChannelThreadRow.channel == channel, ChannelThreadRow.conversation_id == conversation_id)
                .order_by(ChannelThreadRow.id)
            ).all()
        )
