"""The start-up floor (`bench.startup`): a bare Bolt app behind waitress, importing as little
as a Slack app over HTTP can.

`python -m bench.bare_server PORT` reads SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN,
SLACK_API_URL and DATABASE_URL as `perkbot run --http` does, and serves:
- POST /slack/events: one `/perk` listener that acks (for `help` it also answers
  one line through the response_url after the ack, as Perkbot's lazy listeners
  do), and no-op acks for the Approve button and the Propose a perk submission;
- GET /healthz: `SELECT 1` on the database with its bare driver.

It mirrors `bot.server.make_server` (waitress `create_server`, 16 threads) rather
than calling it: importing `bot.server` imports `bot.manifest`, hence every
listener, block builder and the domain, which is what the floor must not pay for.
"""

import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress.server import create_server

from bot.ids import Action, Callback  # two enums, no other import

EVENTS_PATH = "/slack/events"


def bare_app() -> App:
    """Same middleware and options as Perkbot's app: signature check, single-team
    authorization (one auth.test, to the fake), `process_before_response=True`."""
    env = os.environ
    app = App(
        name="bare",  # without it Bolt calls inspect.stack(), which scans every loaded module
        signing_secret=env["SLACK_SIGNING_SECRET"],
        client=WebClient(token=env["SLACK_BOT_TOKEN"], base_url=env["SLACK_API_URL"]),
        token_verification_enabled=False,
        process_before_response=True,
    )

    def noop(ack: Ack) -> None:
        ack()

    def answer_help(body: dict[str, Any], respond: Respond) -> None:
        if body.get("text") == "help":
            respond(text="help", response_type="ephemeral")

    app.command("/perk")(ack=noop, lazy=[answer_help])
    app.action(Action.APPROVE.value)(noop)
    app.view(Callback.PROPOSE.value)(noop)
    return app


def database_check(url: str) -> Callable[[], None]:
    """`SELECT 1` with the driver alone (sqlite3, or psycopg for PostgreSQL)."""
    if url.startswith("sqlite:///"):
        import sqlite3

        path = url.removeprefix("sqlite:///")
        connect: Callable[[], Any] = lambda: sqlite3.connect(path)  # noqa: E731
    else:
        import psycopg

        dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
        connect = lambda: psycopg.connect(dsn)  # noqa: E731

    def check() -> None:
        conn = connect()
        try:
            conn.execute("SELECT 1").fetchone()
        finally:
            conn.close()

    return check


def main() -> None:
    slack = SlackRequestHandler(bare_app(), path=EVENTS_PATH)
    check = database_check(os.environ["DATABASE_URL"])

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            check()
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"status": "ok"}).encode()]
        return slack(environ, start_response)

    port = int(sys.argv[1])
    create_server(route, host="127.0.0.1", port=port, threads=16, ident="bare").run()


if __name__ == "__main__":
    main()
