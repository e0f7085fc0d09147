"""End-to-end harness: the fake Slack, and Perkbot as `perkbot run --http` starts it.

Perkbot runs as a real subprocess (the console script's code path), pointed at the
fake Slack's Web API; tests act as Slack users through the signing client.
"""

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bot.fakeslack.client import SlackClient
from bot.fakeslack.inputs import fill
from bot.fakeslack.records import Ephemeral, Message, View
from bot.fakeslack.server import FakeSlack

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
SECRET = "e2e-signing-secret"
ADMIN, MANAGER, REP, REP2 = "UADMIN01", "UMGR0001", "UREP0001", "UREP0002"
READY = ("serving Slack", "perkbot is ready")  # in either order (bot.starting, bot.cli)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PerkbotProcess:
    """`perkbot run --http --port P` in a subprocess; ready once it says it serves and
    that it has loaded (in HTTP mode it serves first, while its listeners load).
    With `http=False` it is plain `perkbot run` (Socket Mode when SLACK_APP_TOKEN is in
    `env`); an `env` value of None removes that variable."""

    def __init__(
        self, fake: FakeSlack, database_url: str, *, http: bool = True, **env: str | None
    ) -> None:
        self.port = free_port()
        self.log: list[str] = []
        ready = threading.Event()
        environment = {
            **os.environ,
            "SLACK_BOT_TOKEN": fake.bot_token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "DATABASE_URL": database_url,
            "PERKBOT_ADMINS": ADMIN,
            "PERKBOT_SCHEDULER": "off",
            "LOG_LEVEL": "INFO",
            **env,
        }
        if http:
            environment.pop("SLACK_APP_TOKEN", None)
        for name in [k for k, v in environment.items() if v is None]:
            del environment[name]
        mode = ["--http", "--port", str(self.port)] if http else []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", *mode],
            cwd=ROOT,
            env=environment,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )

        def read() -> None:
            assert self.proc.stderr is not None
            said: set[str] = set()
            for line in self.proc.stderr:
                self.log.append(line)
                said |= {says for says in READY if says in line}
                if len(said) == len(READY):
                    ready.set()
            ready.set()  # the process ended: stop waiting

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(30) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("perkbot did not start:\n" + "".join(self.log))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Workspace:
    """A Slack workspace with an admin, a manager and two reps, and Perkbot installed."""

    def __init__(self, fake: FakeSlack, bot: PerkbotProcess) -> None:
        self.fake, self.bot = fake, bot
        self.slack = SlackClient(f"{bot.url}/slack/events", SECRET, fake)
        for user, tz in (
            (ADMIN, "UTC"),
            (MANAGER, "Europe/Berlin"),
            (REP, "America/New_York"),
            (REP2, "UTC"),
        ):
            fake.add_user(user, tz=tz)
        self.general = fake.add_channel("general", members=[ADMIN, MANAGER, REP, REP2]).id

    def wait(self, predicate: Callable[[], T], timeout: float = 10.0) -> T:
        return self.fake.wait_for(predicate, timeout=timeout)

    def perk(self, user: str, text: str = "", channel: str | None = None) -> Any:
        reply = self.slack.command(user, "/perk", text, channel)
        assert reply.status == 200 and reply.elapsed < 2.5, (reply.status, reply.elapsed)
        return reply

    def modal(self, user: str, callback_id: str | None = None) -> View:
        def shown() -> View | None:
            view = self.fake.modal(user)
            return (
                view if view and (callback_id is None or view.callback_id == callback_id) else None
            )

        return self.wait(shown)

    def submit(self, user: str, view: View, **fields: Any) -> Any:
        values = fill(view, fields, view.values or None) if fields else None
        reply = self.slack.view_submission(user, view, values)
        assert reply.status == 200 and reply.elapsed < 2.5, (
            reply.status,
            reply.elapsed,
            reply.body,
        )
        return reply

    def click(
        self, user: str, source: Message | Ephemeral | View, action_id: str, **kw: Any
    ) -> Any:
        reply = self.slack.block_action(user, source, action_id, **kw)
        assert reply.status == 200 and reply.elapsed < 2.5, (reply.status, reply.elapsed)
        return reply

    def dm_messages(self, user: str) -> list[Message]:
        return self.fake.messages(self.fake.dm(user))

    def last_ephemeral(self, user: str, containing: str) -> Ephemeral:
        def found() -> Ephemeral | None:
            for e in reversed(self.fake.ephemerals(user)):
                if containing in _all_text(e.text, e.blocks):
                    return e
            return None

        return self.wait(found)

    def dm_with(self, user: str, containing: str) -> Message:
        def found() -> Message | None:
            for m in reversed(self.dm_messages(user)):
                if containing in _all_text(m.text, m.blocks):
                    return m
            return None

        return self.wait(found)


def _all_text(text: str, blocks: Any) -> str:
    import json

    return text + json.dumps(blocks, ensure_ascii=False)


def all_text(item: Message | Ephemeral | View) -> str:
    import json

    if isinstance(item, View):
        return json.dumps(item.blocks, ensure_ascii=False)
    return _all_text(item.text, item.blocks)
