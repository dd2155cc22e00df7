"""The widget's files are served by Cadre itself, as a script and a stylesheet any page may load."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cadre.channels import web
from cadre.server.app import create_app
from cadre.server.services import Services


def test_the_widget_script_and_styles_are_served(services: Services) -> None:
    with TestClient(create_app(services, mounts=[web.mount])) as client:
        script = client.get("/widget.js")
        styles = client.get("/widget.css")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "/api/conversations" in script.text and "attachShadow" in script.text
    assert styles.status_code == 200 and styles.headers["content-type"].startswith("text/css")
    assert ".cw-bubble" in styles.text
    assert "max-age" in script.headers["cache-control"]
