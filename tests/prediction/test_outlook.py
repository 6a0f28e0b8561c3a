"""The published outlook (INTERFACE h2): every open item of a day with its predicted payment dates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.ledger.balances import open_items_as_of
from arms.prediction.selectors import open_item_outlook
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_baseline_outlook_uses_the_customers_history_and_the_due_date(today):
    late = f.customer(payment_terms_days=30)
    fresh = f.customer(payment_terms_days=30)
    for months in (6, 5, 4):
        issued = today - timedelta(days=30 * months)
        inv = f.invoice(late, issued=issued)
        f.payment(late, received=inv.due_date + timedelta(days=20), auto_allocate=True)
    open_late = f.invoice(late, issued=today - timedelta(days=10))
    open_fresh = f.invoice(fresh, issued=today - timedelta(days=40))

    rows = {row.invoice_id: row for row in open_item_outlook(as_of=today)}

    assert set(rows) == {open_late.pk, open_fresh.pk}
    assert rows[open_late.pk].method == "customer_history"
    assert rows[open_late.pk].p50 == open_late.due_date + timedelta(days=20)
    assert rows[open_fresh.pk].method == "due_date"
    fresh_row = rows[open_fresh.pk]
    assert fresh_row.p10 == fresh_row.p50 == fresh_row.p90 == today  # overdue: not before today
    for row in rows.values():
        assert today <= row.p10 <= row.p50 <= row.p90
    assert sum(r.open_minor for r in rows.values()) == sum(open_items_as_of(today).values_list("open_as_of", flat=True))
    assert [r.invoice_id for r in open_item_outlook(as_of=today, customer_ids=[fresh.pk])] == [open_fresh.pk]
