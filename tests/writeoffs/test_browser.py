"""A real Chromium: a collector asks for a write-off from the prefilled form, finance, legal and audit sign it on
its page one after the other, and the last sign-off posts it (the invoice shows 已核销)."""

from __future__ import annotations

import pytest

from arms.ledger.models import Invoice
from arms.writeoffs.models import WriteOffRequest
from tests import factories
from tests.web.browser import chromium_page, expect, live_server_requests_finish
from tests.web.conftest import (  # noqa: F401  (the web tests' book and flush fixture)
    book,
    flushable_ledger,
)
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):  # noqa: F811
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_request_then_three_sign_offs_post_it(page, live_server, book):  # noqa: F811
    factories.user("col", role="collector")
    factories.user("fm", role="finance_manager")
    factories.user("lg", role="legal")
    invoice = book.invoice_overdue
    log_in(page, live_server, "col")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/write-offs/new/?customer={book.huadong.pk}&invoice={invoice.pk}"
              f"&reason=limitation_expired")
    expect(page.locator(f"input[name=pick_{invoice.pk}]")).to_be_checked()
    page.fill("#id_note", "最后一次书面催收已超过三年")
    page.click("#writeoff-submit")
    request = WriteOffRequest.objects.get()
    page.wait_for_url(f"{live_server.url}/write-offs/{request.pk}/")
    expect(page.locator("#writeoff-status")).to_have_attribute("data-status", "pending")
    expect(page.locator("#writeoff-sign-form")).to_have_count(0)  # the requester does not sign

    for username in ("fm", "lg", "auditor"):
        page.context.clear_cookies()
        log_in(page, live_server, username)
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/write-offs/{request.pk}/")
        page.fill("#writeoff-sign-form textarea[name=note]", "同意")
        page.click("#writeoff-sign")
        expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("#writeoff-status")).to_have_attribute("data-status", "posted")
    expect(page.locator("#writeoff-sign-offs tbody tr")).to_have_count(3)
    page.goto(f"{live_server.url}/invoices/{invoice.pk}/")
    expect(page.locator("#invoice-written-off")).to_be_visible()
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
