"""Input limits: clean text passes (normalised), bad text is refused with a message that says why."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre.guardrails.limits import InputRejected, check_input


def test_text_is_normalised_and_hidden_characters_are_removed() -> None:
    assert check_input("Cafe\u0301 ok\u200b\u202e!", max_chars=100) == "Café ok!"
    assert check_input("line one\nline two\ttab", max_chars=100) == "line one\nline two\ttab"
    assert check_input("パスワード".encode(), max_chars=100) == "パスワード"


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("x" * 11, "at most 10 characters, got 11"),
        ("   \n ", "the message is empty"),
        (b"\xff\xfe bad", "must be UTF-8 text"),
        ("broken \ud800 surrogate", "unpaired surrogates"),
    ],
)
def test_bad_input_is_refused_with_the_reason(message: str | bytes, error: str) -> None:
    with pytest.raises(InputRejected, match=error):
        check_input(message, max_chars=10)


@given(st.text())
def test_any_text_either_passes_clean_or_is_refused(text: str) -> None:
    try:
        cleaned = check_input(text, max_chars=1000)
    except InputRejected:
        return
    assert cleaned.strip() and len(cleaned) <= 1000


def test_the_package_exports_every_guardrail_by_name() -> None:
    import cadre.guardrails as guardrails

    assert sorted(guardrails.__all__) == sorted(guardrails._HOMES)
    assert all(getattr(guardrails, name) is not None for name in guardrails.__all__)
