"""The delivery pass: claim due outbox rows, send each with no transaction open, mark it.

429s wait for Retry-After and 5xx/timeouts are retried by the WebClient's handlers;
what still fails stays due with an exponential backoff; errors no retry can fix are
recorded and not retried. Posts to one channel are paced at most one per second.
"""

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from perks.context import Ctx
from storage.models import Delivery
from storage.repositories import outbox

log = logging.getLogger("perkbot.jobs")

LEASE = timedelta(minutes=5)
BATCH = 50
MAX_BACKOFF = timedelta(hours=6)
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "invalid_auth",
    "account_inactive",
    "user_not_found",
    "invalid_blocks",
    "is_archived",
    "user_disabled",
    "not_authed",
    "token_revoked",
    "msg_too_long",
}

Posted = tuple[str, str] | None  # (channel, ts) of what was posted; None: nothing to send now
Handler = Callable[[WebClient, Delivery], Posted]


class Pacer:
    """At most one post per second to any one channel (or person), across a pass."""

    def __init__(self, gap: float = 1.0) -> None:
        self.gap, self.last = gap, {}  # type: ignore[var-annotated]

    def wait(self, target: str) -> None:
        since = time.monotonic() - self.last.get(target, float("-inf"))
        if since < self.gap:
            time.sleep(self.gap - since)
        self.last[target] = time.monotonic()


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver(
    ctx: Ctx,
    client_for: Callable[[str], WebClient],
    handlers: dict[str, Handler],
    *,
    now: datetime,
    pacer: Pacer | None = None,
) -> Tally:
    """Send every due delivery of the given kinds, once."""
    token, tally, pacer = uuid.uuid4().hex, Tally(), pacer or Pacer()
    kinds = tuple(handlers)
    while batch := ctx.db.run(
        lambda s: outbox.claim(
            session=s, now=now, lease=LEASE, token=token, kinds=kinds, limit=BATCH
        )
    ):
        for item in batch:
            pacer.wait(item.target)
            values = _send(client_for(item.team_id), handlers[item.kind], item, now, tally)
            ctx.db.run(lambda s, i=item, v=values: _finish(s, i, token, v))
    return tally


def _finish(session: Session, item: Delivery, token: str, values: dict[str, object]) -> None:
    if not outbox.finish(session=session, delivery_id=item.id or 0, token=token, **values):
        log.warning("delivery %s: lease lost before it was marked", item.id)


def _send(
    client: WebClient, handler: Handler, item: Delivery, now: datetime, tally: Tally
) -> dict[str, object]:
    attempts = item.attempts + 1
    try:
        posted = handler(client, item)
    except SlackApiError as exc:
        code = str(exc.response.get("error") or f"http_{exc.response.status_code}")
        if code in PERMANENT:
            log.error("delivery %s (%s) failed for good: %s", item.id, item.kind, code)
            tally.failed += 1
            tally.errors.append(code)
            return {"status": outbox.FAILED, "attempts": attempts, "last_error": code}
        return _retry(item, attempts, code, now, tally)
    except (URLError, OSError, TimeoutError) as exc:
        return _retry(item, attempts, type(exc).__name__, now, tally)
    if posted is None:
        tally.skipped += 1
        return {"status": outbox.SENT, "attempts": attempts, "sent_at": now}
    tally.sent += 1
    return {
        "status": outbox.SENT,
        "attempts": attempts,
        "sent_at": now,
        "channel": posted[0],
        "ts": posted[1],
    }


def _retry(
    item: Delivery, attempts: int, error: str, now: datetime, tally: Tally
) -> dict[str, object]:
    log.warning(
        "delivery %s (%s) will be retried: %s (attempt %d)", item.id, item.kind, error, attempts
    )
    tally.retried += 1
    return {
        "status": outbox.DUE,
        "attempts": attempts,
        "last_error": error[:200],
        "next_attempt_at": now + backoff(attempts),
    }
