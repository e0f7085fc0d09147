"""The monthly CSV: one row per proposal, decimal amounts, no formula injection, one team."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from perks.context import Ctx
from perks.decisions import approve, reject
from perks.errors import InvalidInput, NotAllowed
from perks.events import EventForm, log_event
from perks.export import HEADER, Month, month_csv, month_for, parse_month, safe_cell
from perks.kinds import EventKind
from perks.proposals import ProposalForm, propose_perk
from tests.conftest import ADMIN, NOW, actor
from tests.usecases.helpers import MANAGER, REP, event_for, propose, with_manager

LATER = NOW + timedelta(hours=2)
NOVEMBER = Month(2026, 11)


def rows(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content)))


def test_one_row_per_proposal_with_every_column(ctx: Ctx) -> None:
    with_manager(ctx)
    propose(ctx, event_for(ctx, "Ada Lovelace", company="Analytical"), "12.5")
    pending = propose(ctx, event_for(ctx, "Grace Hopper"), "60")
    rejected = propose(ctx, event_for(ctx, "Alan Turing"), "70")
    approve(ctx, actor(MANAGER), pending.proposal.id or 0, now=LATER)
    reject(ctx, actor(MANAGER), rejected.proposal.id or 0, reason="Too much", now=LATER)

    export = month_for(ctx, actor(MANAGER), NOVEMBER, now=LATER)

    assert export.filename == "perks-2026-11.csv" and export.rows == 3
    assert export.content.splitlines()[0] == ",".join(HEADER)
    by_customer = {r["customer"]: r for r in rows(export.content)}
    ada = by_customer["Ada Lovelace"]
    assert (ada["amount"], ada["currency"], ada["status"]) == ("12.50", "USD", "auto_approved")
    assert (ada["company"], ada["event_kind"], ada["perk"]) == ("Analytical", "new_baby", "A gift")
    assert (ada["rep"], ada["note_status"], ada["proposed_at"]) == (
        REP,
        "open",
        "2026-11-16T15:00:00Z",
    )
    assert ada["event_date"] == "2026-11-16"
    grace = by_customer["Grace Hopper"]
    assert (grace["status"], grace["approver"], grace["decided_at"]) == (
        "approved",
        MANAGER,
        "2026-11-16T17:00:00Z",
    )
    alan = by_customer["Alan Turing"]
    assert (alan["status"], alan["reason"], alan["note_status"]) == ("rejected", "Too much", "")


def test_cells_that_a_spreadsheet_would_run_are_escaped(ctx: Ctx) -> None:
    nasty = '=HYPERLINK("http://evil","x")'
    propose(ctx, event_for(ctx, nasty, company="@SUM(A1)", notes="n"), "10")
    [row] = rows(month_csv(ctx, "T0001", NOVEMBER, now=NOW).content)
    assert row["customer"] == "'" + nasty and row["company"] == "'@SUM(A1)"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(start + "1") == "'" + start + "1"
    assert safe_cell("Ada") == "Ada" and safe_cell(None) == "" and safe_cell(12) == "12"


def test_only_the_month_asked_and_only_this_team(ctx: Ctx) -> None:
    propose(ctx, event_for(ctx, "November"), "10")
    december = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
    propose(ctx, event_for(ctx, "December", now=december), "10", now=december)
    other = actor(REP, team_id="T0002")
    logged = log_event(ctx, other, EventForm(customer="Elsewhere", kind=EventKind.OTHER), now=NOW)
    form = ProposalForm(event_id=logged.event.id or 0, amount="5", description="x")
    propose_perk(ctx, other, form, now=NOW)
    names = [r["customer"] for r in rows(month_csv(ctx, "T0001", NOVEMBER, now=NOW).content)]
    assert names == ["November"]
    assert month_csv(ctx, "T0002", NOVEMBER, now=NOW).rows == 1
    december_names = [
        r["customer"] for r in rows(month_csv(ctx, "T0001", None, now=december).content)
    ]
    assert december_names == ["December"]


def test_month_follows_the_workspace_timezone(ctx: Ctx) -> None:
    with_manager(ctx, timezone="America/New_York")
    # 03:00 UTC on 1 December is still November in New York.
    late = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    propose(ctx, event_for(ctx, "Late in November", now=late), "10", now=late)
    names = [r["customer"] for r in rows(month_csv(ctx, "T0001", NOVEMBER, now=late).content)]
    assert names == ["Late in November"]


def test_reps_may_not_export_and_months_are_checked(ctx: Ctx) -> None:
    with pytest.raises(NotAllowed):
        month_for(ctx, actor(REP), NOVEMBER, now=NOW)
    assert month_for(ctx, actor(ADMIN), NOVEMBER, now=NOW).rows == 0
    assert parse_month("2026-02") == Month(2026, 2)
    for bad in ("2026-13", "26-01", "2026/01", "nov"):
        with pytest.raises(InvalidInput):
            parse_month(bad)
    assert Month(2026, 12).bounds("UTC")[1] == datetime(2027, 1, 1, tzinfo=UTC)
