"""The `perkbot` command."""

import argparse
import sys
from collections.abc import Sequence

from bot.settings import Settings, SettingsError, load_settings
from perks.catalog import load_catalog
from perks.errors import CatalogError
from storage import migrate

EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(handler=_db_upgrade)
    return parser


def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    migrate.upgrade(settings.database_url)
    print(f"perkbot: database is at migration {migrate.current_head()}")
    return 0


def _run(settings: Settings, args: argparse.Namespace) -> int:
    missing = settings.missing_for_run()
    if missing:
        print(f"perkbot: Slack credentials missing: {missing}", file=sys.stderr)
        return EXIT_CONFIG
    migrate.upgrade(settings.database_url)
    print("perkbot: the Slack surface is not built yet (issue 3); the database is ready.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
