"""A channel's sender becomes one unified profile: by e-mail, and by a web page's signature of its visitor."""

from __future__ import annotations

import pytest

from cadre.channels.identity import (
    IdentityRefused,
    person_for,
    person_for_email,
    remembered_identity,
    verified_web_person,
    widget_hash,
)
from cadre.data.identity import IdentityService
from cadre.server.services import Services
from tests.channels.conftest import WIDGET_SECRET, Company


def test_an_email_on_file_is_its_unified_profile_whatever_its_case(company: Company, services: Services) -> None:
    email = company.person_email()
    person = person_for_email(services, email.upper())
    assert person is not None and person.startswith("P-")
    assert IdentityService(company.hero.data).links(person)  # a real profile, with its linked records
    assert person_for_email(services, "nobody-at-all@nowhere.example") is None


def test_a_lead_only_person_is_found_too(company: Company, services: Services) -> None:
    assert person_for_email(services, company.person_email("Lead")) is not None


def test_a_signed_visitor_is_their_profile_and_is_remembered(company: Company, services: Services) -> None:
    email = company.person_email()
    person = verified_web_person(services, email, widget_hash(WIDGET_SECRET, email.upper()))
    assert person == person_for_email(services, email)
    remembered = remembered_identity(services, "web", email.lower())
    assert remembered is not None and remembered.person_id == person


def test_a_wrong_signature_is_refused(company: Company, services: Services) -> None:
    email = company.person_email()
    with pytest.raises(IdentityRefused, match="HMAC-SHA256 of the lower-cased e-mail"):
        verified_web_person(services, email, widget_hash("another secret", email))


def test_without_a_widget_secret_signed_visitors_are_refused(company: Company) -> None:
    services = company.services(widget_secret=None)
    with pytest.raises(IdentityRefused, match="CADRE_WIDGET_SECRET"):
        verified_web_person(services, "a@b.example", "00")


def test_a_channel_remembers_what_it_learned(company: Company, services: Services) -> None:
    email = company.person_email()
    person = person_for(services, "slack", "U-identity-test", email=email, principal="user:U0001")
    assert person_for(services, "slack", "U-identity-test") == person
    remembered = remembered_identity(services, "slack", "U-identity-test")
    assert remembered is not None and remembered.principal == "user:U0001"
