"""Calendar rules: periods, DST-safe local times, business days, yearly events."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perks.calendar import (
    REMINDER_HOUR,
    BudgetPeriod,
    Period,
    add_business_days,
    at_local_time,
    first_reminder_at,
    heads_up_date,
    is_business_day,
    local_date,
    next_business_day,
    next_occurrence,
    next_overdue_reminder,
    note_due,
    period_for,
    snooze_until,
    week_start,
    within_window,
)
from perks.errors import InvalidInput

NY = "America/New_York"
BERLIN = "Europe/Berlin"
KOLKATA = "Asia/Kolkata"
CHATHAM = "Pacific/Chatham"

ZONES = [
    "UTC",
    NY,
    BERLIN,
    KOLKATA,
    CHATHAM,
    "Asia/Tokyo",
    "Europe/London",
    "America/Los_Angeles",
    "America/Santiago",
    "Australia/Lord_Howe",
    "Pacific/Honolulu",
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- budget periods -------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "tz", "expected"),
    [
        (utc(2026, 11, 30, 23, 30), "UTC", Period(date(2026, 11, 1), date(2026, 12, 1))),
        (utc(2026, 11, 30, 23, 30), "Asia/Tokyo", Period(date(2026, 12, 1), date(2027, 1, 1))),
        (
            utc(2026, 12, 1, 4, 30),
            "America/Los_Angeles",
            Period(date(2026, 11, 1), date(2026, 12, 1)),
        ),
        (utc(2026, 12, 31, 23, 0), BERLIN, Period(date(2027, 1, 1), date(2027, 2, 1))),
        (utc(2026, 6, 30, 11, 30), CHATHAM, Period(date(2026, 7, 1), date(2026, 8, 1))),
        (utc(2026, 6, 30, 18, 29), KOLKATA, Period(date(2026, 6, 1), date(2026, 7, 1))),
        (utc(2026, 6, 30, 18, 30), KOLKATA, Period(date(2026, 7, 1), date(2026, 8, 1))),
        (utc(2028, 2, 29, 12, 0), "UTC", Period(date(2028, 2, 1), date(2028, 3, 1))),
    ],
)
def test_month_period_follows_workspace_timezone(now: datetime, tz: str, expected: Period) -> None:
    assert period_for(now, tz, BudgetPeriod.MONTH) == expected


@pytest.mark.parametrize(
    ("now", "tz", "monday"),
    [
        (utc(2026, 11, 22, 23, 30), "UTC", date(2026, 11, 16)),
        (utc(2026, 11, 22, 23, 30), "Asia/Tokyo", date(2026, 11, 23)),
        (utc(2026, 11, 23, 5, 0), "Pacific/Honolulu", date(2026, 11, 16)),
        (utc(2026, 11, 23, 5, 0), "UTC", date(2026, 11, 23)),
        (utc(2026, 12, 31, 12, 0), "UTC", date(2026, 12, 28)),
        (utc(2026, 11, 22, 10, 14), CHATHAM, date(2026, 11, 16)),  # Sun 23:59 at +13:45
        (utc(2026, 11, 22, 10, 15), CHATHAM, date(2026, 11, 23)),  # Mon 00:00
        (utc(2026, 11, 22, 10, 15), "Pacific/Kiritimati", date(2026, 11, 23)),
    ],
)
def test_week_period_starts_on_local_monday(now: datetime, tz: str, monday: date) -> None:
    assert week_start(now, tz) == monday
    assert period_for(now, tz, BudgetPeriod.WEEK) == Period(monday, monday + timedelta(days=7))


def test_period_labels() -> None:
    assert Period(date(2026, 11, 1), date(2026, 12, 1)).label == "November 2026"
    assert Period(date(2026, 11, 23), date(2026, 11, 30)).label == "week of 23 Nov 2026"
    week = period_for(utc(2026, 12, 31, 12), "UTC", BudgetPeriod.WEEK)
    assert week.label == "week of 28 Dec 2026"
    assert week.end == date(2027, 1, 4)
    assert period_for(utc(2026, 11, 30, 23, 30), "Asia/Tokyo", "month").label == "December 2026"
    assert period_for(utc(2026, 11, 25), "UTC", "week").label == "week of 23 Nov 2026"


def test_period_contains_is_end_exclusive() -> None:
    period = Period(date(2026, 11, 1), date(2026, 12, 1))
    assert period.contains(date(2026, 11, 1))
    assert period.contains(date(2026, 11, 30))
    assert not period.contains(date(2026, 12, 1))
    assert not period.contains(date(2026, 10, 31))


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(ZONES),
    st.sampled_from(list(BudgetPeriod)),
)
def test_period_contains_local_date(now: datetime, tz: str, kind: BudgetPeriod) -> None:
    period = period_for(now, tz, kind)
    assert period.contains(local_date(now, tz))
    if kind is BudgetPeriod.WEEK:
        assert period.start.weekday() == 0
        assert period.end - period.start == timedelta(days=7)
    else:
        assert period.start.day == 1
        assert period.end.day == 1
        assert (period.end - timedelta(days=1)).month == period.start.month


def test_local_date_uses_the_zone() -> None:
    assert local_date(utc(2026, 3, 6, 3, 0), NY) == date(2026, 3, 5)
    assert local_date(utc(2026, 3, 6, 3, 0), "UTC") == date(2026, 3, 6)


def test_unknown_timezone_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as err:
        local_date(utc(2026, 1, 1), "Mars/Olympus_Mons")
    assert err.value.field == "timezone"
    with pytest.raises(InvalidInput):
        at_local_time(date(2026, 1, 1), 10, 0, "")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2026, 1, 1, 12), "UTC")
    with pytest.raises(ValueError):
        first_reminder_at(datetime(2026, 1, 1, 12), utc(2026, 1, 1))


# --- local wall times -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "hour", "minute", "tz", "expected"),
    [
        # America/New_York: EST -5, EDT -4 from 2026-03-08 02:00, back on 2026-11-01 02:00.
        (date(2026, 3, 6), 10, 0, NY, utc(2026, 3, 6, 15, 0)),
        (date(2026, 3, 7), 10, 0, NY, utc(2026, 3, 7, 15, 0)),
        (date(2026, 3, 8), 10, 0, NY, utc(2026, 3, 8, 14, 0)),
        (date(2026, 3, 9), 10, 0, NY, utc(2026, 3, 9, 14, 0)),
        (date(2026, 3, 8), 1, 59, NY, utc(2026, 3, 8, 6, 59)),
        (date(2026, 3, 8), 2, 0, NY, utc(2026, 3, 8, 7, 0)),  # gap -> 03:00 EDT
        (date(2026, 3, 8), 2, 30, NY, utc(2026, 3, 8, 7, 0)),  # gap -> 03:00 EDT
        (date(2026, 3, 8), 3, 0, NY, utc(2026, 3, 8, 7, 0)),
        (date(2026, 11, 1), 1, 30, NY, utc(2026, 11, 1, 5, 30)),  # ambiguous -> EDT
        (date(2026, 11, 1), 2, 0, NY, utc(2026, 11, 1, 7, 0)),
        (date(2026, 11, 1), 10, 0, NY, utc(2026, 11, 1, 15, 0)),
        (date(2026, 10, 31), 10, 0, NY, utc(2026, 10, 31, 14, 0)),
        # Europe/Berlin: CET +1, CEST +2 from 2026-03-29 02:00, back on 2026-10-25 03:00.
        (date(2026, 3, 28), 10, 0, BERLIN, utc(2026, 3, 28, 9, 0)),
        (date(2026, 3, 29), 10, 0, BERLIN, utc(2026, 3, 29, 8, 0)),
        (date(2026, 3, 29), 2, 30, BERLIN, utc(2026, 3, 29, 1, 0)),  # gap -> 03:00 CEST
        (date(2026, 10, 25), 2, 30, BERLIN, utc(2026, 10, 25, 0, 30)),  # ambiguous -> CEST
        (date(2026, 10, 25), 10, 0, BERLIN, utc(2026, 10, 25, 9, 0)),
        (date(2026, 10, 24), 10, 0, BERLIN, utc(2026, 10, 24, 8, 0)),
        # Asia/Kolkata: +5:30 all year.
        (date(2026, 1, 5), 10, 0, KOLKATA, utc(2026, 1, 5, 4, 30)),
        (date(2026, 7, 6), 10, 0, KOLKATA, utc(2026, 7, 6, 4, 30)),
        (date(2026, 7, 6), 3, 0, KOLKATA, utc(2026, 7, 5, 21, 30)),
        # Pacific/Chatham: +13:45 in (southern) summer, +12:45 in winter.
        (date(2026, 1, 5), 10, 0, CHATHAM, utc(2026, 1, 4, 20, 15)),
        (date(2026, 7, 6), 10, 0, CHATHAM, utc(2026, 7, 5, 21, 15)),
        (date(2026, 9, 27), 3, 0, CHATHAM, utc(2026, 9, 26, 14, 0)),  # gap -> 03:45
        (date(2026, 4, 5), 3, 0, CHATHAM, utc(2026, 4, 4, 13, 15)),  # ambiguous -> +13:45
    ],
)
def test_at_local_time(day: date, hour: int, minute: int, tz: str, expected: datetime) -> None:
    result = at_local_time(day, hour, minute, tz)
    assert result == expected
    assert result.tzinfo is UTC


def test_gap_moves_to_first_instant_after_the_gap() -> None:
    result = at_local_time(date(2026, 3, 8), 2, 30, NY).astimezone(ZoneInfo(NY))
    assert (result.hour, result.minute) == (3, 0)
    before = (at_local_time(date(2026, 3, 8), 2, 30, NY) - timedelta(seconds=1)).astimezone(
        ZoneInfo(NY)
    )
    assert (before.hour, before.minute, before.second) == (1, 59, 59)


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(ZONES),
)
def test_at_local_time_round_trips_except_in_gaps(
    day: date, hour: int, minute: int, tz: str
) -> None:
    zi = ZoneInfo(tz)
    wall = datetime(day.year, day.month, day.day, hour, minute)
    result = at_local_time(day, hour, minute, tz)
    assert result.tzinfo is UTC
    back = result.astimezone(zi).replace(tzinfo=None)
    if back == wall:
        # Ambiguous times take the first occurrence: an hour earlier is not the same wall time.
        earlier = (result - timedelta(hours=1)).astimezone(zi).replace(tzinfo=None)
        assert earlier != wall
        return
    # Only a skipped wall time may move, and then just past the gap.
    assert wall.replace(tzinfo=zi).astimezone(UTC).astimezone(zi).replace(tzinfo=None) != wall
    assert back > wall
    assert (result - timedelta(seconds=1)).astimezone(zi).replace(tzinfo=None) < wall


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    st.sampled_from([NY, BERLIN, KOLKATA, CHATHAM, "UTC", "Asia/Tokyo", "Europe/London"]),
)
def test_reminder_hour_is_ten_local(day: date, tz: str) -> None:
    local = at_local_time(day, REMINDER_HOUR, 0, tz).astimezone(ZoneInfo(tz))
    assert (local.date(), local.hour, local.minute) == (day, 10, 0)


# --- business days ---------------------------------------------------------------


def test_is_business_day() -> None:
    assert is_business_day(date(2026, 3, 6))  # Friday
    assert not is_business_day(date(2026, 3, 7))
    assert not is_business_day(date(2026, 3, 8))
    assert is_business_day(date(2026, 3, 9))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 2), 0, date(2026, 3, 2)),  # Mon
        (date(2026, 3, 2), 2, date(2026, 3, 4)),
        (date(2026, 3, 5), 1, date(2026, 3, 6)),  # Thu -> Fri
        (date(2026, 3, 5), 2, date(2026, 3, 9)),  # Thu -> Mon
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Fri -> Mon
        (date(2026, 3, 6), 2, date(2026, 3, 10)),
        (date(2026, 3, 6), 5, date(2026, 3, 13)),
        (date(2026, 3, 6), 6, date(2026, 3, 16)),
        (date(2026, 3, 7), 0, date(2026, 3, 9)),  # Sat rolls to Mon
        (date(2026, 3, 7), 1, date(2026, 3, 9)),
        (date(2026, 3, 7), 2, date(2026, 3, 10)),
        (date(2026, 3, 8), 2, date(2026, 3, 10)),  # Sun
        (date(2026, 12, 31), 2, date(2027, 1, 4)),
        (date(2026, 3, 2), 10, date(2026, 3, 16)),
    ],
)
def test_add_business_days(start: date, n: int, expected: date) -> None:
    assert add_business_days(start, n) == expected


def test_add_business_days_refuses_negative() -> None:
    with pytest.raises(ValueError):
        add_business_days(date(2026, 3, 2), -1)


def test_next_business_day() -> None:
    assert next_business_day(date(2026, 3, 5)) == date(2026, 3, 6)
    assert next_business_day(date(2026, 3, 6)) == date(2026, 3, 9)
    assert next_business_day(date(2026, 3, 7)) == date(2026, 3, 9)
    assert next_business_day(date(2026, 3, 8)) == date(2026, 3, 9)


business_start = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1))


@given(business_start, st.integers(0, 400))
def test_add_business_days_lands_on_a_weekday(start: date, n: int) -> None:
    result = add_business_days(start, n)
    assert result.weekday() < 5
    assert result >= start


@given(business_start, st.integers(0, 400), st.integers(0, 400))
def test_add_business_days_is_monotone(start: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert add_business_days(start, low) <= add_business_days(start, high)
    if 1 <= low < high:
        assert add_business_days(start, low) < add_business_days(start, high)


@given(business_start, st.integers(1, 60))
def test_add_business_days_counts_weekdays_strictly_after_start(start: date, n: int) -> None:
    result = add_business_days(start, n)
    days = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(is_business_day(d) for d in days) == n


# --- note reminders ----------------------------------------------------------


@pytest.mark.parametrize(
    ("decided_at", "tz", "due", "remind_at"),
    [
        # New York, across the spring-forward weekend (2026-03-08).
        (utc(2026, 3, 5, 15), NY, date(2026, 3, 9), utc(2026, 3, 9, 14)),
        (utc(2026, 3, 6, 15), NY, date(2026, 3, 10), utc(2026, 3, 10, 14)),
        (utc(2026, 3, 6, 3), NY, date(2026, 3, 9), utc(2026, 3, 9, 14)),  # still Thu locally
        (utc(2026, 3, 4, 15), NY, date(2026, 3, 6), utc(2026, 3, 6, 15)),
        # New York, across the fall-back weekend (2026-11-01).
        (utc(2026, 10, 29, 14), NY, date(2026, 11, 2), utc(2026, 11, 2, 15)),
        (utc(2026, 10, 28, 14), NY, date(2026, 10, 30), utc(2026, 10, 30, 14)),
        # Berlin, across 2026-03-29 and 2026-10-25.
        (utc(2026, 3, 26, 9), BERLIN, date(2026, 3, 30), utc(2026, 3, 30, 8)),
        (utc(2026, 3, 25, 9), BERLIN, date(2026, 3, 27), utc(2026, 3, 27, 9)),
        (utc(2026, 10, 22, 8), BERLIN, date(2026, 10, 26), utc(2026, 10, 26, 9)),
        (utc(2026, 10, 21, 8), BERLIN, date(2026, 10, 23), utc(2026, 10, 23, 8)),
        # Half- and three-quarter-hour offsets.
        (utc(2026, 1, 5, 4, 30), KOLKATA, date(2026, 1, 7), utc(2026, 1, 7, 4, 30)),
        (utc(2026, 1, 4, 20, 15), CHATHAM, date(2026, 1, 7), utc(2026, 1, 6, 20, 15)),
        (utc(2026, 7, 5, 21, 15), CHATHAM, date(2026, 7, 8), utc(2026, 7, 7, 21, 15)),
        # Decided on a local Saturday in Tokyo (Friday in UTC).
        (utc(2026, 11, 27, 16), "Asia/Tokyo", date(2026, 12, 1), utc(2026, 12, 1, 1)),
    ],
)
def test_note_due(decided_at: datetime, tz: str, due: date, remind_at: datetime) -> None:
    assert note_due(decided_at, tz, 2) == (due, remind_at)


def test_note_due_with_zero_business_days_on_a_weekday_is_same_day() -> None:
    assert note_due(utc(2026, 3, 4, 20), NY, 0) == (date(2026, 3, 4), utc(2026, 3, 4, 15))


def test_first_reminder_at_is_never_in_the_past() -> None:
    remind_at = utc(2026, 3, 9, 14)
    assert first_reminder_at(remind_at, utc(2026, 3, 9, 9)) == remind_at
    assert first_reminder_at(remind_at, utc(2026, 3, 9, 16)) == utc(2026, 3, 9, 16)
    assert first_reminder_at(remind_at, remind_at) == remind_at


@pytest.mark.parametrize(
    ("now", "tz", "expected"),
    [
        (utc(2026, 3, 7, 20), NY, utc(2026, 3, 8, 14)),  # into EDT
        (utc(2026, 3, 7, 4, 30), NY, utc(2026, 3, 7, 15)),  # 23:30 Fri locally
        (utc(2026, 10, 31, 20), NY, utc(2026, 11, 1, 15)),  # into EST
        (utc(2026, 3, 28, 12), BERLIN, utc(2026, 3, 29, 8)),
        (utc(2026, 10, 24, 12), BERLIN, utc(2026, 10, 25, 9)),
        (utc(2026, 3, 6, 16), NY, utc(2026, 3, 7, 15)),  # Friday -> Saturday: calendar day
        (utc(2026, 1, 5, 19), KOLKATA, utc(2026, 1, 7, 4, 30)),  # 00:30 Tue locally
        (utc(2026, 9, 26, 12), CHATHAM, utc(2026, 9, 27, 20, 15)),  # Sun 00:45 -> Mon +13:45
    ],
)
def test_snooze_until(now: datetime, tz: str, expected: datetime) -> None:
    assert snooze_until(now, tz) == expected


@pytest.mark.parametrize(
    ("last_sent", "tz", "expected"),
    [
        (utc(2026, 3, 6, 15), NY, utc(2026, 3, 9, 14)),  # Fri EST -> Mon EDT
        (utc(2026, 3, 5, 15), NY, utc(2026, 3, 6, 15)),
        (utc(2026, 10, 30, 14), NY, utc(2026, 11, 2, 15)),  # Fri EDT -> Mon EST
        (utc(2026, 3, 27, 9), BERLIN, utc(2026, 3, 30, 8)),
        (utc(2026, 1, 5, 4, 30), KOLKATA, utc(2026, 1, 6, 4, 30)),
        (utc(2026, 3, 7, 15), NY, utc(2026, 3, 9, 14)),  # sent on a Saturday
    ],
)
def test_next_overdue_reminder(last_sent: datetime, tz: str, expected: datetime) -> None:
    assert next_overdue_reminder(last_sent, tz) == expected


# --- yearly events ------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "today", "expected"),
    [
        (date(2024, 2, 29), date(2027, 1, 1), date(2027, 2, 28)),
        (date(2024, 2, 29), date(2027, 2, 28), date(2027, 2, 28)),
        (date(2024, 2, 29), date(2027, 3, 1), date(2028, 2, 29)),
        (date(2024, 2, 29), date(2028, 1, 10), date(2028, 2, 29)),
        (date(2024, 2, 29), date(2028, 2, 29), date(2028, 2, 29)),
        (date(2024, 2, 29), date(2028, 3, 1), date(2029, 2, 28)),
        (date(2024, 2, 29), date(2099, 3, 1), date(2100, 2, 28)),  # 2100 is not leap
        (date(1990, 6, 15), date(2026, 6, 15), date(2026, 6, 15)),
        (date(1990, 6, 15), date(2026, 6, 16), date(2027, 6, 15)),
        (date(1990, 12, 31), date(2026, 1, 1), date(2026, 12, 31)),
        (date(1990, 1, 1), date(2026, 12, 31), date(2027, 1, 1)),
        (date(2027, 3, 1), date(2026, 6, 1), date(2027, 3, 1)),  # logged in advance
    ],
)
def test_next_occurrence(event: date, today: date, expected: date) -> None:
    assert next_occurrence(event, today) == expected


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)),
)
def test_next_occurrence_properties(event: date, today: date) -> None:
    result = next_occurrence(event, today)
    assert today <= result < today + timedelta(days=366)
    if (event.month, event.day) == (2, 29):
        assert (result.month, result.day) in {(2, 29), (2, 28)}
        if (result.month, result.day) == (2, 28):
            with pytest.raises(ValueError):
                date(result.year, 2, 29)  # only when the year has no 29 February
    else:
        assert (result.month, result.day) == (event.month, event.day)


def test_heads_up_date() -> None:
    assert heads_up_date(date(2027, 2, 28)) == date(2027, 2, 21)
    assert heads_up_date(date(2027, 3, 3)) == date(2027, 2, 24)
    assert heads_up_date(date(2028, 3, 3)) == date(2028, 2, 25)
    assert heads_up_date(date(2027, 1, 3), days_before=14) == date(2026, 12, 20)


def test_within_window() -> None:
    today = date(2026, 6, 15)
    assert within_window(today, today)
    assert within_window(date(2025, 6, 15), today)
    assert not within_window(date(2025, 6, 14), today)
    assert within_window(date(2027, 6, 15), today)
    assert not within_window(date(2027, 6, 16), today)
    assert within_window(date(2026, 6, 1), today, past_days=14, future_days=0)
    assert not within_window(date(2026, 6, 16), today, past_days=14, future_days=0)
