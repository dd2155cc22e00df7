"""Reversible PII masking: swap detected values for placeholders such as `[EMAIL_ADDRESS_1]`, and back.

Which types are swapped is a policy apart from detection (`masked_types`): by default what identifies a
person (`DEFAULT_MASKED`), while places, organisations, dates and the like stay for the model to read.

Placeholders are made of capitals, digits, underscores and square brackets only, so a model can echo them
in prose or inside JSON strings (tool-call arguments) without escaping, and a detector never reads one as
personal data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, ValidationError

from cadre.errors import CadreError, ConfigError
from cadre.guardrails.pii import DEFAULT_MASKED, PII_TYPES, PiiSpan, PiiType

PLACEHOLDER = re.compile(r"\[([A-Z][A-Z_]*)_(\d+)\]")
_FORMAT_VERSION = 1


class MaskingError(CadreError):
    """Spans do not belong to the text being masked, or a stored vault cannot be read."""


def masked_types(*, visible: Collection[str] = (), also: Collection[str] = ()) -> frozenset[PiiType]:
    """The types replaced before a model sees text: `DEFAULT_MASKED`, plus `also`, less `visible`.

    `visible` names types an agent's spec lets its model read (a concierge that greets people by name makes
    PERSON visible); `also` names descriptive types a stricter deployment hides too (LOCATION, DATE_TIME)."""
    unknown = sorted((set(visible) | set(also)) - set(PII_TYPES))
    if unknown:
        raise ConfigError(f"PII types must be among {list(PII_TYPES)!r}, got {unknown!r}")
    return frozenset(t for t in PII_TYPES if (t in DEFAULT_MASKED or t in also) and t not in visible)


class _VaultEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    placeholder: str
    type: str
    value: str


class _VaultFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    entries: list[_VaultEntry]


@dataclass
class PiiVault:
    """Placeholder <-> original value. The same value always gets the same placeholder within a vault.

    One vault per conversation: placeholders are numbered per type in order of first sight, and the runtime
    persists the vault between turns with `to_json()` / `from_json()`."""

    # Never in repr: a vault printed into a log would leak every value it protects.
    _by_placeholder: dict[str, tuple[str, str]] = field(default_factory=dict, init=False, repr=False)
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False)

    def __len__(self) -> int:
        return len(self._by_placeholder)

    def placeholder_for(self, pii_type: str, value: str, *, avoid: str = "") -> str:
        """The value's placeholder, allocating the next free number of its type on first sight.

        A number whose placeholder already occurs literally in `avoid` (the text being masked) is skipped,
        so unmasking can never confuse the user's own "[PERSON_1]" with a value Cadre masked."""
        known = self._by_value.get((pii_type, value))
        if known is not None:
            return known
        number = 1 + sum(1 for kind, _ in self._by_placeholder.values() if kind == pii_type)
        while (placeholder := f"[{pii_type}_{number}]") in self._by_placeholder or placeholder in avoid:
            number += 1
        self._by_placeholder[placeholder] = (pii_type, value)
        self._by_value[(pii_type, value)] = placeholder
        return placeholder

    def lookup(self, placeholder: str) -> tuple[str, str] | None:
        """(type, original value) of a placeholder this vault issued, or None."""
        return self._by_placeholder.get(placeholder)

    def to_json(self) -> str:
        entries = [
            _VaultEntry(placeholder=p, type=kind, value=value) for p, (kind, value) in self._by_placeholder.items()
        ]
        return _VaultFile(version=_FORMAT_VERSION, entries=entries).model_dump_json()

    @classmethod
    def from_json(cls, data: str | bytes) -> PiiVault:
        try:
            stored = _VaultFile.model_validate_json(data)
        except ValidationError as error:
            raise MaskingError(
                f"a stored PII vault must be valid vault JSON, got {error.error_count()} errors"
            ) from error
        if stored.version != _FORMAT_VERSION:
            raise MaskingError(f"a stored PII vault must have version {_FORMAT_VERSION}, got {stored.version!r}")
        vault = cls()
        for entry in stored.entries:
            match = PLACEHOLDER.fullmatch(entry.placeholder)
            if match is None or match.group(1) != entry.type or entry.type not in PII_TYPES:
                raise MaskingError(f"a vault placeholder must look like '[TYPE_N]', got {entry.placeholder!r}")
            vault._by_placeholder[entry.placeholder] = (entry.type, entry.value)
            vault._by_value[(entry.type, entry.value)] = entry.placeholder
        return vault


def mask(text: str, spans: Sequence[PiiSpan], vault: PiiVault) -> str:
    """`text` with every span replaced by its placeholder; spans over an existing placeholder are skipped.

    Spans must come from this text (a detector's output): each span's `text` must equal `text[start:end]`
    and spans must not overlap."""
    protected = [m.span() for m in PLACEHOLDER.finditer(text)]
    pieces: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: s.start):
        if text[span.start : span.end] != span.text or span.start < cursor:
            raise MaskingError(
                f"spans must be disjoint slices of the masked text, got {span.type} {span.text!r} "
                f"at {span.start}:{span.end}"
            )
        if any(span.start < end and start < span.end for start, end in protected):
            continue
        pieces += [text[cursor : span.start], vault.placeholder_for(span.type, span.text, avoid=text)]
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def unmask(text: str, vault: PiiVault, *, allowed: Callable[[str], bool] | None = None) -> str:
    """Restore the originals of the vault's placeholders in `text` (a model's reply).

    A placeholder whose type the reader may not see (`allowed(type)` is False) stays masked; one the vault
    never issued (a model invented it) is left as it is."""
    return _restore(text, vault, allowed, escape=lambda value: value)


def unmask_json(text: str, vault: PiiVault, *, allowed: Callable[[str], bool] | None = None) -> str:
    """`unmask` for JSON text such as tool-call arguments: values are escaped for a JSON string.

    Placeholders need no escaping, so inside valid JSON they only occur within strings; an original with a
    quote, a backslash or a line break ("12 Main St\\nSpringfield") is written so the JSON stays valid."""
    return _restore(text, vault, allowed, escape=lambda value: json.dumps(value, ensure_ascii=False)[1:-1])


def _restore(text: str, vault: PiiVault, allowed: Callable[[str], bool] | None, *, escape: Callable[[str], str]) -> str:
    def original(match: re.Match[str]) -> str:
        found = vault.lookup(match.group())
        if found is None or (allowed is not None and not allowed(found[0])):
            return match.group()
        return escape(found[1])

    return PLACEHOLDER.sub(original, text)
