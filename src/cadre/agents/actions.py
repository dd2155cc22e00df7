"""Actions: typed Python functions an agent may call, registered by name, validated before they run.

An action's arguments are the parameters of its function after the first (the `ActionContext`), so one
signature gives the model its JSON Schema, the offline engine its slots and the runtime its validation. A bad
argument from a model becomes a structured error the model can correct, never a crashed turn.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from cadre.errors import CadreError, ConfigError, PolicyDenied
from cadre.observability import tracing
from cadre.observability.events import Event, EventKind, Stage

logger = logging.getLogger(__name__)

SlotKind = Literal[
    "email", "phone", "order_id", "invoice_id", "case_id", "customer_id", "date", "amount", "text", "choice"
]


@dataclass(frozen=True)
class Slot:
    """Marks an argument the offline engine fills from the conversation: `Annotated[str, Slot("email")]`.

    `prompt` names what to ask for ("your order number"), or, as a mapping language -> text, is the whole question
    in each language. A `Literal[...]` argument is a `choice` slot without being marked: one of its values named in
    the message fills it.
    """

    kind: SlotKind
    prompt: str | Mapping[str, str] | None = None

    def question(self, language: str) -> str | None:
        """The whole localized question, when the prompt is one (English when the language has none)."""
        if isinstance(self.prompt, Mapping):
            return self.prompt.get(language) or self.prompt.get("en")
        return None


@dataclass
class ActionContext:
    """What an action may know about the turn it runs in. Reads go through `data` under `principal`/`purpose`."""

    agent: str
    conversation_id: str
    principal: str
    purpose: str
    language: str
    channel: str
    state: dict[str, Any] = field(default_factory=dict)  # persisted with the conversation
    services: Mapping[str, Any] = field(default_factory=dict)  # e.g. "data": DataService, "knowledge": KnowledgeBase
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    refer_to: Callable[[str, str, str], int] | None = None  # the runtime's: (queue, reason, summary) -> record id
    stage: Stage = "production"  # shadow and suite turns' outcomes are not counted as live ones

    def refer(self, queue: str, *, reason: str, summary: str) -> int:
        """Put this conversation in a human queue with a summary while the agent keeps talking (a qualified lead
        for the sales team, say); returns the hand-off record's id."""
        if self.refer_to is None:
            raise ConfigError("this action refers conversations to people, which needs the agent runtime")
        return self.refer_to(queue, reason, summary)

    def count(self, kind: EventKind, *, value: float | None = None, **data: Any) -> None:
        """Count a business outcome of this action (a case opened, a meeting booked) for the dashboard; a no-op
        where no event store is configured (unit tests, scripts)."""
        events = self.services.get("events")
        if events is None:
            return
        events.record(
            [
                Event(
                    kind=kind,
                    agent=self.agent,
                    at=self.now,
                    stage=self.stage,
                    conversation_id=self.conversation_id,
                    language=self.language,
                    channel=self.channel,
                    value=value,
                    data=data,
                )
            ]
        )

    def service(self, name: str) -> Any:
        try:
            return self.services[name]
        except KeyError as exc:
            raise ConfigError(f"this action needs the `{name}` service, which the runtime did not provide") from exc


@dataclass(frozen=True)
class ActionOutcome:
    ok: bool
    result: Any = None  # JSON-able
    error: str | None = None
    details: list[dict[str, Any]] | None = None  # argument problems, for the model to correct
    denied: bool = False  # governance refused a read or write: a hand-off rule, not a retry

    def for_model(self) -> str:
        if self.ok:
            return json.dumps(self.result, ensure_ascii=False, default=str)
        body: dict[str, Any] = {"error": self.error}
        if self.details:
            body["problems"] = self.details
        return json.dumps(body, ensure_ascii=False)

    def summary(self, limit: int = 200) -> str:
        text = self.for_model() if self.ok else f"error: {self.error}"
        return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class ActionArgument:
    name: str
    required: bool
    slot: Slot | None
    annotation: Any
    choices: tuple[str, ...] = ()  # the values of a `Literal` argument


