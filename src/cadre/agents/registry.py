"""Where actions come from: Cadre's built-in modules and the modules named in `CADRE_ACTION_MODULES`.

An action module exposes `register(registry: ActionRegistry) -> None`; built-in actions are registered exactly
the way a user's are, so both can be listed, validated and tested alike.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from cadre.agents.actions import ActionRegistry
from cadre.errors import ConfigError

# The hero agents' actions on the sample company (`cadre.sample`'s catalog entities).
BUILTIN_ACTION_MODULES: tuple[str, ...] = (
    "cadre.heroes.concierge",
    "cadre.heroes.sdr",
    "cadre.heroes.seller",
    "cadre.heroes.service",
)


def load_actions(modules: Iterable[str] = ()) -> ActionRegistry:
    registry = ActionRegistry()
    for name in [*BUILTIN_ACTION_MODULES, *modules]:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise ConfigError(
                f"cannot import action module {name!r}: {exc}", hint="check `CADRE_ACTION_MODULES`"
            ) from exc
        register = getattr(module, "register", None)
        if not callable(register):
            raise ConfigError(f"action module {name!r} must define `register(registry)`")
        register(registry)
    return registry
