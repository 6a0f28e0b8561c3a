"""Small balances in a real browser: a clerk ticks the 18.00 left on a paid invoice and asks for it to be written
off; the clerk sees no approve button; a finance manager approves and the residue is written off to 6603."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.ledger.models import Invoice, SmallBalanceBatch, WriteOff
from arms.ledger.services import payment_allocate
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.web.browser import chromium_page, expect, live_server_requests_finish
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_ask_and_approve_a_small_balance_write_off(page, live_server, book):
    factories.user("manager", role="finance_manager")
    invoice = book.invoice_overdue  # 11,300.00; 11,282.00 arrives: 18.00 of bank charges stay open
    short = factories.payment(book.huadong, number="RCV-HD-9", amount=11_282_00,
                              received=book.today - timedelta(days=3), actor=book.clerk)
    payment_allocate(actor=book.clerk, payment=short, lines=[AllocationRequest(invoice.pk, 11_282_00)],
                     on=book.today - timedelta(days=3))

    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/write-offs/small-balances/")
    rows = page.locator("#small-balance-table tr[data-invoice]")
    expect(rows).to_have_count(1)  # INV-HD-2 and INV-XN-1 are unpaid: no residues
    rows.first.locator("input[type=checkbox]").check()
    page.fill("#id_note", "银行手续费尾差")
    page.click("#small-balance-form button[type=submit]")
    batch = SmallBalanceBatch.objects.get()
    page.wait_for_url(f"{live_server.url}/write-offs/small-balances/batches/{batch.pk}/")
    expect(page.locator("#batch-decision")).to_have_count(0)  # the requester never decides

    page.context.clear_cookies()
    log_in(page, live_server, "manager")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/write-offs/small-balances/batches/{batch.pk}/")
    page.click("#approve")
    expect(page.locator("#batch-status")).to_have_class("badge status-posted")

    batch.refresh_from_db()
    assert (batch.status, batch.posted_count) == ("posted", 1)
    assert list(WriteOff.objects.values_list("invoice_id", "amount_minor", "account")) == [(invoice.pk, 18_00, "6603")]
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
