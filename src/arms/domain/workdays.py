"""Chinese working days (工作日): weekends and public holidays off, the make-up Saturdays and Sundays (调休) on.

The official calendar comes from ``chinese_calendar`` (the State Council's yearly notice). For a year it has
no data for (too far ahead or back), a plain Monday-to-Friday week is used, so a deadline is always computable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar

IsWorkday = Callable[[date], bool]


def weekday_is_workday(day: date) -> bool:
    """Monday to Friday: the fallback outside the official calendar's years."""
    return day.weekday() < 5


def chinese_is_workday(day: date) -> bool:
    """True on a Chinese working day, including a make-up working weekend day (调休上班)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return weekday_is_workday(day)


def add_working_days(start: date, days: int, *, is_workday: IsWorkday = chinese_is_workday) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself does not count); 0 returns ``start``.

    A dispute raised on Wednesday 30 Sep 2026 with 3 working days: 1-7 Oct are the National Day holiday,
    8 Oct is the first working day, 9 Oct the second, Saturday 10 Oct (调休) the third.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def working_days_between(start: date, end: date, *, is_workday: IsWorkday = chinese_is_workday) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start, is_workday=is_workday)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
