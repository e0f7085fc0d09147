"""Socket Mode: slack_sdk's built-in client (no extra dependency), auto-reconnecting.

Each dropped session is logged with the time since the last pong before it reconnects;
events keep the (team, event_id) dedupe of the listeners, so a redelivery is handled once.
"""

import logging
import threading
import time

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger("perkbot")
# The built-in client notices a silently dead session only when four pings go unanswered
# (a cut TCP connection is not seen otherwise), so ping often: reconnects come in ~15 s.
PING_INTERVAL_S = 3


def serve_socket_mode(app: App, app_token: str, stop: threading.Event) -> None:
    """Connect, serve until `stop` is set, then close the session."""
    handler = SocketModeHandler(app, app_token, ping_interval=PING_INTERVAL_S)
    client = handler.client

    def on_close(code: int, reason: str | None) -> None:
        session = client.current_session
        pong = session.last_ping_pong_time if session is not None else None
        since = f"{time.time() - pong:.1f}s" if pong else "no pong yet"
        log.warning(
            "socket mode: session closed (code %s, %s); last pong %s ago; reconnecting",
            code,
            reason or "no reason",
            since,
        )

    client.on_close_listeners.append(on_close)
    handler.connect()
    log.info("serving Slack over Socket Mode (session %s)", client.session_id())
    stop.wait()
    handler.close()
