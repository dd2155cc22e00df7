"""The demo's agent part: deploy the four hero agents and run their shipped conversations through the runtime."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cadre.cli import _context
from cadre.cli._output import console, status


def agents_tour(quiet: bool) -> dict[str, Any]:
    """Deploy the sample's hero agents and run each shipped suite: conversations in all seven languages, checked."""
    from cadre.evaluation.runner import run_suite, store_run
    from cadre.evaluation.suites import load_suite, shipped_suites
    from cadre.sample.install import deploy_sample_agents

    deployed = {d.agent: d.version for d in deploy_sample_agents(_context.agent_versions())}
    with status("Assessing the agents in the portfolio…", quiet=quiet):
        portfolio = portfolio_tour()
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
    return {
        "deployed": deployed,
        "portfolio": portfolio,
        "sales": sales,
        "suites": runs,
        "briefing": briefing_tour(quiet),
    }


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
    portfolio = tour.get("portfolio")
    if portfolio:
        ranked = ", ".join(
            f"{p['rank']}. {p['name']} {p['overall']:.0f}" for p in sorted(portfolio, key=lambda p: p["rank"])
        )
        lines.append(f"Portfolio (impact, data readiness, ROI out of 100): {ranked} (`cadre portfolio list`)")
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


DAY_FILE = "demo-day.json"  # the simulated day's summary, so `--reuse` knows the traffic is already there
LOGIN_FILE = "demo-login.txt"
WIDGET_KEY_FILE = "demo-widget-key.txt"
DEMO_USER = "demo"
WIDGET_PAGE = Path("examples") / "widget.html"


def day_recorded() -> bool:
    return (_context.settings().resolved_home / DAY_FILE).exists()


def traffic_tour(*, conversations: int, seed: int, quiet: bool, again: bool) -> dict[str, Any]:
    """A simulated day of customer traffic through the real runtime; run once per home unless asked `again`."""
    import json

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cadre.server.services import Services
    from cadre.simulation import simulate_day

    marker = _context.settings().resolved_home / DAY_FILE
    if marker.exists() and not again:
        return {"reused": str(marker), **json.loads(marker.read_text(encoding="utf-8"))}
    services = Services(
        _context.settings(),
        _context.database(),
        injected={"runtime": _context.runtime(), "data": _context.data_service(), "knowledge": _context.knowledge()},
    )
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=quiet, transient=True) as bar:
        task = bar.add_task("A day of customer traffic through the four agents", total=conversations)
        summary = simulate_day(
            services.runtime,
            services,
            conversations=conversations,
            seed=seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    day = summary.to_json()
    day["incidents"] = alert_pass(summary.last_message_at)
    _private_write(marker, json.dumps(day, indent=2))
    return day


def alert_pass(at: str | None) -> list[dict[str, Any]]:
    """The alert rules evaluated as the background worker would have at the end of the simulated day: the day's
    late-evening product incident should open one."""
    from datetime import datetime

    from cadre.observability.incidents import AlertWorker

    if at is None:
        return []
    worker = AlertWorker.from_settings(_context.settings(), _context.database())
    opened = worker.run_once(now=datetime.fromisoformat(at)).opened
    return [{"id": i.id, "rule": i.rule, "agent": i.agent, "severity": i.severity} for i in opened]


def portfolio_tour() -> list[dict[str, Any]]:
    """The deployed heroes assessed in the portfolio, and the two example use cases proposed beside them."""
    from cadre.portfolio.sample import install_sample_portfolio
    from cadre.portfolio.service import Portfolio

    portfolio = Portfolio(
        _context.database(), _context.agent_versions(), actions=_context.runtime().actions, data=_context.data_service()
    )
    return [
        {"name": intake.proposal.name, "overall": intake.assessment.overall, "rank": intake.rank.position}
        for intake in install_sample_portfolio(portfolio)
    ]


def console_access(host: str, port: int) -> dict[str, Any]:
    """The demo's console login (user `demo`, admin) and a channel key for the service agent's web widget, both
    kept in 0600 files of the home so a second run prints the same ones."""
    import secrets

    from cadre.access.keys import ApiKeys
    from cadre.access.users import ConsoleUsers

    home = _context.settings().resolved_home
    login = home / LOGIN_FILE
    password = login.read_text(encoding="utf-8").split()[-1] if login.exists() else secrets.token_urlsafe(12)
    _private_write(login, f"{DEMO_USER} {password}\n")
    ConsoleUsers(_context.database()).create(DEMO_USER, password, "admin", display_name="Demo admin", replace=True)

    keys = ApiKeys(_context.database())
    stored = home / WIDGET_KEY_FILE
    key = stored.read_text(encoding="utf-8").strip() if stored.exists() else ""
    if not key or keys.verify(key) is None:
        key, _ = keys.create("channel", agent="service", name="demo web widget")
        _private_write(stored, key + "\n")
    url = f"http://{host}:{port}"
    page = WIDGET_PAGE.resolve()
    return {
        "url": url + "/",
        "user": DEMO_USER,
        "password": password,
        "login_file": str(login),
        "widget_key": key,
        "widget_page": f"{page.as_uri()}#server={url}&key={key}" if page.exists() else None,
        "widget_tag": f'<script src="{url}/widget.js" data-agent="service" data-key="{key}" async></script>',
    }


def _private_write(path: Path, text: str) -> None:
    """Secrets on disk are the owner's only: created 0600 before anything is written to them."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)  # an existing file keeps its old mode through O_CREAT


def render_day(day: dict[str, Any]) -> list[str]:
    if not day:
        return []
    languages = ", ".join(f"{code} {n}" for code, n in day["languages"].items())
    channels = ", ".join(f"{name} {n}" for name, n in day["channels"].items())
    agents = ", ".join(f"{name} {n}" for name, n in day["agents"].items())
    csat = f", mean CSAT {day['mean_csat']:.1f}" if day["mean_csat"] is not None else ""
    again = " (the day already run in this home; `--rerun-traffic` adds another)" if "reused" in day else ""
    return [
        f"A day of traffic{again}: {day['conversations']} conversations, {day['turns']} turns in "
        f"{day['seconds']:.0f}s (p50 {day['turn_ms_p50']} ms a turn)",
        f"  agents: {agents}",
        f"  languages: {languages}",
        f"  channels: {channels}; {day['continued_across_channels']} continued on another channel",
        f"  {day.get('handed_off', 0)} handed to a person, {day['handoffs_open']} hand-offs waiting in the inbox; "
        f"{day['feedback']} ratings{csat}",
        *(
            f"  incident #{i['id']} opened: {i['rule']} on {i['agent']} ({i['severity']}) — see /incidents"
            for i in day.get("incidents", [])
        ),
    ]


def render_access(access: dict[str, Any]) -> list[str]:
    lines = [
        f"Console: {access['url']}  login [bold]{access['user']}[/] / [bold]{access['password']}[/] "
        f"(kept in {access['login_file']})",
    ]
    if access["widget_page"]:
        lines.append(f"Web widget test page (open in a browser while the console runs): {access['widget_page']}")
    else:
        lines.append(f"Web widget for the service agent, on any page: {access['widget_tag']}")
    return lines