@dataclass(frozen=True)
class Action:
    name: str
    description: str
    purpose: str | None
    function: Callable[..., Any]
    arguments: type[BaseModel]
    parameters: tuple[ActionArgument, ...]
    effects: bool = False  # it changes or sends something (a case, a refund, an e-mail): run only when clearly asked

    def json_schema(self) -> dict[str, Any]:
        schema = self.arguments.model_json_schema()
        schema.pop("title", None)
        return schema

    def call(self, context: ActionContext, arguments: Mapping[str, Any]) -> ActionOutcome:
        """Run the action as the GenAI conventions' `execute_tool` span: its name and verdict, never its arguments
        or result (they carry customers' data)."""
        attributes = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": self.name,
            "gen_ai.tool.type": "function",
        }
        with tracing.span(f"execute_tool {self.name}", attributes) as span:
            outcome = self._call(context, arguments)
            span.set_attributes({"cadre.action.ok": outcome.ok, "cadre.action.denied": outcome.denied})
            if not outcome.ok:
                kind = "denied" if outcome.denied else "invalid_arguments" if outcome.details else "action_failed"
                tracing.failed(span, kind, outcome.error or kind)
        return outcome

    def _call(self, context: ActionContext, arguments: Mapping[str, Any]) -> ActionOutcome:
        try:
            parsed = self.arguments.model_validate(dict(arguments))
        except ValidationError as exc:
            problems = [
                {"argument": ".".join(str(p) for p in e["loc"]) or "(all)", "problem": e["msg"]} for e in exc.errors()
            ]
            return ActionOutcome(ok=False, error=f"invalid arguments for `{self.name}`", details=problems)
        try:
            result = self.function(context, **{name: getattr(parsed, name) for name in type(parsed).model_fields})
        except PolicyDenied as exc:
            return ActionOutcome(ok=False, error=exc.one_line(), denied=True)
        except CadreError as exc:
            return ActionOutcome(ok=False, error=exc.one_line())
        except Exception:  # an action's own bug must not take the turn down; the log keeps the traceback
            logger.exception("action %s failed", self.name)
            return ActionOutcome(ok=False, error=f"`{self.name}` failed unexpectedly")
        return ActionOutcome(ok=True, result=_jsonable(result))


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def build_action(
    function: Callable[..., Any],
    *,
    name: str | None = None,
    description: str | None = None,
    purpose: str | None = None,
    effects: bool = False,
) -> Action:
    """Describe `function(context, **arguments)` as an action; its docstring is the description models read."""
    signature = inspect.signature(function)
    hints = get_type_hints(function, include_extras=True)
    params = list(signature.parameters.values())
    if not params or params[0].name not in hints or hints[params[0].name] is not ActionContext:
        raise ConfigError(f"action `{function.__name__}` must take an `ActionContext` as its first parameter")
    fields: dict[str, Any] = {}
    arguments: list[ActionArgument] = []
    for param in params[1:]:
        if param.kind not in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
            raise ConfigError(f"action `{function.__name__}`: `*args`/`**kwargs` cannot be described to a model")
        annotation = hints.get(param.name, Any)
        default = ... if param.default is param.empty else param.default
        fields[param.name] = (annotation, default)
        slot = next((m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, Slot)), None)
        choices = _literal_values(annotation)
        if choices and slot is None:
            slot = Slot("choice")
        arguments.append(ActionArgument(param.name, default is ..., slot, annotation, choices))
    action_name = name or function.__name__
    model = create_model(f"{action_name}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
    text = description or inspect.getdoc(function)
    if not text:
        raise ConfigError(f"action `{action_name}` needs a description (a docstring) for models to read")
    return Action(action_name, text, purpose, function, model, tuple(arguments), effects)


def _literal_values(annotation: Any) -> tuple[str, ...]:
    """The string values of `Literal[...]`, also inside `Annotated[...]` and `... | None`."""
    if get_origin(annotation) is Annotated:
        return _literal_values(get_args(annotation)[0])
    if get_origin(annotation) is Literal:
        return tuple(str(v) for v in get_args(annotation))
    if get_origin(annotation) in (Union, UnionType):
        return tuple(v for arg in get_args(annotation) for v in _literal_values(arg))
    return ()


class ActionRegistry:
    """Actions by name. Built-in actions register the same way a user's do."""

    def __init__(self, actions: Iterable[Action] = ()) -> None:
        self._actions: dict[str, Action] = {}
        for action in actions:
            self.add(action)

    def add(self, action: Action) -> Action:
        if action.name in self._actions and self._actions[action.name].function is not action.function:
            raise ConfigError(f"an action named `{action.name}` is already registered")
        self._actions[action.name] = action
        return action

    def action(
        self,
        name: str | None = None,
        *,
        description: str | None = None,
        purpose: str | None = None,
        effects: bool = False,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: `@registry.action(purpose="support", effects=True)` on `def open_case(ctx: ActionContext, …)`."""

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            self.add(build_action(function, name=name, description=description, purpose=purpose, effects=effects))
            return function

        return register

    def get(self, name: str) -> Action:
        try:
            return self._actions[name]
        except KeyError as exc:
            raise ConfigError(f"no action named `{name}` is registered") from exc

    def __contains__(self, name: object) -> bool:
        return name in self._actions

    def names(self) -> list[str]:
        return sorted(self._actions)
