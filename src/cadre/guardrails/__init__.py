"""Guardrails: input limits, prompt-injection detection, PII detection and reversible masking, grounding.

Names load on first use: the detectors bring word lists and a classifier, and most commands need none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cadre.guardrails.grounding import Grounding, check_grounding
    from cadre.guardrails.injection import InjectionDetector, InjectionVerdict, InputKind
    from cadre.guardrails.limits import InputRejected, check_input
    from cadre.guardrails.masking import PiiVault, mask, unmask
    from cadre.guardrails.pii import PiiDetector, PiiSpan, detect_pii

_HOMES = {
    "Grounding": "grounding",
    "check_grounding": "grounding",
    "InjectionDetector": "injection",
    "InjectionVerdict": "injection",
    "InputKind": "injection",
    "InputRejected": "limits",
    "check_input": "limits",
    "PiiVault": "masking",
    "mask": "masking",
    "unmask": "masking",
    "PiiDetector": "pii",
    "PiiSpan": "pii",
    "detect_pii": "pii",
}
__all__ = [
    "Grounding",
    "InjectionDetector",
    "InjectionVerdict",
    "InputKind",
    "InputRejected",
    "PiiDetector",
    "PiiSpan",
    "PiiVault",
    "check_grounding",
    "check_input",
    "detect_pii",
    "mask",
    "unmask",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'cadre.guardrails' has no attribute {name!r}")
    return getattr(importlib.import_module(f"cadre.guardrails.{_HOMES[name]}"), name)
