"""Escalations, recurring heads-ups, the weekly digest and retention, as of `now`."""

from datetime import date, timedelta

from sqlalchemy import event

from bot.blocks.digest import digest_message
from bot.fakeslack.limits import check_message
from perks.admin import SettingsForm, update_settings
from perks.decisions import approve, cancel, reject
from perks.digest import build_digest
from perks.events import EventForm, log_event
from perks.kinds import EventKind
from perks.notetasks import mark_sent, open_tasks
from perks.overview import budget
from perks.planning import digest_moment
from storage.models import Workspace
from tests.conftest import ADMIN, TEAM, actor
from tests.jobs.conftest import Env
from tests.jobs.test_reminders import at
from tests.usecases.helpers import MANAGER, REP, event_for, propose, with_manager

START = at("2026-11-16T15:00")


def texts(env: Env, user: str) -> list[str]:
    return [m.text + str(m.blocks) for m in env.dms(user)]


def test_reping_once_after_24_hours_then_expire_after_72(env: Env) -> None:
    with_manager(env.ctx, now=START)
    pid = propose(env.ctx, event_for(env.ctx, now=START), "60", now=START).proposal.id
    env.run("escalations", START + timedelta(hours=23))
    assert texts(env, MANAGER) == []
    for hours in (24, 25, 30):
        env.run("escalations", START + timedelta(hours=hours))
    reminders = [t for t in texts(env, MANAGER) if "Still waiting" in t]
    assert len(reminders) == 1 and "approve" in reminders[0]
    env.run("escalations", START + timedelta(hours=72))
    env.run("escalations", START + timedelta(hours=73))
    request = env.dms(MANAGER)[-1]
    assert "Expired" in str(request.blocks) and "actions" not in str(
        request.blocks
    )  # updated in place
    told = [t for t in texts(env, REP) if "was expired" in t]
    assert len(told) == 1
    assert budget(env.ctx, actor(REP), now=START).team.reserved == 0
    assert pid is not None


def test_recurring_heads_up_seven_days_before_at_ten_reps_time(env: Env) -> None:
    env.set_tz(REP, "America/New_York")
    form = EventForm(customer="Ada Lovelace", kind=EventKind.BIRTHDAY, event_date=date(2026, 3, 2))
    log_event(env.ctx, actor(REP), form, now=at("2026-02-20T12:00"))
    env.run("recurring", at("2027-02-23T14:59"))  # 09:59 in New York, 7 days before
    assert texts(env, REP) == []
    for moment in ("2027-02-23T15:00", "2027-02-23T16:00", "2027-02-24T15:00"):
        env.run("recurring", at(moment))
    heads_up = [t for t in texts(env, REP) if "Coming up in 7 days" in t]
    assert (
        len(heads_up) == 1
        and "propose_for_event" in heads_up[0]
        and "Tuesday 02 March" in heads_up[0]
    )


def test_digest_monday_0900_berlin_is_0800_utc_in_winter_and_0700_in_summer() -> None:
    ws = Workspace(team_id="T", timezone="Europe/Berlin", created_at=START, updated_at=START)
    assert digest_moment(ws, at("2026-11-18T12:00"))[1] == at("2026-11-16T08:00")
    assert digest_moment(ws, at("2026-07-08T12:00"))[1] == at("2026-07-06T07:00")


def test_digest_posts_once_a_week_to_the_channel_and_managers(env: Env) -> None:
    env.fake.add_channel("perk-digest", channel_id="CDIGEST1")
    with_manager(env.ctx, now=START)
    update_settings(
        env.ctx,
        actor(ADMIN),
        SettingsForm(digest_channel="CDIGEST1", timezone="Europe/Berlin"),
        now=START,
    )
    propose(env.ctx, event_for(env.ctx, now=START), "20", now=START)
    env.run("digest", at("2026-11-23T07:59"))
    assert env.fake.messages("CDIGEST1") == []
    for moment in ("2026-11-23T08:00", "2026-11-23T08:05", "2026-11-24T10:00"):
        env.run("digest", at(moment))
    posted = env.fake.messages("CDIGEST1")
    assert len(posted) == 1 and "weekly digest" in posted[0].text
    assert "$20.00" in str(posted[0].blocks) and "Ada Lovelace" in str(posted[0].blocks)
    assert len([t for t in texts(env, MANAGER) if "weekly digest" in t]) == 1
    env.run("digest", at("2026-11-30T08:00"))
    assert len(env.fake.messages("CDIGEST1")) == 2  # next week's


