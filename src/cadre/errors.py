"""Every error Cadre raises on purpose derives from `CadreError`.

The CLI maps a `CadreError` to one line and exit code 2; messages say what is wrong
and, where possible, how to fix it.
"""

from __future__ import annotations


class CadreError(Exception):
    """Base class of Cadre's deliberate errors."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def one_line(self) -> str:
        """The message and its hint as a single line for terminals and logs."""
        text = str(self)
        return f"{text} ({self.hint})" if self.hint else text


class ConfigError(CadreError):
    """A setting, file or argument is malformed."""


class SourceError(CadreError):
    """A data source URI is malformed or names something that does not exist."""


class SourceUnavailable(SourceError):
    """A data source exists in the registry but cannot be reached now."""


class CatalogError(CadreError):
    """The semantic catalog is malformed or does not match its sources."""


class UnknownEntity(CatalogError):
    """An entity name is not in the semantic catalog."""


class PolicyError(CadreError):
    """The policy file is malformed."""


class UnknownPrincipal(PolicyError):
    """A principal (user, role or agent) is not known to the policy file."""


class PolicyDenied(CadreError):
    """A read or write was refused by governance; the message names the policy."""


class QueryError(CadreError):
    """A federated query failed (bad SQL, a missing table, a type error)."""


class ResolutionError(CadreError):
    """Identity resolution could not run on the given records."""


class NotFound(CadreError):
    """A named thing (profile, source, run) does not exist."""
