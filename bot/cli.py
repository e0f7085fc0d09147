"""The `perkbot` command.

Each command imports what it needs when it runs: `perkbot run --http` answers Slack
before SQLAlchemy and the domain have loaded (bot.starting).
"""

import argparse
import contextlib
import json
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot import cli_data, logs
from bot.ids import JOBS
from bot.manifest import manifest
from bot.settings import Settings, SettingsError, load_settings
from perks.catalog import load_catalog
from perks.errors import CatalogError

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger("perkbot")

EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not getattr(args, "needs_settings", True):
        return int(args.handler(None, args) or 0)
    try:
        settings = load_settings()
        load_catalog(settings.perkbot_catalog)
    except (SettingsError, CatalogError) as exc:
        print(f"perkbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return int(args.handler(settings, args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perkbot", description="Surprise-and-delight perks for Slack."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the Slack app")
    run.add_argument(
        "--http", action="store_true", help="HTTP mode even when SLACK_APP_TOKEN is set"
    )
    run.add_argument("--port", type=int, default=3000)
    run.set_defaults(handler=_run)

    jobs = commands.add_parser("jobs", help="scheduled jobs")
    jobs_commands = jobs.add_subparsers(dest="jobs_command", required=True)
    job = jobs_commands.add_parser("run", help="run one pass of a job now")
    job.add_argument("name", choices=JOBS)
    job.add_argument("--now", type=_instant, help="as of this ISO-8601 time (default: now)")
    job.set_defaults(handler=_run_job)

    manifest = commands.add_parser("manifest", help="print the Slack app manifest (JSON)")
    manifest.add_argument(
        "--url", help="public base URL of HTTP mode, e.g. https://perkbot.example.com"
    )
    manifest.add_argument(
        "--socket", action="store_true", help="Socket Mode instead of request URLs"
    )
    manifest.set_defaults(handler=_manifest, needs_settings=False)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(handler=_db_upgrade)
    cli_data.add_commands(commands)  # export, audit

    sandbox = commands.add_parser("sandbox", help="the whole product in a browser, no Slack")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.add_argument("--dir", type=Path, default=Path("perkbot-sandbox"), help="data folder")
    sandbox.add_argument("--reset", action="store_true", help="start from an empty database")
    sandbox.set_defaults(handler=_sandbox, needs_settings=False)
    return parser


def _sandbox(_settings: Settings | None, args: argparse.Namespace) -> int:
    from bot.sandbox import server  # only this command needs the sandbox

    if args.reset:
        server.reset(args.dir)
    return server.serve(args.dir, args.port)


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 time like 2026-11-30T09:00:00Z, got {text!r}"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _run_job(settings: Settings, args: argparse.Namespace) -> int:
    if not (settings.slack_bot_token or settings.oauth):
        print(
            "perkbot: jobs send Slack messages: set SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET for an OAuth install",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    from bot.jobs import jobs_for
    from storage import migrate

    logs.configure(settings.log_level, settings.log_format)
    migrate.upgrade(settings.database_url)
    now = args.now or datetime.now(UTC)
    print(f"perkbot: {args.name}: " + jobs_for(settings).run(args.name, now))
    return 0


def _manifest(_settings: Settings | None, args: argparse.Namespace) -> int:
    print(json.dumps(manifest(args.url, socket=args.socket), indent=2))
    return 0


def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    from storage import migrate

    migrate.upgrade(settings.database_url)
    print(f"perkbot: database is at migration {migrate.current_head()}")
    return 0


def _run(settings: Settings, args: argparse.Namespace) -> int:
    missing = settings.missing_for_run()
    if missing:
        print(f"perkbot: Slack credentials missing: {missing}", file=sys.stderr)
        return EXIT_CONFIG
    logs.configure(settings.log_level, settings.log_format)
    socket_mode = bool(settings.slack_app_token) and not args.http
    if not (socket_mode or settings.oauth):
        from bot import starting

        return starting.serve(settings, args.port)
    return _run_loaded(settings, args.port, socket_mode=socket_mode)


def _run_loaded(settings: Settings, port: int, *, socket_mode: bool) -> int:
    """Socket Mode and OAuth installs: everything loads before the first request."""
    from bot.app import create_app
    from bot.jobs import jobs_for
    from bot.scheduler import start_scheduler
    from storage import migrate

    migrate.upgrade(settings.database_url)
    app = create_app(settings)
    scheduler = start_scheduler(jobs_for(settings)) if settings.scheduler_on else None
    log.info("perkbot is ready")
    try:
        if socket_mode and settings.slack_app_token:
            return _serve_socket_mode(app, settings.slack_app_token.get_secret_value())
        return _serve_http(app, settings, port)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=True)  # a pass in flight finishes; the rest stays due


def _serve_socket_mode(app: "App", app_token: str) -> int:
    from bot.socket_mode import serve_socket_mode

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        serve_socket_mode(app, app_token, stop)
    return 0


def _serve_http(app: "App", settings: Settings, port: int) -> int:
    from bot.server import make_server, run_until_stopped
    from storage.db import Database

    run_until_stopped(make_server(app, Database(settings.database_url).ping, port=port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
