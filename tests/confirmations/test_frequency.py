"""Who is in a run: a grade-A customer confirms quarterly when the rule is on (its letter then covers the quarter);
a customer with neither balance nor movement is left out."""

from __future__ import annotations

from datetime import date

import pytest

from arms.confirmations.models import Confirmation
from arms.confirmations.services import confirmation_settings_for, confirmation_settings_update
from arms.confirmations.services.common import period_for, period_is_due
from arms.confirmations.services.runs import run_candidates
from arms.credit.models import CreditProfile
from arms.domain.terms import month_end
from tests import factories

pytestmark = pytest.mark.django_db


def test_periods():
    assert period_for(date(2026, 6, 30), "quarterly") == date(2026, 4, 1)
    assert period_for(date(2026, 2, 28), "yearly") == date(2025, 3, 1)
    assert period_for(date(2026, 12, 31), "half_yearly") == date(2026, 7, 1)
    assert [m for m in range(1, 13) if period_is_due(month_end(date(2026, m, 1)), "quarterly")] == [3, 6, 9, 12]
    assert [m for m in range(1, 13) if period_is_due(month_end(date(2026, m, 1)), "half_yearly")] == [6, 12]


def test_grade_a_quarterly_when_the_rule_is_on(book):
    company = book.customer.company
    CreditProfile.objects.create(customer=book.customer, grade="A", currency="CNY")
    quiet = factories.customer("Q1")  # no balance, no movement
    other = factories.customer("B1")
    factories.invoice(other, number="INV-B1", issued=book.period_end.replace(day=5), actor=book.clerk)
    ids = {pk for pk, _frequency, _start in run_candidates(company=company, period_end=book.period_end)}
    assert ids == {book.customer.pk, other.pk}  # the shipped grade-A rule is off: monthly for everyone

    settings = confirmation_settings_for(company)
    confirmation_settings_update(company=company, actor=book.finmgr, default_frequency="monthly",
                                 reminder_working_days=settings.reminder_working_days,
                                 task_working_days=settings.task_working_days,
                                 difference_working_days=settings.difference_working_days,
                                 rules=[{"grade": "A", "frequency": "quarterly", "active": True}])
    candidates = {pk: (frequency, start) for pk, frequency, start in
                  run_candidates(company=company, period_end=book.period_end)}
    if book.period_end.month % 3:
        assert set(candidates) == {other.pk}
    else:
        assert candidates[book.customer.pk] == ("quarterly", period_for(book.period_end, "quarterly"))
    assert quiet.pk not in candidates
    assert Confirmation.objects.count() == 0  # choosing writes nothing
