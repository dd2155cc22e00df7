"""Run a turn for an HTTP caller: on a worker thread, with the text it streams handed to async code as written."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.errors import CadreError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delta:
    text: str


@dataclass(frozen=True)
class Finished:
    result: TurnResult


@dataclass(frozen=True)
class Failed:
    error: str


TurnEvent = Delta | Finished | Failed


async def stream_turn(runtime: Runtime, request: TurnRequest) -> AsyncIterator[TurnEvent]:
    """Deltas as the engine writes them, then the finished turn (or why it failed).

    An engine that writes its reply in one piece (the offline engine) streams nothing: its reply is then sent as
    one delta, so a client always sees at least one delta before the turn.
    """
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[TurnEvent] = asyncio.Queue()

    def put(event: TurnEvent) -> None:
        try:
            loop.call_soon_threadsafe(events.put_nowait, event)
        except RuntimeError:  # the event loop is gone (the server stopped): the turn still finishes and is recorded
            pass

    def run() -> None:
        try:
            result = runtime.run_turn(replace(request, on_text=lambda text: put(Delta(text))))
        except CadreError as exc:
            put(Failed(exc.one_line()))
        except Exception as exc:  # the stream has already begun: the client gets an error event, not a status
            logger.exception("a streamed turn of agent %r failed", request.agent)
            put(Failed(f"the turn failed unexpectedly ({type(exc).__name__}); it is recorded as failed"))
        else:
            put(Finished(result))

    # A plain executor future, not a task: if the client goes away the turn still finishes and is recorded.
    loop.run_in_executor(None, run)
    streamed = False
    while True:
        event = await events.get()
        if isinstance(event, Delta):
            if event.text:
                streamed = True
                yield event
            continue
        if isinstance(event, Finished) and not streamed:
            yield Delta(event.result.reply)
        yield event
        return
