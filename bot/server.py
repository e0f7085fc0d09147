"""HTTP mode: POST /slack/events and GET /healthz, plus GET /slack/install and
GET /slack/oauth_redirect when OAuth is configured (RELIABILITY 8); anything else is 404.

waitress serves the WSGI app with a thread pool; Bolt's WSGI adapter handles Slack,
including the OAuth flow's two pages.
"""

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from waitress.server import create_server

from bot.manifest import EVENTS_PATH
from storage.db import Database

log = logging.getLogger("perkbot")

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App, db: Database) -> Wsgi:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            return _health(db, start_response)
        return slack(environ, start_response)

    return route


def _health(db: Database, start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Says whether the database answers; nothing about teams or secrets."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        status, body = "200 OK", {"status": "ok"}
    except Exception:
        log.exception("health check: database unreachable")
        status, body = (
            "503 Service Unavailable",
            {"status": "unavailable", "database": "unreachable"},
        )
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def make_server(
    app: App, db: Database, *, host: str = "0.0.0.0", port: int = 3000, threads: int = 16
) -> Any:
    """A waitress server (not yet running): `.run()` serves, `.close()` stops."""
    return create_server(wsgi_app(app, db), host=host, port=port, threads=threads, ident="perkbot")
