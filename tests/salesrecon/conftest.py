from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories


@pytest.fixture
def month(today):
    """The last month that has ended: (its first day, its last day)."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


@pytest.fixture
def book(db, month):
    """Two salespeople with customers that owe at the month-end, a customer of nobody, a finance clerk."""
    start, end = month
    ann = factories.user("ann", role="sales")
    bob = factories.user("bob", role="sales")
    finance = factories.user("fin", role="finance_clerk")
    a1 = factories.customer("A1", salesperson=ann)
    a2 = factories.customer("A2", salesperson=ann)
    a3 = factories.customer("A3", salesperson=ann)  # nothing owed: not in the snapshot
    b1 = factories.customer("B1", salesperson=bob)
    nobody = factories.customer("N1")
    factories.invoice(a1, issued=start, net=100_000, tax=13_000)
    factories.invoice(a2, issued=start + timedelta(days=2), net=40_000, tax=0)
    factories.payment(a2, amount=15_000, received=end)
    factories.invoice(b1, issued=start, net=70_000, tax=0)
    factories.invoice(nobody, issued=start, net=1_000, tax=0)
    factories.invoice(a1, issued=end + timedelta(days=1), net=5_000, tax=0)  # next month: not in the snapshot
    return {"ann": ann, "bob": bob, "finance": finance, "a1": a1, "a2": a2, "a3": a3, "b1": b1, "nobody": nobody}
