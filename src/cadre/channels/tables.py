"""Tables the channels part owns: feedback on turns, external threads, and who a channel's sender is.

A thread row maps a channel's own thread key (an e-mail Message-ID, a Slack `channel:thread_ts`) to the
conversation it continues, so a reply on that channel lands in the same conversation. An identity row remembers
which unified profile (and which principal) a channel's sender id is, once it has been established.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cadre.store.base import Base


class FeedbackRow(Base):
    __tablename__ = "turn_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    turn_id: Mapped[str | None] = mapped_column(String(36), index=True)  # None: about the whole conversation
    csat: Mapped[int | None] = mapped_column(Integer)  # 1..5
    thumbs: Mapped[str | None] = mapped_column(String(4))  # up | down
    comment: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ChannelThreadRow(Base):
    __tablename__ = "channel_threads"
    __table_args__ = (UniqueConstraint("channel", "thread_key", name="uq_channel_threads_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    thread_key: Mapped[str] = mapped_column(String(500))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    address: Mapped[str | None] = mapped_column(String(320))  # where replies go: an e-mail address, a Slack channel
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChannelIdentityRow(Base):
    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_channel_identities_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(320))  # an e-mail address, a Slack user id, a web visitor id
    person_id: Mapped[str | None] = mapped_column(String(100), index=True)
    principal: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
