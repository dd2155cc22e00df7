"""A seller cannot reach another team's account by any route: Slack, chat with the seller assistant, an account
briefing, or the governed data layer itself. Each answers with a refusal and none returns the account's deals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cadre.agents.runtime import TurnRequest
from cadre.heroes._seller_accounts import AccountOutsideTeam
from cadre.heroes.briefing import build_briefing
from tests.channels.conftest import Company, company  # noqa: F401  (the sample company with its agents)
from tests.channels.fake_slack import FakeSlack, event
from tests.channels.test_slack import _send, client, fake_slack, seller_email, slack_services  # noqa: F401

NOW = datetime(2026, 11, 24, 15, tzinfo=UTC)


def _seller(company: Company, email: str) -> dict[str, Any]:  # noqa: F811
    [row] = company.hero.data.get("User", principal="role:admin", purpose="tests", where={"email": email}).rows
    return row


def _foreign_account(company: Company, team: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:  # noqa: F811
    """An account another team owns that has open deals, and those deals (read as an admin)."""
    data = company.hero.data
    for account in data.get("Account", principal="role:admin", purpose="tests").rows:
        if account["owner_team"] == team:
            continue
        deals = data.get(
            "Opportunity", principal="role:admin", purpose="tests", where={"account_id": account["account_id"]}
        ).rows
        if deals:
            return account, deals
    raise AssertionError("the sample company has no account of another team with deals")


def _leaks(text: str, deals: list[dict[str, Any]]) -> list[str]:
    return [str(deal["opportunity_id"]) for deal in deals if str(deal["opportunity_id"]) in text] + [
        str(deal["name"]) for deal in deals if str(deal["name"]) in text
    ]


@pytest.fixture
def target(company: Company, seller_email: str) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:  # noqa: F811
    seller = _seller(company, seller_email)
    account, deals = _foreign_account(company, str(seller["team"]))
    return f"user:{seller['user_id']}", account, deals


def test_slack_refuses_another_teams_account(
    client: TestClient,  # noqa: F811
    fake_slack: FakeSlack,  # noqa: F811
    target: tuple[str, dict[str, Any], list[dict[str, Any]]],
) -> None:
    _, account, deals = target
    ask = f"<@UBOT> What are the open opportunities at {account['name']}?"
    _send(client, event("app_mention", user="U-SELLER", text=ask, ts="1700000100.000100", channel="C-DEALS"))
    reply = fake_slack.next_post()["text"]
    assert "another team" in reply and not _leaks(reply, deals), reply


def test_chat_refuses_another_teams_account(
    company: Company,  # noqa: F811
    target: tuple[str, dict[str, Any], list[dict[str, Any]]],
) -> None:
    seller, account, deals = target
    result = company.runtime.run_turn(
        TurnRequest(
            agent="seller_assistant", message=f"Show me the open deals for {account['name']}", principal=seller, now=NOW
        )
    )
    shown = " ".join([result.reply, *(a["result_summary"] for a in result.actions)])
    assert "another team" in result.reply and not _leaks(shown, deals), shown


def test_a_briefing_on_another_teams_account_is_refused(
    company: Company,  # noqa: F811
    target: tuple[str, dict[str, Any], list[dict[str, Any]]],
) -> None:
    seller, account, _ = target
    with pytest.raises(AccountOutsideTeam, match="belongs to another team"):
        build_briefing(company.hero.data, company.hero.kb, principal=seller, account=account["name"], now=NOW)


def test_the_data_layer_returns_none_of_another_teams_deals(
    company: Company,  # noqa: F811
    target: tuple[str, dict[str, Any], list[dict[str, Any]]],
) -> None:
    seller, account, _ = target
    rows = company.hero.data.get(
        "Opportunity", principal=seller, purpose="sales", where={"account_id": account["account_id"]}
    ).rows
    assert rows == []
    assert company.hero.data.audit.verify().ok
