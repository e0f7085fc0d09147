"""Socket Mode: slack_sdk's built-in client (no extra dependency), auto-reconnecting.

Reconnects and the time since the last pong are logged (RELIABILITY 39); events keep the
(team, event_id) dedupe of the listeners, so a redelivered envelope is handled once.
"""

import logging
import threading
import time

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.builtin import SocketModeClient

log = logging.getLogger("perkbot")
# The built-in client notices a silently dead session only when four pings go unanswered
# (a cut TCP connection is not seen otherwise), so ping often: reconnects come in ~15 s.
PING_INTERVAL_S = 3


def serve_socket_mode(app: App, app_token: str, stop: threading.Event) -> None:
    """Connect, serve until `stop` is set, then close the session."""
    handler = SocketModeHandler(app, app_token, ping_interval=PING_INTERVAL_S)
    watch = SessionWatch(handler.client)
    handler.client.on_close_listeners.append(watch.closed)
    handler.connect()
    log.info("serving Slack over Socket Mode (session %s)", handler.client.session_id())
    watch.session = handler.client.session_id()
    while not stop.wait(PING_INTERVAL_S):
        watch.check()
    handler.close()


class SessionWatch:
    """Logs what the client does on its own: sessions closing, pongs late, reconnects."""

    def __init__(self, client: SocketModeClient) -> None:
        self.client = client
        self.session: str | None = None
        self.reconnects = 0
        self.late = False  # a "no pong" warning is out for the current session

    def pong_age(self) -> str:
        session = self.client.current_session
        pong = session.last_ping_pong_time if session is not None else None
        return f"{time.time() - pong:.1f}s" if pong else "no pong yet"

    def closed(self, code: int, reason: str | None) -> None:
        log.warning(
            "socket mode: session closed (code %s, %s); last pong %s ago; reconnecting",
            code,
            reason or "no reason",
            self.pong_age(),
        )

    def check(self) -> None:
        session = self.client.session_id()
        if session != self.session:
            self.session, self.late = session, False
            self.reconnects += 1
            log.info(
                "socket mode: reconnected (session %s, reconnect %d)", session, self.reconnects
            )
            return
        session_obj = self.client.current_session
        pong = session_obj.last_ping_pong_time if session_obj is not None else None
        if pong and time.time() - pong > 2 * PING_INTERVAL_S and not self.late:
            self.late = True
            log.warning("socket mode: no pong for %s; the session may be dead", self.pong_age())
