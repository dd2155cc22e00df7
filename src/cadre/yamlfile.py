"""Load YAML files into pydantic models, with errors that give the line and path of each problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from cadre.errors import CadreError

Model = TypeVar("Model", bound=BaseModel)


class YamlProblem(CadreError):
    """A YAML document does not parse or does not fit its schema; `problems` lists each one."""

    def __init__(self, message: str, problems: list[str], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.problems = problems


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Walk the composed YAML tree along a pydantic error location to the line it points at."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        line = node.start_mark.line + 1
    return line


def load_model(
    path: Path,
    model: type[Model],
    *,
    what: str,
    error: type[CadreError] = YamlProblem,
    context: dict[str, Any] | None = None,
) -> Model:
    """Parse `path` as YAML and validate it as `model`; every problem is reported with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        message = f"{what} file not found at {str(path)!r}"
        raise _problem(error, message, [message]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        message = f"cannot read {what} file {str(path)!r}: {exc}"
        raise _problem(error, message, [message]) from exc
    return parse_model(text, model, what=what, origin=str(path), error=error, context=context)


def parse_model(
    text: str,
    model: type[Model],
    *,
    what: str,
    origin: str = "<text>",
    error: type[CadreError] = YamlProblem,
    context: dict[str, Any] | None = None,
) -> Model:
    """Validate YAML `text` as `model`; `context` reaches validators that check names against the installation."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{origin}:{mark.line + 1}" if mark is not None else origin
        problem = getattr(exc, "problem", None) or str(exc)
        raise _problem(error, f"{what} at {where} is not valid YAML: {problem}", [f"{where}: {problem}"]) from exc
    try:
        return model.model_validate(data if data is not None else {}, context=context)
    except ValidationError as exc:
        problems = []
        for item in exc.errors():
            loc = tuple(item["loc"])
            path = ".".join(str(p) for p in loc) or "(top level)"
            line = _line_of(root, loc)
            where = f"{origin}:{line}" if line else origin
            problems.append(f"{where}: `{path}`: {item['msg']}")
        summary = f"{what} {origin} has {len(problems)} problem(s): " + "; ".join(problems)
        raise _problem(error, summary, problems) from exc


def _problem(error: type[CadreError], message: str, problems: list[str]) -> CadreError:
    if issubclass(error, YamlProblem):
        return error(message, problems)
    instance = error(message)
    instance.problems = problems  # type: ignore[attr-defined]
    return instance
