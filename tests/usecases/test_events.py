"""Logging life events: validation, defaults, duplicates, 'Just a note', the resolved gate."""

from datetime import date, timedelta

import pytest

from perks.context import Ctx
from perks.errors import InvalidInput, NotAllowed
from perks.events import DuplicateEvent, EventForm, log_event, mark_resolved
from perks.kinds import EventKind
from tests.conftest import NOW, actor
from tests.usecases.helpers import REP, event_for


def log(ctx: Ctx, **fields: object):  # type: ignore[no-untyped-def]
    fields.setdefault("customer", "Ada Lovelace")
    fields.setdefault("kind", EventKind.NEW_BABY)
    return log_event(ctx, actor(REP), EventForm(**fields), now=NOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"customer": "   "}, "customer"),
        ({"customer": "x" * 201}, "customer"),
        ({"company": "c" * 201}, "company"),
        ({"notes": "n" * 2001}, "notes"),
        ({"event_date": date(2025, 11, 15)}, "date"),
        ({"event_date": date(2027, 11, 17)}, "date"),
    ],
)
def test_bad_input_names_the_field(ctx: Ctx, fields: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        log(ctx, **fields)
    assert err.value.field == field


def test_limits_are_inclusive(ctx: Ctx) -> None:
    logged = log(
        ctx, customer="x" * 200, company="c" * 200, notes="n" * 2000, event_date=date(2025, 11, 16)
    )
    assert len(logged.customer.name) == 200 and logged.event.event_date == date(2025, 11, 16)


def test_date_defaults_to_today_and_birthdays_recur(ctx: Ctx) -> None:
    logged = log(ctx, kind=EventKind.BIRTHDAY)
    assert logged.event.event_date == NOW.date()
    assert logged.event.recurring is True
    assert log(ctx, customer="Grace", kind=EventKind.WEDDING).event.recurring is False
    assert (
        log(ctx, customer="Alan", kind=EventKind.ANNIVERSARY, recurring=False).event.recurring
        is False
    )


def test_customers_match_case_insensitively_on_name_and_company(ctx: Ctx) -> None:
    a = log(ctx, customer="Ada Lovelace", company="Analytical Engines")
    b = log(ctx, customer="ada  LOVELACE", company="analytical engines", kind=EventKind.NEW_JOB)
    c = log(ctx, customer="Ada Lovelace", company="Other Co", kind=EventKind.NEW_JOB)
    assert a.customer.id == b.customer.id != c.customer.id


def test_same_kind_within_30_days_is_shown_first_then_may_be_saved(ctx: Ctx) -> None:
    first = log(ctx, kind=EventKind.BEREAVEMENT)
    with pytest.raises(DuplicateEvent) as err:
        log(ctx, customer="ADA LOVELACE", kind=EventKind.BEREAVEMENT)
    assert err.value.existing.id == first.event.id
    assert f"<@{REP}>" in err.value.message and "16 Nov 2026" in err.value.message
    again = log(ctx, kind=EventKind.BEREAVEMENT, allow_duplicate=True)
    assert again.event.id != first.event.id


def test_same_kind_after_30_days_is_not_a_duplicate(ctx: Ctx) -> None:
    log(ctx, kind=EventKind.NEW_JOB)
    later = log_event(
        ctx,
        actor(REP),
        EventForm(customer="Ada Lovelace", kind=EventKind.NEW_JOB),
        now=NOW + timedelta(days=31),
    )
    assert later.event.id is not None


def test_just_a_note_creates_a_note_task_due_in_two_business_days(ctx: Ctx) -> None:
    logged = log(ctx, kind=EventKind.BEREAVEMENT, just_a_note=True)
    task = logged.note_task
    assert task is not None
    assert task.due_date == date(2026, 11, 18)  # Monday + 2 business days
    assert task.remind_at.hour == 10  # UTC workspace, 10:00
    assert "congrat" not in (task.wording or "").lower()


def test_service_recovery_asks_if_resolved(ctx: Ctx) -> None:
    open_issue = log(ctx, kind=EventKind.SERVICE_RECOVERY)
    assert open_issue.event.resolved is False
    assert log(ctx, customer="Bob", kind=EventKind.SERVICE_RECOVERY, resolved=True).event.resolved
    assert mark_resolved(ctx, actor(REP), open_issue.event.id or 0, now=NOW).resolved is True
    assert log(ctx, customer="Cy", kind=EventKind.WEDDING).event.resolved is None


def test_only_service_recovery_can_be_marked_resolved(ctx: Ctx) -> None:
    with pytest.raises(NotAllowed):
        mark_resolved(ctx, actor(REP), event_for(ctx), now=NOW)


def test_replayed_submission_logs_one_event(ctx: Ctx) -> None:
    a = log(ctx, client_key="abc")
    b = log(ctx, client_key="abc")
    assert a.event.id == b.event.id
