"""Sales: the SDR workflow - qualify open leads, write personalised first touches and follow-ups, send them by SMTP,
handle replies (book meetings with iCalendar invites, answer, snooze, unsubscribe, hand off) and measure coverage."""

from cadre.sales.demo import run_sales_demo
from cadre.sales.inbound import MalformedReply, handle_reply, parse_reply
from cadre.sales.mail import Mailer, MailNotSent, SmtpMailer
from cadre.sales.run import run_pass
from cadre.sales.service import SalesService

__all__ = [
    "MailNotSent",
    "Mailer",
    "MalformedReply",
    "SalesService",
    "SmtpMailer",
    "handle_reply",
    "parse_reply",
    "run_pass",
    "run_sales_demo",
]
