"""Browser tests: the app served by a real uvicorn on 127.0.0.1 (`serve`), driven by Debian's headless chromium.

`make setup` installs chromium when it is missing; a failing test leaves a screenshot of its page under
`tests/browser/artifacts/` (or `$CADRE_TEST_ARTIFACTS`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path(os.environ.get("CADRE_TEST_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("CADRE_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if report.when == "call":  # type: ignore[attr-defined]
        item.stash[_FAILED] = report.failed  # type: ignore[attr-defined]
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    # Package-scoped: Playwright's sync API keeps an event loop running in the main thread while it is open, and
    # later tests that start their own loop (`asyncio.run`) must not find one.
    if not CHROMIUM.exists():
        pytest.fail(f"chromium must be installed at {CHROMIUM} for the browser tests (`make setup` installs it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    if request.node.stash.get(_FAILED, False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        opened.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
