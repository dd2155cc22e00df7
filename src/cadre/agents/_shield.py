"""What a model may see of a conversation: PII replaced by placeholders on the way in, restored on the way out.

One vault per conversation keeps placeholders stable across turns, so "[EMAIL_ADDRESS_1]" means the same
address in the third turn as in the first, and the model can pass it to an action that needs the real value.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from cadre.guardrails.masking import PiiVault, mask, masked_types, unmask
from cadre.guardrails.pii import PiiDetector

MAX_PLACEHOLDER = 24  # "[STREET_ADDRESS_123]" and the like


class PiiShield:
    def __init__(self, stored: dict[str, Any], *, visible: Collection[str] = (), language: str | None = None) -> None:
        self.vault = PiiVault.from_json(stored["vault"]) if stored.get("vault") else PiiVault()
        self._detector = PiiDetector(types=masked_types(visible=visible))
        self._language = language
        self.masked = 0

    def mask_text(self, text: str) -> str:
        spans = self._detector.detect(text, language=self._language)
        self.masked += len(spans)
        return mask(text, spans, self.vault) if spans else text

    def mask_value(self, value: Any) -> Any:
        """Every string inside a JSON-able value (an action's result) masked."""
        return _each_string(value, self.mask_text)

    def redact_unknown(self, text: str, published: str) -> tuple[str, int]:
        """`text` with personal data that is neither a placeholder nor in `published` replaced by "[redacted]"."""
        spans = [s for s in self._detector.detect(text, language=self._language) if s.text not in published]
        for span in reversed(spans):
            text = text[: span.start] + "[redacted]" + text[span.end :]
        return text, len(spans)

    def unmask_text(self, text: str) -> str:
        return unmask(text, self.vault)

    def unmask_value(self, value: Any) -> Any:
        """Arguments a model wrote with placeholders, restored before the action runs."""
        return _each_string(value, self.unmask_text)

    def unmasking_stream(self, on_text: Callable[[str], None]) -> Callable[[str], None]:
        """Stream deltas to `on_text` with placeholders restored; a placeholder split across deltas is held back
        until it is whole (the stream's end flushes nothing: the final reply is delivered unmasked anyway)."""
        pending = ""

        def deliver(delta: str) -> None:
            nonlocal pending
            text = pending + delta
            cut = text.rfind("[")
            if cut != -1 and "]" not in text[cut:] and len(text) - cut <= MAX_PLACEHOLDER:
                pending, text = text[cut:], text[:cut]
            else:
                pending = ""
            if text:
                on_text(self.unmask_text(text))

        return deliver

    def stored(self) -> dict[str, Any]:
        return {"vault": self.vault.to_json()} if len(self.vault) else {}


def _each_string(value: Any, change: Callable[[str], str]) -> Any:
    """`value` (JSON-able) with `change` applied to every string in it, however deeply nested."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_each_string(v, change) for v in value]
    if isinstance(value, dict):
        return {k: _each_string(v, change) for k, v in value.items()}
    return value
