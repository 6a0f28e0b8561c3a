"""Payment terms: net N days from the invoice, or 月结 (N days after the end of the invoice's month)."""

from datetime import date

import pytest

from arms.domain.terms import PaymentTerms, TermBasis, days_overdue


@pytest.mark.parametrize(
    ("days", "issued", "due"),
    [
        (30, date(2026, 1, 10), date(2026, 2, 9)),
        (0, date(2026, 1, 10), date(2026, 1, 10)),
        (30, date(2026, 1, 31), date(2026, 3, 2)),
        (30, date(2028, 1, 31), date(2028, 3, 1)),
        (1, date(2026, 12, 31), date(2027, 1, 1)),
        (365, date(2028, 2, 29), date(2029, 2, 28)),
    ],
)
def test_net_terms_count_calendar_days_from_the_invoice(days, issued, due):
    assert PaymentTerms(days).due_date(issued) == due


@pytest.mark.parametrize(
    ("days", "issued", "due"),
    [
        (30, date(2026, 1, 10), date(2026, 3, 2)),
        (30, date(2026, 1, 31), date(2026, 3, 2)),
        (60, date(2026, 1, 1), date(2026, 4, 1)),
        (0, date(2026, 4, 15), date(2026, 4, 30)),
        (30, date(2026, 2, 3), date(2026, 3, 30)),
        (30, date(2028, 2, 3), date(2028, 3, 30)),
        (1, date(2028, 2, 1), date(2028, 3, 1)),
        (1, date(2026, 2, 1), date(2026, 3, 1)),
        (0, date(2028, 2, 10), date(2028, 2, 29)),
        (15, date(2026, 12, 5), date(2027, 1, 15)),
    ],
)
def test_month_end_terms_count_from_the_last_day_of_the_invoice_month(days, issued, due):
    assert PaymentTerms(days, TermBasis.MONTH_END).due_date(issued) == due


def test_terms_refuse_negative_days_and_more_than_ten_years():
    with pytest.raises(ValueError, match="between 0 and 3650"):
        PaymentTerms(-1)
    with pytest.raises(ValueError, match="between 0 and 3650"):
        PaymentTerms(3651)
    assert PaymentTerms(3650).due_date(date(2026, 1, 1)) == date(2035, 12, 30)


def test_days_overdue_is_negative_until_due():
    assert days_overdue(date(2026, 2, 9), date(2026, 2, 1)) == -8
    assert days_overdue(date(2026, 2, 9), date(2026, 2, 9)) == 0
    assert days_overdue(date(2026, 2, 28), date(2026, 3, 1)) == 1
    assert days_overdue(date(2028, 2, 28), date(2028, 3, 1)) == 2


def test_month_start_and_end_cover_leap_years_and_december():
    from arms.domain.terms import month_end, month_start

    assert [month_end(date(y, m, 15)) for y, m in ((2028, 2), (2027, 2), (2026, 12), (2026, 4))] == [
        date(2028, 2, 29), date(2027, 2, 28), date(2026, 12, 31), date(2026, 4, 30)]
    assert month_start(date(2026, 12, 31)) == date(2026, 12, 1)
