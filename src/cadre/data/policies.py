"""Governance decisions: who is asking, and which policy (if any) lets them read what."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cadre.data.models import EntityMapping, MaskKind, Operation, Policy, PolicySet, Principal
from cadre.errors import PolicyDenied, PolicyError, UnknownPrincipal
from cadre.yamlfile import load_model, parse_model

PRINCIPAL_FORM = re.compile(r"^(role|user|agent):([A-Za-z0-9_.@\-]+)$")
TEMPLATE = re.compile(r"\{principal\.([A-Za-z_][A-Za-z0-9_]*)\}")

UserLookup = Callable[[str], "dict[str, str] | None"]


# Until someone writes a policy file, only the installation's operators (role:admin) may read anything.
DEFAULT_POLICIES = PolicySet(
    roles={"admin": "Operators of this Cadre installation"},
    policies=[
        Policy(
            name="default-admin-only",
            description="No policy file yet: administrators only.",
            principals=["role:admin"],
            purposes=["*"],
            entity="*",
        )
    ],
)


def load_policies(path: Path) -> PolicySet:
    """The policy file at `path`, or the admin-only default when there is none yet."""
    if not path.exists():
        return DEFAULT_POLICIES
    return load_model(path, PolicySet, what="policy file", error=PolicyError)


def parse_policies(text: str) -> PolicySet:
    return parse_model(text, PolicySet, what="policy file", error=PolicyError)


def resolve_principal(ref: str, policies: PolicySet, lookup_user: UserLookup) -> Principal:
    """Turn `role:NAME`, `agent:NAME` or `user:KEY` into a principal with its roles and attributes."""
    match = PRINCIPAL_FORM.match(ref)
    if match is None:
        raise UnknownPrincipal(f"principal must look like `role:NAME`, `agent:NAME` or `user:KEY`, got {ref!r}")
    kind, name = match.groups()
    if kind == "role":
        if name not in policies.roles:
            raise UnknownPrincipal(
                f"role {name!r} is not defined (roles: {', '.join(sorted(policies.roles))})",
                hint="add it under `roles:` in the policy file (`CADRE_POLICIES_PATH`)",
            )
        return Principal(ref=ref, roles=(name,))
    if kind == "agent":
        agent = policies.principals.agents.get(name)
        if agent is None:
            known = ", ".join(sorted(policies.principals.agents)) or "none"
            raise UnknownPrincipal(
                f"agent {name!r} is not a known principal (agents: {known})",
                hint="add it under `principals.agents` in the policy file",
            )
        return Principal(ref=ref, roles=tuple(agent.roles))
    directory = policies.principals.users
    if directory is None:
        raise UnknownPrincipal(
            f"user principals are not configured, so {ref!r} is unknown",
            hint="add `principals.users` to the policy file",
        )
    record = lookup_user(name)
    if record is None:
        raise UnknownPrincipal(f"no user with {directory.key} = {name!r} in entity `{directory.entity}`")
    role = record.get(directory.role_field)
    attributes = {a: str(record[a]) for a in directory.attributes if record.get(a) is not None}
    return Principal(ref=ref, roles=(str(role),) if role else (), attributes=attributes)


@dataclass(frozen=True)
class Grant:
    """What one policy lets a principal read of one entity for one purpose."""

    policy: Policy
    fields: tuple[str, ...]
    row_filter: dict[str, str] = field(default_factory=dict)
    mask: dict[str, MaskKind] = field(default_factory=dict)

    def require_fields(self, wanted: list[str], entity: str, *, why: str = "read") -> None:
        refused = [f for f in wanted if f not in self.fields]
        if refused:
            raise PolicyDenied(
                f"policy {self.policy.name!r} does not allow {why} field(s) {refused} of `{entity}` "
                f"(allowed: {', '.join(self.fields)})"
            )


def authorize(
    policies: PolicySet,
    principal: Principal,
    *,
    purpose: str,
    entity_name: str,
    entity: EntityMapping,
    operation: Operation = "read",
) -> Grant:
    """The first policy, in file order, that matches; none matching is a denial."""
    for policy in policies.policies:
        if policy.entity != entity_name and policy.entity != "*":
            continue
        if operation not in policy.operations:
            continue
        if "*" not in policy.purposes and purpose not in policy.purposes:
            continue
        if not any(principal.matches(p) for p in policy.principals):
            continue
        return Grant(
            policy=policy,
            fields=tuple(entity.fields)
            if policy.fields == "*"
            else tuple(f for f in policy.fields if f in entity.fields),
            row_filter=_row_filter(policy, principal),
            mask=dict(policy.mask),
        )
    roles = ", ".join(principal.roles) or "none"
    raise PolicyDenied(
        f"no policy lets {principal.ref} (roles: {roles}) {operation} `{entity_name}` for purpose {purpose!r}",
        hint="denied by default; add a policy to the policy file if this access is intended",
    )


def _row_filter(policy: Policy, principal: Principal) -> dict[str, str]:
    resolved: dict[str, str] = {}
    for field_name, template in policy.rows.items():

        def substitute(match: re.Match[str]) -> str:
            attribute = match.group(1)
            if attribute not in principal.attributes:
                raise PolicyDenied(
                    f"policy {policy.name!r} filters rows by `principal.{attribute}`, "
                    f"which {principal.ref} does not have"
                )
            return principal.attributes[attribute]

        resolved[field_name] = TEMPLATE.sub(substitute, template)
    return resolved
