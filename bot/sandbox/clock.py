"""The sandbox clock: the real time plus an offset that "Advance time" grows.

The fake Slack stamps messages with it, Perkbot's request path reads it (the `clock`
seam of `create_app`), and the jobs run as of it, so all three agree on "now".
"""

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path


class SandboxClock:
    def __init__(self, file: Path | None = None) -> None:
        self._file = file
        self._lock = threading.Lock()
        self._offset = self._load()

    def _load(self) -> float:
        try:
            return float(json.loads(self._file.read_text())["offset"]) if self._file else 0.0
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0

    def __call__(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self(), UTC)

    def set(self, when: float) -> None:
        """Move to `when`; never backwards, so nothing already done happens again."""
        with self._lock:
            self._offset = max(self._offset, when - time.time())
            if self._file is not None:
                self._file.write_text(json.dumps({"offset": self._offset}))
