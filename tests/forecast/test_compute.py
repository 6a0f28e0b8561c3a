"""The forecast of a book sums to its open items (issue 15's proof), promises and plans not counted twice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from arms.cases.services import plan_approve, plan_request, promise_record
from arms.domain.cashflow import bucket_index, week_buckets
from arms.forecast.selectors import forecast_compute
from arms.ledger.balances import open_items_as_of
from arms.ledger.services.fx import exchange_rate_set
from tests import factories as f

pytestmark = pytest.mark.django_db


def _open_base(today):
    return sum(open_items_as_of(today).values_list("open_base_as_of", flat=True))


def _sums_to_open_items(result):
    return sum(x.expected_minor for x in result.buckets) + result.beyond_minor == result.open_minor


def test_the_forecast_of_a_book_sums_to_its_open_items(today):
    a = f.customer(payment_terms_days=30)
    b = f.customer(payment_terms_days=60)
    f.invoice(a, issued=today - timedelta(days=10))
    f.invoice(a, issued=today - timedelta(days=50), net=33_333, tax=4_333)
    f.invoice(b, issued=today - timedelta(days=3), net=1_000_000, tax=130_000)

    for granularity in ("week", "month"):
        result = forecast_compute(as_of=today, granularity=granularity)
        assert len(result.buckets) == (13 if granularity == "week" else 12)
        assert result.open_minor == _open_base(today) == 113_000 + 37_666 + 1_130_000
        assert _sums_to_open_items(result)
        for bucket in result.buckets:
            assert bucket.low_minor <= bucket.expected_minor <= bucket.high_minor
    assert forecast_compute(as_of=today, periods=4).buckets[-1].start == week_buckets(today, 4)[-1]


def test_promises_and_installments_replace_what_they_cover_and_never_add_to_it(today):
    finmgr, approver = f.user(role="finance_manager"), f.user(role="finance_manager")
    exchange_rate_set(actor=finmgr, currency="USD", on=today - timedelta(days=200), rate=Decimal("7.0000"))
    promised = f.customer(payment_terms_days=30)
    planned = f.customer(payment_terms_days=30)
    dollars = f.customer(payment_terms_days=30, currency="USD")
    p1 = f.invoice(promised, issued=today - timedelta(days=5))  # 1,130.00 due in 25 days
    f.invoice(promised, issued=today - timedelta(days=45), net=50_000, tax=6_500)  # 565.00, overdue
    big = f.invoice(planned, issued=today - timedelta(days=70), net=1_000_000, tax=130_000)  # 11,300.00 overdue
    f.invoice(dollars, issued=today - timedelta(days=2), net=10_000, tax=1_300, currency="USD")  # USD 113 = 791 CNY
    promise_on = today + timedelta(days=40)
    promise_record(customer=promised, amount_minor=80_000, promised_on=promise_on, actor=finmgr, invoices=[p1])
    plan = plan_request(customer=planned, invoices=[big], installments=2, first_due_on=today + timedelta(days=20),
                        actor=finmgr, starts_on=today)
    plan_approve(plan=plan, actor=approver)
    before = forecast_compute(as_of=today)  # the promise and the plan are open: both replace part of the items

    starts = week_buckets(today, 13)
    end = starts[-1] + timedelta(days=7)
    first_due, second_due = plan.lines.order_by("seq").values_list("due_on", flat=True)
    assert before.open_minor == _open_base(today) == 113_000 + 56_500 + 1_130_000 + 79_100
    assert _sums_to_open_items(before)
    promises = [b.from_promises_minor for b in before.buckets]
    plans = [b.from_plans_minor for b in before.buckets]
    assert promises[bucket_index(promise_on, starts, end)] == 80_000 and sum(promises) == 80_000
    assert plans[bucket_index(first_due, starts, end)] == 565_000
    assert plans[bucket_index(second_due, starts, end)] == 565_000 and sum(plans) == 1_130_000
    # what they cover is gone from the items: the open items spread only the rest
    assert sum(b.from_open_items_minor for b in before.buckets) + before.beyond_minor == 33_000 + 56_500 + 79_100
    assert sum(b.by_currency.get("USD", 0) for b in before.buckets) + before.beyond_by_currency.get("USD", 0) == 11_300
    assert before.open_by_currency == {"CNY": 1_299_500, "USD": 11_300}
    assert before.methods == {"due_date": 4}
    # as of yesterday neither the promise nor the plan had been made: the items are spread whole
    yesterday = forecast_compute(as_of=today - timedelta(days=1))
    assert not any(b.from_promises_minor or b.from_plans_minor for b in yesterday.buckets)
    assert _sums_to_open_items(yesterday) and yesterday.open_minor == before.open_minor


def test_a_transform_drops_or_shifts_items_and_the_sum_follows(today):
    a = f.customer(payment_terms_days=30)
    b = f.customer(payment_terms_days=30)
    f.invoice(a, issued=today - timedelta(days=1))
    f.invoice(b, issued=today - timedelta(days=1), net=200_000, tax=26_000)

    dropped = forecast_compute(as_of=today, transform=lambda o: None if o.customer_id == a.pk else o)
    assert dropped.open_minor == 226_000 and _sums_to_open_items(dropped)
    late = forecast_compute(as_of=today, transform=lambda o: type(o)(**{
        **{name: getattr(o, name) for name in o.__slots__},
        "p10": o.p10 + timedelta(days=200), "p50": o.p50 + timedelta(days=200), "p90": o.p90 + timedelta(days=200)}))
    assert late.beyond_minor == late.open_minor == 339_000
    assert all(b.expected_minor == 0 for b in late.buckets)


def test_new_sales_are_a_separate_line_at_the_run_rate(today):
    a = f.customer(payment_terms_days=30)
    f.invoice(a, issued=today - timedelta(days=30), net=9_100_000, tax=0)  # 91,000.00 in the last 91 days

    result = forecast_compute(as_of=today, include_new_sales=True)
    new_sales = [b.from_new_sales_minor for b in result.buckets]
    assert sum(new_sales) > 0 and all(part % 100_000 == 0 for part in new_sales)  # 1,000.00 a day
    assert sum(b.expected_minor - b.from_new_sales_minor for b in result.buckets) + result.beyond_minor \
        == result.open_minor
    # sold from tomorrow, collected after the usual lag (the terms, 30 days, when nothing was paid yet)
    starts = week_buckets(today, 13)
    first = bucket_index(today + timedelta(days=31), starts, starts[-1] + timedelta(days=7))
    assert not any(new_sales[:first]) and new_sales[first] > 0
    assert sum(new_sales) == 100_000 * ((starts[-1] + timedelta(days=7) - (today + timedelta(days=31))).days)
