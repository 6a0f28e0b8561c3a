"""The budgets page, API and export compute every person's actuals of a month at once (``budget_actuals``): the
same figures ``budget_actual`` computes budget by budget, in a number of queries that does not grow with the
budgets listed."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from arms.analytics.budgets import budget_actual, budget_actuals
from arms.analytics.models import Budget, BudgetScope
from tests import factories
from tests.analytics.conftest import BOOK_DAY, ON_BOOK_DAY

pytestmark = ON_BOOK_DAY


def _budgets(months: list[date], people: dict[str, list]) -> list[Budget]:
    budgets = []
    for month in months:
        budgets.append(Budget.objects.create(period=month, scope=BudgetScope.COMPANY, collections_target_minor=1))
        for scope, users in people.items():
            budgets += [Budget.objects.create(period=month, scope=scope, user=user, collections_target_minor=1)
                        for user in users]
    return budgets


def _figures(actual) -> tuple:
    return (actual.budget.pk, actual.collections_minor, actual.dso_days, actual.overdue_ratio_bp,
            actual.recovery_rate_bp)


def test_all_at_once_agrees_with_one_by_one(book):
    users = get_user_model().objects
    idle = factories.user("ida", role="sales")  # a salesperson with no customers: zero collected, no ratios
    people = {BudgetScope.SALESPERSON: [users.get(username="sam"), users.get(username="sally"), idle],
              BudgetScope.COLLECTOR: [users.get(username="cole")]}
    # January to May (the book's movements), the running month and one still to come
    months = [date(2026, m, 1) for m in range(1, 6)] + [BOOK_DAY.replace(day=1), date(BOOK_DAY.year + 1, 1, 1)]
    budgets = _budgets(months, people)

    together = [_figures(a) for a in budget_actuals(budgets)]
    alone = [_figures(budget_actual(b)) for b in budgets]
    assert together == alone
    assert any(row[1] for row in together), "the book collects something in some month"
    sam_march = next(a for a in budget_actuals(budgets) if a.budget.user_id == people[BudgetScope.SALESPERSON][0].pk
                     and a.budget.period == date(2026, 3, 1))
    assert sam_march.collections_minor == 56_500_00


def test_a_viewer_who_sees_only_their_customers_gets_the_same_figures(book):
    sam = get_user_model().objects.get(username="sam")
    budgets = _budgets([date(2026, 2, 1), date(2026, 3, 1)], {BudgetScope.SALESPERSON: [sam]})
    budgets = [b for b in budgets if b.user_id == sam.pk]
    assert [_figures(a) for a in budget_actuals(budgets, user=sam)] == \
        [_figures(budget_actual(b, user=sam)) for b in budgets]


def test_the_queries_do_not_grow_with_the_budgets(book):
    users = get_user_model().objects
    many_people = [factories.user(f"s{n}", role="sales") for n in range(12)]
    many = _budgets([date(2026, 4, 1)], {BudgetScope.SALESPERSON: [users.get(username="sam"), *many_people]})
    few = many[:2]  # the company's and sam's

    def count(budgets) -> int:
        with CaptureQueriesContext(connection) as queries:
            budget_actuals(budgets)
        return len(queries)

    assert count(many) == count(few)
