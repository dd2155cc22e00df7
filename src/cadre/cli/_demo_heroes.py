"""The demo's agent part: deploy the four hero agents and run their shipped conversations through the runtime."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cadre.cli import _context
from cadre.cli._output import status


def agents_tour(quiet: bool) -> dict[str, Any]:
    """Deploy the sample's hero agents and run each shipped suite: conversations in all seven languages, checked."""
    from cadre.evaluation.runner import run_suite, store_run
    from cadre.evaluation.suites import load_suite, shipped_suites
    from cadre.sample.install import deploy_sample_agents

    deployed = {d.agent: d.version for d in deploy_sample_agents(_context.agent_versions())}
    sales = sales_tour(quiet)
    runtime = _context.runtime()
    runs: list[dict[str, Any]] = []
    for shipped in shipped_suites():
        suite = load_suite(Path(shipped["path"]))
        with status(f"Talking to the {suite.agent} agent ({len(suite.cases)} conversations)…", quiet=quiet):
            run = run_suite(runtime, suite, suite_name=shipped["path"])
        store_run(_context.database(), run)
        languages = sorted({t.language for r in run.results for t in r.turns})
        handoffs = sum(any(t.handoff for t in r.turns) for r in run.results)
        turns = [t for r in run.results for t in r.turns]
        runs.append(
            {
                "agent": run.agent,
                "version": run.version,
                "run_id": run.run_id,
                "conversations": len(run.results),
                "turns": len(turns),
                "passed": run.passed,
                "languages": languages,
                "handoffs": handoffs,
                "failed": [r.id for r in run.results if not r.passed],
                "seconds": round(run.seconds, 1),
            }
        )
    return {"deployed": deployed, "sales": sales, "suites": runs, "briefing": briefing_tour(quiet)}


def sales_tour(quiet: bool) -> dict[str, Any]:
    """The SDR agent's day on the sample company: every open lead worked, replies answered, meetings booked, with
    the mail delivered to a local SMTP server started for the demo."""
    from cadre.sales.demo import run_sales_demo

    data = _context.data_service()
    with status("Working the open leads (SDR agent, local mail server)…", quiet=quiet):
        return run_sales_demo(data.settings, _context.database(), data, _context.knowledge())


def briefing_tour(quiet: bool) -> dict[str, Any]:
    """An account briefing, as the seller who owns the account would ask for it (Markdown and PDF)."""
    from datetime import UTC, datetime

    from cadre.heroes.briefing import build_briefing, to_markdown, to_pdf

    data = _context.data_service()
    sellers = data.get("User", principal="role:admin", purpose="demo", where={"role": "seller"}, limit=1).rows
    if not sellers:
        return {}
    seller = sellers[0]
    accounts = data.get(
        "Account", principal=f"user:{seller['user_id']}", purpose="account_briefing", fields=["account_id"], limit=1
    ).rows
    if not accounts:
        return {}
    folder = data.settings.resolved_home / "briefings"
    folder.mkdir(parents=True, exist_ok=True)
    with status("Writing an account briefing…", quiet=quiet):
        briefing = build_briefing(
            data,
            _context.knowledge(),
            principal=f"user:{seller['user_id']}",
            account=str(accounts[0]["account_id"]),
            now=datetime.now(UTC),
        )
        markdown = folder / f"{briefing.facts.account_id}.md"
        markdown.write_text(to_markdown(briefing), encoding="utf-8")
        pdf = folder / f"{briefing.facts.account_id}.pdf"
        note = to_pdf(briefing, pdf)
    return {
        "seller": seller["user_id"],
        "account": briefing.facts.account_id,
        "health": briefing.health.status,
        "sources": len(briefing.sources),
        "markdown": str(markdown),
        "pdf": str(pdf),
        "note": note,
    }


def render_agents(tour: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    sales = tour.get("sales")
    if sales:
        replies = ", ".join(f"{n} {label.replace('_', ' ')}" for label, n in sales["replies"].items() if n)
        share = sales["coverage"]["share"]
        lines.append(
            f"SDR agent: {sales['open_leads']} open leads, {sales['leads_touched']} touched "
            f"({sales['first_touches']} first touches, {sales['follow_ups']} follow-ups, "
            f"{len(sales['skipped'])} skipped), {sales['emails_delivered']} e-mails delivered; replies: {replies}; "
            f"{sales['meetings_booked']} meetings booked ({sales['invites_with_ics']} .ics invites); "
            f"coverage {'n/a' if share is None else f'{share:.0%}'} within the SLA (`cadre sales run --json`)"
        )
    for run in tour["suites"]:
        lines.append(
            f"Agent {run['agent']} v{run['version']}: {run['conversations']} conversations ({run['turns']} turns, "
            f"{', '.join(run['languages'])}) — {run['passed']}/{run['conversations']} met their expectations, "
            f"{run['handoffs']} handed to a person, {run['seconds']:.0f}s"
        )
    if tour["suites"]:
        lines.append("  try `cadre chat service`, `cadre eval suites`, `cadre eval run PATH --agent NAME`")
    brief = tour.get("briefing")
    if brief:
        lines.append(
            f"Briefing on {brief['account']} for seller {brief['seller']}: health {brief['health']}, "
            f"{brief['sources']} sources — {brief['markdown']} and .pdf "
            f"(`cadre brief {brief['account']} --as {brief['seller']}`)"
        )
    return lines
