"""The jobs Cadre knows: each a plain function of its services and JSON arguments, registered by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cadre.errors import ConfigError

JobFunction = Callable[..., Any]
QUEUES = ("periodic", "default")  # periodic passes never wait behind a long on-demand job on its own worker


@dataclass(frozen=True)
class JobSpec:
    """A job: `func(services, **kwargs)` returns something JSON-able. `exclusive`: never two runs at once (a
    queue lock), for passes that read, decide and write; `retries`: extra attempts after an exception."""

    name: str
    func: JobFunction
    queue: str = "default"
    exclusive: bool = False
    retries: int = 0


_JOBS: dict[str, JobSpec] = {}


def job(
    name: str, *, queue: str = "default", exclusive: bool = False, retries: int = 0
) -> Callable[[JobFunction], JobFunction]:
    """Register a function as the job `name`; a user's module named in `CADRE_JOB_MODULES` registers the same way."""
    if queue not in QUEUES:
        raise ConfigError(f"a job's queue must be one of {', '.join(QUEUES)}, got {queue!r}")

    def register(func: JobFunction) -> JobFunction:
        known = _JOBS.get(name)
        if known is not None and known.func is not func:
            raise ConfigError(
                f"job names must be unique, got {name!r} twice ({known.func.__module__}, {func.__module__})"
            )
        _JOBS[name] = JobSpec(name, func, queue=queue, exclusive=exclusive, retries=retries)
        return func

    return register


def registered(modules: Iterable[str] = ()) -> dict[str, JobSpec]:
    """Every registered job: the built-in ones and those of `modules` (imported here)."""
    import cadre.jobs.builtin  # noqa: F401  (registers the built-in jobs)

    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ConfigError(f"`CADRE_JOB_MODULES` must name importable modules, got {module!r}: {exc}") from exc
    return dict(_JOBS)
