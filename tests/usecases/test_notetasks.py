"""Note tasks: mark sent, snooze to 10:00 tomorrow in the rep's timezone, skip with a reason."""

from datetime import UTC, datetime, timedelta

import pytest

from perks.context import Ctx
from perks.errors import AlreadyDecided, InvalidInput, NotAllowed
from perks.events import EventForm, log_event
from perks.kinds import EventKind
from perks.notetasks import mark_sent, open_tasks, skip, snooze
from storage.repositories import members
from tests.conftest import NOW, TEAM, actor
from tests.usecases.helpers import REP


def note_task(ctx: Ctx, now: datetime = NOW) -> int:
    form = EventForm(customer="Ada", kind=EventKind.NEW_BABY, just_a_note=True)
    task = log_event(ctx, actor(REP), form, now=now).note_task
    assert task is not None and task.id is not None
    return task.id


def set_rep_tz(ctx: Ctx, tz: str) -> None:
    with ctx.db.session_scope() as s:
        from storage.repositories import workspaces

        workspaces.ensure(session=s, team_id=TEAM, now=NOW)
        members.ensure(session=s, team_id=TEAM, user_id=REP).timezone = tz


def test_mark_sent_closes_the_task_once(ctx: Ctx) -> None:
    tid = note_task(ctx)
    assert [t.id for t in open_tasks(ctx, actor(REP))] == [tid]
    assert mark_sent(ctx, actor(REP), tid, now=NOW).status == "sent"
    assert open_tasks(ctx, actor(REP)) == []
    with pytest.raises(AlreadyDecided):
        mark_sent(ctx, actor(REP), tid, now=NOW)


def test_only_the_owner_changes_a_note(ctx: Ctx) -> None:
    tid = note_task(ctx)
    with pytest.raises(NotAllowed):
        mark_sent(ctx, actor("USOMEONE"), tid, now=NOW)


def test_skip_needs_a_reason(ctx: Ctx) -> None:
    tid = note_task(ctx)
    with pytest.raises(InvalidInput) as err:
        skip(ctx, actor(REP), tid, reason=" ", now=NOW)
    assert err.value.field == "reason"
    done = skip(ctx, actor(REP), tid, reason="Customer asked for no mail", now=NOW)
    assert done.status == "skipped" and done.skip_reason == "Customer asked for no mail"


def test_snooze_reminds_at_ten_tomorrow_in_the_reps_timezone(ctx: Ctx) -> None:
    set_rep_tz(ctx, "America/New_York")
    tid = note_task(ctx)
    # 2026-11-16 15:00Z is 10:00 in New York; tomorrow 10:00 EST is 15:00Z.
    task = snooze(ctx, actor(REP), tid, now=NOW)
    assert task.remind_at == datetime(2026, 11, 17, 15, 0, tzinfo=UTC)
    assert task.status == "open"


def test_note_due_uses_the_reps_timezone(ctx: Ctx) -> None:
    set_rep_tz(ctx, "Asia/Kolkata")
    form = EventForm(customer="Ada", kind=EventKind.WEDDING, just_a_note=True)
    late_friday = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # already Saturday in Kolkata
    task = log_event(ctx, actor(REP), form, now=late_friday).note_task
    assert task is not None
    assert task.due_date.isoformat() == "2026-11-24"  # Sat → +2 business days = Tue
    assert task.remind_at == datetime(2026, 11, 24, 4, 30, tzinfo=UTC)  # 10:00 IST
    assert task.remind_at > late_friday + timedelta(days=1)
