"""`perkbot export` and `perkbot audit`: what a finance or privacy officer reads (SPEC §4)."""

import argparse
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:  # the handlers import what they need, so `perkbot --help` stays quick
    from perks.context import Ctx
    from perks.export import Month

EXIT_USAGE = 2


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = commands.add_parser("export", help="the month's perks as CSV, one row per proposal")
    export.add_argument("--month", required=True, type=_month, help="YYYY-MM")
    export.add_argument("--out", type=Path, help="write to this file (default: stdout)")
    export.add_argument("--team", help="Slack team id; needed when the database holds several")
    export.set_defaults(handler=_export)

    audit = commands.add_parser("audit", help="print the audit log, one line per entry (UTC)")
    audit.add_argument("--since", type=_day, help="YYYY-MM-DD, from 00:00 UTC")
    audit.add_argument("--team", help="only this Slack team id (default: every team)")
    audit.set_defaults(handler=_audit)


def _month(text: str) -> "Month":
    from perks.errors import InvalidInput
    from perks.export import parse_month

    try:
        return parse_month(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-01, got {text!r}") from None


def _ctx(settings: Settings) -> "Ctx":
    from perks.catalog import load_catalog
    from perks.context import Ctx
    from storage import migrate
    from storage.db import Database

    migrate.upgrade(settings.database_url)
    return Ctx(
        db=Database(settings.database_url),
        catalog=load_catalog(settings.perkbot_catalog),
        admins=frozenset(settings.perkbot_admins),
    )


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from perks import export

    ctx = _ctx(settings)
    team = _pick_team(export.known_teams(ctx), args.team)
    if team is None:
        return EXIT_USAGE
    made = export.month_csv(ctx, team, args.month, now=datetime.now(UTC))
    if args.out is None:
        sys.stdout.write(made.content)
        return 0
    args.out.write_text(made.content, encoding="utf-8", newline="")  # csv's own \r\n
    print(f"perkbot: wrote {made.rows} perks of team {team} to {args.out}", file=sys.stderr)
    return 0


def _pick_team(teams: list[str], wanted: str | None) -> str | None:
    """The team asked for, or the only one; None (and why, on stderr) otherwise."""
    if wanted in teams or (wanted is None and len(teams) == 1):
        return wanted or teams[0]
    if not teams:
        problem = "no workspace in the database yet"
    elif wanted:
        problem = f"no team {wanted} in the database (teams: {', '.join(teams)})"
    else:
        problem = f"the database holds several teams ({', '.join(teams)}): pass --team"
    print(f"perkbot: {problem}", file=sys.stderr)
    return None


def _audit(settings: Settings, args: argparse.Namespace) -> int:
    from perks import audit_log

    since = datetime.combine(args.since, time(), UTC) if args.since else None
    for entry in audit_log.entries(_ctx(settings), team_id=args.team, since=since):
        at = entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = (at, entry.team_id, entry.actor, entry.action, entry.subject or "-", entry.detail)
        print(" ".join(fields))
    return 0
