"""Input limits: a message must be text a person could have written, and not too long to handle."""

from __future__ import annotations

import unicodedata

from cadre.errors import CadreError


class InputRejected(CadreError):
    """A message breaks an input limit; nothing was stored and the sender can fix and resend it."""


# Control characters other than tab and newlines never belong in a chat message; they smuggle hidden text.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def check_input(message: str | bytes, *, max_chars: int) -> str:
    """The message as clean text (NFC, no control or private-use characters), or `InputRejected` saying why."""
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputRejected(f"the message must be UTF-8 text, got undecodable bytes at offset {exc.start}") from exc
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in message):
        raise InputRejected("the message must be valid Unicode text, got unpaired surrogates")
    text = unicodedata.normalize("NFC", message)
    text = "".join(ch for ch in text if ch in _ALLOWED_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cf", "Co"))
    if not text.strip():
        raise InputRejected("the message is empty")
    if len(text) > max_chars:
        raise InputRejected(
            f"the message must be at most {max_chars:,} characters, got {len(text):,}",
            hint="shorten it or split it into several messages",
        )
    return text
