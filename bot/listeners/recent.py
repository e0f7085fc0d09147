"""Each team's settings as read a few seconds ago, for the checks made before an ack.

Before the ack a listener only parses, validates and reads settings (RELIABILITY 2);
keeping those settings for a few seconds lets a submission be checked with no database
round trip at all. Nothing is decided on them: the transaction after the ack reads the
settings afresh and checks everything again.
"""

import threading
import time
from collections.abc import Callable
from datetime import datetime

from perks.context import Ctx
from perks.overview import settings_of
from storage.models import Workspace

TTL_S = 5.0


class RecentSettings:
    def __init__(
        self, ctx: Ctx, ttl: float = TTL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ctx, self._ttl, self._clock = ctx, ttl, clock
        self._lock = threading.Lock()
        self._read: dict[str, tuple[float, Workspace]] = {}

    def get(self, team_id: str, now: datetime) -> Workspace:
        with self._lock:
            hit = self._read.get(team_id)
        if hit is not None and self._clock() - hit[0] < self._ttl:
            return hit[1]
        ws = self._ctx.db.run(lambda session: settings_of(session, team_id, now), write=False)
        with self._lock:
            self._read[team_id] = (self._clock(), ws)
        return ws

    def forget(self, team_id: str) -> None:
        """This process changed the team's settings: read them again next time."""
        with self._lock:
            self._read.pop(team_id, None)
