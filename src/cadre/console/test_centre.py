"""Test centre pages: the suites and their cases, stored runs with each case's transcript and failed checks, and
two runs of one suite compared."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from cadre.console._pages import ConsoleRoute, page, render
from cadre.errors import CadreError, NotFound
from cadre.evaluation import listing
from cadre.evaluation.compare import RunsNotComparable, compare_runs
from cadre.evaluation.metrics import METHODS
from cadre.evaluation.runner import load_run
from cadre.evaluation.suites import Suite, load_suite, shipped_suites
from cadre.server.auth import Caller, services_of
from cadre.store import Database

router = APIRouter(route_class=ConsoleRoute)
PAGE_SIZE = 25
HISTORY = 200  # runs drawn in the pass-rate chart
CHOICES = 100  # runs offered in the comparison's pickers
PASS_HAT_K = "C(c,k)/C(n,k) per case over its trials, mean over cases"


@router.get("/tests")
def run_list(
    request: Request,
    caller: Annotated[Caller, Depends(page("agents:read"))],
    agent: str = "",
    suite: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    db = services_of(request).db
    found = listing.list_runs(db, agent=agent, suite=suite, limit=PAGE_SIZE, offset=offset)
    history = listing.list_runs(db, agent=agent, suite=suite, limit=HISTORY)
    filters = {k: v for k, v in (("agent", agent), ("suite", suite)) if v}
    return render(
        request,
        "tests/runs.html",
        caller,
        found=found,
        filters=filters,
        agents=listing.run_agents(db),
        suites=list(listing.run_suites(db)),
        chart=_history_chart(history.rows),
    )


@router.get("/tests/suites")
def suite_list(request: Request, caller: Annotated[Caller, Depends(page("agents:read"))]) -> HTMLResponse:
    return render(request, "tests/suites.html", caller, suites=_known_suites(services_of(request).db))


@router.get("/tests/suite")
def suite_page(
    request: Request, caller: Annotated[Caller, Depends(page("agents:read"))], name: str = ""
) -> HTMLResponse:
    db = services_of(request).db
    known = {s["name"]: s for s in _known_suites(db)}
    if name not in known:
        raise NotFound(f"suite must be a shipped suite or one runs were made from, got {name!r}")
    suite, problem = _read_suite(known[name]["path"])
    return render(
        request,
        "tests/suite.html",
        caller,
        name=name,
        entry=known[name],
        suite=suite,
        problem=problem,
        runs=listing.list_runs(db, suite=name, limit=PAGE_SIZE).rows,
    )


@router.get("/tests/runs/{run_id}")
def run_page(request: Request, run_id: str, caller: Annotated[Caller, Depends(page("agents:read"))]) -> HTMLResponse:
    run = load_run(services_of(request).db, run_id)
    return render(
        request,
        "tests/run.html",
        caller,
        run=run,
        figures=_figures(run["metrics"]),
        pass_hat_k_method=PASS_HAT_K,
        cases=_by_case(run["results"]),
        chart=_language_chart(run["by_language"]),
    )


@router.get("/tests/runs/{run_id}/cases/{case_id}")
def case_page(
    request: Request,
    run_id: str,
    case_id: str,
    caller: Annotated[Caller, Depends(page("agents:read"))],
    trial: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    db = services_of(request).db
    run = load_run(db, run_id)
    found = [r for r in run["results"] if r["id"] == case_id and int(r.get("trial") or 1) == trial]
    if not found:
        raise NotFound(f"case must be one of run {run_id}'s cases and trials, got {case_id!r} trial {trial}")
    result = found[0]
    suite, _ = _read_suite(_suite_path(run["suite"], shipped_suites()))
    case = next((c for c in suite.cases if c.id == case_id), None) if suite is not None else None
    return render(
        request,
        "tests/case.html",
        caller,
        run=run,
        result=result,
        expectations=[t.expect.model_dump(exclude_defaults=True) for t in case.turns] if case is not None else [],
        conversation=listing.case_conversation(result),
    )


@router.get("/tests/compare")
def compare_page(
    request: Request,
    caller: Annotated[Caller, Depends(page("agents:read"))],
    a: str = "",
    b: str = "",
) -> HTMLResponse:
    db = services_of(request).db
    choices = listing.list_runs(db, limit=CHOICES).rows
    comparison: dict[str, Any] | None = None
    refusal: str | None = None
    if a and b:
        try:
            comparison = compare_runs(load_run(db, a), load_run(db, b))
        except RunsNotComparable as exc:
            refusal = exc.one_line()
    return render(
        request,
        "tests/compare.html",
        caller,
        status_code=422 if refusal else 200,
        choices=choices,
        a=a,
        b=b,
        comparison=comparison,
        refusal=refusal,
        methods=METHODS,
    )


def _known_suites(db: Database) -> list[dict[str, Any]]:
    """The shipped suites, then every other suite runs were made from, each with its number of runs."""
    runs = listing.run_suites(db)
    shipped = shipped_suites()
    found: list[dict[str, Any]] = [
        {"name": s["path"], "agent": s["agent"], "path": s["path"], "shipped": True} for s in shipped
    ]
    named = {s["name"] for s in found}
    found += [
        {"name": name, "agent": None, "path": _suite_path(name, shipped), "shipped": False}
        for name in runs
        if name not in named
    ]
    for entry in found:
        entry["runs"] = runs.get(entry["name"], 0)
    return found


def _suite_path(name: str, shipped: list[dict[str, str]]) -> str:
    """Where a run's suite is read from: the file it names, or a shipped suite named by its stem ("service")."""
    if Path(name).is_file():
        return name
    return {Path(s["path"]).stem: s["path"] for s in shipped}.get(name, name)


