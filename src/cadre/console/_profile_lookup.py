"""Find unified profiles by e-mail, and read one as the signed-in console user, through the data layer's governance.

A console user reads company data as principal `console:<username>` holding their console role, so the policy
file decides what each role sees, and the audit log names the person who looked.
"""

from __future__ import annotations

from cadre.access.roles import Role
from cadre.data.identity import IdentityService
from cadre.data.models import Principal
from cadre.data.profiles import UnifiedProfile, assemble_profile
from cadre.data.service import DataService

PURPOSE = "profile_review"
EMAIL = "email"  # the identity field that holds an e-mail address, where an identity compares one


def console_principal(username: str, role: Role) -> Principal:
    return Principal(ref=f"console:{username}", roles=(role,))


def profiles_with_email(data: DataService, email: str, principal: Principal) -> tuple[list[str], list[str]]:
    """Profile ids whose records carry `email`, and the entities the principal may not search."""
    return IdentityService(data).profiles_with(EMAIL, [email], principal=principal, purpose=PURPOSE)


def read_profile(data: DataService, profile_id: str, principal: Principal) -> UnifiedProfile:
    """The profile as this principal may see it: entities they may not read are named, not shown."""
    return assemble_profile(data, profile_id, principal=principal, purpose=PURPOSE, partial=True)
