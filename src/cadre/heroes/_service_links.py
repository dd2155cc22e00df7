"""Reset-access links: HMAC-signed, expiring tokens, mailed to the address on file and never shown in the chat."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from cadre.errors import CadreError
from cadre.settings import Settings

RESET_URL = "https://app.halyard.example/reset-access?token={token}"
KEY_FILE = "service-reset-links.key"


class ResetLinkError(CadreError):
    """A reset token is malformed, forged or expired, or the link could not be mailed."""


def signing_key(home: Path) -> bytes:
    """The installation's own key, created on first use and readable by its owner only."""
    path = home / "secrets" / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()


def sign_reset_token(key: bytes, *, email: str, subject: str, expires: datetime) -> str:
    """A token naming whose access it resets (`subject`, a customer or contact id) and until when."""
    payload = json.dumps({"e": email, "s": subject, "x": int(expires.timestamp())}, separators=(",", ":"))
    body = _b64(payload.encode())
    return f"{body}.{_b64(_mac(key, body))}"


def read_reset_token(key: bytes, token: str, *, now: datetime) -> dict[str, str]:
    """The email and subject of a valid token; a forged or expired one is refused."""
    body, _, signature = token.partition(".")
    if not body or not signature or not hmac.compare_digest(_b64(_mac(key, body)), signature):
        raise ResetLinkError("a reset token must carry this installation's signature, got a forged or broken one")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if payload["x"] < now.timestamp():
        raise ResetLinkError(f"a reset token must be used before it expires, got one that expired at {payload['x']}")
    return {"email": payload["e"], "subject": payload["s"]}


def mail_reset_link(settings: Settings, *, to: str, name: str, link: str, minutes: int) -> None:
    """Deliver the link by SMTP to the address on file; a failure is an error, never a link shown instead."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = "Reset your Halyard Cloud access"
    message.set_content(
        f"Hello {name},\n\nUse this link to reset your access to Halyard Cloud. It works for {minutes} minutes:\n\n"
        f"{link}\n\nIf you did not ask for it, ignore this email: nothing changes until the link is used.\n"
    )
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user and settings.smtp_password:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise ResetLinkError(
            f"the reset link must reach the address on file, but SMTP {settings.smtp_host}:{settings.smtp_port} "
            f"failed: {exc}"
        ) from exc


def reset_expiry(now: datetime, minutes: int) -> datetime:
    return now + timedelta(minutes=minutes)


def _mac(key: bytes, body: str) -> bytes:
    return hmac.new(key, body.encode(), hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
