"""Every customer's balance at a month-end, set-based, is the closing balance of that customer's statement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.ledger.balances import balances_as_of, base_balance_by_customer
from arms.ledger.selectors import customer_statement
from arms.ledger.services.invoices import credit_note_post
from arms.ledger.services.payments import payment_reverse
from tests import factories


@pytest.mark.django_db
def test_balances_as_of_match_the_statements(today):
    month_end = today.replace(day=1) - timedelta(days=1)
    start = month_end.replace(day=1)
    a, b, c = factories.customer("BA"), factories.customer("BB"), factories.customer("BC")
    inv = factories.invoice(a, issued=start, net=100_000, tax=13_000)
    factories.invoice(a, issued=start + timedelta(days=3), net=50_000, tax=0)
    factories.invoice(a, issued=month_end + timedelta(days=1), net=999_900, tax=0)  # after the day: not counted
    credit_note_post(actor=None, invoice=inv, on=start + timedelta(days=5), net_minor=10_000, tax_minor=1_300,
                     reason="price")
    factories.payment(a, amount=20_000, received=start + timedelta(days=6))
    bounced = factories.payment(b, amount=7_000, received=start)
    payment_reverse(actor=None, payment=bounced, reason="bounced", on=start + timedelta(days=1))
    factories.invoice(b, issued=start, net=30_000, tax=0)
    factories.invoice(c, issued=start, net=5_000, tax=0)
    factories.payment(c, amount=5_000, received=start + timedelta(days=1))  # settled: zero, left out

    got = balances_as_of(month_end)

    assert {key: row.balance_minor for key, row in got.items()} == {
        (a.pk, "CNY"): 113_000 + 50_000 - 11_300 - 20_000, (b.pk, "CNY"): 30_000}
    for cust in (a, b):
        (statement,) = customer_statement(customer_id=cust.pk, date_from=start, date_to=month_end)
        assert got[(cust.pk, "CNY")].balance_minor == statement.closing_minor
    assert base_balance_by_customer(month_end, customer_ids=[a.pk, c.pk]) == {a.pk: 131_700}
    assert (c.pk, "CNY") in balances_as_of(month_end, nonzero_only=False)
