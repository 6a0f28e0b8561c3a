"""Limitation periods in a real browser: legal opens the claims by expiry from the navigation, opens the overdue
invoice's claim, records a delivered dunning letter with its EMS receipt, and sees the chain and the new expiry."""

from __future__ import annotations

import pytest

from arms.customers.services import company_ensure
from arms.domain.limitation import add_years, next_working_day
from arms.limitation.models import LimitationInterruption
from arms.limitation.services import limitation_refresh
from tests import factories
from tests.web.browser import chromium_page, expect, live_server_requests_finish, nav_click
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_list_claim_and_record_an_interruption(page, live_server, book, tmp_path):
    factories.user("legal", role="legal")
    limitation_refresh(company=company_ensure())
    invoice = book.invoice_overdue
    log_in(page, live_server, "legal")
    page.wait_for_url(f"{live_server.url}/")
    nav_click(page, "/limitation/")
    row = page.locator(f"tr[data-claim='{invoice.pk}']")
    expect(row).to_contain_text("INV-HD-1")
    row.locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/limitation/invoices/{invoice.pk}/")

    receipt = tmp_path / "EMS回执.pdf"
    receipt.write_bytes(b"%PDF-1.4 EMS receipt")
    page.select_option("#id_kind", "demand_delivered")
    page.fill("#id_date", book.today.isoformat())
    page.set_input_files("#id_evidence", str(receipt))
    page.fill("#id_note", "催款函已签收")
    page.click("#record-form button[type=submit]")

    page.wait_for_url(f"{live_server.url}/limitation/invoices/{invoice.pk}/")
    saved = LimitationInterruption.objects.get()
    expect(page.locator(f"tr[data-interruption='{saved.pk}']")).to_contain_text("EMS回执.pdf")
    expires = next_working_day(add_years(book.today, 3))
    expect(page.locator("#claim-expires")).to_have_text(expires.isoformat())
    assert (saved.invoice_id, saved.kind, saved.date, saved.note) == (invoice.pk, "demand_delivered", book.today,
                                                                      "催款函已签收")
