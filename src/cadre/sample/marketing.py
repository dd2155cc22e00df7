"""The marketing system: form fills, website page views by cookie, and email campaign engagement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from cadre.sample._clock import DAY, NOW, YEAR, Seconds, between, iso, iso_many
from cadre.sample._geo import COUNTRIES, LANGUAGES
from cadre.sample._site import CAMPAIGN_THEMES, PAGE_WEIGHTS, PAGES
from cadre.sample.cast import FillPlan
from cadre.sample.models import Scale
from cadre.sample.people import Person
from cadre.sample.variation import Drift, company_variant, render

FILL_DRIFT = Drift(
    nickname=0.2,
    typo=0.05,
    swap=0.03,
    email_weights=(0.6, 0.05, 0.35, 0.0),
    email_typo=0.03,
    email_case=0.05,
    phone=0.5,
    mobile=0.7,
)

SITE = "https://www.halyard.example"
_FORM_PAGES = {
    "demo_request": "/demo",
    "contact_sales": "/contact",
    "pricing_quote": "/pricing",
    "webinar_registration": "/webinars/ai-in-support",
    "whitepaper_download": "/resources/state-of-support-2026",
    "newsletter_signup": "/blog/first-response-time",
    "free_trial_signup": "/trial",
}
_UTM = (None, "google", "linkedin", "newsletter", "bing", "partner", "g2")
_UTM_WEIGHTS = (0.55, 0.15, 0.1, 0.08, 0.04, 0.04, 0.04)
_LANGUAGE_WEIGHTS = np.array([sum(c.weight for c in COUNTRIES if c.language == lang) for lang in LANGUAGES])


@dataclass(frozen=True)
class Recipient:
    """An address the CRM holds, in the language campaigns reach it in, known since `since`."""

    email: str
    language: str
    since: int


@dataclass(frozen=True)
class MarketingData:
    tables: dict[str, pa.Table]
    fill_people: dict[str, Person]  # fill_id -> person


def build_marketing(
    rng: np.random.Generator, fills: list[FillPlan], audience: list[Recipient], scale: Scale
) -> MarketingData:
    rows: list[dict[str, Any]] = []
    people: dict[str, Person] = {}
    for plan in fills:
        fill_id = f"F{len(rows) + 1:06d}"
        seen = render(plan.person, rng, FILL_DRIFT)
        company = plan.person.company
        rows.append(
            {
                "fill_id": fill_id,
                "email": seen.email,
                "first_name": seen.first_name,
                "last_name": seen.last_name,
                "company": company_variant(company.name, company.legal_name, rng),
                "phone": seen.phone,
                "form": plan.form,
                "filled_at": iso(plan.at),
            }
        )
        people[fill_id] = plan.person
    return MarketingData(
        tables={
            "form_fills": pa.Table.from_pylist(rows, schema=_FILL_SCHEMA),
            "page_views": _page_views(rng, fills, [row["email"] for row in rows], scale.page_views),
            "email_engagement": _email_engagement(rng, audience, scale.campaigns),
        },
        fill_people=people,
    )


@dataclass(frozen=True)
class _Cookies:
    """Browsers seen on the website: when, in which language, and from when on whose email is known."""

    first_seen: Seconds
    last_seen: Seconds
    email: npt.NDArray[np.object_]
    known_from: Seconds
    language: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float64]
    fill_browser: dict[tuple[str, int], int]  # (person, fill time) -> the cookie the form was filled from


def _cookies(rng: np.random.Generator, fills: list[FillPlan], emails: list[str | None], total: int) -> _Cookies:
    # A visitor who fills a form is identified from then on, on the browser they filled it in.
    visits: dict[str, list[tuple[FillPlan, str | None]]] = {}
    for plan, email in zip(fills, emails, strict=True):
        visits.setdefault(plan.person.person_id, []).append((plan, email))
    starts: list[int] = []
    ends: list[int] = []
    addresses: list[str | None] = []
    known_from: list[int] = []
    languages: list[int] = []
    fill_browser: dict[tuple[str, int], int] = {}
    for person_id, history in visits.items():
        first, last = history[0][0], history[-1][0]
        # Some people use a second browser (a phone, a home laptop) and fill their last form there.
        browsers = history[:1] if len(history) == 1 or rng.random() < 0.7 else [history[0], history[-1]]
        for plan, email in browsers:
            fill_browser[(person_id, plan.at)] = len(starts)
            starts.append(first.at - int(rng.integers(0, 45 * DAY)))
            ends.append(min(NOW, last.at + int(rng.integers(DAY, 120 * DAY))))
            addresses.append(email)
            known_from.append(plan.at)
            languages.append(LANGUAGES.index(plan.person.language))
        for plan, _ in history:
            fill_browser.setdefault((person_id, plan.at), fill_browser[(person_id, first.at)])
    known = len(starts)
    anonymous = max(known * 3, total // 25)
    begin = NOW - (rng.random(anonymous) * 2 * YEAR).astype(np.int64)
    finish = np.minimum(begin + rng.exponential(15 * DAY, anonymous).astype(np.int64), NOW)
    anonymous_languages = rng.choice(len(LANGUAGES), size=anonymous, p=_LANGUAGE_WEIGHTS / _LANGUAGE_WEIGHTS.sum())
    return _Cookies(
        first_seen=np.concatenate([np.asarray(starts, dtype=np.int64), begin]),
        last_seen=np.concatenate([np.asarray(ends, dtype=np.int64), finish]),
        email=np.asarray(addresses + [None] * anonymous, dtype=object),
        known_from=np.asarray(known_from + [NOW + 1] * anonymous, dtype=np.int64),
        language=np.concatenate([np.asarray(languages, dtype=np.int64), anonymous_languages]),
        # People who go on to fill forms browse more than passers-by.
        weight=np.where(np.arange(known + anonymous) < known, 4.0, 1.0),
        fill_browser=fill_browser,
    )


def _page_views(rng: np.random.Generator, fills: list[FillPlan], emails: list[str | None], total: int) -> pa.Table:
    cookies = _cookies(rng, fills, emails, total)
    count = len(cookies.weight)
    ids = np.asarray([f"{value:016x}" for value in rng.integers(0, 2**64, count, dtype=np.uint64).tolist()])
    # The page each form sits on is viewed just before it is filled; other views fall in the cookie's lifetime.
    browsed = max(total - len(fills), 0)
    browsing = rng.choice(count, size=browsed, p=cookies.weight / cookies.weight.sum())
    cookie = np.concatenate(
        [np.asarray([cookies.fill_browser[(f.person.person_id, f.at)] for f in fills], dtype=np.int64), browsing]
    )
    page_index = {path: i for i, (path, _) in enumerate(PAGES)}
    page = np.concatenate(
        [
            np.asarray([page_index[_FORM_PAGES[f.form]] for f in fills], dtype=np.int64),
            rng.choice(len(PAGES), size=browsed, p=np.asarray(PAGE_WEIGHTS) / sum(PAGE_WEIGHTS)),
        ]
    )
    at = np.concatenate(
        [
            np.asarray([f.at - 20 for f in fills], dtype=np.int64),
            between(rng, cookies.first_seen[browsing], cookies.last_seen[browsing], browsed),
        ]
    )
    order = np.lexsort((cookie, at))
    cookie, page, at = cookie[order], page[order], at[order]
    urls, titles = _page_texts()
    code = page * len(LANGUAGES) + cookies.language[cookie]
    email = np.where(at >= cookies.known_from[cookie], cookies.email[cookie], None)
    utm = np.asarray(_UTM, dtype=object)[rng.choice(len(_UTM), size=len(at), p=_UTM_WEIGHTS)]
    return pa.table(
        {
            "event_id": pa.array(np.arange(1, len(at) + 1), pa.int64()),
            "cookie_id": pa.array(ids[cookie], pa.string()),
            "email": pa.array(email, pa.string()),
            "url": pa.array(urls[code], pa.string()),
            "title": pa.array(titles[code], pa.string()),
            "viewed_at": pa.array(iso_many(at), pa.string()),
            "utm_source": pa.array(utm, pa.string()),
        }
    )


def _page_texts() -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    urls: list[str] = []
    titles: list[str] = []
    for path, by_language in PAGES:
        for language in LANGUAGES:
            localised = language in by_language and language != "en"
            urls.append(f"{SITE}/{language}{path.rstrip('/')}" if localised else f"{SITE}{path}")
            titles.append(by_language.get(language, by_language["en"]))
    return np.asarray(urls, dtype=object), np.asarray(titles, dtype=object)


def _email_engagement(rng: np.random.Generator, audience: list[Recipient], campaigns: int) -> pa.Table:
    emails = np.asarray([r.email for r in audience], dtype=object)
    language = np.asarray([LANGUAGES.index(r.language) for r in audience], dtype=np.int64)
    since = np.asarray([r.since for r in audience], dtype=np.int64)
    gone = np.zeros(len(audience), dtype=bool)  # unsubscribed or hard-bounced: never mailed again
    parts: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], str]] = []
    names: list[str] = []
    span = 2 * YEAR // campaigns
    for k in range(campaigns):
        sent = NOW - 2 * YEAR + k * span + int(rng.integers(0, span // 2))
        target = 0 if rng.random() < 0.4 else int(rng.integers(0, len(LANGUAGES)))
        theme = CAMPAIGN_THEMES[k % len(CAMPAIGN_THEMES)]
        names.append(f"{iso(sent)[:7]} {theme} ({LANGUAGES[target]})")
        eligible = np.flatnonzero((language == target) & (since < sent) & ~gone)
        recipients = eligible[rng.random(len(eligible)) < rng.uniform(0.4, 0.8)]
        count = len(recipients)
        sent_at = sent + rng.integers(0, 3_600, count)
        bounced = rng.random(count) < 0.02
        opened = ~bounced & (rng.random(count) < 0.28)
        open_at = sent_at + rng.exponential(DAY, count).astype(np.int64)
        clicked = opened & (rng.random(count) < 0.18)
        left = opened & (rng.random(count) < 0.03)
        click_at = open_at + rng.integers(5, 3_600, count)
        gone[recipients[bounced | left]] = True
        for mask, at, event in (
            (np.ones(count, dtype=bool), sent_at, "sent"),
            (bounced, sent_at + 30, "bounce"),
            (opened, open_at, "open"),
            (clicked, click_at, "click"),
            (left, click_at + 60, "unsubscribe"),
        ):
            keep = mask & (at < NOW)
            parts.append((recipients[keep], at[keep], np.full(int(keep.sum()), k, dtype=np.int64), event))
    who = np.concatenate([part[0] for part in parts])
    at = np.concatenate([part[1] for part in parts])
    campaign = np.concatenate([part[2] for part in parts])
    kinds = np.concatenate([np.full(len(part[0]), part[3], dtype=object) for part in parts])
    order = np.lexsort((who, at))
    return pa.table(
        {
            "event_id": pa.array(np.arange(1, len(order) + 1), pa.int64()),
            "email": pa.array(emails[who[order]], pa.string()),
            "campaign": pa.array(np.asarray(names, dtype=object)[campaign[order]], pa.string()),
            "event": pa.array(kinds[order], pa.string()),
            "at": pa.array(iso_many(at[order]), pa.string()),
        }
    )


_FILL_SCHEMA = pa.schema(
    [
        ("fill_id", pa.string()),
        ("email", pa.string()),
        ("first_name", pa.string()),
        ("last_name", pa.string()),
        ("company", pa.string()),
        ("phone", pa.string()),
        ("form", pa.string()),
        ("filled_at", pa.string()),
    ]
)
