"""Perkbot itself, as `perkbot run --http` builds it, served on 127.0.0.1 in a thread.

Only its settings differ: the fake Slack's token and Web API URL, a signing secret made
up for this run, the sandbox's own SQLite file, and no scheduler (the sandbox runs the
jobs as of its clock instead).
"""

import secrets
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.app import create_app
from bot.ids import JOBS
from bot.jobs import Jobs
from bot.sandbox.clock import SandboxClock
from bot.server import make_server, run_until_closed
from bot.settings import Settings, load_settings
from bot.tokens import web_client
from perks.catalog import load_catalog
from perks.context import Ctx
from storage import migrate
from storage.db import Database


@dataclass
class RunningPerkbot:
    url: str  # where Slack sends requests: .../slack/events
    signing_secret: str
    jobs: Jobs
    server: Any
    after_ack: ThreadPoolExecutor  # the work Perkbot does after its acks
    pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(len(JOBS), thread_name_prefix="sandbox-jobs")
    )

    def run_jobs(self, now: datetime, names: Sequence[str] = JOBS) -> None:
        """One pass of each job as of `now`, side by side as the scheduler's threads run
        them (a pass that waits a moment holds up no other)."""
        for done in [self.pool.submit(self.jobs.run, name, now) for name in names]:
            done.result()

    def stop(self) -> None:
        """No new requests; the work already acked finishes (and reaches the fake Slack)."""
        self.server.close()
        self.after_ack.shutdown(wait=True)
        self.pool.shutdown(wait=True)


def sandbox_settings(api_url: str, bot_token: str, database: Path, admin: str) -> Settings:
    # Explicit values win over the environment and .env: never the production database.
    return load_settings(
        slack_bot_token=bot_token,
        slack_signing_secret=secrets.token_hex(16),
        slack_app_token=None,
        slack_client_id=None,
        slack_client_secret=None,
        slack_api_url=api_url,
        database_url=f"sqlite:///{database.resolve()}",
        perkbot_admins=[admin],
        perkbot_scheduler="off",
    )


def start_perkbot(settings: Settings, clock: SandboxClock) -> RunningPerkbot:
    migrate.upgrade(settings.database_url)
    after_ack = ThreadPoolExecutor(8, thread_name_prefix="perkbot-after-ack")
    app = create_app(settings, clock=clock.now, executor=after_ack)
    server = make_server(app, Database(settings.database_url).ping, host="127.0.0.1", port=0)
    threading.Thread(
        target=run_until_closed, args=(server,), name="perkbot-http", daemon=True
    ).start()
    ctx = Ctx(
        db=Database(settings.database_url),
        catalog=load_catalog(settings.perkbot_catalog),
        admins=frozenset(settings.perkbot_admins),
    )
    client = web_client(settings)
    assert settings.slack_signing_secret is not None
    return RunningPerkbot(
        url=f"http://127.0.0.1:{server.effective_port}/slack/events",
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        jobs=Jobs(ctx, client_for=lambda _team: client),
        server=server,
        after_ack=after_ack,
    )
