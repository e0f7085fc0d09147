"""The sandbox clock runs Perkbot's scheduled jobs as of its own time: a re-ping after
24 h, an expiry after 72 h, Monday's digest; and the sample data feeds them. No browser."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.fakeslack.records import Message
from bot.sandbox import timeline
from bot.sandbox.demo import MAYA, SAM
from bot.sandbox.server import Sandbox


def texts(sandbox: Sandbox, channel: str) -> list[str]:
    return [m.text for m in sandbox.fake.messages(channel)]


def wait_text(sandbox: Sandbox, channel: str, part: str) -> Message:
    return sandbox.fake.wait_for(
        lambda: next((m for m in sandbox.fake.messages(channel) if part in m.text), None), 10
    )


def test_sample_data_then_time_brings_a_reping_an_expiry_and_the_digest(sandbox: Sandbox) -> None:
    assert sandbox.sample_data() == 7
    maya, sam = sandbox.fake.dm(MAYA.id), sandbox.fake.dm(SAM.id)
    wait_text(sandbox, maya, "Perk approval needed: $60.00 for Ada Lovelace")
    assert not any(t.startswith("Reminder:") for t in texts(sandbox, maya))

    sandbox.advance(hours=25)
    wait_text(sandbox, maya, "Reminder: Perk approval needed: $60.00 for Ada Lovelace")
    assert not any("expired" in t for t in texts(sandbox, sam))

    sandbox.advance(days=2)
    wait_text(sandbox, sam, "Ada Lovelace was expired")

    # The first pass already posted this week's digest; the next one waits for Monday 09:00.
    assert sandbox.channels is not None
    digests = sandbox.channels.digest
    assert len(texts(sandbox, digests)) == 1
    now = sandbox.clock.now()
    next_monday = (now + timedelta(days=7 - now.weekday())).date()
    sandbox.advance(until=(next_monday + timedelta(days=1)).isoformat())
    later = sandbox.fake.wait_for(lambda: sandbox.fake.messages(digests)[1:], 10)
    assert len(later) == 1 and later[0].text.startswith("Perkbot weekly digest")
    posted = datetime.fromtimestamp(float(later[0].ts), UTC)
    assert posted.weekday() == 0 and posted.hour == 9  # Monday 09:00, the workspace's UTC


def test_advance_refuses_the_past_and_huge_jumps() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="future"):
        timeline.target(now, until="2026-11-01")
    with pytest.raises(ValueError, match="62 days"):
        timeline.target(now, until="2027-06-01")
    assert timeline.target(now, hours=1) == now.timestamp() + 3600
    tokyo_midnight = datetime(2026, 11, 26, 15, tzinfo=UTC)  # 27 Nov 00:00 in Tokyo
    assert timeline.target(now, until="2026-11-27", zone="Asia/Tokyo") == tokyo_midnight.timestamp()


def test_between_clicks_the_jobs_run_on_their_own_as_the_scheduler_would(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "box", port=0, tick=0.2) as sandbox:
        sandbox.wait_ready()
        assert sandbox.channels is not None
        assert not texts(sandbox, sandbox.channels.digest)
        sandbox.sample_data()  # this week's digest is due: the next tick posts it
        wait_text(sandbox, sandbox.channels.digest, "Perkbot weekly digest")


def test_steps_fall_on_full_hours_and_on_10_00_in_each_zone() -> None:
    rhythm = timeline.Rhythm(frozenset({"Asia/Kolkata", "America/New_York"}), 10)
    start = datetime(2026, 11, 25, 3, 10, tzinfo=UTC).timestamp()
    steps, moment = [], start
    while moment < start + 3 * 3600:
        moment = rhythm.next_step(moment)
        steps.append(datetime.fromtimestamp(moment, UTC).strftime("%H:%M"))
    assert steps == ["04:00", "04:30", "05:00", "06:00", "07:00"]  # 04:30 UTC is 10:00 IST
    at_0430 = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)
    jobs = ("reminders", "digest")
    assert rhythm.jobs_at(jobs, at_0430, last=False) == ["reminders", "digest"]
    assert rhythm.jobs_at(jobs, at_0430 + timedelta(hours=1), last=False) == ["digest"]
    assert rhythm.jobs_at(jobs, at_0430 + timedelta(hours=1), last=True) == ["reminders", "digest"]
