"""E-mail replies: parsed, matched to the lead, classified and acted on (book, snooze, stop, hand off)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from cadre.agents.inbox import Inbox
from cadre.sales.demo import reply_to
from cadre.sales.inbound import MalformedReply, parse_reply
from cadre.sales.service import SalesService
from cadre.sales.store import Meeting
from cadre.testing.smtp import Delivered, LocalSmtpServer
from tests.sales.conftest import NOW

LATER = NOW + timedelta(hours=2)


def first_touch_to(sales: SalesService, smtp: LocalSmtpServer, address: str) -> Delivered:
    sales.run(now=NOW)
    found = smtp.to(address)
    assert found, f"no first touch to {address}"
    return found[0]


def test_interested_books_a_meeting_with_the_owner_and_sends_a_valid_invite(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    touch = first_touch_to(sales, smtp, "jolanda.niemeier@stonegate-capital.example")  # L000020, owner U0014
    raw = reply_to(touch, "Ja, wir sind interessiert. Schicken Sie mir gerne Termine.")
    outcome = sales.inbound(raw, now=LATER)
    assert outcome["classification"] == "interested"
    assert outcome["outcome"] == "meeting_booked"
    assert outcome["rep"] == "U0014" and len(outcome["slots"]) == 3
    invite = smtp.messages[-1]
    assert set(invite.recipients) == {"jolanda.niemeier@stonegate-capital.example", "rodrigo.brito@halyard.example"}
    assert invite.message["In-Reply-To"] == parse_reply(raw).message_id
    assert "Danke" in invite.text()  # the lead wrote German
    calendar = Calendar.from_ical(invite.calendar())
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == outcome["uid"]
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert str(start.tzinfo) == "Europe/Lisbon"  # the rep's zone
    assert end - start == timedelta(minutes=30)
    assert start == datetime.fromisoformat(outcome["slots"][0])
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert attendees == ["mailto:jolanda.niemeier@stonegate-capital.example", "mailto:rodrigo.brito@halyard.example"]
    assert 8 <= start.astimezone(ZoneInfo("Europe/Berlin")).hour < 20  # the lead's waking hours
    handoffs = Inbox(sales.db).list(queue="rep:U0014")
    assert [h.reason for h in handoffs] == ["meeting_booked"]
    assert "Jolanda" in handoffs[0].summary and "Qualification:" in handoffs[0].summary
    assert sales.store.sequence("L000020").status == "booked"  # type: ignore[union-attr]


def test_a_rep_with_no_free_slot_hands_the_lead_to_the_manager(sales: SalesService, smtp: LocalSmtpServer) -> None:
    touch = first_touch_to(sales, smtp, "jolanda.niemeier@stonegate-capital.example")
    sales.store.add_meeting(
        Meeting("busy@test", "L000999", "U0014", NOW, NOW + timedelta(days=30), "BEGIN:VCALENDAR"), now=NOW
    )
    outcome = sales.inbound(reply_to(touch, "Yes, interested - let's talk next week."), now=LATER)
    assert outcome["outcome"] == "no_free_slot"
    assert outcome["handoff"] == {"queue": "rep:U0011", "reason": "no_free_slot"}
    assert smtp.messages[-1].calendar() is None
    assert "propose times" in Inbox(sales.db).list(queue="rep:U0011")[0].summary


def test_out_of_office_snoozes_until_the_return_date_then_the_cadence_resumes(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    touch = first_touch_to(sales, smtp, "kaitlin64@inbox.example")  # L000023, New York
    sent_before = len(smtp.messages)
    outcome = sales.inbound(reply_to(touch, "I am out of the office until December 9."), now=LATER)
    assert outcome["classification"] == "out_of_office"
    assert outcome["until"] == "2026-12-10T05:00:00+00:00"  # midnight after the 9th, New York time
    assert len(smtp.messages) == sent_before  # nobody answers an auto-reply
    day3 = sales.run(now=NOW + timedelta(days=3, hours=1))
    assert {"lead_id": "L000023", "reason": "snoozed", "until": outcome["until"]} in day3["waiting"]
    assert not [m for m in smtp.to("kaitlin64@inbox.example") if m.message["In-Reply-To"]]
    sales.run(now=datetime(2026, 12, 10, 15, 0, tzinfo=UTC))  # 10:00 in New York, the day after the return
    resumed = smtp.to("kaitlin64@inbox.example")[-1].message
    assert resumed["In-Reply-To"] == touch.message["Message-ID"]


def test_unsubscribe_stops_every_further_email(sales: SalesService, smtp: LocalSmtpServer) -> None:
    touch = first_touch_to(sales, smtp, "kaitlin64@inbox.example")
    sent_before = len(smtp.messages)
    outcome = sales.inbound(reply_to(touch, "Please unsubscribe me."), now=LATER)
    assert outcome["outcome"] == "unsubscribed"
    for day in (3, 7, 30):
        sales.run(now=NOW + timedelta(days=day, hours=1))
    assert len(smtp.to("kaitlin64@inbox.example")) == 1
    assert len(smtp.messages) > sent_before  # others still got their follow-ups


def test_not_now_snoozes_and_says_when_we_will_write_again(sales: SalesService, smtp: LocalSmtpServer) -> None:
    touch = first_touch_to(sales, smtp, "kaitlin64@inbox.example")
    outcome = sales.inbound(reply_to(touch, "Not now, maybe next quarter."), now=LATER)
    assert outcome["outcome"] == "snoozed"
    assert outcome["until"].startswith("2027-01-23")
    assert "2027-01-23" in smtp.messages[-1].text()


def test_wrong_person_asks_for_the_right_contact_or_passes_on_a_referral(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    sales.run(now=NOW)
    ask = sales.inbound(
        reply_to(smtp.to("kaitlin64@inbox.example")[0], "I'm not the right person for this."), now=LATER
    )
    assert ask["outcome"] == "asked_for_contact"
    assert "Who would be the right person at Titanspark" in smtp.messages[-1].text()
    referral = sales.inbound(
        reply_to(
            smtp.to("d.alves@kinetictec-software.example")[0],
            "Não sou a pessoa certa. Fale com a nossa diretora, marta.reis@kinetictec-software.example.",
        ),
        now=LATER,
    )
    assert referral["outcome"] == "referral"
    assert referral["referrals"] == ["marta.reis@kinetictec-software.example"]
    assert referral["handoff"]["reason"] == "referral"


def test_a_reply_in_an_unsupported_language_goes_to_the_rep(sales: SalesService, smtp: LocalSmtpServer) -> None:
    touch = first_touch_to(sales, smtp, "kaitlin64@inbox.example")
    sent_before = len(smtp.messages)
    outcome = sales.inbound(
        reply_to(touch, "Dank u wel voor uw bericht, maar wij hebben hier geen behoefte aan."), now=LATER
    )
    assert outcome["outcome"] == "unsupported_language"
    assert outcome["language"] == "nl"
    assert outcome["handoff"] == {"queue": "rep:U0006", "reason": "unsupported_language"}
    assert len(smtp.messages) == sent_before


def test_a_reply_is_matched_by_sender_when_it_is_not_threaded(sales: SalesService, smtp: LocalSmtpServer) -> None:
    message = EmailMessage()
    message["From"] = "Kaitlin <KAITLIN64@inbox.example>"
    message["To"] = "sdr@halyard.example"
    message["Subject"] = "Halyard"
    message["Message-ID"] = "<fresh-1@inbox.example>"
    message.set_content("Please remove me from your list.")
    outcome = sales.inbound(bytes(message), now=LATER)
    assert outcome["lead_id"] == "L000023"
    assert outcome["outcome"] == "unsubscribed"


def test_an_unknown_sender_is_kept_and_handed_to_sales(sales: SalesService) -> None:
    message = EmailMessage()
    message["From"] = "someone@nowhere.example"
    message["Subject"] = "Hello"
    message["Message-ID"] = "<unknown-1@nowhere.example>"
    message.set_content("Who are you?")
    outcome = sales.inbound(bytes(message), now=LATER)
    assert outcome["outcome"] == "unmatched"
    assert [h.queue for h in Inbox(sales.db).list()] == ["sales"]


def test_the_same_reply_twice_is_handled_once(sales: SalesService, smtp: LocalSmtpServer) -> None:
    touch = first_touch_to(sales, smtp, "jolanda.niemeier@stonegate-capital.example")
    raw = reply_to(touch, "Sounds good, let's talk.")
    first = sales.inbound(raw, now=LATER)
    count = len(smtp.messages)
    again = sales.inbound(raw, now=LATER + timedelta(minutes=1))
    assert again["duplicate"] is True and again["uid"] == first["uid"]
    assert len(smtp.messages) == count
    assert sales.store.count_meetings() == 1


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "must not be empty"),
        (b"Subject: hi\n\nno sender here", "must have a From address"),
        (b"\x00\x01\x02 garbage without headers", "must be well-formed"),
        (
            b'From: a@b.example\nContent-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Type: image/png\n\nPNG\n',
            "must be well-formed",
        ),
    ],
)
def test_a_malformed_message_is_refused_clearly(raw: bytes, problem: str) -> None:
    with pytest.raises(MalformedReply, match=problem):
        parse_reply(raw)


def test_a_malformed_reply_is_kept_though_refused(sales: SalesService) -> None:
    with pytest.raises(MalformedReply):
        sales.inbound(b"Subject: hi\n\nno sender here", now=LATER)
    from sqlalchemy import select

    from cadre.sales.tables import InboundRow

    with sales.db.session() as session:
        kept = session.scalars(select(InboundRow)).all()
        assert [(row.status, "no sender here" in row.raw) for row in kept] == [("malformed", True)]


def test_an_invitation_the_server_refused_goes_out_with_the_next_run(
    sales: SalesService, smtp: LocalSmtpServer
) -> None:
    touch = first_touch_to(sales, smtp, "jolanda.niemeier@stonegate-capital.example")
    smtp.refuse_next(1, "554 Transaction failed")
    outcome = sales.inbound(reply_to(touch, "Yes, interested - let's talk."), now=LATER)
    assert outcome["outcome"] == "meeting_booked" and outcome["sent"] is False
    assert smtp.messages[-1].calendar() is None
    report = sales.run(now=LATER + timedelta(hours=1))
    assert report["replies_resent"] == 1
    [invite] = [m for m in smtp.to("rodrigo.brito@halyard.example") if m.calendar() is not None]
    assert set(invite.recipients) == {"jolanda.niemeier@stonegate-capital.example", "rodrigo.brito@halyard.example"}


DSN = """From: MAILER-DAEMON@mx.inbox.example
To: sdr@halyard.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-1@mx.inbox.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered to kaitlin64@inbox.example.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.inbox.example

Final-Recipient: rfc822; kaitlin64@inbox.example
Action: failed
Status: 5.1.1
--B
Content-Type: text/rfc822-headers

From: Halyard Cloud <sdr@halyard.example>
Message-ID: {message_id}
Subject: Halyard Vault for Titanspark
--B--
"""


def test_a_bounce_stops_the_sequence_of_the_lead_it_was_for(sales: SalesService, smtp: LocalSmtpServer) -> None:
    touch = first_touch_to(sales, smtp, "kaitlin64@inbox.example")
    bounce = DSN.format(message_id=touch.message["Message-ID"]).encode()
    outcome = sales.inbound(bounce, now=LATER)
    assert (outcome["lead_id"], outcome["outcome"]) == ("L000023", "bounced")
    sequence = sales.store.sequence("L000023")
    assert sequence is not None and (sequence.status, sequence.stop_reason) == ("stopped", "bounced")
    sales.run(now=NOW + timedelta(days=3, hours=1))
    assert len(smtp.to("kaitlin64@inbox.example")) == 1
