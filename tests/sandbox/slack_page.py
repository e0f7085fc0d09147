"""Steps people take on the sandbox page, in Playwright terms (labels, roles, text)."""

import os
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from bot.sandbox.demo import PEOPLE
from bot.sandbox.server import Sandbox

DOCS = Path(__file__).resolve().parents[2] / "docs"
TIMEOUT = 30_000  # ms; generous for a loaded 2-core machine, never reached when all is well
expect.set_options(timeout=TIMEOUT)


class SlackPage:
    def __init__(self, page: Page, sandbox: Sandbox) -> None:
        self.page, self.sandbox = page, sandbox
        page.set_default_timeout(TIMEOUT)

    def open(self) -> None:
        self.page.goto(self.sandbox.url)
        expect(self.page.locator("#starting")).to_be_hidden()

    def act_as(self, real_name: str) -> None:
        person = next(p for p in PEOPLE if p.real_name == real_name)
        self.page.get_by_label("Acting as").select_option(person.id)
        expect(self.page.locator("#role-line")).to_contain_text(person.tz)
        expect(self.page.locator("#conversation-title")).to_have_text("Perkbot")

    def go_to(self, name: str) -> None:
        self.page.locator("#sidebar .nav-item", has_text=name).first.click()

    def send(self, text: str) -> None:
        self.page.get_by_label("Message", exact=True).fill(text)
        self.page.get_by_label("Message", exact=True).press("Enter")

    def modal(self, title: str) -> Locator:
        dialog = self.page.get_by_role("dialog", name=title)
        expect(dialog).to_be_visible()
        return dialog

    def message(self, containing: str) -> Locator:
        found = self.page.locator("article.message", has_text=containing).last
        expect(found).to_be_visible()
        return found

    def pick_external(self, dialog: Locator, label: str, query: str, option: str) -> None:
        """An external select: type, wait for the app's options, choose one, and wait for
        Perkbot's views.update (the pickers dispatch their choice) before typing on."""
        shown = dialog.get_attribute("data-view-hash")
        box = dialog.get_by_label(label, exact=True)
        box.click()
        box.fill(query)
        self.page.get_by_role("option", name=option).first.click()
        expect(dialog).not_to_have_attribute("data-view-hash", shown or "")

    def advance(self, button: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()
        expect(self.page.locator("#toast")).to_be_hidden(timeout=60_000)

    def shot(self, name: str) -> None:
        """A screenshot of the screen as it is; into docs/ (the README's pictures) only when
        PERKBOT_UPDATE_SCREENSHOTS=1, so an ordinary run leaves the committed ones alone."""
        png = self.page.screenshot()
        assert png.startswith(b"\x89PNG")
        if os.environ.get("PERKBOT_UPDATE_SCREENSHOTS") == "1":
            DOCS.mkdir(exist_ok=True)
            (DOCS / f"sandbox-{name}.png").write_bytes(png)
