"""Errors of the access part."""

from __future__ import annotations

from cadre.errors import CadreError


class AccessError(CadreError):
    """A key, user or role is malformed, unknown or revoked."""
