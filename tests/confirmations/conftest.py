"""A small confirmations book, dated from the test's clock: one customer with a salesperson, a collector and a
contact; an invoice the month before last (the opening balance), an invoice and a part payment last month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from arms.customers.models import Contact, Customer
from arms.ledger.models import Invoice, Payment
from tests import factories


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month_end(day: date) -> date:
    return month_start(day) - timedelta(days=1)


@dataclass
class Book:
    clerk: object
    sales: object
    collector: object
    finmgr: object
    auditor: object
    customer: Customer
    contact: Contact
    inv_old: Invoice  # the month before last: 1,130.00, in the opening balance
    inv_new: Invoice  # last month: 565.00
    payment: Payment  # last month: 500.00 on account
    period_end: date  # last month's end


@pytest.fixture
def book(db, today) -> Book:
    clerk = factories.user("clerk", role="finance_clerk")
    sales = factories.user("sales", role="sales")
    collector = factories.user("collector", role="collector")
    finmgr = factories.user("finmgr", role="finance_manager")
    auditor = factories.user("auditor", role="auditor")
    customer = factories.customer("C1", salesperson=sales, collector=collector)
    contact = Contact.objects.create(customer=customer, name="王会计", email="wang@example.cn", is_primary=True)
    period_end = previous_month_end(today)
    before = previous_month_end(month_start(period_end))
    inv_old = factories.invoice(customer, number="INV-OLD", net=100_000, tax=13_000, issued=before.replace(day=5),
                                actor=clerk)
    inv_new = factories.invoice(customer, number="INV-NEW", net=50_000, tax=6_500,
                                issued=period_end.replace(day=10), actor=clerk)
    payment = factories.payment(customer, amount=50_000, received=period_end.replace(day=15), actor=clerk)
    return Book(clerk, sales, collector, finmgr, auditor, customer, contact, inv_old, inv_new, payment, period_end)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
