"""An OpenAI-compatible face: `POST /v1/chat/completions` with `model` = an agent's name, and `GET /v1/models`.

Any OpenAI client or chat UI can talk to a Cadre agent through it. The agent keeps the conversation: only the last
user message of `messages` is the turn's message, and the conversation id travels in `X-Cadre-Conversation-Id`
(sent back on every answer; send it again to continue). Sampling options (`temperature`, …) are accepted and
ignored: the agent's spec decides how it answers.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from cadre.agents.conversations import UnknownConversation
from cadre.agents.models import Channel
from cadre.agents.runtime import Runtime, TurnRequest, TurnResult
from cadre.agents.transcripts import conversation_record
from cadre.errors import CadreError
from cadre.server.api._access import own_principal
from cadre.server.api._turns import Delta, Failed, Finished, stream_turn
from cadre.server.auth import Caller, require, services_of, within_limit
from cadre.server.services import Services
from cadre.store.base import aware

CONVERSATION_HEADER = "X-Cadre-Conversation-Id"
CHANNEL: Channel = "api"


class OpenAIErrorShape(APIRoute):
    """Errors in OpenAI's shape, `{"error": {"message", "type", "code"}}`, so OpenAI clients show the message."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def shaped(request: Request) -> Response:
            try:
                return await handler(request)
            except (HTTPException, RequestValidationError, CadreError) as exc:
                # The app's own handlers decide the status and the message; only the body's shape changes.
                plain = await _app_error_response(request, exc)
                message = json.loads(bytes(plain.body))["error"]
                headers = exc.headers if isinstance(exc, HTTPException) else None
                return _error(plain.status_code, message, headers)

        return shaped


router = APIRouter(prefix="/v1", tags=["openai-compatible"], route_class=OpenAIErrorShape)


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # names, tool calls, …: the agent keeps its own transcript
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, …: accepted, decided by the agent's spec
    model: str = Field(min_length=1, description="The agent's name.")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[dict[str, Any]]
    usage: Usage
    cadre: dict[str, Any] = Field(description="The turn as Cadre records it: citations, actions, hand-off, …")


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[dict[str, Any]]


@router.post(
    "/chat/completions",
    responses={
        200: {
            "model": ChatCompletion,
            "description": "A `chat.completion`, or with `stream` a `text/event-stream` of `chat.completion.chunk`s "
            "ending with `data: [DONE]`.",
        }
    },
)
async def chat_completions(
    body: ChatCompletionRequest, request: Request, caller: Caller = Depends(require("converse"))
) -> Response:
    """One turn of the agent named by `model` on the last user message."""
    caller.check_agent(body.model)
    message = _last_user_text(body.messages)
    services = services_of(request)
    turn, runtime = await run_in_threadpool(
        _turn_request, services, caller, body.model, message, request.headers.get(CONVERSATION_HEADER)
    )
    headers = {CONVERSATION_HEADER: str(turn.conversation_id)}
    if body.stream:
        include_usage = body.stream_options is not None and body.stream_options.include_usage
        return StreamingResponse(
            _chunks(runtime, turn, include_usage=include_usage),
            media_type="text/event-stream",
            headers={**headers, "Cache-Control": "no-cache"},
        )
    result = await run_in_threadpool(runtime.run_turn, turn)
    return JSONResponse(_completion(result, body.model), headers=headers)


@router.get("/models", response_model=ModelList)
def models(request: Request, caller: Caller = Depends(require("converse"))) -> dict[str, Any]:
    """The deployed agents this caller may talk to over the API channel."""
    listed = [
        {"id": agent["name"], "object": "model", "created": _epoch(agent["deployed_at"]), "owned_by": "cadre"}
        for agent in services_of(request).versions.list()
        if CHANNEL in agent["channels"] and caller.agent in (None, agent["name"])
    ]
    return {"object": "list", "data": listed}


def mount(app: FastAPI) -> None:
    app.include_router(router)


def _turn_request(
    services: Services, caller: Caller, agent: str, message: str, conversation_id: str | None
) -> tuple[TurnRequest, Runtime]:
    """The turn to run, in the conversation named by the header or in a new one opened now (so that a streamed
    answer can name it in its headers before the first chunk)."""
    if conversation_id:
        record = conversation_record(services.db, conversation_id)
        if record.agent != agent:
            raise UnknownConversation(f"no conversation {conversation_id!r} with agent {agent!r}")
        within_limit(services.conversation_limits, record.id, what="this conversation")
        principal, person_id = record.principal, record.person_id
    else:
        deployed = services.versions.get(agent)
        if CHANNEL not in deployed.spec.channels:
            raise HTTPException(
                422, f"agent {agent!r} does not serve the {CHANNEL!r} channel ({deployed.spec.channels})"
            )
        principal, person_id = own_principal(caller), None
        conversation_id = services.conversations.open(
            None, agent=agent, agent_version=deployed.version, channel=CHANNEL, principal=principal, history=0
        ).id
    request = TurnRequest(
        agent=agent,
        message=message,
        conversation_id=conversation_id,
        principal=principal,
        person_id=person_id,
        channel=CHANNEL,
    )
    return request, services.runtime


def _last_user_text(messages: list[ChatMessage]) -> str:
    for message in reversed(messages):
        if message.role != "user":
            continue
        if isinstance(message.content, str):
            text = message.content
        else:
            text = "\n".join(part.text for part in message.content or [] if part.type == "text" and part.text)
        if text.strip():
            return text
        break
    raise HTTPException(422, "messages must end with a `user` message that has text, got none")


async def _chunks(runtime: Runtime, turn: TurnRequest, *, include_usage: bool) -> AsyncIterator[str]:
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> str:
        head = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": turn.agent}
        return _event({**head, "choices": choices, **extra})

    first = True
    async for event in stream_turn(runtime, turn):
        if isinstance(event, Delta):
            delta = {"role": "assistant", "content": event.text} if first else {"content": event.text}
            yield chunk([{"index": 0, "delta": delta, "finish_reason": None}])
            first = False
        elif isinstance(event, Finished):
            yield chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}], cadre=event.result.to_json())
            if include_usage:  # OpenAI's convention: one last chunk without choices, carrying the usage
                yield chunk([], usage=_usage(event.result))
        elif isinstance(event, Failed):
            yield _event({"error": {"message": event.error, "type": "cadre_error"}})
    yield "data: [DONE]\n\n"


def _completion(result: TurnResult, agent: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{result.turn_id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": agent,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": result.reply}, "finish_reason": "stop"}],
        "usage": _usage(result),
        "cadre": result.to_json(),
    }


def _usage(result: TurnResult) -> dict[str, int]:
    prompt, completion = result.tokens.get("input", 0), result.tokens.get("output", 0)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


async def _app_error_response(request: Request, exc: Exception) -> JSONResponse:
    handlers = request.app.exception_handlers
    handler = next(handlers[kind] for kind in type(exc).__mro__ if kind in handlers)
    return await handler(request, exc)  # type: ignore[no-any-return]


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return JSONResponse({"error": {"message": message, "type": kind, "code": status}}, status, headers=headers)


def _event(payload: dict[str, Any]) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


def _epoch(iso: str) -> int:
    return int(aware(datetime.fromisoformat(iso)).timestamp())
