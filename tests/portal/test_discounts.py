"""The portal shows the customer its early-payment discount: in the invoice list while the window is open, on the
invoice page always, and in the portal API's invoice."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.test import Client

from arms.customers.portal_access import portal_access_issue
from tests import factories


def test_the_contact_sees_the_discount_on_the_list_the_page_and_the_api(contact, customer, today):
    open_window = factories.invoice(customer, net=1_000_000, tax=130_000, issued=today - timedelta(days=3),
                                    discount_bp=200, discount_until=today + timedelta(days=7))
    closed = factories.invoice(customer, net=1_000_000, tax=130_000, issued=today - timedelta(days=20),
                               discount_bp=200, discount_until=today - timedelta(days=10))
    cache.clear()
    _access, raw = portal_access_issue(contact=contact, actor=None)
    portal = Client(REMOTE_ADDR="203.0.113.21")
    portal.get(f"/portal/enter/{raw}/")

    listing = portal.get("/portal/invoices/").content.decode()
    row_open = listing.split(f'data-invoice="{open_window.pk}"')[1].split("</tr>")[0]
    row_closed = listing.split(f'data-invoice="{closed.pk}"')[1].split("</tr>")[0]
    assert "2/10, n/30" in row_open and "11,074.00 CNY" in row_open
    assert "2/10" not in row_closed
    page = portal.get(f"/portal/invoices/{closed.pk}/").content.decode()
    assert 'id="invoice-discount"' in page and "2/10, n/30" in page
    body = portal.get(f"/api/v1/portal/invoices/{open_window.pk}").json()
    assert (body["discount_bp"], body["discount_minor"]) == (200, 22_600)
