"""When the monthly report is due: months, the first Chinese working day, Beijing time from Huey's clock."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from arms.reports import schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("text", "month"), [("2026-10", date(2026, 10, 1)), ("2026-1", date(2026, 1, 1)),
                                             (" 2025-12 ", date(2025, 12, 1))])
def test_a_month_is_yyyy_mm(text, month):
    assert schedule.parse_month(text) == month


@pytest.mark.parametrize(("text", "reason"), [("2026-13", "month"), ("2026-00", "month"), ("2026/10", "format"),
                                              ("10-2026", "format"), ("", "format"), ("0999-01", "year")])
def test_a_bad_month_says_why(text, reason):
    with pytest.raises(schedule.MonthError) as refused:
        schedule.parse_month(text)
    assert refused.value.reason == reason


def test_month_arithmetic():
    assert schedule.previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert schedule.next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert schedule.month_end(date(2028, 2, 1)) == date(2028, 2, 29)
    assert schedule.months_back(date(2026, 2, 1), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


@pytest.mark.parametrize(("month", "first"), [
    (date(2026, 11, 1), date(2026, 11, 2)),  # Sunday the 1st
    (date(2026, 10, 1), date(2026, 10, 8)),  # the National Day holiday
    (date(2026, 12, 1), date(2026, 12, 1)),  # a Tuesday
])
def test_the_first_working_day_follows_the_chinese_calendar(month, first):
    assert schedule.first_working_day(month) == first


def test_due_from_eight_on_the_first_working_day_in_beijing():
    assert not schedule.report_due(datetime(2026, 11, 2, 7, 59, tzinfo=SHANGHAI))
    assert schedule.report_due(datetime(2026, 11, 2, 8, 0, tzinfo=SHANGHAI))
    assert schedule.report_due(datetime(2026, 11, 20, 3, 0, tzinfo=SHANGHAI))
    # 00:30 UTC on 2 Nov is 08:30 in Beijing
    assert schedule.report_due(datetime(2026, 11, 2, 0, 30, tzinfo=ZoneInfo("UTC")))


def test_huey_time_is_read_as_utc_or_as_local_time():
    assert schedule.huey_time_in_shanghai(datetime(2026, 11, 2, 0, 0), utc=True) == datetime(
        2026, 11, 2, 8, 0, tzinfo=SHANGHAI)
    local = datetime(2026, 11, 2, 8, 0)
    assert schedule.huey_time_in_shanghai(local, utc=False) == local.astimezone().astimezone(SHANGHAI)
