"""Stored conversations and the corrections people made to them, turned into cases.

A captured conversation replays its customer's messages and expects what the agent did then (topic, language,
actions with their arguments, citations, hand-off): a regression case. A correction expects what a person said
the reply should have contained; see CORRECTION_FORMAT.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

from cadre.agents.conversations import ConversationStore
from cadre.agents.store import TurnRow
from cadre.agents.transcripts import ConversationFilters, conversation_record, search, turns
from cadre.channels.feedback import FeedbackStore
from cadre.errors import CadreError
from cadre.evaluation.generate import distinctive_phrases
from cadre.evaluation.suites import Case, Channel, Suite
from cadre.store import Database

CORRECTION = re.compile(r"^\s*should (?:say|have said)\s*:\s*(?P<facts>.+)$", re.IGNORECASE | re.MULTILINE | re.DOTALL)
CORRECTION_FORMAT = """\
# Corrections: a person's word on what a reply should have said becomes a case expecting it.
#   - Feedback on a turn (the console's thumbs and comment, `POST …/feedback` with a `turn_id`) whose comment
#     starts with "should say:" or "should have said:", then the facts separated by ";", e.g.
#       should say: 3 to 7 business days; pending authorisation
#     The case replays the conversation up to that turn and expects every fact in that turn's reply.
#   - A person's reply in a handed-off conversation: the case replays the conversation up to the hand-off and
#     expects the facts of the person's reply — its "should say:" line where it has one, otherwise its distinctive
#     phrases (bold spans and amounts); a reply with neither is skipped and reported.
# Regression cases (made_by "capture: …") expect what the agent did then; edit them where it was wrong.
# The turns are the customers' own words, personal data included: keep this file where the conversations are kept.
"""
PAGE = 500
CHANNELS: frozenset[str] = frozenset(get_args(Channel))


class CaptureError(CadreError):
    """The conversations asked for cannot become one suite (unknown, empty, of several agents)."""


@dataclass(frozen=True)
class _Exchange:
    """One turn of a stored conversation: the customer's message, the turn's record, the people's replies after it."""

    message: str
    turn: TurnRow
    human_replies: list[tuple[str, str]] = field(default_factory=list)  # (author, text)


@dataclass
class Captured:
    suite: Suite
    conversations: list[str]
    added: int
    corrections: int
    skipped: list[str]

    def to_json(self, out: Path) -> dict[str, Any]:
        return {
            "out": str(out),
            "agent": self.suite.agent,
            "cases": len(self.suite.cases),
            "added": self.added,
            "corrections": self.corrections,
            "conversations": self.conversations,
            "skipped": self.skipped,
        }


def parse_correction(text: str | None) -> list[str]:
    """The facts a "should say: a; b" comment names; empty when the text is not a correction."""
    match = CORRECTION.search(text or "")
    if match is None:
        return []
    return [fact.strip() for fact in re.split(r"[;\n]", match["facts"]) if fact.strip()]


def sample_conversations(
    db: Database, count: int, *, agent: str | None = None, since: datetime | None = None, seed: int = 0
) -> list[str]:
    """`count` conversation ids drawn evenly across (agent, first topic, last outcome) strata, reproducibly."""
    if count < 1:
        raise CaptureError(f"--sample must be at least 1, got {count}")
    strata: dict[tuple[str, str, str], list[str]] = {}
    offset = 0
    while True:
        page = search(db, ConversationFilters(agent=agent or ""), limit=PAGE, offset=offset)
        for row in page.rows:
            if row.messages and (since is None or row.created_at >= since):
                key = (row.agent, row.topics[0] if row.topics else "-", row.outcome or "-")
                strata.setdefault(key, []).append(row.id)
        offset += PAGE
        if offset >= page.total:
            break
    if not strata:
        where = f" of agent {agent!r}" if agent else ""
        after = f" since {since.isoformat()}" if since else ""
        raise CaptureError(f"there must be stored conversations{where}{after} to sample, found none")
    rng = random.Random(seed)
    queues = [sorted(ids) for _, ids in sorted(strata.items())]
    for queue in queues:
        rng.shuffle(queue)
    rng.shuffle(queues)
    chosen: list[str] = []
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop())
    return chosen


def capture_suite(
    db: Database, conversation_ids: list[str], *, agent: str | None = None, existing: Suite | None = None
) -> Captured:
    """A suite (or `existing` with new cases added) of the conversations and the corrections made to them."""
    if not conversation_ids:
        raise CaptureError("at least one conversation must be given (--conversation ID or --sample N), got none")
    records = [conversation_record(db, cid) for cid in dict.fromkeys(conversation_ids)]
    agents = sorted(
        {r.agent for r in records} | ({agent} if agent else set()) | ({existing.agent} if existing else set())
    )
    if len(agents) > 1:
        raise CaptureError(
            f"a suite is for one agent; the conversations must all be of one agent (choose with --agent), got {agents}"
        )
    cases: list[Case] = list(existing.cases) if existing else []
    known = {c.id for c in cases}
    skipped: list[str] = []
    added = corrections = 0
    for record in records:
        exchanges = _exchanges(db, record.id)
        if not exchanges:
            skipped.append(f"{record.id}: no finished turn to replay")
            continue
        base = {
            "principal": record.principal,
            "person_id": record.person_id,
            "channel": record.channel if record.channel in CHANNELS else "api",
            "now": record.created_at.isoformat(),
        }
        made = [_regression_case(record.id, exchanges, base)]
        found, problems = _correction_cases(db, record.id, exchanges, base)
        made += found
        skipped += problems
        for case in made:
            if case["id"] in known:
                skipped.append(f"{case['id']}: already in the suite")
                continue
            cases.append(Case.model_validate(case))
            known.add(case["id"])
            added += 1
            corrections += "correction" in case["tags"]
    if not cases:
        raise CaptureError(f"the conversations must have at least one finished turn, got none in {conversation_ids}")
    suite = Suite(
        agent=agents[0],
        description=existing.description if existing else "Captured conversations and corrections.",
        sample=existing.sample if existing else None,
        cases=cases,
    )
    return Captured(suite, [r.id for r in records], added, corrections, skipped)


