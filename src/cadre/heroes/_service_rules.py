"""The Service agent's limits: when it acts alone and when a person of which queue takes over."""

from __future__ import annotations

from decimal import Decimal

from cadre.errors import PolicyDenied

# Wrong second facts (or unknown emails) tolerated before a person verifies the customer instead.
MAX_VERIFICATION_FAILURES = 3

# The help centre ("Charged twice? How duplicate charges are refunded") refunds a confirmed duplicate charge in
# full to the original card, and refunds nothing else ("Cancel a subscription", "Reduce the number of seats": no
# refunds for unused terms or seats). The agent files duplicate-charge refunds alone only up to these amounts and
# for payments this recent; everything else is the billing team's decision, never the agent's refusal.
REFUND_LIMITS: dict[str, Decimal] = {
    "USD": Decimal("2500"),
    "EUR": Decimal("2500"),
    "GBP": Decimal("2000"),
    "BRL": Decimal("12500"),
    "JPY": Decimal("375000"),
}
REFUND_WINDOW_DAYS = 60
BILLING_QUEUE = "billing"
SUPPORT_QUEUE = "support"

RESET_LINK_MINUTES = 30


class NeedsPerson(PolicyDenied):
    """The agent may not go on alone (identity unproven, a link it could not send): being a `PolicyDenied`, it
    makes the runtime hand the conversation to a person of the agent's escalation queue."""
