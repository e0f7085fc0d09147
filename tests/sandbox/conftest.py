"""The sandbox in-process on an ephemeral port, and headless Chromium (Debian's package)
driven by Playwright; no browser is ever downloaded."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sandbox.server import Sandbox
from tests.sandbox.slack_page import SlackPage

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Chromium is missing: apt-get install -y chromium (.ci/run does it)")
    return found


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "perkbot-sandbox", port=0, tick=None) as running:
        running.wait_ready()
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def slack(browser: object, sandbox: Sandbox) -> Iterator[SlackPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 820})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    slack_page = SlackPage(page, sandbox)
    slack_page.open()
    yield slack_page
    context.close()
    assert not errors, f"the page raised: {errors}"