def count_queries(env: Env, reps: int) -> int:
    for i in range(reps):
        propose(
            env.ctx,
            event_for(env.ctx, f"Customer {reps}-{i}", rep=f"UR{i:05d}", now=START),
            "0.50",
            rep=f"UR{i:05d}",
            now=START,
        )
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(env.ctx.db.engine, "before_cursor_execute", listener)
    try:
        digest = build_digest(env.ctx, TEAM, now=START)
    finally:
        event.remove(env.ctx.db.engine, "before_cursor_execute", listener)
    assert len(digest.reps) == min(reps, 10) and digest.more_reps == max(0, reps - 10)
    payload = digest_message(digest).payload()
    assert check_message(payload["text"], payload["blocks"]) == []  # within Block Kit limits
    return len([q for q in seen if q.lstrip().upper().startswith("SELECT")])


def test_digest_uses_a_constant_number_of_queries(env: Env) -> None:
    small = count_queries(env, 10)
    large = count_queries(env, 1000)
    assert small == large


def test_retention_purges_old_event_notes_only(env: Env) -> None:
    old = log_event(
        env.ctx,
        actor(REP),
        EventForm(customer="A", kind=EventKind.WEDDING, notes="old secret"),
        now=at("2024-01-01T10:00"),
    )
    new = log_event(
        env.ctx,
        actor(REP),
        EventForm(customer="B", kind=EventKind.WEDDING, notes="fresh"),
        now=at("2026-11-01T10:00"),
    )
    env.run("retention", START)
    from perks.events import get_event

    assert get_event(env.ctx, actor(REP), old.event.id or 0).notes is None
    assert get_event(env.ctx, actor(REP), new.event.id or 0).notes == "fresh"


def test_digest_figures_are_the_weeks_and_periods_rows(env: Env) -> None:
    """Spend per rep from the whole period's ledger; perks per status, events and sent
    notes from last week only; overdue notes whenever they were due."""
    rep_b = "UREP0002"
    with_manager(env.ctx, now=at("2026-11-02T09:00"))

    def perk(rep: str, amount: str, day: str) -> int:
        customer = f"Customer {rep} {amount} {day}"
        event = event_for(env.ctx, customer, rep=rep, now=at(f"2026-11-{day}T10:00"))
        proposed = propose(env.ctx, event, amount, rep=rep, now=at(f"2026-11-{day}T10:00"))
        return proposed.proposal.id or 0

    boss, later = actor(MANAGER), at("2026-11-10T11:00")
    perk(REP, "10", "03")  # before the week: spend, and its note is overdue
    sent = perk(REP, "20", "10")
    perk(REP, "60", "10")  # pending
    approve(env.ctx, boss, perk(rep_b, "50", "10"), now=later)  # its note stays open
    reject(env.ctx, boss, perk(rep_b, "30", "10"), reason="Too much", now=later)
    cancel(env.ctx, actor(rep_b), perk(rep_b, "40", "10"), now=later)
    task = next(t for t in open_tasks(env.ctx, actor(REP)) if t.proposal_id == sent)
    mark_sent(env.ctx, actor(REP), task.id or 0, now=at("2026-11-11T09:00"))

    digest = build_digest(env.ctx, TEAM, now=START)
    spend = [(r.rep_user_id, r.balance.committed, r.balance.reserved) for r in digest.reps]
    assert spend == [(REP, 3000, 6000), (rep_b, 5000, 0)]
    assert (digest.team.committed, digest.team.reserved) == (8000, 6000)
    assert digest.perks_by_status == {
        "auto_approved": (1, 2000),
        "pending": (1, 6000),
        "approved": (1, 5000),
        "rejected": (1, 3000),
        "cancelled": (1, 4000),
    }
    assert digest.events_by_kind == {EventKind.NEW_BABY.value: 5}
    assert (digest.notes_sent, digest.notes_overdue) == (1, 2)
