"""A small collections book: one customer with a salesperson and a collector, two invoices, people per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from arms.customers.models import Customer
from arms.ledger.models import Invoice
from tests import factories

TODAY = date(2026, 3, 20)


@dataclass
class Book:
    clerk: object
    sales: object
    collector: object
    finmgr: object
    finmgr2: object
    legal: object
    auditor: object
    customer: Customer
    inv1: Invoice  # issued 10 Jan, due 9 Feb, 1,130.00
    inv2: Invoice  # issued 1 Feb, due 3 Mar, 565.00


@pytest.fixture
def book(db) -> Book:
    clerk = factories.user("clerk", role="finance_clerk")
    sales = factories.user("sales", role="sales")
    collector = factories.user("collector", role="collector")
    finmgr = factories.user("finmgr", role="finance_manager")
    finmgr2 = factories.user("finmgr2", role="finance_manager")
    legal = factories.user("legal", role="legal")
    auditor = factories.user("auditor", role="auditor")
    customer = factories.customer("C1", salesperson=sales, collector=collector)
    inv1 = factories.invoice(customer, number="INV-1", net=100_000, tax=13_000, issued=date(2026, 1, 10), actor=clerk)
    inv2 = factories.invoice(customer, number="INV-2", net=50_000, tax=6_500, issued=date(2026, 2, 1), actor=clerk)
    return Book(clerk, sales, collector, finmgr, finmgr2, legal, auditor, customer, inv1, inv2)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Attachments and the files jobs make (evidence bundles) go to a fresh MEDIA_ROOT per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
