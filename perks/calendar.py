"""Calendar rules: budget periods, business days, local reminder times, yearly events.

Pure functions. Time is always a parameter; every datetime in or out is UTC-aware,
and local wall times are computed through `zoneinfo` in the named IANA timezone.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from perks.errors import InvalidInput

REMINDER_HOUR = 10

# Fixed English names: strftime("%B") would follow the process locale.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class BudgetPeriod(StrEnum):
    MONTH = "month"
    WEEK = "week"


@dataclass(frozen=True)
class Period:
    """A budget period in local dates; `end` is exclusive."""

    start: date
    end: date

    @property
    def label(self) -> str:
        # A month is never exactly 7 days long, so the length tells the kind.
        if self.end - self.start == timedelta(days=7):
            return f"week of {self.start.day} {_MONTHS[self.start.month - 1][:3]} {self.start.year}"
        return f"{_MONTHS[self.start.month - 1]} {self.start.year}"

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def zone(tz: str) -> ZoneInfo:
    """The IANA zone named `tz`, or an InvalidInput a user can read."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise InvalidInput(f"Unknown timezone: {tz!r}.", field="timezone") from exc


def _require_aware(moment: datetime) -> None:
    # A naive datetime would silently be read as the server's local time.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware (UTC)")


def local_date(now: datetime, tz: str) -> date:
    _require_aware(now)
    return now.astimezone(zone(tz)).date()


def week_start(now: datetime, tz: str) -> date:
    """The local Monday of `now`'s ISO week."""
    today = local_date(now, tz)
    return today - timedelta(days=today.weekday())


def period_for(now: datetime, tz: str, period: BudgetPeriod) -> Period:
    """The budget period containing `now`, in the workspace timezone."""
    if period == BudgetPeriod.WEEK:  # == so a stored "week" string works too
        start = week_start(now, tz)
        return Period(start, start + timedelta(days=7))
    today = local_date(now, tz)
    start = today.replace(day=1)
    end = date(start.year + 1, 1, 1) if start.month == 12 else start.replace(month=start.month + 1)
    return Period(start, end)


def at_local_time(day: date, hour: int, minute: int, tz: str) -> datetime:
    """The UTC instant of wall time `hour:minute` on `day` in `tz`.

    A wall time skipped by a spring-forward gap becomes the first instant after
    the gap; one repeated by a fall-back takes its first occurrence (fold=0).
    """
    zi = zone(tz)
    wall = datetime.combine(day, time(hour, minute))
    instant = wall.replace(tzinfo=zi, fold=0).astimezone(UTC)
    if instant.astimezone(zi).replace(tzinfo=None) == wall:
        return instant
    return _end_of_gap(wall, zi)


def _end_of_gap(wall: datetime, zi: ZoneInfo) -> datetime:
    # The two folds of a non-existent wall time map to instants either side of
    # the transition; bisect (to the second) for the transition itself.
    a = wall.replace(tzinfo=zi, fold=0).astimezone(UTC)
    b = wall.replace(tzinfo=zi, fold=1).astimezone(UTC)
    lo, hi = min(a, b), max(a, b)
    offset_before = lo.astimezone(zi).utcoffset()
    low, high = 0, int((hi - lo).total_seconds())
    while low < high:
        mid = (low + high) // 2
        if (lo + timedelta(seconds=mid)).astimezone(zi).utcoffset() == offset_before:
            low = mid + 1
        else:
            high = mid
    return lo + timedelta(seconds=low)


def is_business_day(day: date) -> bool:
    """Monday to Friday; there is no holiday calendar."""
    return day.weekday() < 5


def add_business_days(day: date, n: int) -> date:
    """`day` plus `n` business days (n >= 0).

    From a weekend day the first business day is Monday (Sat + 1 == Mon), and
    n == 0 rolls a weekend day forward to Monday, so the result is always a weekday.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if not is_business_day(day):
        day += timedelta(days=7 - day.weekday())  # the next Monday
        n = max(n - 1, 0)
    weeks, rest = divmod(n, 5)
    day += timedelta(weeks=weeks)
    for _ in range(rest):
        day += timedelta(days=3 if day.weekday() == 4 else 1)
    return day


def next_business_day(day: date) -> date:
    """The first business day strictly after `day`."""
    return add_business_days(day, 1)


def note_due(decided_at: datetime, rep_tz: str, business_days: int) -> tuple[date, datetime]:
    """(due date, UTC remind_at) for a note decided at `decided_at`.

    The due date counts business days from the rep-local date of the decision;
    the reminder is at REMINDER_HOUR rep-local on that date.
    """
    due = add_business_days(local_date(decided_at, rep_tz), business_days)
    return due, at_local_time(due, REMINDER_HOUR, 0, rep_tz)


def first_reminder_at(remind_at: datetime, now: datetime) -> datetime:
    """When to send the first reminder: at `remind_at`, or at once if that is past."""
    _require_aware(remind_at)
    _require_aware(now)
    return max(remind_at, now).astimezone(UTC)


def snooze_until(now: datetime, rep_tz: str) -> datetime:
    """REMINDER_HOUR rep-local on the next calendar day (weekends included)."""
    tomorrow = local_date(now, rep_tz) + timedelta(days=1)
    return at_local_time(tomorrow, REMINDER_HOUR, 0, rep_tz)


def next_overdue_reminder(last_sent: datetime, rep_tz: str) -> datetime:
    """REMINDER_HOUR rep-local on the business day after `last_sent`'s local date."""
    day = next_business_day(local_date(last_sent, rep_tz))
    return at_local_time(day, REMINDER_HOUR, 0, rep_tz)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _in_year(event_date: date, year: int) -> date:
    # Decision: a 29 February event is celebrated on 28 February in non-leap
    # years (still in February, and never after the real day has passed).
    if event_date.month == 2 and event_date.day == 29 and not _is_leap(year):
        return date(year, 2, 28)
    return event_date.replace(year=year)


def next_occurrence(event_date: date, today: date) -> date:
    """The next yearly occurrence of `event_date` on or after `today`.

    Only month and day matter: the year of `event_date` is ignored.
    """
    this_year = _in_year(event_date, today.year)
    return this_year if this_year >= today else _in_year(event_date, today.year + 1)


def heads_up_date(occurrence: date, days_before: int = 7) -> date:
    return occurrence - timedelta(days=days_before)


def within_window(
    event_date: date, today: date, past_days: int = 365, future_days: int = 365
) -> bool:
    """Whether an event date is allowed: up to a year in the past or the future."""
    return today - timedelta(days=past_days) <= event_date <= today + timedelta(days=future_days)
