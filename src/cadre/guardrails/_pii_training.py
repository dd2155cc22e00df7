"""The PII tagger's training sentences: Cadre's own templates filled from seeded Faker, spans known by construction."""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass
from functools import cache

from faker import Faker

from cadre.guardrails._pii_places import _WORLD_CITIES
from cadre.guardrails._pii_templates import (
    BRAND_TAILS,
    CHAT,
    CRM,
    DOCUMENTS,
    FEATURE_TAILS,
    FORMS,
    HELP,
    LABELLED_SLOTS,
    LABELS,
    OTHER_LANGUAGES,
    PRODUCTS,
    SIGNATURES,
    STORIES,
    TICKETS,
    UI_NAMES,
)

SEED = 20261129
SENTENCES = 20000
# Latin-script locales whose names, places and firms people write to a support desk; the Japanese names
# have their own dictionary recogniser.
_LOCALES = (
    "en_US", "en_GB", "en_IE", "en_AU", "en_CA", "en_IN", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CH", "es_ES",
    "es_MX", "es_AR", "it_IT", "pt_BR", "pt_PT", "nl_NL", "nl_BE", "sv_SE", "no_NO", "da_DK", "fi_FI", "pl_PL",
    "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "hr_HR", "sl_SI", "et_EE", "lt_LT", "lv_LV", "tr_TR", "id_ID",
)  # fmt: skip
# Dates in the sentences fall between these days.
_FIRST_DAY = datetime.date(1996, 1, 1)
_LAST_DAY = datetime.date(2026, 1, 1)
_SLOT = re.compile(r"\{([A-Z]+)\}")
# How often each kind of text is drawn; help-centre prose teaches what is not personal data.
_GROUPS = (
    ("chat", 40), ("tickets", 12), ("crm", 12), ("signatures", 8), ("forms", 6), ("help", 14), ("other", 8),
    ("stories", 10),
)  # fmt: skip


@dataclass(frozen=True)
class Example:
    """A training text and its PERSON, LOCATION and ORGANIZATION spans (end exclusive)."""

    text: str
    spans: tuple[tuple[int, int, str], ...]


def _lines(block: str) -> list[str]:
    return [line for line in block.strip().splitlines() if line.strip()]


def _blocks(block: str) -> list[str]:
    return [part.strip("\n") for part in block.strip().split("\n---\n")]


def _choices(listing: str) -> list[str]:
    return [item.strip() for item in listing.replace("\n", "").split("|") if item.strip()]


@cache
def _templates() -> dict[str, list[str]]:
    return {
        "chat": _lines(CHAT),
        "tickets": _lines(TICKETS),
        "crm": _lines(CRM),
        "signatures": _blocks(SIGNATURES),
        "forms": _blocks(FORMS),
        "help": _lines(HELP),
        "other": _lines(OTHER_LANGUAGES),
        "stories": _lines(STORIES),
    }


