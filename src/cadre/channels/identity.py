"""Who wrote: a channel's sender (an e-mail address, a Slack user, a signed-in web visitor) as one unified profile.

A person is found by e-mail in the catalog's identity whose members carry one (CRM contacts, leads, …), then
through the identity links that resolution stored. What a channel learned is remembered in `channel_identities`,
so that the same person on web, Slack and e-mail continues one conversation with an agent.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from cadre.channels.tables import ChannelIdentityRow
from cadre.data.catalog import entity as catalog_entity
from cadre.data.identity import RESOLVE_PURPOSE, IdentityService
from cadre.errors import CadreError, ConfigError

if TYPE_CHECKING:
    from cadre.server.services import Services

LOOKUP_PRINCIPAL = "role:admin"  # the lookup is the platform's own, audited under the resolution purpose
EMAIL_FIELD = "email"  # the identity's common field (and the user directory's field) that holds an e-mail address
PRINCIPAL_PURPOSE = "identify_principal"


class IdentityRefused(CadreError):
    """A channel's claim of who its visitor is could not be checked or did not hold."""


def widget_hash(secret: str, email: str) -> str:
    """What a web page puts in `data-user-hash` for its signed-in visitor: HMAC-SHA256 of the lower-cased e-mail."""
    return hmac.new(secret.encode(), normalise_email(email).encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def verified_web_person(services: Services, email: str, hash: str) -> str | None:
    """The unified profile of a web page's signed-in visitor, once the page's signature of the e-mail holds."""
    secret = services.settings.widget_secret
    if secret is None:
        raise IdentityRefused(
            "a signed web visitor needs `CADRE_WIDGET_SECRET` to be set, got no secret",
            hint="set CADRE_WIDGET_SECRET on the server and sign visitors' e-mails with it",
        )
    if not email.strip():
        raise IdentityRefused("`user.email` must be an e-mail address, got an empty string")
    expected = widget_hash(secret.get_secret_value(), email)
    if not hmac.compare_digest(expected, hash.strip().lower()):
        raise IdentityRefused(
            f"`user.hash` must be the HMAC-SHA256 of the lower-cased e-mail with the widget secret, "
            f"got a hash that does not match {normalise_email(email)!r}"
        )
    return person_for(services, "web", normalise_email(email), email=email)


def person_for_email(services: Services, email: str) -> str | None:
    """The unified profile whose records carry `email`, or None when no resolved record does."""
    address = normalise_email(email)
    if not address:
        return None
    profiles, _ = IdentityService(services.data).profiles_with(
        EMAIL_FIELD, list(dict.fromkeys([address, email.strip()])), principal=LOOKUP_PRINCIPAL, purpose=RESOLVE_PURPOSE
    )
    return profiles[0] if profiles else None


def principal_for_email(services: Services, email: str) -> str | None:
    """The staff member (`user:ID` in the policy file's user directory) whose directory entry carries `email`."""
    data = services.data
    directory = data.policies.principals.users
    if directory is None:
        return None
    mapping = catalog_entity(data.catalog, directory.entity)
    if EMAIL_FIELD not in mapping.fields or not email.strip():
        return None
    found = data.get(
        directory.entity,
        principal=LOOKUP_PRINCIPAL,
        purpose=PRINCIPAL_PURPOSE,
        where={EMAIL_FIELD: list(dict.fromkeys([normalise_email(email), email.strip()]))},
        fields=[directory.key],
        limit=2,
    )
    # Two directory entries with one address cannot tell who is writing: nobody is better than the wrong one.
    return f"user:{found.rows[0][directory.key]}" if len(found.rows) == 1 else None


def person_for(
    services: Services,
    channel: str,
    external_id: str,
    *,
    email: str | None = None,
    principal: str | None = None,
) -> str | None:
    """The person behind `external_id` on `channel`: looked up by `email` when the channel knows it (and
    remembered), else what was remembered before. `principal` is remembered beside it (a seller on Slack)."""
    if channel not in ("api", "web", "slack", "email"):
        raise ConfigError(f"channel must be one of api, web, slack, email, got {channel!r}")
    remembered = remembered_identity(services, channel, external_id)
    if email is None:
        if principal is not None:
            remember(
                services,
                channel,
                external_id,
                person_id=remembered.person_id if remembered else None,
                principal=principal,
            )
        return remembered.person_id if remembered else None
    person = person_for_email(services, email)
    remember(
        services,
        channel,
        external_id,
        person_id=person,
        principal=principal if principal is not None else (remembered.principal if remembered else None),
    )
    return person


def remembered_identity(services: Services, channel: str, external_id: str) -> ChannelIdentityRow | None:
    with services.db.session() as session:
        return session.scalars(
            select(ChannelIdentityRow).where(
                ChannelIdentityRow.channel == channel, ChannelIdentityRow.external_id == external_id
            )
        ).first()


def remember(
    services: Services, channel: str, external_id: str, *, person_id: str | None, principal: str | None
) -> None:
    now = datetime.now(UTC)
    with services.db.session() as session:
        row = session.scalars(
            select(ChannelIdentityRow).where(
                ChannelIdentityRow.channel == channel, ChannelIdentityRow.external_id == external_id
            )
        ).first()
        if row is None:
            session.add(
                ChannelIdentityRow(
                    channel=channel,
                    external_id=external_id,
                    person_id=person_id,
                    principal=principal,
                    created_at=now,
                    updated_at=now,
                )
            )
            return
        row.person_id = person_id
        row.principal = principal
        row.updated_at = now
