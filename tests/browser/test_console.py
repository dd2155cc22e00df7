"""The console in a real browser: sign in, open a conversation from the list, claim and answer a hand-off."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from cadre.agents.runtime import Runtime, TurnRequest
from cadre.console import mount
from cadre.server.app import create_app
from cadre.server.services import Services
from tests.hero_company import Hero

PASSWORD = "browser-pass-1"


@pytest.fixture(scope="module")
def sample(hero: Hero) -> tuple[Services, Runtime]:
    runtime = hero.runtime()
    services = Services(hero.settings, hero.db, injected={"runtime": runtime, "data": hero.data, "knowledge": hero.kb})
    services.users.create("browser-agent", PASSWORD, "human_agent", replace=True)
    return services, runtime


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/inbox")
    expect(page).to_have_url(f"{base}/login?next=/inbox")
    page.get_by_label("Username").fill("browser-agent")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/inbox")


def test_sign_in_and_open_a_conversation_from_the_list(
    page: Page, serve: Callable[[FastAPI], str], sample: tuple[Services, Runtime]
) -> None:
    services, runtime = sample
    message = "How do I enable two-factor authentication?"
    runtime.run_turn(TurnRequest(agent="service", message=message, channel="web"))
    base = serve(create_app(services, mounts=[mount]))
    sign_in(page, base)
    page.get_by_role("link", name="Conversations").click()
    page.get_by_role("searchbox", name="Text").fill("two-factor")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=message).first.click()
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()
    expect(page.locator(".msg-customer").first).to_contain_text(message)
    expect(page.locator(".msg-agent summary").first).to_contain_text("topic")


def test_claim_and_answer_a_hand_off_and_see_the_reply_in_the_transcript(
    page: Page, serve: Callable[[FastAPI], str], sample: tuple[Services, Runtime]
) -> None:
    services, runtime = sample
    base = serve(create_app(services, mounts=[mount]))
    sign_in(page, base)
    # A hand-off that arrives while the inbox is open appears without a reload.
    turn = runtime.run_turn(TurnRequest(agent="service", message="I want to talk to a human, please", channel="web"))
    handoff = next(h for h in services.inbox.list(status="open") if h.conversation_id == turn.conversation_id)
    row_link = page.locator(f'#handoffs a[href="/inbox/{handoff.id}"]').first
    expect(row_link).to_be_visible(timeout=15_000)
    row_link.click()
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_role("status").first).to_contain_text("Claimed.")
    page.get_by_label("Reply to the customer").fill("Hello, this is Ana. I can help you now.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".msg-human").last).to_contain_text("Hello, this is Ana. I can help you now.")
    assert services.conversations.messages(turn.conversation_id)[-1]["author"] == "browser-agent"
