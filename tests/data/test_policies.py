import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadre.data.masking import mask_email, mask_value
from cadre.data.models import EntityMapping, Principal
from cadre.data.policies import authorize, parse_policies, resolve_principal
from cadre.errors import PolicyDenied, PolicyError, UnknownPrincipal
from tests.company import POLICIES

POLICY_SET = parse_policies(POLICIES)
CONTACT = EntityMapping.model_validate(
    {
        "source": "crm",
        "table": "contacts",
        "key": "contact_id",
        "fields": {"contact_id": "id", "email": "email", "phone": "phone", "team": "owner_team", "notes": "notes"},
    }
)
USERS = {"U1": {"user_id": "U1", "role": "seller", "team": "east"}, "U9": {"user_id": "U9", "role": "seller"}}


def principal(ref: str) -> Principal:
    return resolve_principal(ref, POLICY_SET, USERS.get)


def test_principals_of_each_kind() -> None:
    assert principal("role:admin").roles == ("admin",)
    assert principal("agent:service").roles == ("service_agent",)
    user = principal("user:U1")
    assert (user.roles, user.attributes) == (("seller",), {"team": "east"})


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("role:janitor", "role 'janitor' is not defined"),
        ("agent:rogue", "agent 'rogue' is not a known"),
        ("user:U404", "no user with user_id = 'U404'"),
        ("bob", "must look like"),
    ],
)
def test_unknown_principals_are_refused(ref: str, message: str) -> None:
    with pytest.raises(UnknownPrincipal, match=message):
        principal(ref)


def test_first_matching_policy_decides_fields_rows_and_masks() -> None:
    grant = authorize(POLICY_SET, principal("user:U1"), purpose="sales", entity_name="Contact", entity=CONTACT)
    assert grant.policy.name == "seller-own-team-contacts"
    assert grant.row_filter == {"team": "east"}
    assert grant.mask == {"email": "email", "phone": "phone"}
    assert "notes" not in grant.fields


def test_wrong_purpose_is_denied_by_default() -> None:
    with pytest.raises(
        PolicyDenied,
        match=r"no policy lets user:U1 \(roles: seller\) read `Contact` for purpose "
        r"'marketing'",
    ):
        authorize(POLICY_SET, principal("user:U1"), purpose="marketing", entity_name="Contact", entity=CONTACT)


def test_a_row_filter_needing_a_missing_attribute_denies() -> None:
    with pytest.raises(PolicyDenied, match=r"filters rows by `principal\.team`"):
        authorize(POLICY_SET, principal("user:U9"), purpose="sales", entity_name="Contact", entity=CONTACT)


def test_policy_file_problems_name_their_line() -> None:
    broken = POLICIES.replace("purposes: [support]", "purposes: []")
    with pytest.raises(PolicyError) as caught:
        parse_policies(broken)
    assert any(":30:" in p and "policies.3.purposes" in p for p in caught.value.problems)  # type: ignore[attr-defined]


def test_masks() -> None:
    assert mask_email("jane.doe@example.com") == "j***@example.com"
    assert mask_value("+1 (555) 010-1234", "phone") == "***1234"
    assert mask_value("Secret", "partial") == "S****t"
    assert mask_value(None, "redact") is None
    assert mask_value("x", "hash") == mask_value("x", "hash") != mask_value("y", "hash")


@given(
    local=st.text(alphabet="abcdefghijklmnopqrstuvwxyz._", min_size=2, max_size=30),
    domain=st.from_regex(r"[a-z]{2,10}\.(com|org|io)", fullmatch=True),
)
def test_masked_emails_keep_the_domain_and_hide_the_person(local: str, domain: str) -> None:
    masked = mask_email(f"{local}@{domain}")
    assert masked == f"{local[0]}***@{domain}"
