"""The monthly export (SPEC §3, §4): one CSV row per proposal, safe to open in a spreadsheet."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from perks.context import Actor, Ctx, role_of
from perks.errors import InvalidInput
from perks.money import format_plain
from perks.roles import require_manager
from storage.repositories import export, workspaces
from storage.repositories.export import ExportRow

HEADER = (
    "proposal_id",
    "proposed_at",
    "event_date",
    "rep",
    "customer",
    "company",
    "event_kind",
    "perk",
    "amount",
    "currency",
    "status",
    "approver",
    "decided_at",
    "reason",
    "note_status",
)
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """The month's first instant and the next month's, in the workspace timezone."""
        tz = ZoneInfo(timezone)
        nxt = Month(self.year + self.month // 12, self.month % 12 + 1)
        return datetime(self.year, self.month, 1, tzinfo=tz), datetime(
            nxt.year, nxt.month, 1, tzinfo=tz
        )


def parse_month(text: str) -> Month:
    match = _MONTH.match(text.strip())
    if not match:
        raise InvalidInput("Month must be YYYY-MM, e.g. 2026-11.")
    return Month(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class Export:
    filename: str
    title: str
    content: str
    rows: int


def safe_cell(value: object) -> str:
    """Text for one cell; a leading formula character is neutralised with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _when(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")  # stored UTC
    return moment.isoformat()


def row_cells(row: ExportRow) -> list[str]:
    values = (
        row.proposal_id,
        _when(row.created_at),
        _when(row.event_date),
        row.rep_user_id,
        row.customer,
        row.company,
        row.event_kind,
        row.perk,
        format_plain(row.amount, row.currency),
        row.currency,
        row.status,
        row.decided_by,
        _when(row.decided_at),
        row.reason,
        row.note_status,
    )
    return [safe_cell(v) for v in values]


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def month_csv(ctx: Ctx, team_id: str, month: Month | None, *, now: datetime) -> Export:
    """The CSV of a team's proposals made in `month` (default: the current one)."""

    def work(session: Session) -> Export:
        ws = workspaces.get(session=session, team_id=team_id)
        timezone = ws.timezone if ws is not None else "UTC"  # no settings yet: the default
        chosen = month or _current(now, timezone)
        start, end = chosen.bounds(timezone)
        found = export.proposals_between(session=session, team_id=team_id, start=start, end=end)
        return Export(
            filename=f"perks-{chosen}.csv",
            title=f"Perks, {start:%B %Y}",
            content=csv_text(row_cells(r) for r in found),
            rows=len(found),
        )

    return ctx.db.run(work, write=False)


def month_for(ctx: Ctx, actor: Actor, month: Month | None, *, now: datetime) -> Export:
    """`/perk export`: managers and admins only."""
    ctx.db.run(
        lambda s: require_manager(role_of(ctx, s, actor), "export perks"),
        write=False,
    )
    return month_csv(ctx, actor.team_id, month, now=now)


def _current(now: datetime, timezone: str) -> Month:
    local = now.astimezone(ZoneInfo(timezone))
    return Month(local.year, local.month)


def known_teams(ctx: Ctx) -> list[str]:
    return ctx.db.run(lambda s: sorted(workspaces.all_team_ids(session=s)), write=False)
