"""Balance confirmations in a real browser: the clerk starts last month's run, records the letter as posted by EMS,
records the customer's disputed answer with the signed scan and one difference, and settles it by a credit note."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.confirmations.models import Confirmation, ConfirmationDifference
from tests.web.browser import chromium_page, expect, live_server_requests_finish
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def page(flushable_ledger, live_server, book):
    with chromium_page() as page:
        yield page
    live_server_requests_finish()


def test_run_post_answer_with_scan_and_settle(page, live_server, book, tmp_path):
    period_end = book.today.replace(day=1) - timedelta(days=1)
    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/confirmations/")
    page.fill("#id_period", period_end.strftime("%Y-%m"))
    page.click("#run-start-form button[type=submit]")
    letter = Confirmation.objects.get(customer=book.huadong)
    page.wait_for_url(f"{live_server.url}/confirmations/runs/{letter.run_id}/")
    page.click(f"tr[data-confirmation='{letter.pk}'] a")
    page.wait_for_url(f"{live_server.url}/confirmations/{letter.pk}/")
    expect(page.locator("#confirmation-hash")).to_contain_text(letter.sha256)

    page.click("details:has(#post-form) > summary")
    page.fill("#id_tracking_no", "EA123456789CN")
    page.fill("#id_sent_on", book.today.isoformat())
    page.click("#post-form button[type=submit]")
    expect(page.locator("#dispatches")).to_contain_text("EA123456789CN")

    scan = tmp_path / "回执.pdf"
    scan.write_bytes(b"%PDF-1.4 signed and sealed")
    page.check("input[name=answer][value=disputed]")
    page.set_input_files("#id_scan", str(scan))
    # an invoice of the letter's month or before (issued 60 days before today, whatever day of the month today is)
    page.select_option("#id_d0_invoice", str(book.invoice_overdue.pk))
    page.select_option("#id_d0_kind", "amount_differs")
    page.fill("#id_d0_amount", "650.00")
    page.fill("#id_d0_description", "单价按合同应更低")
    page.click("#reply-form button[type=submit]")
    difference = page.locator("#differences tr[data-difference]")
    expect(difference).to_have_count(1)
    expect(page.locator("#scan-link")).to_be_visible()
    saved = ConfirmationDifference.objects.get()
    assert (saved.amount_minor, saved.invoice_id, saved.owner) == (65_000, book.invoice_overdue.pk, book.clerk)

    difference.locator("summary").click()
    page.select_option(f"#id_resolve{saved.pk}_resolution", "credit_note")
    page.fill(f"#id_resolve{saved.pk}_explanation", "核实属实，开具红字发票")
    difference.locator("form button[type=submit]").click()
    expect(difference.locator("summary")).to_have_count(0)
    saved.refresh_from_db()
    assert saved.status == "resolved" and saved.credit_note.gross_minor == 65_000
