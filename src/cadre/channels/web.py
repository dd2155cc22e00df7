"""The web chat widget: one `<script>` tag on any page renders a chat bubble that talks to an agent through the API.

    <script src="https://cadre.example.com/widget.js" data-agent="service" data-key="CHANNEL_KEY" async></script>

Optional `data-user-email` and `data-user-hash` (HMAC-SHA256 of the lower-cased e-mail with `CADRE_WIDGET_SECRET`)
say who a signed-in visitor is, so they continue the conversation they had on another channel. The script and its
styles are plain files served by Cadre itself: no CDN, no framework.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse

STATIC = Path(str(files("cadre.channels") / "static"))
# Pages load the script on every view; an hour keeps them fast and still picks up a new version the same day.
CACHE = "public, max-age=3600"


def mount(app: FastAPI) -> None:
    @app.get(
        "/widget.js",
        tags=["channels"],
        summary="The web chat widget's script (public: a page's channel key is what authorises its calls)",
        response_class=FileResponse,
    )
    def widget_script() -> FileResponse:
        return FileResponse(STATIC / "widget.js", media_type="text/javascript", headers={"Cache-Control": CACHE})

    @app.get("/widget.css", tags=["channels"], summary="The web chat widget's styles", response_class=FileResponse)
    def widget_styles() -> FileResponse:
        return FileResponse(STATIC / "widget.css", media_type="text/css", headers={"Cache-Control": CACHE})
