"""Chinese working days, from the official calendar (chinese_calendar), and the Monday-Friday fallback."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from arms.domain.workdays import add_working_days, chinese_is_workday, weekday_is_workday, working_days_between


def test_national_day_2026_is_skipped_and_the_make_up_saturday_counts():
    # 1-7 Oct 2026 are the National Day holiday; Saturday 10 Oct is a make-up working day (调休上班).
    assert [chinese_is_workday(date(2026, 10, d)) for d in range(1, 12)] == [
        False, False, False, False, False, False, False, True, True, True, False]
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 10) == date(2026, 10, 20)


def test_zero_days_is_the_same_day_and_between_counts_back():
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 20)) == 10
    assert working_days_between(date(2026, 10, 20), date(2026, 9, 30)) == -10


def test_a_year_outside_the_official_calendar_falls_back_to_monday_to_friday():
    assert chinese_is_workday(date(2040, 1, 2)) is True  # a Monday
    assert chinese_is_workday(date(2040, 1, 7)) is False  # a Saturday
    assert add_working_days(date(2040, 1, 6), 1) == date(2040, 1, 9)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(min_value=0, max_value=40))
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(start, days):
    end = add_working_days(start, days, is_workday=weekday_is_workday)
    assert working_days_between(start, end, is_workday=weekday_is_workday) == days
    assert days == 0 or weekday_is_workday(end)
    assert end - start <= timedelta(days=days * 7 // 5 + 3)
