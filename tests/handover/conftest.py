"""A small book for hand-overs: a collector with two customers (one with overdue invoices, a promise, an
installment plan, a dispute and open tasks), a successor collector, a senior collector, finance people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from arms.cases.services.disputes import dispute_raise
from arms.cases.services.plans import plan_request
from arms.cases.services.promises import promise_record
from arms.cases.services.tasks import task_create
from arms.collectionplans.models import CollectionPlan
from arms.customers.models import Customer
from arms.ledger.models import Invoice
from tests import factories


@dataclass
class Book:
    clerk: object
    finmgr: object
    finmgr2: object
    sales: object
    old: object  # the collector who leaves
    new: object  # the successor collector
    senior: object
    auditor: object
    c1: Customer
    c2: Customer
    other: Customer  # another collector's customer
    inv1: Invoice
    inv2: Invoice
    inv3: Invoice


@pytest.fixture
def book(db, today) -> Book:
    clerk = factories.user("clerk", role="finance_clerk")
    finmgr = factories.user("finmgr", role="finance_manager")
    finmgr2 = factories.user("finmgr2", role="finance_manager")
    sales = factories.user("sales", role="sales")
    old = factories.user("old", role="collector")
    old.first_name, old.last_name = "伟", "王"
    old.save()
    new = factories.user("new", role="collector")
    senior = factories.user("senior", role="senior_collector")
    auditor = factories.user("auditor", role="auditor")
    c1 = factories.customer("HC1", salesperson=sales, collector=old)
    c2 = factories.customer("HC2", salesperson=sales, collector=old)
    other = factories.customer("HC9", salesperson=sales, collector=new)
    inv1 = factories.invoice(c1, number="HINV-1", net=100_000, tax=13_000, issued=today - timedelta(days=70),
                             actor=clerk)
    inv2 = factories.invoice(c1, number="HINV-2", net=50_000, tax=6_500, issued=today - timedelta(days=10),
                             actor=clerk)
    inv3 = factories.invoice(c2, number="HINV-3", net=20_000, tax=2_600, issued=today - timedelta(days=45),
                             actor=clerk)
    return Book(clerk, finmgr, finmgr2, sales, old, new, senior, auditor, c1, c2, other, inv1, inv2, inv3)


@pytest.fixture
def busy_book(book, today) -> Book:
    """The book with work on HC1: a promise, a plan awaiting approval, a dispute and two open tasks of the old
    collector (and one of the salesperson, which stays), and a draft collection plan the old collector owns."""
    promise_record(customer=book.c1, amount_minor=50_000, promised_on=today + timedelta(days=5), actor=book.old,
                   invoices=[book.inv1], contact_name="李会计")
    plan_request(customer=book.c2, invoices=[book.inv3], actor=book.old, installments=2,
                 first_due_on=today + timedelta(days=10))
    dispute_raise(invoice=book.inv2, amount_minor=10_000, reason_code="quantity", actor=book.old, owner=book.old)
    CollectionPlan.objects.create(customer=book.c1, owner=book.old, currency="CNY", status="draft",
                                  counts_from=today)
    task_create(customer=book.c1, kind="call", title="催收电话", assignee=book.old, level="finance",
                due_on=today + timedelta(days=1), actor=book.clerk)
    task_create(customer=book.c2, kind="visit", title="上门拜访", assignee=book.old, level="finance",
                due_on=today + timedelta(days=3), actor=book.clerk)
    task_create(customer=book.c1, kind="call", title="销售跟进", assignee=book.sales, level="sales",
                due_on=today + timedelta(days=2), actor=book.clerk)
    return book