def parse_since(text: str) -> datetime:
    """An ISO date or time; one without a zone is read as UTC."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CaptureError(f"--since must be an ISO date or time, e.g. 2026-11-24T00:00:00Z, got {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _exchanges(db: Database, conversation_id: str) -> list[_Exchange]:
    """The conversation's finished turns in order, each with its customer message and any human replies after it;
    it stops at the first turn that did not finish, since what followed it cannot be replayed."""
    by_id = turns(db, conversation_id)
    exchanges: list[_Exchange] = []
    for message in ConversationStore(db).messages(conversation_id):
        if message["role"] == "customer":
            turn = by_id.get(message["turn_id"] or "")
            if turn is None or turn.status != "completed":
                break
            exchanges.append(_Exchange(message["text"], turn))
        elif message["role"] == "human" and exchanges:
            exchanges[-1].human_replies.append((message["author"] or "a person", message["text"]))
    return exchanges


def _regression_case(conversation_id: str, exchanges: list[_Exchange], base: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"conversation-{_short(conversation_id)}",
        "made_by": f"capture: conversation {conversation_id}, expecting what agent version "
        f"{exchanges[0].turn.agent_version} did then",
        "tags": ["captured", *_topics(exchanges)],
        **base,
        "turns": [{"user": e.message, "expect": _expect_as_then(e.turn)} for e in exchanges],
    }


def _expect_as_then(turn: TurnRow) -> dict[str, Any]:
    expect: dict[str, Any] = {"cited": bool(turn.citations)}
    if turn.topic:
        expect["topic"] = turn.topic
    if turn.language:
        expect["language"] = turn.language
    if turn.actions:
        expect["actions"] = [{"name": a["name"], "arguments": a.get("arguments") or {}} for a in turn.actions]
    else:
        expect["no_actions"] = True
    expect["handoff"] = (turn.handoff or {}).get("queue") or bool(turn.handoff)
    return expect


def _correction_cases(
    db: Database, conversation_id: str, exchanges: list[_Exchange], base: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[str]]:
    cases: list[dict[str, Any]] = []
    skipped: list[str] = []
    position = {e.turn.id: i for i, e in enumerate(exchanges)}
    for feedback in FeedbackStore(db).for_conversation(conversation_id):
        facts = parse_correction(feedback.comment)
        if not facts:
            continue
        if feedback.turn_id not in position:
            skipped.append(
                f"feedback #{feedback.id}: a correction must be on a finished turn, got {feedback.turn_id!r}"
            )
            continue
        upto = position[feedback.turn_id]
        cases.append(
            _corrected(
                f"correction-{_short(conversation_id)}-feedback-{feedback.id}",
                f"correction: feedback #{feedback.id} by {feedback.author} on turn {upto + 1} of conversation "
                f"{conversation_id}: {feedback.comment!r}",
                exchanges[: upto + 1],
                facts,
                base,
            )
        )
    for upto, exchange in enumerate(exchanges):
        for number, (author, text) in enumerate(exchange.human_replies, 1):
            facts = parse_correction(text) or distinctive_phrases(text)
            where = f"conversation {conversation_id}, the reply of {author} after turn {upto + 1}"
            if not facts:
                skipped.append(f"{where}: it names no fact to expect (no 'should say:' line, no bold span or amount)")
                continue
            cases.append(
                _corrected(
                    f"correction-{_short(conversation_id)}-turn-{upto + 1}-human-{number}",
                    f"correction: {where}: {text!r}",
                    exchanges[: upto + 1],
                    facts,
                    base,
                )
            )
    return cases, skipped


def _corrected(
    case_id: str, made_by: str, exchanges: list[_Exchange], facts: list[str], base: dict[str, Any]
) -> dict[str, Any]:
    *before, last = exchanges
    expect: dict[str, Any] = {"facts": facts}
    if last.turn.language:
        expect["language"] = last.turn.language
    return {
        "id": case_id,
        "made_by": made_by,
        "tags": ["correction", *_topics(exchanges)],
        **base,
        # the earlier turns are context: what the agent said then is not what this case is about
        "turns": [*({"user": e.message} for e in before), {"user": last.message, "expect": expect}],
    }


def _topics(exchanges: list[_Exchange]) -> list[str]:
    return list(dict.fromkeys(e.turn.topic for e in exchanges if e.turn.topic))


def _short(conversation_id: str) -> str:
    return re.sub(r"[^a-z0-9]", "", conversation_id.lower())[:12] or "x"
