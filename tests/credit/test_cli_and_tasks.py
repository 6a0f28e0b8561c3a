"""`arms credit rate` and the daily review task."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arms.credit.models import Rating
from arms.credit.tasks import daily_credit_review
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("credit", *args, stdout=out)
    return out.getvalue()


def test_rate_one_customer_as_of_a_date(customer):
    output = run("rate", "--customer", customer.code, "--date", "2026-03-31", "--reason", "audit")
    rating = Rating.objects.get()
    assert (rating.as_of, rating.reason, rating.customer_id) == (date(2026, 3, 31), "audit", customer.pk)
    assert "rated 1 customer(s) as of 2026-03-31" in output and f"score {rating.score}" in output


def test_rate_all_and_due(customer):
    factories.customer()
    inactive = factories.customer(status="inactive")
    assert "rated 2 customer(s)" in run("rate", "--all", "--date", "2026-03-31")
    assert not Rating.objects.filter(customer=inactive).exists()
    assert "rated 0 customer(s)" in run("rate", "--due", "--date", "2026-04-30")
    assert "rated 2 customer(s)" in run("rate", "--due", "--date", "2026-06-30")


def test_unknown_customer_is_an_error():
    with pytest.raises(CommandError, match="no customer"):
        run("rate", "--customer", "NOPE")


def test_the_daily_task_rates_customers_due(customer):
    assert daily_credit_review.call_local() == 1
    assert daily_credit_review.call_local() == 0
    assert Rating.objects.get().trigger == "scheduled"
