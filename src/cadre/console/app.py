"""Mount the console on the app: its pages at `/`, its scripts and styles (and plotly.js) under `/console/static/`."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from cadre.console import agents, conversations, dashboard, data, home, inbox, knowledge, live, test_centre, traces
from cadre.console import incidents as incident_pages
from cadre.console import portfolio as portfolio_pages

STATIC = Path(__file__).parent / "static"
# plotly.js comes from the installed `plotly` package, so the console works offline and never asks a CDN.
PLOTLY_JS = Path(str(files("plotly") / "package_data" / "plotly.min.js"))
PLOTLY_URL = "/console/static/plotly.min.js"


def mount(app: FastAPI) -> None:
    @app.get(PLOTLY_URL, include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    # The route above is added first, so it answers before the static folder's mount sees the path.
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    for part in (home, agents, conversations, inbox, knowledge, data, live, test_centre, dashboard, traces):
        app.include_router(part.router, include_in_schema=False)
    app.include_router(portfolio_pages.router, include_in_schema=False)
    app.include_router(incident_pages.router, include_in_schema=False)
