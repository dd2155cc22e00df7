"""Language-neutral PII recognisers: a pattern finds candidates, a checksum or a context word confirms them."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

import phonenumbers

from cadre.guardrails._pii_context import near_before
from cadre.guardrails._pii_types import Candidate

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]*\w@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24}(?![\w-])",
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-]|[.,]\d)")
# How issuers print card numbers: 4-4-4-4 (most), 4-6-5 (Amex), 4-6-4 (Diners), 4-4-4-4-3 (19 digits).
_CARD_GROUPS = {(4, 4, 4, 4), (4, 6, 5), (4, 6, 4), (4, 4, 4, 4, 3), (4, 4, 4, 2), (4, 4, 4, 3), (4, 4, 5)}
_IBAN = re.compile(r"(?<!\w)[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}(?!\w)")
_SSN = re.compile(r"(?<![\w-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\w-])")
_PHONE = re.compile(
    r"(?<![\w+-])(?:\+|00)?(?:\(\+?\d{1,5}\)[ ./-]{0,2})?\d[\d ()./-]{3,20}\d(?:\s?(?:x|ext\.?|extension|#)\s?\d{1,5})?"
    r"(?![\w-])"
)
# Dates, times and decimals look like phone numbers; these shapes are never read as one.
_NOT_PHONE = re.compile(
    r"^(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}(?::\d{2})?|\d{1,3}(?:[.,]\d{3})*[.,]\d{1,2}|\d+\.\d+)$"
)
_DATE_INSIDE = re.compile(
    r"(?<![\d.])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4})(?![\d.])"
)
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹]|USD|EUR|GBP|JPY)\s?$", re.IGNORECASE)
_PHONE_CONTEXT = (
    "phone", "call", "tel", "mobile", "cell", "fax", "whatsapp", "sms", "text", "reach me", "reach her", "reach him",
    "reach us", "reach them", "reach you", "reached at", "answering", "dial", "voicemail", "hotline", "helpline",
    "my number", "our number", "her number", "his number", "their number", "your number", "teléfono",
    "telefono", "móvil", "movil", "llama", "téléphone", "portable", "appel", "telefon",
    "handy", "rufnummer", "anruf", "cellulare", "chiamare", "telefone", "celular", "ligar", "電話", "携帯", "番号",
)  # fmt: skip
# A cue may also follow the number: "0712 464727 is my number", "is 0712464727 still your number?".
_PHONE_AFTER = re.compile(
    r"[ \t]+(?:is[ \t]+)?(?:still[ \t]+)?(?:my|your|his|her|our|their|the)[ \t]+(?:new[ \t]+)?"
    r"(?:phone[ \t]+|mobile[ \t]+|cell[ \t]+)?number\b",
    re.IGNORECASE,
)
_SSN_CONTEXT = ("ssn", "social security", "social-security", "soc sec", "taxpayer")
# Length of a valid IBAN per country (ISO 13616 registry): a candidate of another length is not an IBAN.
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28,
    "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
    "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
    "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24,
    "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24,
    "XK": 20,
}  # fmt: skip
_REGION_OF_LANGUAGE = {"en": "US", "es": "ES", "fr": "FR", "de": "DE", "it": "IT", "pt": "BR", "ja": "JP"}


def emails(text: str) -> Iterator[Candidate]:
    for match in _EMAIL.finditer(text):
        yield Candidate("EMAIL_ADDRESS", match.start(), match.end(), 1.0)


def ip_addresses(text: str) -> Iterator[Candidate]:
    for pattern in (_IPV4, _IPV6):
        for match in pattern.finditer(text):
            candidate = match.group()
            if candidate.count(":") >= 2 and not any(c.isalpha() for c in candidate) and "::" not in candidate:
                continue  # a time such as 12:30:45 is not an IPv6 address
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                continue
            if re.search(r"(?:\bv|version\s?)$", text[max(0, match.start() - 8) : match.start()], re.IGNORECASE):
                continue  # "v1.2.3.4" is a version number
            yield Candidate("IP_ADDRESS", match.start(), match.end(), 0.95)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def credit_cards(text: str) -> Iterator[Candidate]:
    for match in _CARD.finditer(text):
        candidate = match.group()
        separators = {c for c in candidate if not c.isdigit()}
        digits = re.sub(r"\D", "", candidate)
        if len(separators) > 1 or not 12 <= len(digits) <= 19 or len(set(digits)) == 1 or not luhn_valid(digits):
            continue
        # Card numbers start with a known issuer digit; 0, 7, 8 and 9 ranges are not payment cards.
        if digits[0] in "0789":
            continue
        groups = tuple(len(group) for group in re.split(r"[ -]", candidate))
        if len(groups) > 1 and groups not in _CARD_GROUPS:
            continue  # digits grouped unlike any card ("3704 0044 0532 0130 01" is the tail of an IBAN)
        yield Candidate("CREDIT_CARD", match.start(), match.end(), 0.9)


def iban_valid(compact: str) -> bool:
    if _IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def ibans(text: str) -> Iterator[Candidate]:
    for match in _IBAN.finditer(text):
        candidate = match.group()
        compact = candidate.replace(" ", "").upper()
        # The pattern is greedy: a trailing word glued by one space may belong to the sentence, so shorten
        # to the registry length before checking.
        expected = _IBAN_LENGTHS.get(compact[:2])
        if expected is None or len(compact) < expected:
            continue
        end = match.start()
        seen = 0
        while seen < expected:
            seen += text[end] != " "
            end += 1
        if iban_valid(compact[:expected]) and (end == len(text) or not text[end].isalnum() or text[end - 1] == " "):
            yield Candidate("IBAN_CODE", match.start(), end, 1.0)


def us_ssns(text: str) -> Iterator[Candidate]:
    for match in _SSN.finditer(text):
        area, separator, group, serial = match.groups()
        if area in ("000", "666") or group == "00" or serial == "0000" or len(set(area + group + serial)) == 1:
            continue
        contextual = near_before(text, match.start(), _SSN_CONTEXT, window=40)
        if not separator and not contextual:
            continue  # nine bare digits are an order number, a phone number, anything
        # SSA never issues areas 900-999; keep them only when the text says it is an SSN.
        if area[0] == "9" and not contextual:
            continue
        yield Candidate("US_SSN", match.start(), match.end(), 0.95 if contextual else 0.6)


def phone_numbers(text: str, *, language: str | None) -> Iterator[Candidate]:
    region = _REGION_OF_LANGUAGE.get(language or "en", "US")
    for match in _PHONE.finditer(text):
        candidate = match.group().rstrip(" .-")
        start = match.start()
        end = start + len(candidate)
        core = candidate.strip("()")
        digits = re.sub(r"\D", "", re.split(r"\s?(?:x|ext)", candidate)[0])
        if (
            not 7 <= len(digits) <= 15
            or _NOT_PHONE.match(core)
            or _CURRENCY_BEFORE.search(text[max(0, start - 5) : start])
        ):
            continue
        if candidate.count("(") != candidate.count(")") or _DATE_INSIDE.search(candidate) or text[end : end + 1] == ":":
            continue
        international = candidate.startswith(("+", "00"))
        contextual = near_before(text, start, _PHONE_CONTEXT, window=40) or bool(_PHONE_AFTER.match(text, end))
        grouped = bool(re.search(r"\d[ ().-]+\d", candidate))
        if not (international or contextual or grouped):
            continue  # a bare run of digits is a phone number only where the text says so
        # Without a cue, digits must form a number some numbering plan actually assigns, not merely one of
        # the right length: that keeps order and reference numbers out.
        if not (international or contextual or _valid(candidate, region)):
            continue
        yield Candidate("PHONE_NUMBER", start, end, 0.85 if (contextual or international) else 0.55)


def _valid(candidate: str, region: str) -> bool:
    # Any common region accepting the digits will do: people write foreign numbers without a country code.
    for guess in dict.fromkeys((region, *_REGION_OF_LANGUAGE.values(), "GB", "CA", "AU", "BE", "NL", "CH", "PT")):
        try:
            number = phonenumbers.parse(candidate, guess)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False
