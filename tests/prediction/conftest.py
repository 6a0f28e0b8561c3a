from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories as f


@pytest.fixture
def book(db, today):
    """Four customers with a year of settled invoices (two pay 15 days late, two on the due date) and one open
    invoice each: enough history to train and backtest a tiny model."""
    customers, open_items = [], []
    for index in range(4):
        customer = f.customer(payment_terms_days=30)
        late = 15 if index < 2 else 0
        for n in range(15):
            issued = today - timedelta(days=380 - 20 * n)
            invoice = f.invoice(customer, issued=issued, net=100_000 * (n + 1), tax=0)
            paid = invoice.due_date + timedelta(days=late)
            if paid > today - timedelta(days=2):
                continue
            f.payment(customer, amount=invoice.gross_minor, received=paid, auto_allocate=True)
        open_items.append(f.invoice(customer, issued=today - timedelta(days=5)))
        customers.append(customer)
    return customers, open_items
