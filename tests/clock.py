"""The suite's clock: every test runs on "the test day", never on whatever day the machine happens to say.

tests/conftest.py moves the clock (time-machine, ticking) to the test day at 10:00 in Asia/Shanghai before
each test. The test day is ``ARMS_TEST_TODAY`` (an ISO date, or a date and time of day such as
``2031-06-30T07:30``) when it is set, else today's real date. ``make test-future`` runs the suite years ahead.

A test either derives its dates from the clock (the ``today`` fixture, or :func:`today`) or, when its story
needs a particular calendar (a dispute across National Day, a report for October), says so with
``@pytest.mark.clock("2026-10-20")`` (a test or a module's ``pytestmark``), so its fixtures and body run on that
day whatever the real date is. See docs/testing.md.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

ENV = "ARMS_TEST_TODAY"
ZONE = ZoneInfo("Asia/Shanghai")
TIME_OF_DAY = time(10, 0)


def moment(value: date | datetime | str) -> datetime:
    """``value`` as an aware moment in Asia/Shanghai: a date at 10:00, a naive date and time as Shanghai time.

    Strings are ISO: ``2026-10-20`` or ``2026-10-20T07:30`` (a space works too; an offset is honoured)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO date (2031-06-30) or date and time (2031-06-30T07:30)") from None
    if isinstance(value, datetime):
        return value.replace(tzinfo=ZONE) if value.tzinfo is None else value.astimezone(ZONE)
    return datetime.combine(value, TIME_OF_DAY, tzinfo=ZONE)


def suite_moment() -> datetime:
    """Where the suite's clock stands at the start of every test: ARMS_TEST_TODAY, else the real date at 10:00.

    The real date is read through time-machine's escape hatch, so this is right even while a test travels."""
    value = os.environ.get(ENV, "").strip()
    if value:
        try:
            return moment(value)
        except ValueError as exc:
            raise ValueError(f"{ENV}: {exc}") from None
    hatch = time_machine.escape_hatch
    real_now = hatch.datetime.datetime.now(ZONE) if hatch.is_travelling() else datetime.now(ZONE)
    return moment(real_now.date())


def today() -> date:
    """Today by the clock the test runs on (the test day, or the day the test froze at)."""
    from django.utils import timezone

    return timezone.localdate()


def days_from_today(days: int) -> date:
    """The day ``days`` after today by the test's clock (negative: before)."""
    return today() + timedelta(days=days)


def travel(value: date | datetime | str, *, tick: bool = True) -> time_machine.travel:
    """The clock at ``value`` (a date at 10:00 Shanghai time); a decorator or a context manager.

    Prefer ``@pytest.mark.clock(...)`` for a whole test: it moves the clock before the fixtures run too."""
    return time_machine.travel(moment(value), tick=tick)
