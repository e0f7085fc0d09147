"""HTTP mode: POST /slack/events and GET /healthz, plus GET /slack/install and
GET /slack/oauth_redirect when OAuth is configured (RELIABILITY 8); anything else is 404.

waitress serves the WSGI app with a thread pool; Bolt's WSGI adapter handles Slack,
including the OAuth flow's two pages. Nothing here loads SQLAlchemy: /healthz asks a
function whether the database answers (bot.starting serves before SQLAlchemy loads).
"""

import contextlib
import json
import logging
import signal
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

from bot.manifest import EVENTS_PATH

log = logging.getLogger("perkbot")

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Ping = Callable[[], None]  # raises when the database does not answer (or NotStarted)
UNAVAILABLE = "503 Service Unavailable"


class NotStarted(Exception):
    """/healthz while starting: the database answers, Perkbot cannot serve yet."""


def wsgi_app(app: App, ping: Ping) -> Wsgi:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            return _health(ping, start_response)
        return slack(environ, start_response)

    return route


def _health(ping: Ping, start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Says whether the database answers; nothing about teams or secrets."""
    try:
        ping()
        status, body = "200 OK", {"status": "ok"}
    except NotStarted:
        status, body = UNAVAILABLE, {"status": "starting"}
    except Exception:
        log.exception("health check: database unreachable")
        status, body = UNAVAILABLE, {"status": "unavailable", "database": "unreachable"}
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def make_server(
    app: App, ping: Ping, *, host: str = "0.0.0.0", port: int = 3000, threads: int = 16
) -> Any:
    """A waitress server (not yet running): `.run()` serves, `.close()` stops."""
    return create_server(
        wsgi_app(app, ping), host=host, port=port, threads=threads, ident="perkbot"
    )


def _nothing() -> None:
    pass


def run_until_stopped(
    server: Any, *, on_stop: Callable[[], None] = _nothing, then: Callable[[], None] = _nothing
) -> None:
    """Serve until SIGTERM or Ctrl-C, which stop accepting requests and let those in
    flight finish. `on_stop` runs on SIGTERM too; `then` once SIGTERM is handled, just
    before serving. Call from the main thread (signal handlers live there)."""

    def stop(*_: Any) -> None:
        on_stop()
        server.close()

    signal.signal(signal.SIGTERM, stop)
    log.info("serving Slack on http://0.0.0.0:%s%s", server.effective_port, EVENTS_PATH)
    then()
    run_until_closed(server)


def run_until_closed(server: Any) -> None:
    """Serve until `.close()` (or Ctrl-C); a close ends the loop with EBADF: not an error."""
    with contextlib.suppress(KeyboardInterrupt, OSError):
        server.run()
