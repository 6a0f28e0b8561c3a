"""The confirmation story in a real Chromium, from the run to the coverage report.

A month's confirmation run is e-mailed through a real SMTP server; the customer's contact opens the portal link from
that e-mail, disputes one invoice (a difference) and confirms receipt of another; the difference becomes a task with
its deadline 5 Chinese working days later (the reply is on a Friday, so the deadline is past the weekend, and past a
holiday where one falls in between); a clerk settles it with a credit note; the next month's letter, with the credit
note in it, is confirmed in the portal; the coverage report shows the first month unconfirmed and the second fully
confirmed.

The dates are derived from the frozen today: the story starts some weeks ahead of it (so the browser, which keeps
the machine's real time, never sees a session cookie that expired before it was set).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache

from arms.audit.models import AuditEvent
from arms.cases.models import Task
from arms.confirmations.coverage import confirmation_coverage
from arms.confirmations.models import Confirmation, ConfirmationDifference
from arms.confirmations.services import confirmation_run_start, difference_resolve, run_send
from arms.customers.models import Contact
from arms.customers.services import company_ensure
from arms.domain.workdays import add_working_days, chinese_is_workday
from arms.ledger.models import InvoiceDelivery
from arms.ledger.services.deliveries import invoice_delivery_record
from tests import clock, factories
from tests.web.browser import chromium_page, expect
from tests.web.conftest import flushable_ledger  # noqa: F401  (empties the database after the live server)
from tests.web.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("flushable_ledger")]
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://\S+/portal/enter/\S+/")


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def story_days(today: date) -> tuple[date, date, date]:
    """(the reply day, a working Friday at least five weeks ahead; the end of the month before it; the third of
    the month after the reply, when the next month's letters go out)."""
    day = today + timedelta(days=35)
    while day.weekday() != 4 or not chinese_is_workday(day) or day.day > 18:
        day += timedelta(days=1)
    return day, day.replace(day=1) - timedelta(days=1), month_end(day) + timedelta(days=3)


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = LINK.search(body)
    assert found, body
    return found.group(0)


@pytest.fixture
def page(flushable_ledger, live_server):  # noqa: F811
    cache.clear()
    with chromium_page(viewport=PHONE) as page:
        yield page


def test_run_email_portal_dispute_and_receipt_credit_note_then_confirmed_and_covered(
        page, live_server, smtp_server, settings, today):
    settings.ARMS_BASE_URL = live_server.url
    reply_day, first_end, second_day = story_days(today)
    deadline = add_working_days(reply_day, 5)
    assert (deadline - reply_day).days > 5  # a weekend (or a holiday) lies in between

    # a customer with two invoices of the first month, one delivered by e-mail; its finance contact
    with clock.travel(reply_day):
        clerk = factories.user("clerk", role="finance_clerk")
        collector = factories.user("collector", role="collector")
        customer = factories.customer("HD001", name="华东精密机械有限公司", collector=collector, region="east")
        contact = Contact.objects.create(customer=customer, name="李娜", role="财务经理", email="li.na@huadong.example",
                                         is_primary=True)
        disputed = factories.invoice(customer, number="INV-A", net=100_000, tax=13_000,
                                     issued=first_end.replace(day=5), actor=clerk)
        received = factories.invoice(customer, number="INV-B", net=50_000, tax=6_500,
                                     issued=first_end.replace(day=10), actor=clerk)
        invoice_delivery_record(invoice=received, actor=clerk, channel="email", delivered_on=first_end.replace(day=10),
                                recipient=contact.email)

        # the run, e-mailed through the SMTP server: the e-mail carries the contact's portal link
        run, _created = confirmation_run_start(company=company_ensure(), period_end=first_end, actor=clerk)
        assert run_send(run=run, actor=clerk)["sent"] == 1
        [message] = smtp_server.messages
        assert message["To"] == contact.email
        first = Confirmation.objects.get(run=run)
        assert first.closing_minor == 113_000 + 56_500

        # the contact opens the link from the e-mail
        page.goto(link_in(message))
        page.wait_for_url(f"{live_server.url}/portal/")
        expect(page.locator("#portal-customer")).to_have_text("华东精密机械有限公司")

        portal_dispute_one_invoice(page, live_server, first, disputed, amount="130.00")
        portal_confirm_receipt(page, live_server, received)

    # the difference is work: an owner, a deadline 5 working days after the reply, a task with it
    difference = ConfirmationDifference.objects.get()
    first.refresh_from_db()
    assert (first.status, first.answer_channel) == ("disputed", "portal")
    assert (difference.invoice_id, difference.amount_minor, difference.raised_on) == (disputed.pk, 13_000, reply_day)
    assert (difference.deadline, difference.owner) == (deadline, collector)
    task = Task.objects.get(source="confirmation", source_ref=f"difference:{difference.pk}")
    assert (task.assignee, task.due_on, task.status) == (collector, deadline, "open")
    receipt = InvoiceDelivery.objects.filter(invoice=received, kind="receipt").get()
    assert (receipt.channel, receipt.contact_id) == ("portal", contact.pk)
    portal_events = AuditEvent.objects.filter(actor_name__startswith="portal:李娜@")
    assert {"confirmation_answered", "invoice_receipt_confirmed"} <= set(portal_events.values_list("action", flat=True))

    # the clerk settles it with a credit note, before the deadline
    with clock.travel(add_working_days(reply_day, 2)):
        settled = difference_resolve(difference=difference, actor=clerk, resolution="credit_note",
                                     explanation="单价差异属实，开具红字发票")
        assert settled.credit_note.gross_minor == 13_000
        task.refresh_from_db()
        assert task.status == "done"

    # the next month's letter (the credit note in it) goes out and the contact confirms it in the portal
    second_end = month_end(reply_day)
    with clock.travel(second_day):
        run2, _created = confirmation_run_start(company=company_ensure(), period_end=second_end, actor=clerk)
        run_send(run=run2, actor=clerk)
        second = Confirmation.objects.get(run=run2)
        assert second.closing_minor == 113_000 + 56_500 - 13_000
        page.goto(link_in(smtp_server.messages[-1]))
        page.wait_for_url(f"{live_server.url}/portal/")
        portal_confirm_balance(page, live_server, second)
        second.refresh_from_db()
        assert (second.status, second.answer_channel, second.answered_contact_id) == ("confirmed", "portal",
                                                                                      contact.pk)

        # coverage: the first month nothing confirmed (its letter was disputed), the second everything
        figures = confirmation_coverage(user=clerk, period_end=first_end).total
        assert (figures.customers, figures.confirmed_customers, figures.share_amount_bp) == (1, 0, 0)
        figures = confirmation_coverage(user=clerk, period_end=second_end).total
        assert (figures.amount_base_minor, figures.confirmed_base_minor, figures.share_amount_bp,
                figures.share_customers_bp) == (156_500, 156_500, 10_000, 10_000)

        # and the clerk reads the same on the coverage page
        desk = page.context.browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
        log_in(desk, live_server, "clerk")
        desk.wait_for_url(f"{live_server.url}/")
        desk.goto(f"{live_server.url}/confirmations/coverage/?period_end={second_end.isoformat()}")
        total = desk.locator("#coverage-total")
        expect(total).to_have_attribute("data-share-amount-bp", "10000")
        expect(total).to_have_attribute("data-confirmed", "156500")
        desk.goto(f"{live_server.url}/confirmations/coverage/?period_end={first_end.isoformat()}")
        expect(desk.locator("#coverage-total")).to_have_attribute("data-share-amount-bp", "0")
        expect(desk.locator(f"#coverage-unconfirmed tr[data-customer='{customer.pk}']")).to_be_visible()
        desk.close()


# ---------------------------------------------------------------- the contact's steps in the portal


def portal_dispute_one_invoice(page, live_server, confirmation, invoice, *, amount: str) -> None:
    """From the portal's home, open the letter waiting for an answer; answer "differs" with one line naming the
    invoice and the amount."""
    page.click(f"a[data-confirmation='{confirmation.pk}']")
    expect(page.locator("#portal-confirmation")).to_have_attribute("data-status", "sent")
    page.check("input[name='answer'][value='disputed']")
    page.select_option("#id_diff-0-invoice", str(invoice.pk))
    page.select_option("#id_diff-0-kind", "amount_differs")
    page.fill("#id_diff-0-amount", amount)
    page.fill("#id_diff-0-description", "单价按合同应为 880 元")
    page.click("#reply-form button[type=submit]")
    expect(page.locator("#reply-done")).to_be_visible()
    expect(page.locator("#portal-confirmation")).to_have_attribute("data-status", "disputed")


def portal_confirm_receipt(page, live_server, invoice) -> None:
    page.click(".portal-nav a[href='/portal/invoices/']")
    page.click(f"tr[data-invoice='{invoice.pk}'] a")
    expect(page.locator("#invoice-delivery")).to_have_attribute("data-state", "delivered")
    page.click("#invoice-receipt")
    expect(page.locator("#invoice-delivery")).to_have_attribute("data-state", "confirmed")


def portal_confirm_balance(page, live_server, confirmation) -> None:
    page.click(f"a[data-confirmation='{confirmation.pk}']")
    page.check("input[name='answer'][value='confirmed']")
    page.click("#reply-form button[type=submit]")
    expect(page.locator("#portal-confirmation")).to_have_attribute("data-status", "confirmed")
