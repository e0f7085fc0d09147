"""`perkbot run --http` serves before Perkbot has loaded (bot.starting): /healthz and
`/perk` are answered at once, the rest waits for the listeners, none is lost."""

import contextlib
import json
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.fakeslack.server import FakeSlack
from bot.listeners import router
from bot.server import make_server, run_until_closed
from bot.settings import load_settings
from bot.starting import Starting
from tests.bot.harness import ADMIN, REP, ROOT, SECRET, Workspace, all_text

HELP_SAYS = "helps you notice"  # in the help message


@dataclass
class Served:
    url: str


@contextlib.contextmanager
def serving(fake: FakeSlack, database_url: str) -> Iterator[tuple[Starting, Workspace]]:
    """Perkbot as `perkbot run --http` has it the moment it serves: nothing loaded yet."""
    settings = load_settings(
        slack_bot_token=fake.bot_token,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        database_url=database_url,
        perkbot_admins=[ADMIN],
        perkbot_scheduler="off",
    )
    perkbot = Starting(settings)
    server = make_server(perkbot.app, perkbot.ping, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=run_until_closed, args=(server,), daemon=True).start()
    try:
        yield perkbot, Workspace(fake, Served(f"http://127.0.0.1:{server.effective_port}"))
    finally:
        server.close()
        perkbot.stop()


@pytest.fixture
def starting(fake: FakeSlack, db_url: str) -> Iterator[tuple[Starting, Workspace]]:
    with serving(fake, db_url) as started:
        yield started


def healthz(ws: Workspace) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(f"{ws.bot.url}/healthz", timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def in_background(send: Any) -> tuple[threading.Thread, list[Any]]:
    replies: list[Any] = []
    thread = threading.Thread(target=lambda: replies.append(send()), daemon=True)
    thread.start()
    return thread, replies


def test_healthz_and_perk_help_are_answered_before_loading_and_the_reply_follows(
    starting: tuple[Starting, Workspace],
) -> None:
    perkbot, ws = starting
    assert healthz(ws) == (200, {"status": "ok"})  # the schema is current: ready in a moment
    assert ws.perk(REP, "help").status == 200
    assert ws.fake.ephemerals(REP) == []  # acked, and waiting for the listeners
    perkbot.load()
    ws.last_ephemeral(REP, HELP_SAYS)


def test_a_bad_perk_command_before_loading_gets_its_usage_line_privately(
    starting: tuple[Starting, Workspace],
) -> None:
    perkbot, ws = starting
    reply = ws.perk(REP, "dance")
    assert reply.status == 200 and not reply.body  # nothing said in the ack itself
    perkbot.load()
    ws.last_ephemeral(REP, "I don't know `dance`")


def test_any_other_request_waits_for_the_listeners_then_is_handled(
    starting: tuple[Starting, Workspace],
) -> None:
    perkbot, ws = starting
    thread, replies = in_background(lambda: ws.slack.app_home_opened(REP))
    thread.join(0.5)
    assert thread.is_alive() and ws.fake.calls("views.publish") == []  # still waiting
    perkbot.load()
    thread.join(10)
    assert replies and replies[0].status == 200
    ws.wait(lambda: ws.fake.home(REP))


def test_a_request_that_waited_too_long_is_refused_with_503_for_slack_to_retry(
    starting: tuple[Starting, Workspace], monkeypatch: pytest.MonkeyPatch
) -> None:
    perkbot, ws = starting
    monkeypatch.setattr(router, "OPEN_WAIT_S", 0.2)
    assert ws.slack.app_home_opened(REP).status == 503
    perkbot.load()
    assert ws.slack.app_home_opened(REP).status == 200
    ws.wait(lambda: ws.fake.home(REP))


def test_healthz_says_starting_until_the_schema_is_current(fake: FakeSlack, tmp_path: Path) -> None:
    empty = tmp_path / "new.db"
    sqlite3.connect(empty).close()  # reachable, no migration applied yet
    with serving(fake, f"sqlite:///{empty}") as (perkbot, ws):
        assert healthz(ws) == (503, {"status": "starting"})
        perkbot.load()
        assert healthz(ws) == (200, {"status": "ok"})


def test_an_early_command_whose_listeners_came_too_late_is_asked_again(
    starting: tuple[Starting, Workspace], monkeypatch: pytest.MonkeyPatch
) -> None:
    perkbot, ws = starting
    monkeypatch.setattr(router, "EARLY_RUN_WITHIN_S", 0.0)  # its trigger_id would be gone
    ws.perk(REP, "help")
    perkbot.load()
    ws.last_ephemeral(REP, "send your `/perk` command again")
    assert not [e for e in ws.fake.ephemerals(REP) if HELP_SAYS in all_text(e)]


def test_perkbot_run_exits_1_when_it_cannot_load(fake: FakeSlack, tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        # a folder that does not exist: SQLite cannot create the database, migrations fail
        "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'perkbot.db'}",
        "PERKBOT_SCHEDULER": "off",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--http", "--port", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "serving Slack" in done.stderr and "perkbot could not start" in done.stderr
