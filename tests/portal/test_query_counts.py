"""The portal's lists run as many queries for a customer with three times the rows (no N+1 behind a contact's
page; the site-wide test measures staff pages only)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from arms.customers.portal_access import portal_access_issue
from arms.ledger.services import payment_allocate
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.queries import assert_flat, count_queries

pytestmark = pytest.mark.django_db
PAGES = ["/portal/", "/portal/statement/", "/portal/invoices/?all=1", "/portal/payments/", "/portal/letters/",
         "/portal/disputes/", "/portal/promises/", "/portal/remittances/", "/portal/confirmations/"]


def add_rows(customer, today, n):
    for i in range(n):
        invoice = factories.invoice(customer, issued=today - timedelta(days=40 + i), net=100_000, tax=13_000)
        payment = factories.payment(customer, amount=50_000, received=today - timedelta(days=5))
        payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, 50_000)])


def test_the_portal_lists_do_not_grow_a_query_per_row(contact, customer, today):
    cache.clear()
    _access, raw = portal_access_issue(contact=contact, actor=None)
    client = Client()
    client.get(f"/portal/enter/{raw}/")
    client.get("/portal/")
    add_rows(customer, today, 3)
    small = {page: count_queries(lambda page=page: client.get(page)) for page in PAGES}
    add_rows(customer, today, 9)
    large = {page: count_queries(lambda page=page: client.get(page)) for page in PAGES}
    for page in PAGES:
        assert_flat(page, small[page], large[page], per_shape=0)
