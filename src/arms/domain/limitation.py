"""The limitation period of a claim (诉讼时效), PRC Civil Code articles 188, 195, 201-203.

- **Start** (起算): a claim with a due date can be enforced once the debtor has failed to pay by it. The debtor
  may pay through the last day of its payment period, and a period whose last day is a statutory holiday or a
  weekend ends on the next working day (民法典 第二百零三条). ARMS already calls that day the *collection
  deadline* (``arms.domain.kpi.collection_deadline`` with no grace), so the creditor knows that its right is
  harmed on the day after the collection deadline: that day is the claim's ``start``.
- **Period** (第一百八十八条): three years by default (a company setting). Per 第二百零一条 the start day is not
  counted and per 第二百零二条 a period in years ends on the corresponding day of the last year, or on that
  month's last day when it has none (started 29 February, ends 28 February); per 第二百零三条 a last day that is
  not a working day moves to the next working day. So ``expires_on`` is the last day an action is in time.
- **Interruption** (第一百九十五条): a demand delivered to the debtor, the debtor's acknowledgement (a confirmed
  balance, a part payment, a promise to pay, an installment plan), a lawsuit or an arbitration restart the period
  from the interruption day. The period then runs from the latest of the start and every interruption.
- **Alerts** fire at configured days before ``expires_on`` (180, 90 and 30 by default), each once per clock period:
  an interruption moves ``expires_on`` and re-arms them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from arms.domain.kpi import collection_deadline
from arms.domain.workdays import IsWorkday, chinese_is_workday

DEFAULT_PERIOD_YEARS = 3
MAX_PERIOD_YEARS = 20
DEFAULT_ALERT_DAYS: tuple[int, ...] = (180, 90, 30)
MAX_ALERT_DAYS = 3650


class ClockStatus(StrEnum):
    RUNNING = "running"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    STOPPED = "stopped"


def add_years(day: date, years: int) -> date:
    """The corresponding day ``years`` later; 29 February goes to the month's last day (第二百零二条)."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, min(day.day, last))


def next_working_day(day: date, *, is_workday: IsWorkday = chinese_is_workday) -> date:
    """``day`` itself when it is a working day, else the first working day after it (第二百零三条)."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def claim_start(due: date, *, is_workday: IsWorkday = chinese_is_workday) -> date:
    """The first day the creditor's right is harmed: the day after the collection deadline."""
    return collection_deadline(due, is_workday=is_workday) + timedelta(days=1)


def expiry_from(begins: date, *, years: int = DEFAULT_PERIOD_YEARS,
                is_workday: IsWorkday = chinese_is_workday) -> date:
    """The last day of a period of ``years`` that begins on ``begins`` (a start or an interruption day)."""
    if not 1 <= years <= MAX_PERIOD_YEARS:
        raise ValueError(f"the limitation period is 1 to {MAX_PERIOD_YEARS} years")
    return next_working_day(add_years(begins, years), is_workday=is_workday)


@dataclass(frozen=True, slots=True)
class Clock:
    """One claim's limitation clock."""

    start: date
    last_interruption: date | None
    expires_on: date

    @property
    def runs_from(self) -> date:
        """The day the current period runs from: the start or the last interruption after it."""
        if self.last_interruption is not None and self.last_interruption > self.start:
            return self.last_interruption
        return self.start


def clock_for(due: date, interruptions: Iterable[date] = (), *, years: int = DEFAULT_PERIOD_YEARS,
              is_workday: IsWorkday = chinese_is_workday) -> Clock:
    """The clock of a claim due on ``due`` interrupted on ``interruptions`` (any order; ones before the start
    interrupt nothing: a period cannot restart before it began, so they are ignored)."""
    start = claim_start(due, is_workday=is_workday)
    last = max(interruptions, default=None)
    runs_from = last if last is not None and last > start else start
    return Clock(start=start, last_interruption=last, expires_on=expiry_from(runs_from, years=years,
                                                                              is_workday=is_workday))


def clock_status(expires_on: date, today: date, *, open_: bool, alert_days: Sequence[int] = DEFAULT_ALERT_DAYS
                 ) -> ClockStatus:
    """Stopped when nothing is owed any more (paid or written off); expired after ``expires_on``; expiring once
    the largest alert threshold is reached; else running."""
    if not open_:
        return ClockStatus.STOPPED
    if today > expires_on:
        return ClockStatus.EXPIRED
    if alert_days and (expires_on - today).days <= max(alert_days):
        return ClockStatus.EXPIRING
    return ClockStatus.RUNNING


def alerts_due(expires_on: date, today: date, alert_days: Sequence[int], already: Iterable[int] = ()) -> list[int]:
    """The thresholds to alert today: reached (``expires_on - today`` at most the threshold, not yet expired)
    and not yet sent for this ``expires_on``. Only the smallest reached threshold is sent when several are
    reached at once (a clock first seen 20 days before expiry gets the 30-day alert, not three), the larger ones
    are returned too so that they count as done."""
    left = (expires_on - today).days
    if left < 0:
        return []
    done = set(already)
    return sorted((days for days in set(alert_days) if left <= days and days not in done), reverse=True)


def alert_days_problems(values: Sequence[object]) -> str | None:
    """Why a list of alert thresholds is refused, or None: whole days from 1 to 3650, no repeats, at most 10."""
    if len(values) > 10:
        return "too_many"
    seen: set[int] = set()
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ALERT_DAYS:
            return "out_of_range"
        if value in seen:
            return "repeated"
        seen.add(value)
    return None
