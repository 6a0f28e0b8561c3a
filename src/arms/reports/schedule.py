"""When the monthly management report goes out: the first working day of the month, 08:00 Beijing time.

Plain date rules (no Django), used by the Huey schedule in ``tasks.py`` and by the service that decides
whether the scheduled run is due. Working days follow the official Chinese calendar (weekends and public
holidays off, make-up working days on): on 1 October the National Day holiday has begun, so the October
report goes out on 8 October.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from arms.domain.workdays import IsWorkday, chinese_is_workday

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEND_HOUR = 8
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


class MonthError(ValueError):
    """A month that is not YYYY-MM; the message says why, ``reason`` is "format", "month" or "year"."""

    def __init__(self, message: str, *, reason: str, text: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.text = text


def parse_month(text: str) -> date:
    """"2026-10" -> date(2026, 10, 1). Refuses "2026-13", "2026/10", "10-2026" with a message."""
    match = _MONTH_RE.match((text or "").strip())
    if not match:
        raise MonthError(f"'{text}' is not a month like 2026-10 (YYYY-MM)", reason="format", text=text)
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise MonthError(f"'{text}': the month must be between 01 and 12", reason="month", text=text)
    if not 1900 <= year <= 2999:
        raise MonthError(f"'{text}': the year must be between 1900 and 2999", reason="year", text=text)
    return date(year, month, 1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(first: date) -> date:
    return next_month(first) - timedelta(days=1)


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def previous_month(first: date) -> date:
    return month_start(month_start(first) - timedelta(days=1))


def months_back(first: date, n: int) -> list[date]:
    """The ``n`` months ending with ``first``, oldest first."""
    result = [month_start(first)]
    for _ in range(n - 1):
        result.insert(0, previous_month(result[0]))
    return result


def first_working_day(first: date, *, is_workday: IsWorkday = chinese_is_workday) -> date:
    day = month_start(first)
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def report_due(now_local: datetime, *, is_workday: IsWorkday = chinese_is_workday) -> bool:
    """True from 08:00 on the month's first working day onwards (Beijing time, naive or aware)."""
    if now_local.tzinfo is not None:
        now_local = now_local.astimezone(SHANGHAI)
    first = first_working_day(now_local.date(), is_workday=is_workday)
    return (now_local.date(), now_local.hour) >= (first, SEND_HOUR)


def huey_time_in_shanghai(timestamp: datetime, *, utc: bool = True) -> datetime:
    """The naive time Huey hands a periodic test, as an aware Beijing time.

    Huey passes UTC when the queue runs with ``utc=True`` (its default) and the server's local time otherwise;
    either way the schedule then reads Beijing time, whatever the server's time zone.
    """
    aware = timestamp.replace(tzinfo=UTC) if utc else timestamp.astimezone()
    return aware.astimezone(SHANGHAI)
