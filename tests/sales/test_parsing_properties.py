"""Whatever bytes arrive, reading them as a reply either succeeds or says clearly why not; dates never lie in the
past."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.sales.dates import named_date
from cadre.sales.inbound import MalformedReply, ParsedReply, parse_reply

HEADER_LINES = st.sampled_from(
    [
        b"From: lead@example.com\n",
        b"From: \n",
        b"Subject: Re: hello\n",
        b"Message-ID: <x@example.com>\n",
        b"In-Reply-To: <L000001.touch.0@halyard.example>\n",
        b'Content-Type: multipart/mixed; boundary="b"\n',
        b"Content-Type: text/html\n",
        b"Content-Transfer-Encoding: base64\n",
        b"Auto-Submitted: auto-replied\n",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(HEADER_LINES, max_size=6), st.binary(max_size=300))
def test_any_message_is_read_or_refused_with_a_reason(headers: list[bytes], body: bytes) -> None:
    raw = b"".join(headers) + b"\n" + body
    try:
        reply = parse_reply(raw)
    except MalformedReply as exc:
        assert " must " in str(exc)
    else:
        assert isinstance(reply, ParsedReply)
        assert "@" in reply.sender and reply.message_id.startswith("<")


@given(st.text(max_size=80), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_a_named_date_is_never_before_today(text: str, today: date) -> None:
    found = named_date(text, today=today)
    assert found is None or found >= today
