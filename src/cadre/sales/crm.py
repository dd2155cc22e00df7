"""Keep the CRM's lead status in step with the SDR's work, through the governed, audited write path."""

from __future__ import annotations

import logging
from datetime import datetime

from cadre.data.service import DataService
from cadre.errors import CadreError
from cadre.sales.leads import PRINCIPAL, PURPOSE

logger = logging.getLogger(__name__)


def set_lead_status(data: DataService, lead_id: str, status: str, *, now: datetime) -> str | None:
    """Write `status` on the lead; the error text when the CRM (or its policy) refuses.

    A refused status update must not undo an e-mail already sent or a meeting already booked, so it is logged and
    reported rather than raised: the SDR's own store stays the record of what was done."""
    values: dict[str, str | int | float | bool | None] = {
        "status": status,
        "updated_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    try:
        data.update("Lead", lead_id, values, principal=PRINCIPAL, purpose=PURPOSE)
    except CadreError as exc:
        logger.warning("lead %s status not updated to %s: %s", lead_id, status, exc.one_line())
        return exc.one_line()
    return None
