"""The offline engine: no LLM. It fills actions' slots from the conversation, asks for what is missing, calls the
action, and otherwise answers with the best retrieved passage, quoted and cited, in the customer's language.

It never invents text: every sentence it says is a localized template, an action's result, or a quote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from cadre.agents.actions import Action, ActionArgument
from cadre.agents.phrases import language_name, phrase, slot_name
from cadre.agents.slots import SlotValue, extract_slots, match_choice, valid
from cadre.engines.base import ActionCall, EngineReply, EngineTurn, Passage
from cadre.knowledge.embeddings import Embedder, Vectors

EXCERPT_CHARS = 700
# Same band as topic routing (see cadre.agents.routing): above this, a message reads as a request for the action.
ACTION_SIMILARITY = 0.86
ACT_ON_ROUTE = 0.6  # routing confidence at which a topic without passages runs an action with effects unasked
CLARIFY_BELOW = 0.3  # topic-routing confidence under which a weak passage is not worth quoting
STRONG_ANSWER = 0.6  # answer confidence above which a passage is quoted even when the topic is unclear
UNRELATED_SIMILARITY = 0.82  # question-passage cosine at or below which e5 pairs are usually unrelated
ANSWER_SIMILARITY = 0.88  # and at or above which the passage usually answers the question
IDENTIFIERS = frozenset({"email", "phone", "customer_id", "order_id", "invoice_id", "case_id"})
MAX_ASKS = 2  # asking for the same slot more often than this hands the decision to the hand-off rules


class OfflineEngine:
    name = "offline"
    sees_raw_pii = True  # it runs in-process and sends nothing anywhere

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._descriptions: dict[str, Vectors] = {}  # action descriptions, embedded once per process

    def run(self, turn: EngineTurn) -> EngineReply:
        _remember_identifiers(turn.state, turn.message)
        pending = turn.state.get("pending")
        if pending and pending.get("action") in turn.actions:
            return self._continue(turn, turn.actions[pending["action"]], pending)
        turn.state.pop("pending", None)
        action = self._choose_action(turn)
        if action is not None:
            return self._fill_and_call(turn, action, {}, asks=0)
        if turn.passages:
            if turn.route_confidence < CLARIFY_BELOW and answer_confidence(turn.passages) < STRONG_ANSWER:
                # Neither the topic nor the passage fits: asking beats quoting something beside the point.
                return EngineReply(phrase("clarify", turn.language), "asked", confidence=turn.route_confidence)
            return _answer_from(turn.passages, turn.language, turn.route_confidence)
        if turn.actions:  # a topic for doing things, and the message asked for none of them clearly
            return EngineReply(phrase("clarify", turn.language), "asked", confidence=turn.route_confidence)
        return EngineReply(phrase("not_found", turn.language), "answered", confidence=0.0)

    # ------------------------------------------------------------------ actions

    def _choose_action(self, turn: EngineTurn) -> Action | None:
        candidates = [turn.actions[name] for name in turn.topic.actions if name in turn.actions]
        if not candidates:
            return None
        found = {slot.kind for slot in extract_slots(turn.message)}
        by_slots = [a for a in candidates if any(p.slot and p.slot.kind in found for p in a.parameters)]
        similarity = self._similarities(turn.message, candidates)
        if by_slots:
            return max(by_slots, key=lambda a: similarity[a.name])
        best = max(candidates, key=lambda a: similarity[a.name])
        if similarity[best.name] >= ACTION_SIMILARITY:
            return best
        if turn.passages:
            return None
        # A topic with nothing to quote is a topic for doing things, and its routing chose the action; one that
        # changes or sends something needs that routing to be sure: "Security FAQ" half-matched the access topic
        # and must not send a reset link.
        if not best.effects or turn.route_confidence >= ACT_ON_ROUTE:
            return best
        return None

    def _similarities(self, message: str, actions: list[Action]) -> dict[str, float]:
        query = self._embedder.embed_query(message)
        return {a.name: float(self._describe(a.description) @ query) for a in actions}

    def _describe(self, description: str) -> Vectors:
        if description not in self._descriptions:
            self._descriptions[description] = self._embedder.embed_query(description)
        return self._descriptions[description]

    def _continue(self, turn: EngineTurn, action: Action, pending: dict[str, Any]) -> EngineReply:
        arguments = dict(pending.get("arguments", {}))
        missing = pending.get("missing")
        if missing:
            argument = next((p for p in action.parameters if p.name == missing), None)
            bare = turn.message.strip()
            if argument is not None and argument.choices:
                choice = match_choice(argument.choices, bare)
                if choice is not None:
                    arguments[missing] = choice
            elif argument is not None and argument.slot is not None and valid(argument.slot.kind, bare):
                arguments[missing] = _bare_value(argument, bare)
        return self._fill_and_call(turn, action, arguments, asks=int(pending.get("asks", 0)), asked_for=missing)

    def _fill_and_call(
        self, turn: EngineTurn, action: Action, arguments: dict[str, Any], *, asks: int, asked_for: str | None = None
    ) -> EngineReply:
        slots = extract_slots(turn.message)
        # What this message says wins over what an earlier action was given ("and invoice INV-2?" after INV-1);
        # remembered identifiers (the customer's email) fill only what the message leaves open.
        known = _known_slots(turn.state)
        for argument in action.parameters:
            if argument.name in arguments:
                continue
            value = _from_message(argument, slots, turn.message)
            if value is None:
                value = known.get(argument.name)
            if value is None and argument.slot is not None and argument.slot.kind in IDENTIFIERS:
                value = turn.state.get("seen", {}).get(argument.slot.kind)
            if value is not None:
                arguments[argument.name] = value
        missing = next((p for p in action.parameters if p.required and p.name not in arguments), None)
        if missing is not None:
            if missing.name != asked_for:
                asks = 0  # the last answer was taken: this is a new question, not the same one asked again
            if asks >= MAX_ASKS:
                turn.state.pop("pending", None)
                return EngineReply(
                    phrase("not_found", turn.language), "answered", confidence=0.0, handoff_reason="low_confidence"
                )
            kind = missing.slot.kind if missing.slot else "text"
            turn.state["pending"] = {
                "topic": turn.topic.name,
                "action": action.name,
                "arguments": arguments,
                "missing": missing.name,
                "kind": kind,
                "asks": asks + 1,
            }
            text = _question(missing, turn.language, again=bool(asks))
            return EngineReply(text, "asked", confidence=turn.route_confidence)
        turn.state.pop("pending", None)
        call = turn.call_action(action.name, arguments)
        _remember_slots(turn.state, action, arguments)
        return _reply_for(call, turn.language)


def _question(argument: ActionArgument, language: str, *, again: bool) -> str:
    slot = argument.slot
    question = slot.question(language) if slot else None
    if question:
        return question
    if argument.choices:
        what = " / ".join(argument.choices)
    elif slot is not None and isinstance(slot.prompt, str):
        what = slot.prompt
    else:
        what = slot_name(slot.kind if slot else "text", language)
    return phrase("invalid_slot" if again else "ask_slot", language, what=what)


def _from_message(argument: ActionArgument, slots: list[SlotValue], message: str) -> Any:
    if argument.choices:
        return match_choice(argument.choices, message)
    if argument.slot is not None:
        if argument.slot.kind == "text":
            return message.strip() or None
        return next((s.value for s in slots if s.kind == argument.slot.kind), None)
    return None


def _bare_value(argument: ActionArgument, text: str) -> str:
    assert argument.slot is not None
    if argument.slot.kind == "text":
        return text
    found = [s.value for s in extract_slots(text) if s.kind == argument.slot.kind]
    return found[0] if found else text


def _known_slots(state: Mapping[str, Any]) -> dict[str, Any]:
    return dict(state.get("slots", {}))


def _remember_identifiers(state: dict[str, Any], message: str) -> None:
    """Identifiers the customer wrote before any action wanted them ("my email is …, I need help with an
    invoice") are there when one does."""
    seen = state.setdefault("seen", {})
    for slot in extract_slots(message):
        if slot.kind in IDENTIFIERS:
            seen[slot.kind] = slot.value


def _remember_slots(state: dict[str, Any], action: Action, arguments: Mapping[str, Any]) -> None:
    """Identifiers the customer gave once (their email, an order number) need not be asked for again."""
    remembered = state.setdefault("slots", {})
    for argument in action.parameters:
        if argument.slot is not None and argument.slot.kind != "text" and argument.name in arguments:
            remembered[argument.name] = arguments[argument.name]


def _reply_for(call: ActionCall, language: str) -> EngineReply:
    if not call.outcome.ok:
        text = phrase("action_failed", language)
        return EngineReply(text, "answered", confidence=0.3)
    return EngineReply(render_result(call.outcome.result, language), "answered", confidence=0.9)


def render_result(result: Any, language: str) -> str:
    """An action's result as a short text: its `message` when it has one, else its fields as a list."""
    if isinstance(result, str):
        return result
    if isinstance(result, dict) and isinstance(result.get("message"), str):
        return str(result["message"])
    lines = [phrase("action_done", language)]
    items: list[Any] = result if isinstance(result, list) else [result]
    for item in items[:5]:
        if isinstance(item, dict):
            lines.append("- " + "; ".join(f"{k}: {v}" for k, v in list(item.items())[:8] if v not in (None, "")))
        else:
            lines.append(f"- {item}")
    if isinstance(result, list) and len(result) > 5:
        lines.append(f"- … (+{len(result) - 5})")
    return "\n".join(lines)


# ------------------------------------------------------------------ knowledge answers


def _answer_from(passages: Sequence[Passage], language: str, route_confidence: float) -> EngineReply:
    top: Passage = passages[0]
    hit = top.hit
    lines = [phrase("found_in", language, title=hit.title)]
    if top.cross_lingual:
        lines.append(phrase("cross_lingual", language, source=language_name(hit.language, language)))
    lines.append("")
    lines.append(excerpt(hit.text))
    return EngineReply(
        "\n".join(lines),
        "answered",
        confidence=round(min(answer_confidence(passages), max(route_confidence, 0.5)), 3),
        cited=[top.number],
    )


def answer_confidence(passages: Sequence[Passage]) -> float:
    """How far the top passage can be trusted to answer: its embedding similarity to the question, mapped over
    the band where multilingual-e5 separates answers (~0.86 and up) from passages beside the point (~0.82 and
    down), with a little more trust when keyword and vector search both put it first."""
    hit = passages[0].hit
    agreed = hit.keyword_rank == 1 and hit.vector_rank == 1
    if hit.similarity is None:  # keyword-only search: ranks are all there is
        return 0.6 if agreed else 0.3
    level = (hit.similarity - UNRELATED_SIMILARITY) / (ANSWER_SIMILARITY - UNRELATED_SIMILARITY)
    return round(min(1.0, max(0.0, level) + (0.1 if agreed else 0.0)), 3)


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The passage without its heading lines, cut at a line or sentence end near `limit`."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).strip()
    body = re.sub(r"\n{3,}", "\n\n", body)
    if len(body) <= limit:
        return body
    cut = body[:limit]
    end = max(cut.rfind("\n"), *(cut.rfind(mark) + 1 for mark in (". ", "。", "! ", "? ")))
    return (cut[:end] if end > limit // 2 else cut).rstrip() + " …"
