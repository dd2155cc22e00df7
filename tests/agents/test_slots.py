"""Slot extraction: ids, emails, dates, amounts and phone numbers, validated."""

import pytest

from cadre.agents.slots import extract_slots, valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "my email is Ana.Lopez@Example.com, order ord 10421",
            [("email", "ana.lopez@example.com"), ("order_id", "ORD-10421")],
        ),
        ("invoice INV-2026-0042 for €1.234,56", [("invoice_id", "INV-2026-0042"), ("amount", "1234.56")]),
        ("refund 49.99 USD please, case CASE-778", [("amount", "49.99"), ("case_id", "CASE-778")]),
        (
            "電話 +81 3-1234-5678、2026年1月5日に5,000円",
            [("phone", "+81312345678"), ("date", "2026-01-05"), ("amount", "5000")],
        ),
        ("customer CUST-00123 since 31.01.2026", [("customer_id", "CUST-00123"), ("date", "2026-01-31")]),
    ],
)
def test_slots_are_found_and_normalised(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.kind, s.value) for s in extract_slots(text)] == expected


def test_impossible_dates_and_short_numbers_are_not_slots() -> None:
    assert extract_slots("on 2026-02-30, code 1234") == []


def test_bare_answers_are_validated_for_the_slot_asked() -> None:
    assert valid("email", "ana@example.com")
    assert not valid("email", "ana at example")
    assert valid("invoice_id", "INV-0000123")
    assert not valid("invoice_id", "ORD-0000123")
    assert valid("date", "2026-03-01") and not valid("date", "2026-13-01")
