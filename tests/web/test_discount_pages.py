"""Where a customer and a clerk read an early-payment discount: the invoice page (always), the statement page and its
Excel (while the window is open), the portal's invoice list and page, and the API's invoice."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse

from arms.ledger.models import CreditNoteKind
from arms.ledger.services import payment_allocate
from arms.ledger.services.allocations import AllocationRequest
from tests import factories

OFFER = "2/10, n/30"


@pytest.fixture
def viewer(db):
    return factories.user(role="finance_manager")


@pytest.fixture
def invoices(customer, today):
    open_window = factories.invoice(customer, net=1_000_000, tax=130_000, issued=today - timedelta(days=3),
                                    discount_bp=200, discount_until=today + timedelta(days=7), number="INV-D-OPEN")
    closed = factories.invoice(customer, net=1_000_000, tax=130_000, issued=today - timedelta(days=20),
                               discount_bp=200, discount_until=today - timedelta(days=10), number="INV-D-SHUT")
    return open_window, closed


def test_the_invoice_page_always_shows_the_terms(client, viewer, invoices):
    client.force_login(viewer)
    open_window, closed = invoices
    page = client.get(reverse("web:invoice_detail", args=[open_window.pk])).content.decode()
    assert 'id="invoice-discount"' in page and OFFER in page and "11,074.00 CNY" in page
    page = client.get(reverse("web:invoice_detail", args=[closed.pk])).content.decode()
    assert 'id="invoice-discount"' in page and "2/10, n/30" in page and "11,074.00" not in page


def test_a_granted_discount_is_marked_among_the_credit_notes(client, viewer, customer, invoices, today):
    client.force_login(viewer)
    open_window, _closed = invoices
    payment = factories.payment(customer, amount=1_107_400, received=today)
    payment_allocate(actor=viewer, payment=payment, lines=[AllocationRequest(open_window.pk, 1_107_400)])
    page = client.get(reverse("web:invoice_detail", args=[open_window.pk])).content.decode()
    assert f'<span class="badge">{CreditNoteKind.DISCOUNT.label}</span>' in page


def test_the_statement_lists_the_discounts_still_open(client, viewer, customer, invoices, today):
    client.force_login(viewer)
    url = reverse("web:customer_statement", args=[customer.pk])
    period = {"date_from": (today - timedelta(days=30)).isoformat(), "date_to": today.isoformat()}
    page = client.get(url, period).content.decode()
    assert 'id="statement-discounts"' in page and "INV-D-OPEN" in page.split('id="statement-discounts"')[1]
    assert "INV-D-SHUT" not in page.split('id="statement-discounts"')[1]
    download = client.get(url, {**period, "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
    assert "INV-D-OPEN" in cells and any(OFFER in c for c in cells)


def test_the_api_invoice_carries_the_discount(client, viewer, invoices):
    client.force_login(viewer)
    open_window, _closed = invoices
    body = client.get(f"/api/v1/invoices/{open_window.pk}").json()
    assert (body["discount_bp"], body["discount_until"], body["discount_minor"]) == (
        200, open_window.discount_until.isoformat(), 22_600)
