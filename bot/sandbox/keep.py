"""The fake Slack's conversations in the sandbox folder (`slack.json`), so a restart shows
what Perkbot's database remembers: saved every few seconds after a change, and on stop."""

import json
import logging
import threading
from pathlib import Path

from bot.fakeslack import persist
from bot.fakeslack.server import FakeSlack

log = logging.getLogger("perkbot.sandbox")
EVERY = 5.0  # s


class Keeper:
    def __init__(self, fake: FakeSlack, file: Path) -> None:
        self.fake, self.file = fake, file
        self._saved_at = -1  # the event count when last saved
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sandbox-keep", daemon=True)

    def restore(self) -> bool:
        """Load what an earlier run saved; False when there is nothing (or nothing usable)."""
        try:
            persist.restore(self.fake, json.loads(self.file.read_text()))
        except FileNotFoundError:
            return False
        except (ValueError, KeyError, TypeError) as e:
            log.warning("sandbox: %s is unreadable (%s); starting a new workspace", self.file, e)
            return False
        self._saved_at = len(self.fake.state.events())
        return True

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._stopping.wait(EVERY):
            self.save()

    def save(self) -> None:
        seen = len(self.fake.state.events())
        if seen == self._saved_at:
            return
        partial = self.file.with_suffix(".tmp")
        partial.write_text(json.dumps(persist.dump(self.fake.state)))
        partial.replace(self.file)  # a crash mid-write never leaves half a file
        self._saved_at = seen

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self.save()
