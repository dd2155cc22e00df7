"""The data layer's domain types: sources, the semantic catalog, principals and policies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SourceKind = Literal["sqlite", "postgres", "mysql", "parquet", "csv", "s3", "iceberg", "delta"]
ComparisonKind = Literal["name", "email", "phone", "text", "exact", "date", "postcode"]
MaskKind = Literal["email", "phone", "partial", "redact", "hash"]
Operation = Literal["read", "write"]

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _check_identifier(value: str, what: str) -> str:
    if not IDENTIFIER.match(value):
        raise ValueError(f"{what} must be letters, digits and `_` (not starting with a digit), got {value!r}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- semantic catalog


class FieldMapping(_Strict):
    """An entity field read from one source column."""

    column: str
    description: str | None = None


class EntityMapping(_Strict):
    """An entity (Account, Contact, …) mapped onto one table of one source, read in place."""

    source: str
    table: str
    key: str = Field(description="The entity field that identifies a record.")
    updated_at: str | None = Field(default=None, description="The entity field that tells a record's freshness.")
    description: str | None = None
    fields: dict[str, FieldMapping]

    @field_validator("fields", mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # `name: column` is shorthand for `name: {column: column}`.
        if isinstance(value, dict):
            return {k: {"column": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("fields")
    @classmethod
    def _field_names(cls, value: dict[str, FieldMapping]) -> dict[str, FieldMapping]:
        for name in value:
            _check_identifier(name, "field name")
        return value

    @model_validator(mode="after")
    def _key_is_a_field(self) -> EntityMapping:
        for role, name in (("key", self.key), ("updated_at", self.updated_at)):
            if name is not None and name not in self.fields:
                raise ValueError(f"`{role}` must name one of the entity's fields, got {name!r}")
        return self


class IdentityMember(_Strict):
    """One entity taking part in identity resolution, its fields mapped onto the identity's fields."""

    entity: str
    fields: dict[str, str] = Field(description="identity field -> entity field")


class IdentitySpec(_Strict):
    """A kind of real-world thing (a person, a company) whose records are spread over several entities."""

    description: str | None = None
    compare: dict[str, ComparisonKind] = Field(description="identity field -> how to compare it")
    members: list[IdentityMember] = Field(min_length=1)
    threshold: float = Field(default=0.9, gt=0, lt=1, description="match probability that links two records")

    @model_validator(mode="after")
    def _members_map_known_fields(self) -> IdentitySpec:
        for member in self.members:
            unknown = sorted(set(member.fields) - set(self.compare))
            if unknown:
                raise ValueError(f"member `{member.entity}` maps fields {unknown} that are not listed under `compare`")
        return self


class Catalog(_Strict):
    entities: dict[str, EntityMapping]
    identities: dict[str, IdentitySpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references_resolve(self) -> Catalog:
        for name, identity in self.identities.items():
            for member in identity.members:
                entity = self.entities.get(member.entity)
                if entity is None:
                    raise ValueError(f"identity `{name}` names entity `{member.entity}`, which is not in `entities`")
                missing = sorted(set(member.fields.values()) - set(entity.fields))
                if missing:
                    raise ValueError(
                        f"identity `{name}` maps entity `{member.entity}` fields {missing}, which it does not have"
                    )
        return self


# ---------------------------------------------------------------- governance

PrincipalRef = Annotated[str, Field(pattern=r"^(role|user|agent):[A-Za-z0-9_.@\-]+$|^\*$")]


class UserDirectory(_Strict):
    """Where `user:KEY` principals are looked up: an entity of the catalog, read in place."""

    entity: str
    key: str
    role_field: str
    attributes: list[str] = Field(default_factory=list)


class AgentPrincipal(_Strict):
    roles: list[str] = Field(min_length=1)
    description: str | None = None


class PrincipalDirectory(_Strict):
    users: UserDirectory | None = None
    agents: dict[str, AgentPrincipal] = Field(default_factory=dict)


class Policy(_Strict):
    """Who may read which fields of one entity, for which purposes, on which rows, and what is masked."""

    name: str
    description: str | None = None
    principals: list[PrincipalRef] = Field(min_length=1)
    purposes: list[str] = Field(min_length=1, description="purposes allowed; `*` for any")
    entity: str
    operations: list[Operation] = Field(default_factory=lambda: list[Operation](["read"]))
    fields: list[str] | Literal["*"] = "*"
    rows: dict[str, str] = Field(
        default_factory=dict,
        description="row filter: field -> value every row must have; `{principal.ATTR}` is the principal's",
    )
    mask: dict[str, MaskKind] = Field(default_factory=dict)


class PolicySet(_Strict):
    roles: dict[str, str] = Field(default_factory=dict, description="role -> description")
    principals: PrincipalDirectory = Field(default_factory=PrincipalDirectory)
    policies: list[Policy] = Field(default_factory=list)

    @model_validator(mode="after")
    def _names_unique(self) -> PolicySet:
        seen: set[str] = set()
        for policy in self.policies:
            if policy.name in seen:
                raise ValueError(f"policy names must be unique, {policy.name!r} appears twice")
            seen.add(policy.name)
        return self


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user, a role acting directly, or an agent — with the roles it holds."""

    ref: str
    roles: tuple[str, ...]
    attributes: dict[str, str] = field(default_factory=dict)

    def matches(self, pattern: str) -> bool:
        if pattern == "*" or pattern == self.ref:
            return True
        return pattern.startswith("role:") and pattern.removeprefix("role:") in self.roles


@dataclass(frozen=True)
class SourceInfo:
    name: str
    uri: str
    kind: SourceKind
    tables: tuple[str, ...] = ()