def _read_suite(path: str) -> tuple[Suite | None, str | None]:
    """The suite, or why it cannot be shown: a run's file may have moved, or changed since it ran."""
    if not Path(path).is_file():
        return None, f"the suite file {path!r} is not on this server"
    try:
        return load_suite(Path(path)), None
    except CadreError as exc:
        return None, exc.one_line()


def _figures(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """A run's metrics as rows: name, the value shown, the method that produced it."""
    rows: list[dict[str, Any]] = []
    for metric, figure in metrics.items():
        if metric == "latency_ms":
            value = f"p50 {_shown(figure['p50'])} · p95 {_shown(figure['p95'])}"
        elif metric == "tokens":
            value = f"{figure['input']} in · {figure['output']} out"
        elif metric == "forbidden_violations":
            value = f"{_shown(figure['value'])} ({figure['total']} found)"
        else:
            value = _shown(figure["value"])
        rows.append({"metric": metric, "value": value, "method": figure["method"]})
    return rows


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def _by_case(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case once, in suite order, with its trials: whether each passed and what failed."""
    cases: dict[str, dict[str, Any]] = {}
    for r in results:
        entry = cases.setdefault(r["id"], {"id": r["id"], "tags": r.get("tags", []), "trials": []})
        entry["trials"].append(
            {"trial": int(r.get("trial") or 1), "passed": bool(r["passed"]), "failures": r.get("failures", [])}
        )
    for entry in cases.values():
        entry["passed"] = all(t["passed"] for t in entry["trials"])
    return list(cases.values())


def _history_chart(runs: list[listing.RunSummary]) -> dict[str, Any]:
    """Pass rate of each run over time, one line per agent and suite (plotly figure JSON)."""
    series: dict[str, list[listing.RunSummary]] = {}
    for run in sorted(runs, key=lambda r: r.created_at):
        series.setdefault(f"{run.agent} · {Path(run.suite).stem}", []).append(run)
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": [r.created_at.isoformat() for r in points],
            "y": [r.pass_rate for r in points],
            "text": [f"v{r.version} · {r.engine} · {r.passed}/{r.cases}" for r in points],
        }
        for name, points in sorted(series.items())
    ]
    layout = {
        "height": 280,
        "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
        "yaxis": {"title": {"text": "pass rate"}, "range": [0, 1.05], "tickformat": ".0%"},
        "legend": {"orientation": "h"},
    }
    return {"data": traces, "layout": layout}


def _language_chart(by_language: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Task success, groundedness and answer relevancy per language (grouped bars; plotly figure JSON)."""
    languages = sorted(by_language)
    traces = [
        {"type": "bar", "name": metric, "x": languages, "y": [by_language[lang][metric] for lang in languages]}
        for metric in ("task_success", "groundedness", "answer_relevancy")
    ]
    layout = {
        "barmode": "group",
        "height": 280,
        "margin": {"l": 50, "r": 10, "t": 10, "b": 40},
        "xaxis": {"title": {"text": "language"}},
        "yaxis": {"range": [0, 1.05], "tickformat": ".0%"},
        "legend": {"orientation": "h"},
    }
    return {"data": traces, "layout": layout}
