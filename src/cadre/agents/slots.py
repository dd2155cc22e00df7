"""Slot extraction for the offline engine: ids, emails, phone numbers, dates and amounts found in a message.

Every value is validated before it is offered to an action (an email must look deliverable, a date must exist),
so the engine asks again rather than calling an action with garbage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from cadre.agents.actions import SlotKind

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?![\w-])")
# Ids are a prefix and digits: ORD-10421, INV-2026-0042, CASE-778, CUS-00123 (and the same without the dash).
IDS: dict[SlotKind, re.Pattern[str]] = {
    "order_id": re.compile(r"\b(?:ORD|ORDER|SUB)[-_ ]?\d[\d-]{2,}\b", re.IGNORECASE),
    "invoice_id": re.compile(r"\bINV[-_ ]?\d[\d-]{2,}\b", re.IGNORECASE),
    "case_id": re.compile(r"\b(?:CASE|CS|TICKET)[-_ ]?\d{2,}\b", re.IGNORECASE),
    "customer_id": re.compile(r"\b(?:CUS|CUST|ACC|ACCT)[-_ ]?\d{2,}\b", re.IGNORECASE),
}
PHONE = re.compile(r"(?<![\w])\+?\d[\d ().-]{6,}\d(?![\w])")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
DMY_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
JA_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
AMOUNT = re.compile(
    r"(?:[$€£¥]\s?(?P<a>\d[\d,.' ]*\d|\d))"
    r"|(?:(?P<b>\d[\d,.' ]*\d|\d)\s?(?:[$€£¥]|EUR|USD|GBP|JPY|円|ユーロ|ドル))"
)


@dataclass(frozen=True)
class SlotValue:
    kind: SlotKind
    value: str
    start: int
    end: int


def extract_slots(text: str) -> list[SlotValue]:
    """Every slot value in `text`, in order of appearance; ids are normalised to upper case with a dash."""
    found: list[SlotValue] = []
    taken: list[tuple[int, int]] = []

    def add(kind: SlotKind, value: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(SlotValue(kind, value, start, end))

    for match in EMAIL.finditer(text):
        add("email", match.group().lower(), match.start(), match.end())
    for kind, pattern in IDS.items():
        for match in pattern.finditer(text):
            add(kind, _normalise_id(match.group()), match.start(), match.end())
    for match in ISO_DATE.finditer(text):
        _add_date(add, match, int(match[1]), int(match[2]), int(match[3]))
    for match in DMY_DATE.finditer(text):
        _add_date(add, match, int(match[3]), int(match[2]), int(match[1]))
    for match in JA_DATE.finditer(text):
        _add_date(add, match, int(match[1]), int(match[2]), int(match[3]))
    for match in AMOUNT.finditer(text):
        number = _amount(match.group("a") or match.group("b") or "")
        if number is not None:
            add("amount", number, match.start(), match.end())
    for match in PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        looks_like_date = ISO_DATE.fullmatch(match.group().strip()) or DMY_DATE.fullmatch(match.group().strip())
        if 8 <= len(digits) <= 15 and not looks_like_date:
            add("phone", ("+" if match.group().startswith("+") else "") + digits, match.start(), match.end())
    return sorted(found, key=lambda s: s.start)


def _normalise_id(raw: str) -> str:
    match = re.match(r"([A-Za-z]+)[-_ ]?(.*)", raw)
    assert match is not None
    return f"{match[1].upper()}-{match[2]}"


def _add_date(
    add: Callable[[SlotKind, str, int, int], None], match: re.Match[str], year: int, month: int, day: int
) -> None:
    try:
        value = date(year, month, day)
    except ValueError:
        return
    add("date", value.isoformat(), match.start(), match.end())


def _amount(raw: str) -> str | None:
    cleaned = raw.replace(" ", "").replace("'", "")
    # "1.234,56" and "1,234.56": the last separator followed by exactly two digits is the decimal point.
    decimal_sep = None
    if re.search(r"[.,]\d{2}$", cleaned):
        decimal_sep = cleaned[-3]
    whole, _, cents = cleaned.rpartition(decimal_sep) if decimal_sep else (cleaned, "", "")
    whole = re.sub(r"[.,]", "", whole)
    try:
        return str(Decimal(f"{whole}.{cents}" if cents else whole))
    except InvalidOperation:
        return None


# What an identifier says about a message's topic, once its digits are gone: "add this to CS000147" is about a
# case, and routing loses that if the id simply disappears.
ID_MEANING: dict[SlotKind, str] = {
    "order_id": "order number",
    "invoice_id": "invoice number",
    "case_id": "case number",
    "customer_id": "customer number",
}


def without_values(text: str, *, name_ids: bool = False) -> str:
    """`text` with its slot values (addresses, ids, dates, amounts, phone numbers) taken out, or with `name_ids`
    ids replaced by what they are: what is left says what the message is about. The text itself when nothing
    else is left (a bare answer such as an address)."""
    words = text
    for slot in reversed(extract_slots(text)):
        meaning = ID_MEANING.get(slot.kind, "") if name_ids else ""
        words = words[: slot.start] + f" {meaning} " + words[slot.end :]
    words = " ".join(words.split())
    return words if any(ch.isalnum() for ch in words) else text


def match_choice(choices: tuple[str, ...], text: str) -> str | None:
    """The one choice `text` names as a word or phrase (case, `-`, `_` and spaces alike); None if none or several."""
    haystack = f" {_plain(text)} "
    named = [c for c in choices if f" {_plain(c)} " in haystack]
    return named[0] if len(named) == 1 else None


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def valid(kind: SlotKind, value: str) -> bool:
    """Whether `value` is acceptable as a `kind` slot when the customer typed it as a bare answer."""
    if kind == "email":
        return EMAIL.fullmatch(value) is not None
    if kind in IDS:
        return IDS[kind].fullmatch(value) is not None
    if kind == "text":
        return bool(value.strip())
    return any(s.kind == kind for s in extract_slots(value))
