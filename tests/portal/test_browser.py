"""A contact on a phone in a real Chromium: opens the link from the e-mail, sees their balance without sideways
scrolling, confirms the receipt of one invoice, disputes another, and switches the portal to English."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from arms.audit.models import AuditEvent
from arms.cases.models import Dispute
from arms.customers.portal_access import portal_link_issue
from arms.ledger.models import InvoiceDelivery
from arms.ledger.services.deliveries import invoice_delivery_record
from tests.web.browser import chromium_page, expect
from tests.web.conftest import (  # noqa: F401  (the web tests' book and flush fixture)
    book,
    flushable_ledger,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def page(flushable_ledger, live_server, book):  # noqa: F811
    cache.clear()
    with chromium_page(viewport=PHONE) as page:
        yield page


def fits_the_phone(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_contact_opens_the_link_on_a_phone_and_disputes_an_invoice(page, live_server, book, settings):  # noqa: F811
    settings.ARMS_BASE_URL = live_server.url
    contact = book.huadong.contacts.get(name="李娜")
    url = portal_link_issue(contact=contact, actor=book.clerk, purpose="对账")
    invoice_delivery_record(invoice=book.invoice_current, actor=book.clerk, channel="email",
                            delivered_on=book.invoice_current.issue_date)

    page.goto(url)
    page.wait_for_url(f"{live_server.url}/portal/")
    expect(page.locator("#portal-customer")).to_have_text("华东精密机械有限公司")
    expect(page.locator("#portal-balances [data-currency='CNY'][data-minor]")).to_have_attribute(
        "data-minor", str(book.invoice_overdue.gross_minor + book.invoice_current.gross_minor
                          - book.payment.amount_minor))
    assert fits_the_phone(page)

    page.click(".portal-nav a[href='/portal/invoices/']")
    page.click(f"tr[data-invoice='{book.invoice_current.pk}'] a")
    expect(page.locator("#invoice-delivery")).to_have_attribute("data-state", "delivered")
    page.click("#invoice-receipt")
    expect(page.locator("#invoice-delivery")).to_have_attribute("data-state", "confirmed")
    receipt = InvoiceDelivery.objects.get(invoice=book.invoice_current, kind="receipt")
    assert (receipt.channel, receipt.contact_id) == ("portal", contact.pk)

    page.click(".portal-nav a[href='/portal/invoices/']")
    page.click(f"tr[data-invoice='{book.invoice_overdue.pk}'] a")
    expect(page.locator("#portal-invoice")).to_have_attribute("data-invoice", str(book.invoice_overdue.pk))
    assert fits_the_phone(page)
    page.click("#invoice-dispute")
    page.fill("#id_amount", "1,000.00")
    page.select_option("#id_reason_code", "quantity")
    page.fill("#id_description", "少发了两台")
    page.click("#dispute-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/disputes/")
    dispute = Dispute.objects.get()
    expect(page.locator(f"tr[data-dispute='{dispute.pk}']")).to_be_visible()
    assert (dispute.invoice_id, dispute.amount_minor) == (book.invoice_overdue.pk, 1_000_00)
    assert AuditEvent.objects.get(action="dispute_raised").actor_name.startswith("portal:李娜@")

    page.click(".portal-lang button[value='en']")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert fits_the_phone(page)
