"""The web chat widget on a page of another site: a streamed reply with its sources, a reload, a rating."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from cadre.agents.runtime import TurnRequest
from cadre.channels import web
from cadre.channels.feedback import FeedbackStore
from cadre.channels.identity import remembered_identity, widget_hash
from cadre.server import api
from cadre.server.app import create_app
from cadre.server.services import Services
from tests.hero_company import Hero

Serve = Callable[[FastAPI], str]
WIDGET_SECRET = "browser-test-widget-secret"


@pytest.fixture(scope="module")
def services(hero: Hero) -> Services:
    runtime = hero.runtime(agents=["service"])
    # The first turn loads the embedding model; the widget's first reply should not wait on that.
    runtime.run_turn(TurnRequest(agent="service", message="Hello", channel="web"))
    settings = hero.settings.model_copy(update={"widget_secret": SecretStr(WIDGET_SECRET)})
    return Services(settings, hero.db, injected={"runtime": runtime, "data": hero.data, "knowledge": hero.kb})


def _site(cadre_url: str, key: str, visitor: str | None = None) -> FastAPI:
    """A customer's own site (another origin than Cadre's), with the widget's one tag on its page; a signed-in
    `visitor` is vouched for with the widget secret."""
    site = FastAPI()
    signed = f' data-user-email="{visitor}" data-user-hash="{widget_hash(WIDGET_SECRET, visitor)}"' if visitor else ""

    @site.get("/")
    def home() -> HTMLResponse:
        return HTMLResponse(
            "<!doctype html><html lang='en'><head><title>Halyard Cloud</title>"
            "<style>button { background: hotpink; }</style></head>"
            "<body><h1>Welcome to Halyard Cloud</h1>"
            f'<script src="{cadre_url}/widget.js" data-agent="service" data-key="{key}"{signed} async></script>'
            "</body></html>"
        )

    return site


def test_chat_through_the_widget(services: Services, serve: Serve, page: Page) -> None:
    cadre_url = serve(create_app(services, mounts=[api.mount, web.mount]))
    key, _ = services.keys.create("channel", agent="service", name="widget test")
    page.goto(serve(_site(cadre_url, key)))

    page.get_by_role("button", name="Open chat").click()
    page.get_by_label("Your message").fill("How do I invite a new user?")
    with page.expect_response(lambda response: response.url.endswith("/messages/stream")) as streamed:
        page.get_by_role("button", name="Send", exact=True).click()
    assert streamed.value.headers["content-type"].startswith("text/event-stream")

    reply = page.locator(".cw-agent .cw-text").first
    expect(reply).to_contain_text("Invite and manage users")
    expect(reply).to_have_attribute("aria-busy", "false")
    source = page.get_by_role("list", name="Sources").get_by_role("link").first
    expect(source).to_have_attribute("href", "https://help.halyard.example/en/invite-and-manage-users")
    conversation_id = page.evaluate(
        "() => Object.entries(localStorage).map(([, v]) => JSON.parse(v).conversation).find(Boolean)"
    )
    transcript = services.conversations.messages(conversation_id)
    assert [m["channel"] for m in transcript] == ["web", "web"]
    expect(reply).to_have_text(transcript[1]["text"])
    # the page's own styles stop at the widget's shadow root
    assert page.get_by_role("button", name="Send", exact=True).evaluate("b => getComputedStyle(b).backgroundColor") != (
        "rgb(255, 105, 180)"
    )

    page.reload()
    expect(page.locator(".cw-customer .cw-text")).to_have_text(["How do I invite a new user?"])
    expect(page.locator(".cw-agent .cw-text")).to_have_text([transcript[1]["text"]])

    page.get_by_role("button", name="End chat").click()
    page.get_by_role("button", name="Rate 4 out of 5").click()
    page.get_by_label("Anything to add? (optional)").fill("Quick and clear")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    [rating] = FeedbackStore(services.db).for_conversation(conversation_id)
    assert (rating.csat, rating.comment, rating.channel) == (4, "Quick and clear", "web")


def test_a_hand_off_brings_a_persons_replies_and_then_the_rating(services: Services, serve: Serve, page: Page) -> None:
    cadre_url = serve(create_app(services, mounts=[api.mount, web.mount]))
    key, _ = services.keys.create("channel", agent="service", name="widget hand-off test")
    page.goto(serve(_site(cadre_url, key, visitor="Signed.Visitor@client.example")))

    page.get_by_role("button", name="Open chat").click()
    page.get_by_label("Your message").fill("I want to talk to a human")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("A person from our team will answer you here.")).to_be_visible()
    conversation_id = page.evaluate(
        "() => Object.entries(localStorage).map(([, v]) => JSON.parse(v).conversation).find(Boolean)"
    )
    [handoff] = [h for h in services.inbox.list() if h.conversation_id == conversation_id]
    assert remembered_identity(services, "web", "signed.visitor@client.example") is not None  # the page vouched

    services.delivery.human_reply(handoff.id, "Hi, Dana here. How can I help?", by="dana")
    human = page.locator(".cw-human")
    expect(human.locator(".cw-who")).to_have_text("dana", timeout=15_000)  # the widget polls for it
    expect(human.locator(".cw-text")).to_have_text("Hi, Dana here. How can I help?")

    services.inbox.resolve(handoff.id, by="dana")
    expect(page.get_by_role("button", name="Rate 5 out of 5")).to_be_visible(timeout=15_000)
