"""Perkbot answers over real HTTP: healthz, help, budget."""

import json
import signal
import urllib.request

from bot.fakeslack.server import FakeSlack
from tests.bot.harness import REP, PerkbotProcess, Workspace, all_text


def test_healthz_says_ok_and_nothing_else(ws: Workspace) -> None:
    with urllib.request.urlopen(f"{ws.bot.url}/healthz", timeout=5) as r:
        assert r.status == 200 and json.loads(r.read()) == {"status": "ok"}


def test_help_is_private_with_buttons(ws: Workspace) -> None:
    ws.perk(REP, "help")
    reply = ws.last_ephemeral(REP, "helps you notice")
    assert "open_event" in all_text(reply)


def test_budget_shows_allowance_and_team(ws: Workspace) -> None:
    ws.perk(REP, "budget")
    reply = ws.last_ephemeral(REP, "Your allowance")
    assert "$100.00 budget" in all_text(reply) and "$1,000.00 budget" in all_text(reply)


def test_sigterm_stops_the_server_and_the_scheduler_cleanly(fake: FakeSlack, db_url: str) -> None:
    bot = PerkbotProcess(fake, db_url, PERKBOT_SCHEDULER="on")
    bot.proc.send_signal(signal.SIGTERM)
    assert bot.proc.wait(15) == 0
    log = "".join(bot.log)
    assert "scheduler started" in log and "Traceback" not in log
