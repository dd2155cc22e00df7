"""A small multilingual help centre written for the tests, and a knowledge base per store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cadre.knowledge.service import KnowledgeBase
from cadre.store import Database

ARTICLES = {
    "en/reset-password.md": """---
id: reset-password
title: Reset your password
url: https://help.example/en/reset-password
updated_at: 2026-03-01
---
# Reset your password

## From the sign-in page
Click **Forgot password**, enter your work email and follow the link we send you.
The link expires after 30 minutes; ask for a new one if it has.

## As an administrator
Go to **Settings → Users**, pick the person and choose **Send reset link**.
""",
    "en/invoices.md": """---
id: download-invoices
title: Download your invoices
updated_at: 2026-02-01
---
# Download your invoices

Open **Billing → Invoices**. Every invoice can be downloaded as a PDF for the last 24 months.
""",
    "en/sso.md": """---
id: single-sign-on
title: Single sign-on with SAML
---
# Single sign-on with SAML

SAML 2.0 single sign-on is included in the Business and Enterprise editions.
Configure it under **Settings → Security → Single sign-on** with your identity provider's metadata URL.
""",
    "de/reset-password.md": """---
id: reset-password-de
title: Passwort zurücksetzen
language: de
---
# Passwort zurücksetzen

Klicken Sie auf der Anmeldeseite auf **Passwort vergessen** und folgen Sie dem Link in der E-Mail.
Der Link ist 30 Minuten gültig.
""",
}
JAPANESE = (
    '{"id": "reset-password-ja", "title": "パスワードのリセット", "language": "ja", '
    '"text": "サインインページで「パスワードをお忘れですか」をクリックし、メールのリンクに従ってください。'
    'リンクの有効期限は30分です。"}\n'
)


def write_help_centre(root: Path) -> Path:
    for relative, text in ARTICLES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "ja.jsonl").write_text(JAPANESE, encoding="utf-8")
    return root


@pytest.fixture
def help_centre(tmp_path: Path) -> Path:
    return write_help_centre(tmp_path / "help")


@pytest.fixture
def kb(db: Database) -> Iterator[KnowledgeBase]:
    yield KnowledgeBase(db)
