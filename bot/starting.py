"""`perkbot run --http`: answering Slack within a second of starting.

Loading all of Perkbot (SQLAlchemy, the models, the domain, the listeners) takes over a
second of CPU on a small machine. So the server starts first, with the Bolt app and its
router (bot.front), and the rest loads in a thread behind it. Meanwhile:
- GET /healthz asks the database through its driver alone (storage.ping): 200 when it
  answers and its schema is the current one (the listeners are then a moment away),
  503 "starting" while migrations are still to run;
- a `/perk` command is acked at once, and runs as soon as the listeners are in;
- any other request waits for them (bot.listeners.router), within Slack's 3 s.
If loading fails (database unreachable, a migration failing), the server stops and
`perkbot run` exits 1, the reason logged.
OAuth installs and Socket Mode load everything first instead (bot.cli): the OAuth pages
and every request's authorization need the installation store, in the database.
"""

import logging
import os
import signal
import threading
from typing import TYPE_CHECKING, Any

from bot.front import bolt_app
from bot.ids import COMMAND
from bot.listeners.router import Router
from bot.server import NotStarted, make_server, run_until_stopped
from bot.settings import Settings
from storage.ping import load_driver, revision
from storage.revisions import current_head

if TYPE_CHECKING:
    from storage.db import Database

log = logging.getLogger("perkbot")
EXIT_FAILED = 1
LOADING_JOIN_S = 30  # a stop during loading lets it finish (so the scheduler stops too)


class Starting:
    """The app answering from the start; `load` puts Perkbot's listeners behind it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = bolt_app(settings)
        self.router = Router(self.app, early={COMMAND})
        self.router.install()
        load_driver(settings.database_url)
        self.head = current_head()
        self.db: Database | None = None  # once loaded, /healthz asks its pool
        self.scheduler: Any = None
        self.stopping = threading.Event()  # SIGTERM came: start no scheduler
        self.failed = False

    def ping(self) -> None:
        if self.db is not None:
            self.db.ping()
        elif revision(self.settings.database_url) != self.head:  # raises if unreachable
            raise NotStarted("the database schema is still to be upgraded")

    def load(self) -> None:
        # Imported here, in the loading thread: these are what takes a second.
        from bot.app import add_listeners, request_ctx
        from bot.jobs import jobs_for
        from bot.scheduler import start_scheduler
        from storage import migrate

        migrate.upgrade(self.settings.database_url)
        ctx = request_ctx(self.settings)
        add_listeners(self.router, self.settings, ctx)
        self.db = ctx.db
        if self.settings.scheduler_on and not self.stopping.is_set():
            self.scheduler = start_scheduler(jobs_for(self.settings))
        log.info("perkbot is ready")

    def load_or_stop(self) -> None:
        try:
            self.load()
        except BaseException:
            log.exception("perkbot could not start")
            self.failed = True
            os.kill(os.getpid(), signal.SIGTERM)  # the server stops as on any SIGTERM

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)  # a pass in flight finishes; the rest stays due


def serve(settings: Settings, port: int) -> int:
    """Serve HTTP at once; exits 0 on SIGTERM or Ctrl-C, 1 if Perkbot could not load."""
    perkbot = Starting(settings)
    server = make_server(perkbot.app, perkbot.ping, port=port)
    loading = threading.Thread(target=perkbot.load_or_stop, name="perkbot-loading", daemon=True)
    try:  # loading starts once SIGTERM is handled: its failure stops the server by SIGTERM
        run_until_stopped(server, on_stop=perkbot.stopping.set, then=loading.start)
    finally:
        if loading.is_alive():
            loading.join(LOADING_JOIN_S)
        perkbot.stop()
    return EXIT_FAILED if perkbot.failed else 0
