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
    """The built-in actions, then the modules named in `CADRE_ACTION_MODULES`. A user's action replaces a built-in
    one of the same name (the shipped hero agents' actions are examples, not reserved names); two of the user's
    own modules registering one name is an error."""
    builtin = ActionRegistry()
    for name in BUILTIN_ACTION_MODULES:
        _register_module(builtin, name)
    own = ActionRegistry()
    for name in modules:
        _register_module(own, name)
    registry = ActionRegistry(own.get(name) for name in own.names())
    for name in builtin.names():
        if name not in own:
            registry.add(builtin.get(name))
    return registry


def _register_module(registry: ActionRegistry, name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise ConfigError(f"cannot import action module {name!r}: {exc}", hint="check `CADRE_ACTION_MODULES`") from exc
    register = getattr(module, "register", None)
    if not callable(register):
        raise ConfigError(f"action module {name!r} must define `register(registry)`")
    register(registry)
