"""Where actions come from: the built-in hero actions, and a user's modules, whose names win."""

import pytest

from cadre.agents.registry import load_actions
from cadre.errors import ConfigError


def test_the_hero_agents_actions_are_built_in() -> None:
    names = set(load_actions().names())
    assert {"verify_customer", "book_meeting", "quote_price", "qualify"} <= names


def test_a_users_action_replaces_a_built_in_one_of_the_same_name() -> None:
    registry = load_actions(["tests.agents.help_desk"])
    assert registry.get("request_refund").function.__module__ == "tests.agents.help_desk"
    assert "verify_customer" in registry  # the other built-ins stay


def test_a_module_that_cannot_be_imported_is_named() -> None:
    with pytest.raises(ConfigError, match=r"cannot import action module 'no\.such\.module'"):
        load_actions(["no.such.module"])
