"""The key that signs console sessions: `CADRE_SECRET_KEY`, or one generated once and kept under `CADRE_HOME`."""

from __future__ import annotations

import os
import secrets

from cadre.settings import Settings

SECRET_FILE = "secret_key"


def session_secret(settings: Settings) -> str:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = settings.resolved_home / SECRET_FILE
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # Written with owner-only permissions from the start: a session key readable by others is a login for them.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret)
    return secret
