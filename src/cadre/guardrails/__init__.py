"""Guardrails: input limits, prompt-injection detection, PII detection and reversible masking, grounding."""

from cadre.guardrails.grounding import Grounding, check_grounding
from cadre.guardrails.injection import InjectionDetector, InjectionVerdict, InputKind
from cadre.guardrails.limits import InputRejected, check_input
from cadre.guardrails.masking import PiiVault, mask, unmask
from cadre.guardrails.pii import PiiDetector, PiiSpan, detect_pii

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
