"""Field masks applied to values a principal may see only in part."""

from __future__ import annotations

import hashlib
from typing import Any, assert_never

from cadre.data.models import MaskKind


def mask_value(value: Any, kind: MaskKind) -> Any:
    """The masked form of `value`; `None` stays `None` so missing data still reads as missing."""
    if value is None:
        return None
    text = str(value)
    if kind == "email":
        return mask_email(text)
    if kind == "phone":
        digits = [c for c in text if c.isdigit()]
        return "***" + "".join(digits[-4:]) if len(digits) > 4 else "***"
    if kind == "partial":
        return text[0] + "*" * (len(text) - 2) + text[-1] if len(text) > 2 else "*" * len(text)
    if kind == "redact":
        return "[redacted]"
    if kind == "hash":
        return "h:" + hashlib.sha256(text.encode()).hexdigest()[:16]
    assert_never(kind)


def mask_email(email: str) -> str:
    """`jane.doe@example.com` -> `j***@example.com`: the domain stays useful, the person does not show."""
    local, at, domain = email.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"
