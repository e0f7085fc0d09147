"""Note reminders: 10:00 in the rep's timezone on the due day, then each business day
while overdue (at most 3), exactly once each, whatever DST, retries or restarts do."""

from datetime import UTC, datetime, timedelta

import pytest

from perks.events import EventForm, log_event
from perks.kinds import EventKind
from perks.notetasks import mark_sent, snooze
from tests.conftest import actor
from tests.jobs.conftest import Env
from tests.usecases.helpers import REP


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def note_for(env: Env, now: datetime, customer: str = "Ada Lovelace") -> int:
    form = EventForm(customer=customer, kind=EventKind.NEW_BABY, just_a_note=True)
    task = log_event(env.ctx, actor(REP), form, now=now).note_task
    assert task is not None and task.id is not None
    return task.id


def reminders(env: Env) -> list:  # type: ignore[type-arg]
    return [m for m in env.dms(REP) if "Write a handwritten note" in m.text + str(m.blocks)]


def test_due_day_at_ten_in_the_reps_timezone_then_once(env: Env) -> None:
    env.set_tz(REP, "America/New_York")
    note_for(env, at("2026-11-16T15:00"))  # Monday; due Wednesday 18 Nov
    env.run("reminders", at("2026-11-18T14:59"))
    assert reminders(env) == []
    env.run("reminders", at("2026-11-18T15:00"))  # 10:00 EST
    env.run("reminders", at("2026-11-18T15:00"))
    env.run("reminders", at("2026-11-18T15:30"))
    assert len(reminders(env)) == 1
    assert "note_sent" in str(reminders(env)[0].blocks)


def test_overdue_reminded_each_business_day_at_most_three_times(env: Env) -> None:
    note_for(env, at("2026-11-16T09:00"))  # UTC rep; due Wed 18 Nov 10:00Z
    moments = [
        "2026-11-18T10:00",
        "2026-11-19T10:00",
        "2026-11-20T10:00",
        "2026-11-21T10:00",
        "2026-11-22T10:00",
        "2026-11-23T10:00",
        "2026-11-24T10:00",
        "2026-11-25T10:00",
    ]
    counts = []
    for moment in moments:
        env.run("reminders", at(moment))
        counts.append(len(reminders(env)))
    # due day, Thu, Fri, (weekend: none), Mon = 3 overdue; then nothing more
    assert counts == [1, 2, 3, 3, 3, 4, 4, 4]


def test_catching_up_after_downtime_sends_one_reminder_not_a_burst(env: Env) -> None:
    note_for(env, at("2026-11-16T09:00"))
    env.run("reminders", at("2026-11-24T12:00"))  # a week late
    assert len(reminders(env)) == 1
    env.run("reminders", at("2026-11-24T18:00"))
    assert len(reminders(env)) == 1
    env.run("reminders", at("2026-11-25T10:00"))
    assert len(reminders(env)) == 2


def test_snooze_reminds_at_ten_the_next_day_and_sent_notes_stay_quiet(env: Env) -> None:
    env.set_tz(REP, "Europe/Berlin")
    task = note_for(env, at("2026-11-16T09:00"))
    other = note_for(env, at("2026-11-16T09:00"), customer="Grace Hopper")
    mark_sent(env.ctx, actor(REP), other, now=at("2026-11-17T08:00"))
    snooze(env.ctx, actor(REP), task, now=at("2026-11-17T08:00"))  # → Wed 10:00 CET = 09:00Z
    env.run("reminders", at("2026-11-18T08:59"))
    assert reminders(env) == []
    env.run("reminders", at("2026-11-18T09:00"))
    assert len(reminders(env)) == 1 and "Ada" in str(reminders(env)[0].blocks)


@pytest.mark.parametrize(
    ("tz", "created", "due_at"),
    [
        ("America/New_York", "2026-03-05T15:00", "2026-03-09T14:00"),  # after spring forward: EDT
        ("America/New_York", "2026-03-05T15:00", "2026-03-09T14:00"),
        ("America/New_York", "2026-10-29T15:00", "2026-11-02T15:00"),  # after fall back: EST
        ("Europe/Berlin", "2026-03-26T12:00", "2026-03-30T08:00"),  # CEST
        ("Europe/Berlin", "2026-10-22T12:00", "2026-10-26T09:00"),  # CET
        ("Asia/Kolkata", "2026-11-16T03:00", "2026-11-18T04:30"),
        ("Pacific/Chatham", "2026-11-16T03:00", "2026-11-17T20:15"),  # 10:00 +13:45 on the 18th
    ],
)
def test_dst_and_odd_offsets_never_skip_or_double(
    env: Env, tz: str, created: str, due_at: str
) -> None:
    env.set_tz(REP, tz)
    note_for(env, at(created))
    due = at(due_at)
    env.run("reminders", due - timedelta(minutes=1))
    assert reminders(env) == []
    for minutes in (0, 1, 30, 60):
        env.run("reminders", due + timedelta(minutes=minutes))
    assert len(reminders(env)) == 1


def test_timezone_comes_from_users_info_and_is_cached_for_a_day(env: Env) -> None:
    env.fake.state.users[REP].tz = "Asia/Kolkata"  # Slack knows; Perkbot does not yet
    note_for(env, at("2026-11-16T03:00"))  # created with the workspace's UTC: 10:00Z
    env.run("reminders", at("2026-11-18T04:29"))
    assert reminders(env) == []
    env.run("reminders", at("2026-11-18T04:30"))  # 10:00 in Kolkata
    assert len(reminders(env)) == 1
    lookups = len(env.fake.calls("users.info"))
    env.run("reminders", at("2026-11-18T09:00"))
    assert len(env.fake.calls("users.info")) == lookups == 1
