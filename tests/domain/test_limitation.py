"""The limitation clock (诉讼时效): start, three years, interruptions, Feb 29, holidays, alerts."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.limitation import (
    ClockStatus,
    add_years,
    alert_days_problems,
    alerts_due,
    claim_start,
    clock_for,
    clock_status,
    expiry_from,
)
from arms.domain.workdays import weekday_is_workday


def test_start_is_the_day_after_the_due_date_on_a_working_day():
    # Tuesday 10 March 2026 is a working day: the right is harmed from Wednesday 11 March.
    assert claim_start(date(2026, 3, 10)) == date(2026, 3, 11)


def test_a_due_date_in_a_holiday_moves_the_start_past_the_holiday():
    # Due Sunday 4 October 2026 (National Day, 1-7 October; 8 October is the first working day): the debtor may
    # pay on 8 October, so the claim can be enforced from 9 October.
    assert claim_start(date(2026, 10, 4)) == date(2026, 10, 9)


def test_three_years_end_on_the_corresponding_day():
    # Started Wednesday 11 March 2026: the last day is the corresponding day, 11 March 2029, a Sunday, so
    # Monday 12 March 2029.
    assert add_years(date(2026, 3, 11), 3) == date(2029, 3, 11)
    assert expiry_from(date(2026, 3, 11)) == date(2029, 3, 12)


def test_february_29_has_no_corresponding_day_and_ends_on_the_month_end():
    assert add_years(date(2028, 2, 29), 3) == date(2031, 2, 28)
    assert add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)
    # 28 February 2031 is a Friday and a working day
    assert expiry_from(date(2028, 2, 29)) == date(2031, 2, 28)


def test_an_interruption_restarts_the_period_from_its_day():
    clock = clock_for(date(2026, 3, 10), [date(2027, 6, 15), date(2026, 12, 1)])
    assert clock.start == date(2026, 3, 11)
    assert clock.last_interruption == date(2027, 6, 15)
    assert clock.runs_from == date(2027, 6, 15)
    assert clock.expires_on == date(2030, 6, 17)  # 15 June 2030 is a Saturday


def test_an_interruption_before_the_start_interrupts_nothing():
    clock = clock_for(date(2026, 3, 10), [date(2026, 3, 1)])
    assert clock.runs_from == date(2026, 3, 11)
    assert clock.expires_on == date(2029, 3, 12)


def test_a_configured_period():
    assert expiry_from(date(2026, 3, 11), years=5, is_workday=weekday_is_workday) == date(2031, 3, 11)
    with pytest.raises(ValueError):
        expiry_from(date(2026, 3, 11), years=0)


def test_status():
    expires = date(2029, 3, 12)
    assert clock_status(expires, date(2028, 1, 1), open_=True) == ClockStatus.RUNNING
    assert clock_status(expires, expires - timedelta(days=180), open_=True) == ClockStatus.EXPIRING
    assert clock_status(expires, expires - timedelta(days=181), open_=True) == ClockStatus.RUNNING
    assert clock_status(expires, expires, open_=True) == ClockStatus.EXPIRING
    assert clock_status(expires, expires + timedelta(days=1), open_=True) == ClockStatus.EXPIRED
    assert clock_status(expires, expires + timedelta(days=1), open_=False) == ClockStatus.STOPPED


def test_alerts_fire_once_per_threshold():
    expires = date(2029, 3, 12)
    days = (180, 90, 30)
    assert alerts_due(expires, expires - timedelta(days=181), days) == []
    assert alerts_due(expires, expires - timedelta(days=180), days) == [180]
    assert alerts_due(expires, expires - timedelta(days=100), days, already=[180]) == []
    assert alerts_due(expires, expires - timedelta(days=90), days, already=[180]) == [90]
    # first seen 20 days before: every threshold reached, the smallest is last
    assert alerts_due(expires, expires - timedelta(days=20), days) == [180, 90, 30]
    assert alerts_due(expires, expires + timedelta(days=1), days) == []


def test_alert_days_problems():
    assert alert_days_problems([180, 90, 30]) is None
    assert alert_days_problems([]) is None
    assert alert_days_problems([0]) == "out_of_range"
    assert alert_days_problems([3651]) == "out_of_range"
    assert alert_days_problems([True]) == "out_of_range"
    assert alert_days_problems(["90"]) == "out_of_range"
    assert alert_days_problems([90, 90]) == "repeated"
    assert alert_days_problems(list(range(1, 12))) == "too_many"


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(due=dates, interruptions=st.lists(dates, max_size=5), years=st.integers(1, 20))
def test_expiry_is_never_before_the_period_from_the_last_interruption_or_start(due, interruptions, years):
    clock = clock_for(due, interruptions, years=years, is_workday=weekday_is_workday)
    assert clock.start > due
    assert clock.expires_on >= add_years(clock.runs_from, years)
    # the holiday shift is a few days at most, and lands on a working day
    assert (clock.expires_on - add_years(clock.runs_from, years)).days <= 2
    assert weekday_is_workday(clock.expires_on)
    for day in interruptions:
        if day > clock.start:
            assert clock.expires_on >= add_years(day, years)


@given(due=dates, first=st.lists(dates, max_size=3), more=dates)
def test_an_interruption_never_brings_expiry_forward(due, first, more):
    before = clock_for(due, first, is_workday=weekday_is_workday)
    after = clock_for(due, [*first, more], is_workday=weekday_is_workday)
    assert after.expires_on >= before.expires_on


@given(day=dates, years=st.integers(1, 20))
def test_add_years_keeps_the_month_and_never_overshoots(day, years):
    later = add_years(day, years)
    assert (later.year, later.month) == (day.year + years, day.month)
    assert later.day == day.day or (day.month == 2 and day.day == 29 and later.day == 28)
