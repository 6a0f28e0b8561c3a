"""The clerk's keyboard review in a real Chromium: a accepts, j/k move between lines, e edits (search the
customer, tick an item, Ctrl+Enter), i then a number sets aside; each decision brings the next line in place,
without a page load."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from arms.bank.models import StatementLine
from arms.ledger.models import Allocation
from tests.web import cash_book
from tests.web.browser import chromium_page, expect
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]


@pytest.fixture
def lines(book):
    """Three open lines, newest first: 华东's payment of INV-HD-1 as suggested, an unknown payer's 5,650.00 (INV-HD-2,
    the clerk knows), and the bank's interest."""
    account = cash_book.bank_account()
    stmt = cash_book.statement(account, first=book.today - timedelta(days=5), last=book.today)
    invoice = book.invoice_overdue
    suggested = cash_book.line(
        stmt, amount=invoice.amount_open_minor, on=book.today - timedelta(days=1), payer="华东精密机械有限公司",
        text="INV-HD-1", status="suggested", customer=book.huadong, confidence=80,
        match={"customer_id": book.huadong.pk, "allocations": [[invoice.pk, invoice.amount_open_minor]],
               "charge": 0, "unapplied": 0},
        reasons=[{"code": "name", "points": 50, "detail": ""}, {"code": "one_item", "points": 30, "detail": ""}])
    unknown = cash_book.line(stmt, amount=565_000, on=book.today - timedelta(days=2), payer="上海某某代付有限公司",
                             text="货款", status="unmatched")
    interest = cash_book.line(stmt, amount=1_234, on=book.today - timedelta(days=3), text="季度结息",
                              status="unmatched")
    return suggested, unknown, interest


def on_line(page, line) -> None:
    """The review shows ``line`` and htmx has finished bringing it in (its keys and fields are live): a clerk reads
    before pressing; a test must wait for it."""
    expect(page.locator("#review")).to_have_attribute("data-line", str(line.pk))
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


@pytest.fixture
def page(flushable_ledger, live_server, book, lines):
    with chromium_page() as page:
        yield page


def test_the_clerk_reviews_three_lines_with_the_keyboard(page, live_server, book, lines):
    suggested, unknown, interest = lines
    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cash/")
    page.click("#start-review")
    on_line(page, suggested)
    expect(page.locator("#reasons")).to_be_visible()
    page.evaluate("window.__sameDocument = true")  # gone if any step loaded a new page

    # a: accept the suggestion; the next open line comes in place
    page.keyboard.press("a")
    on_line(page, unknown)
    expect(page.locator("#review-done")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/cash/lines/{unknown.pk}/$"))

    # j / k: to the older line and back
    page.keyboard.press("j")
    on_line(page, interest)
    page.keyboard.press("k")
    on_line(page, unknown)

    # e: edit; search the customer, choose it, tick INV-HD-2 (its open amount fills in), Ctrl+Enter applies
    page.keyboard.press("e")
    search = page.locator("#customer-search-0")
    expect(search).to_be_focused()
    search.press_sequentially("HD00")
    page.locator(".customer-choice").first.click()
    row = page.locator("#share-0 tr[data-invoice='INV-HD-2']")
    expect(row).to_be_visible()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-added')")
    row.locator("input[type=checkbox]").check()
    expect(row.locator("input.amount")).to_have_value("5650.00")
    row.locator("input.amount").press("Control+Enter")
    on_line(page, interest)

    # i then 2: set the interest aside as interest; nothing is left
    page.keyboard.press("i")
    page.keyboard.press("2")
    expect(page.locator("#review-empty")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    statuses = dict(StatementLine.objects.values_list("pk", "status"))
    assert statuses == {suggested.pk: "manual", unknown.pk: "manual", interest.pk: "ignored"}
    assert StatementLine.objects.get(pk=interest.pk).ignored_kind == "interest"
    unknown.refresh_from_db()
    assert list(Allocation.objects.filter(payment=unknown.payment).values_list("invoice__number", "amount_minor")) == [
        ("INV-HD-2", 565_000)]


def test_a_refused_amount_is_shown_beside_it_in_the_browser(page, live_server, book, lines):
    _suggested, unknown, _interest = lines
    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cash/lines/{unknown.pk}/")
    page.wait_for_load_state()
    on_line(page, unknown)

    page.keyboard.press("e")
    page.locator("#customer-search-0").press_sequentially("HD00")
    page.locator(".customer-choice").first.click()
    row = page.locator("#share-0 tr[data-invoice='INV-HD-2']")
    expect(row).to_be_visible()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-added')")
    row.locator("input[type=checkbox]").check()
    row.locator("input.amount").fill("9,999.00")
    row.locator("input.amount").press("Control+Enter")

    expect(page.locator(f"#error-share-0-amount-{book.invoice_current.pk}")).to_be_visible()
    on_line(page, unknown)
    assert StatementLine.objects.get(pk=unknown.pk).status == "unmatched"


def test_the_remittance_advice_is_uploaded_from_the_review(page, live_server, book, lines, tmp_path):
    _suggested, unknown, interest = lines
    advice = tmp_path / "付款明细.csv"
    advice.write_text("发票号,金额\nINV-HD-2,5650.00\n", encoding="utf-8")
    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cash/lines/{unknown.pk}/")
    page.wait_for_load_state()
    on_line(page, unknown)

    page.keyboard.press("e")
    page.set_input_files("#id_file", str(advice))
    page.click("#remittance-form button[type=submit]")

    on_line(page, interest)
    unknown.refresh_from_db()
    assert unknown.status == "manual"
    assert list(Allocation.objects.filter(payment=unknown.payment).values_list("invoice__number", "amount_minor")) == [
        ("INV-HD-2", 565_000)]


def test_a_decision_the_server_refuses_outright_is_said_on_the_page(page, live_server, book, lines):
    suggested, _unknown, _interest = lines
    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cash/lines/{suggested.pk}/")
    page.wait_for_load_state()
    on_line(page, suggested)
    page.context.clear_cookies()  # signed out in another tab

    page.keyboard.press("a")

    expect(page.locator("#cw-request-error")).to_be_visible()
    assert StatementLine.objects.get(pk=suggested.pk).status == "suggested"


def test_signed_out_meanwhile_the_next_key_goes_to_the_login_page(page, live_server, book, lines):
    suggested, _unknown, _interest = lines
    log_in(page, live_server, "clerk")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cash/lines/{suggested.pk}/")
    page.wait_for_load_state()
    on_line(page, suggested)
    page.context.clear_cookies(name="sessionid")

    page.keyboard.press("j")

    page.wait_for_url(re.compile(r"/login/\?next="))
    expect(page.locator("#id_username")).to_be_visible()
