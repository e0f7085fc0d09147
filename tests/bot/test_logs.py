"""LOG_FORMAT=json: one JSON object per line, and nothing personal or secret at INFO."""

import functools
import json
import logging
import sqlite3
import threading
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from bot import logs
from bot.fakeslack.server import FakeSlack
from bot.ids import Action
from bot.server import make_server
from storage.db import Database
from storage.ping import revision
from tests.bot.flows import approval_request, log_event, make_manager
from tests.bot.harness import ADMIN, MANAGER, REP, SECRET, PerkbotProcess, Workspace, all_text

NAME = "Philippa Vandermeersch"
NOTE = "her daughter Marguerite was born"
IDEA = "congratulations on little Marguerite"


@pytest.fixture
def json_ws(fake: FakeSlack, db_url: str) -> Iterator[Workspace]:
    bot = PerkbotProcess(fake, db_url, LOG_FORMAT="json", LOG_LEVEL="INFO")
    try:
        yield Workspace(fake, bot)
    finally:
        bot.stop()


def full_flow(ws: Workspace) -> None:
    """Log an event, propose, approve, note sent, export, look up, mistype, forget."""
    make_manager(ws)
    confirmation = log_event(ws, customer=NAME, Notes=NOTE)
    ws.click(REP, confirmation, Action.PROPOSE_FOR_EVENT)
    view = ws.modal(REP, "propose_perk")
    ws.submit(
        REP,
        view,
        Perk="custom",
        Amount="60",
        Description=f"Flowers for {NAME}",
        **{"Note idea": IDEA},
    )
    ws.click(MANAGER, approval_request(ws), Action.APPROVE)
    ws.dm_with(REP, "was approved")
    ws.perk(REP, "notes")
    notes = ws.last_ephemeral(REP, "Your open notes (1)")
    ws.click(REP, notes, Action.NOTE_SENT)
    ws.wait(
        lambda: any(e.ts == notes.ts and "Sent" in all_text(e) for e in ws.fake.ephemerals(REP))
    )  # the list itself, updated in place (a late confirmation may have come after it)
    ws.perk(MANAGER, "export")
    ws.last_ephemeral(MANAGER, "sent to your DM")
    ws.perk(REP, f"customer {NAME}")
    ws.last_ephemeral(REP, "Life events")
    ws.perk(REP, f"dance with {NAME}")  # a usage error that echoes the text
    ws.perk(ADMIN, f"forget {NAME}")
    ws.click(ADMIN, ws.last_ephemeral(ADMIN, "Forget"), Action.FORGET)
    ws.last_ephemeral(ADMIN, "Customer forgotten")


def test_a_full_flow_logs_json_lines_without_names_notes_or_tokens(json_ws: Workspace) -> None:
    full_flow(json_ws)
    json_ws.bot.stop()
    lines = [line for line in json_ws.bot.log if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert any(e["message"].startswith("serving Slack") for e in entries)
    assert {"at", "level", "logger", "message"} <= entries[0].keys()
    text = "".join(lines)
    for secret in (NAME, "Vandermeersch", "Marguerite", json_ws.fake.bot_token, SECRET):
        assert secret not in text, secret


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("perkbot", logging.ERROR, __file__, 1, message, args, info)


def test_tokens_are_masked_in_messages_and_traces() -> None:
    token = "xoxb-T0001-0123456789abcdef"
    try:
        raise RuntimeError(f"auth failed for {token}")
    except RuntimeError as exc:
        caught = exc
    line = logs.JsonFormatter().format(record("token %s, app xapp-1-A0-xyz", token, exc=caught))
    entry = json.loads(line)
    assert "0123456789abcdef" not in line and "xapp-1-A0-xyz" not in line
    assert entry["message"] == "token xoxb-…redacted, app xapp-…redacted"
    assert "RuntimeError: auth failed for xoxb-…redacted" in entry["trace"]
    text = logs.TextFormatter().format(record("token %s", token))
    assert text.endswith("ERROR perkbot: token xoxb-…redacted")


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level, hook = root.handlers[:], root.level, threading.excepthook
    yield
    root.handlers[:], threading.excepthook = handlers, hook
    root.setLevel(level)
    logging.captureWarnings(False)


def test_warnings_and_thread_crashes_are_json_lines_too(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure("INFO", "json")
    logging.getLogger("perkbot").debug("not at INFO")
    warnings.warn("deprecated thing", DeprecationWarning, stacklevel=1)
    crash = threading.Thread(target=lambda: 1 / 0, name="worker-1")
    crash.start()
    crash.join()
    entries = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(e["logger"], e["level"]) for e in entries] == [
        ("py.warnings", "WARNING"),
        ("perkbot", "ERROR"),
    ]
    assert entries[1]["message"] == "thread worker-1 crashed"
    assert "ZeroDivisionError" in entries[1]["trace"]


# /healthz asks the engine's pool, or, while Perkbot is still loading, the driver alone.
PINGS = {
    "pool": lambda url: Database(url).ping,
    "driver": lambda url: functools.partial(revision, url),
}


@pytest.mark.parametrize("asks", PINGS)
def test_healthz_answers_503_when_the_database_is_down_and_names_nothing(
    tmp_path: Path, asks: str
) -> None:
    def get(url: str) -> tuple[int, dict[str, Any]]:
        server = make_server(
            App(token="xoxb-test", signing_secret=SECRET, token_verification_enabled=False),
            PINGS[asks](url),
            host="127.0.0.1",
            port=0,
            threads=2,
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.effective_port}/healthz"
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    return r.status, json.loads(r.read())
            except urllib.error.HTTPError as err:
                return err.code, json.loads(err.read())
        finally:
            server.close()

    sqlite3.connect(tmp_path / "up.db").close()
    assert get(f"sqlite:///{tmp_path / 'up.db'}") == (200, {"status": "ok"})
    down = f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}"
    assert get(down) == (503, {"status": "unavailable", "database": "unreachable"})
