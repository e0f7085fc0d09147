"""`Sandbox`: the fake Slack with the page, Perkbot, the clock and the demo workspace.

The page is served as soon as the fake Slack listens; Perkbot's migrations and the demo
set-up follow in a thread, and the page says "starting" until they are done.
"""

import logging
import signal
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from bot.fakeslack.client import SlackClient
from bot.fakeslack.server import FakeSlack
from bot.sandbox import routes, samples, timeline
from bot.sandbox.clock import SandboxClock
from bot.sandbox.demo import ADMIN, PEOPLE, Channels, configure, find_channels, populate
from bot.sandbox.keep import Keeper

if TYPE_CHECKING:
    from bot.sandbox.perkbot import RunningPerkbot

log = logging.getLogger("perkbot.sandbox")
HOST = "127.0.0.1"  # never another interface: the sandbox has no authentication
DEFAULT_FOLDER = Path("perkbot-sandbox")
SAVED = "slack.json"  # the fake Slack's conversations
TICK = 60.0  # s: between job passes while the clock runs on by itself, as the scheduler does


class Sandbox:
    def __init__(
        self, folder: Path = DEFAULT_FOLDER, port: int = 8080, *, tick: float | None = TICK
    ) -> None:
        self.folder = folder.resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.clock = SandboxClock(self.folder / "clock.json")
        self.fake = FakeSlack(clock=self.clock, host=HOST, port=port)
        self._port = port
        self._keeper = Keeper(self.fake, self.folder / SAVED)
        self.ready = threading.Event()
        self.error: str | None = None
        self.perkbot: RunningPerkbot | None = None
        self.slack: SlackClient | None = None
        self.channels: Channels | None = None
        self._moving = threading.Lock()  # one clock move or sample run at a time
        self._boot_thread = threading.Thread(target=self._boot, name="sandbox-boot", daemon=True)
        self._tick, self._stopping = tick, threading.Event()

    @property
    def url(self) -> str:
        return self.fake.url

    def start(self) -> Self:
        self.channels = self._restored() or populate(self.fake)
        self.fake.start()
        routes.install(self)
        self._keeper.start()
        self._boot_thread.start()
        return self

    def _restored(self) -> Channels | None:
        """The conversations of the last run, if it saved any."""
        if not self._keeper.restore():
            return None
        try:
            return find_channels(self.fake)
        except KeyError:
            log.warning("sandbox: the saved workspace lacks the demo channels; starting anew")
            self.fake = FakeSlack(clock=self.clock, host=HOST, port=self._port)
            self._keeper = Keeper(self.fake, self.folder / SAVED)
            return None

    def _boot(self) -> None:
        try:
            # Perkbot's imports (Bolt, SQLAlchemy, Alembic) load here, after the page is served.
            from bot.sandbox.perkbot import sandbox_settings, start_perkbot

            settings = sandbox_settings(
                self.fake.api_url, self.fake.bot_token, self.folder / "perkbot.db", ADMIN.id
            )
            self.perkbot = start_perkbot(settings, self.clock)
            self.slack = SlackClient(self.perkbot.url, self.perkbot.signing_secret, self.fake)
            assert self.channels is not None
            configure(self.slack, self.channels)
            self.ready.set()
            if self._tick:
                threading.Thread(target=self._ticking, name="sandbox-tick", daemon=True).start()
        except Exception as e:  # shown on the page and the terminal instead of a silent hang
            log.exception("the sandbox could not start Perkbot")
            self.error = f"Perkbot did not start: {e}"

    def _ticking(self) -> None:
        """Between clicks on "Advance time" the clock runs on: the jobs run as of it."""
        assert self._tick and self.perkbot is not None
        while not self._stopping.wait(self._tick):
            with self._moving:
                try:
                    self.perkbot.run_jobs(self.clock.now())
                except Exception:  # logged; the next tick tries again, as the scheduler would
                    log.exception("sandbox: a job pass failed")

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready.wait(0.05):
            if self.error or time.monotonic() > deadline:
                raise RuntimeError(self.error or "the sandbox did not get ready in time")

    def advance(
        self, *, hours: float = 0, days: float = 0, until: str | None = None, zone: str = "UTC"
    ) -> int:
        """Move the clock forward, running the scheduled jobs along the way."""
        from bot.ids import JOBS
        from perks.calendar import REMINDER_HOUR

        perkbot = self._perkbot()
        rhythm = timeline.Rhythm(frozenset(p.tz for p in PEOPLE), REMINDER_HOUR)

        def step(now: datetime, last: bool) -> None:
            perkbot.run_jobs(now, rhythm.jobs_at(JOBS, now, last))

        with self._moving:
            now = self.clock.now()
            goal = timeline.target(now, hours=hours, days=days, until=until, zone=zone)
            return timeline.advance(self.clock, goal, rhythm, step)

    def sample_data(self) -> int:
        self._perkbot()
        assert self.slack is not None
        with self._moving:
            return samples.make(self.slack, self.clock)

    def _perkbot(self) -> "RunningPerkbot":
        if self.perkbot is None or not self.ready.is_set():
            raise ValueError("The sandbox is still starting.")
        return self.perkbot

    def stop(self) -> None:
        self._stopping.set()
        if self._boot_thread.is_alive():  # never leave a half-started Perkbot behind
            self._boot_thread.join(30)
        if self.perkbot is not None:
            self.perkbot.stop()
        self._keeper.stop()
        self.fake.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


KEPT = ("perkbot.db", "perkbot.db-wal", "perkbot.db-shm", "clock.json", SAVED)


def reset(folder: Path) -> None:
    """Forget what the sandbox kept: only its own files, whatever folder it was given."""
    for name in KEPT:
        (folder / name).unlink(missing_ok=True)


def serve(folder: Path, port: int) -> int:
    """`perkbot sandbox`: start, print the address, serve until Ctrl-C."""
    try:
        sandbox = Sandbox(folder, port).start()
    except OSError as e:  # most often: the port is taken
        print(
            f"perkbot sandbox: cannot listen on {HOST}:{port} ({e.strerror}); try --port",
            file=sys.stderr,
        )
        return 2
    print(
        f"perkbot sandbox: open {sandbox.url}  (data in {sandbox.folder}; Ctrl-C stops)", flush=True
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # saves the conversations, as Ctrl-C
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0
