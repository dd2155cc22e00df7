"""`cadre chat AGENT [MESSAGE]`: one turn (or an interactive conversation) with a deployed agent."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from cadre.agents.models import Channel
from cadre.cli import _context
from cadre.cli._output import console, err_console, print_json

if TYPE_CHECKING:
    from cadre.agents.runtime import TurnResult


def chat(
    agent: str = typer.Argument(..., help="A deployed agent."),
    message: str | None = typer.Argument(None, help="The message; without it, an interactive chat opens."),
    conversation: str | None = typer.Option(None, "--conversation", help="Continue this conversation id."),
    principal: str = typer.Option("anonymous", "--as", help="Whom the turn acts for, e.g. `user:ana@example.com`."),
    channel: Channel = typer.Option("api", "--channel", help="api, web, slack or email."),
    version: int | None = typer.Option(None, "--version", min=1, help="An agent version (default: the latest)."),
    engine: str | None = typer.Option(
        None, "--engine", help="Run on this engine instead of the spec's: offline, or openai when configured."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the turn as JSON."),
) -> None:
    """Talk to an agent: reply, topic, actions, citations, hand-off, guardrail verdicts, latency and cost."""
    from cadre.agents.runtime import TurnRequest

    runtime = _context.runtime()

    streamed: list[str] = []

    def stream(delta: str) -> None:
        # An LLM engine's reply appears as it is written; guardrails may still revise it, so the final reply
        # is printed again when it differs from what streamed.
        if not streamed:
            console.print("[bold green]agent>[/] ", end="")
        streamed.append(delta)
        console.print(delta, end="", highlight=False, markup=False)

    def turn(text: str, conversation_id: str | None) -> TurnResult:
        streamed.clear()
        request = TurnRequest(
            agent=agent,
            message=text,
            conversation_id=conversation_id,
            principal=principal,
            channel=channel,
            version=version,
            engine=engine,
            on_text=None if json_out else stream,
        )
        result = runtime.run_turn(request)
        if streamed:
            console.print()
        return result

    if message is not None:
        result = turn(message, conversation)
        if json_out:
            print_json(result.to_json())
        else:
            _show(result, streamed="".join(streamed))
        return
    err_console.print(f"Chatting with [bold]{agent}[/]; an empty line or Ctrl-D ends.")
    conversation_id = conversation
    while True:
        try:
            text = console.input("[bold cyan]you>[/] ")
        except (EOFError, KeyboardInterrupt):
            break
        if not text.strip():
            break
        result = turn(text, conversation_id)
        conversation_id = result.conversation_id
        if json_out:
            print_json(result.to_json())
        else:
            _show(result, streamed="".join(streamed))
    err_console.print(f"conversation {conversation_id}")


def _show(result: TurnResult, *, streamed: str = "") -> None:
    if result.reply.strip() != streamed.strip():
        console.print(f"[bold green]{result.topic or 'agent'}>[/] {result.reply}", highlight=False)
    for citation in result.citations:
        console.print(f"  [dim]source: {citation['title']} {citation['url'] or citation['doc_id']}[/]", highlight=False)
    for action in result.actions:
        mark = "ok" if action["ok"] else "failed"
        console.print(f"  [dim]action {action['name']} {mark}: {action['result_summary']}[/]", highlight=False)
    if result.handoff:
        console.print(f"  [yellow]handed off to {result.handoff['queue']} ({result.handoff['reason']})[/]")
    console.print(
        f"  [dim]{result.language} · {result.latency_ms:.0f} ms · conversation {result.conversation_id}[/]",
        highlight=False,
    )