class _Filler:
    """Slot values drawn from seeded Faker instances, one per locale."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.fakers = {locale: Faker(locale) for locale in _LOCALES}
        # Seeded from the sentences' own seed, so that another seed draws other names, not only other templates.
        for offset, faker in enumerate(self.fakers.values()):
            faker.seed_instance(seed + offset)
        self.english = self.fakers["en_US"]
        self.world_cities = _choices(_WORLD_CITIES)
        self.products = _choices(PRODUCTS)
        self.ui_names = _choices(UI_NAMES)
        self.brand_tails = _choices(BRAND_TAILS)
        self.feature_tails = _choices(FEATURE_TAILS)
        self.labels = _choices(LABELS)
        self.documents = _choices(DOCUMENTS)
        self.words = [w for w in self.english.get_words_list() if len(w) > 2]

    def local(self) -> Faker:
        return self.fakers[self.rng.choice(_LOCALES)]

    def value(self, slot: str) -> str:
        rng, faker = self.rng, self.local()
        if slot == "PER":
            first, last = faker.first_name(), faker.last_name()
            if rng.random() < 0.12:
                return f"{first} {faker.first_name()[0]}. {last}"
            return f"{first} {last}"
        if slot == "FIRST":
            return str(faker.first_name())
        if slot == "LAST":
            return str(faker.last_name())
        if slot == "CITY":
            # Faker's Italian cities come out of a set, in an order that changes with the hash seed.
            source = self.english if faker is self.fakers["it_IT"] else faker
            return rng.choice(self.world_cities) if rng.random() < 0.35 else str(source.city())
        if slot == "COUNTRY":
            return str((self.english if rng.random() < 0.8 else faker).country())
        if slot == "REGION":
            source = faker if hasattr(faker, "administrative_unit") else self.english
            return str(source.administrative_unit())
        if slot == "ORG":
            return str(faker.company())
        if slot == "BRAND":
            return self._brand()
        return self._untagged(slot, faker)

    def _brand(self) -> str:
        first, second = self.rng.choice(self.words), self.rng.choice(self.words)
        roll = self.rng.random()
        if roll < 0.4:
            return (first + second).capitalize()
        if roll < 0.75:
            return f"{first.capitalize()} {self.rng.choice(self.brand_tails)}"
        return f"{first.capitalize()} {second.capitalize()}"

    def _untagged(self, slot: str, faker: Faker) -> str:
        rng = self.rng
        if slot == "JOB":
            return str(self.english.job())
        if slot == "EMAIL":
            return str(faker.email())
        if slot == "PHONE":
            return str(faker.phone_number())
        if slot == "ADDR":
            address = str(self.english.address() if rng.random() < 0.5 else faker.address())
            return address if rng.random() < 0.5 else address.replace("\n", ", ")
        if slot == "DATE":
            # From the seeded generator between fixed days: Faker's date() ends at the present moment, so the
            # sentences (and the fitted weights) would change from one minute to the next.
            day = _FIRST_DAY + datetime.timedelta(days=rng.randrange((_LAST_DAY - _FIRST_DAY).days))
            return day.strftime(rng.choice(("%d %B %Y", "%B %d", "%m/%d/%Y", "%Y-%m-%d")))
        if slot == "PRODUCT":
            return rng.choice(self.products)
        if slot == "FEATURE":
            return f"{rng.choice(self.words).capitalize()} {rng.choice(self.feature_tails)}"
        if slot == "LABEL":
            return rng.choice(self.labels)
        if slot == "DOC":
            return rng.choice(self.documents)
        if slot == "UI":
            return rng.choice(self.ui_names)
        if slot == "NUM":
            return str(rng.randint(2, 9999))
        raise ValueError(f"template slot must be one of the documented ones, got {slot!r}")


def _fill(template: str, filler: _Filler) -> Example:
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    position = 0
    length = 0
    for match in _SLOT.finditer(template):
        literal = template[position : match.start()]
        parts.append(literal)
        length += len(literal)
        value = filler.value(match.group(1))
        label = LABELLED_SLOTS.get(match.group(1))
        if label is not None:
            spans.append((length, length + len(value), label))
        parts.append(value)
        length += len(value)
        position = match.end()
    parts.append(template[position:])
    return Example("".join(parts), tuple(spans))


def training_examples(count: int = SENTENCES, seed: int = SEED) -> list[Example]:
    """`count` filled templates, the same ones for the same seed and Faker version."""
    rng = random.Random(seed)
    filler = _Filler(rng, seed)
    templates = _templates()
    names = [name for name, _ in _GROUPS]
    weights = [weight for _, weight in _GROUPS]
    examples = []
    for _ in range(count):
        example = _fill(rng.choice(templates[rng.choices(names, weights)[0]]), filler)
        # People type without capitals often enough that the tagger must see it; lowering keeps offsets.
        if rng.random() < 0.08 and len(example.text.lower()) == len(example.text):
            example = Example(example.text.lower(), example.spans)
        examples.append(example)
    return examples
