"""Manual cash application in the web UI (issue 12): apply a payment to ticked items, undo with a reason, record a
payment for an invoice, post a credit note and an invoice, and the four-eyes approvals. Bad input is shown beside
the field it concerns (status 400) and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from arms.audit.models import AuditEvent
from arms.ledger import services
from arms.ledger.models import Allocation, CreditNote, Invoice, JournalEntry, LedgerApproval, LedgerSettings, Payment
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    with translation.override("zh-hans"):
        yield


def login(client, user):
    client.force_login(user)
    return client


def written() -> tuple:
    return (Allocation.objects.count(), Payment.objects.count(), CreditNote.objects.count(), Invoice.objects.count(),
            JournalEntry.objects.count(), LedgerApproval.objects.count(), AuditEvent.objects.count())


def _open(invoice) -> int:
    invoice.refresh_from_db()
    return invoice.amount_open_minor


def _apply(book, **rows) -> dict:
    data = {"idempotency_key": "k-apply", "date": ""}
    for invoice, amount in rows.items():
        data[f"pick_{invoice}"] = "on"
        data[f"amount_{invoice}"] = amount
    return data


def test_the_payment_page_lists_the_open_items_to_apply_it_to(client, book):
    page = login(client, book.clerk).get(reverse("web:payment_detail", args=[book.payment.pk])).content.decode()

    assert 'id="apply-cash"' in page
    assert f'name="pick_{book.invoice_overdue.pk}"' in page and f'name="pick_{book.invoice_current.pk}"' in page
    assert f'name="pick_{book.invoice_xinan.pk}"' not in page  # another customer's
    assert 'value="3,000.00"' in page  # prefilled: the smaller of open and unapplied


def test_an_auditor_sees_no_apply_form(client, book):
    page = login(client, book.auditor).get(reverse("web:payment_detail", args=[book.payment.pk])).content.decode()
    assert 'id="apply-cash"' not in page


def test_applying_to_two_ticked_items(client, book):
    url = reverse("web:payment_apply", args=[book.payment.pk])

    response = login(client, book.clerk).post(url, _apply(book, **{
        str(book.invoice_overdue.pk): "1,000.00", str(book.invoice_current.pk): "2,000.00"}))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert (_open(book.invoice_overdue), _open(book.invoice_current)) == (1_030_000, 365_000)
    book.payment.refresh_from_db()
    assert book.payment.amount_unallocated_minor == 0
    assert ledger_problems() == {}


@pytest.mark.parametrize(("amounts", "field"), [
    ({"overdue": "3,000.01"}, None),  # more than unapplied (3,000.00)
    ({"current": "5,650.01"}, "amount_{current}"),  # more than open
    ({"overdue": "abc"}, "amount_{overdue}"),
    ({"overdue": "-5.00"}, "amount_{overdue}"),
    ({"overdue": ""}, "amount_{overdue}"),
    ({"xinan": "10.00"}, None),  # another customer's invoice
    ({}, None),  # nothing ticked
])
def test_bad_input_names_the_field_and_writes_nothing(client, book, amounts, field):
    ids = {"overdue": book.invoice_overdue.pk, "current": book.invoice_current.pk, "xinan": book.invoice_xinan.pk}
    before = written()

    response = login(client, book.clerk).post(reverse("web:payment_apply", args=[book.payment.pk]),
                                              _apply(book, **{str(ids[k]): v for k, v in amounts.items()}))

    assert response.status_code == 400
    form = response.context["apply_form"]
    if field:
        assert list(form.errors) == [field.format(**ids)], form.errors
        assert f'id="error-{field.format(**ids)}"' in response.content.decode()
    else:
        assert list(form.errors) == ["__all__"], form.errors
    assert written() == before


def test_undoing_an_allocation_needs_a_reason_which_is_kept(client, book):
    [allocation] = services.payment_allocate(actor=book.clerk, payment=book.payment,
                                             lines=[AllocationRequest(book.invoice_overdue.pk, 300_000)])
    url = reverse("web:allocation_undo", args=[allocation.pk])
    before = written()

    refused = login(client, book.clerk).post(url, {"reason": "  "})

    assert refused.status_code == 400
    assert list(refused.context["reverse_form"].errors) == ["reason"]
    assert written() == before

    response = client.post(url, {"reason": "客户来函：这笔付的是INV-HD-2"})

    assert response.status_code == 302
    reversal = Allocation.objects.get(reverses=allocation)
    assert (reversal.reason, _open(book.invoice_overdue)) == ("客户来函：这笔付的是INV-HD-2", 1_130_000)
    page = client.get(reverse("web:payment_detail", args=[book.payment.pk])).content.decode()
    assert "客户来函：这笔付的是INV-HD-2" in page
    assert ledger_problems() == {}


def test_recording_a_payment_for_an_invoice_settles_that_invoice(client, book):
    page = login(client, book.clerk).get(reverse("web:invoice_detail", args=[book.invoice_current.pk]))
    assert 'value="5,650.00"' in page.content.decode()  # prefilled with the open amount

    response = client.post(reverse("web:invoice_payment_record", args=[book.invoice_current.pk]), {
        "received_date": book.today.isoformat(), "amount": "5,650.00", "currency": "CNY", "method": "bank_transfer",
        "bank_reference": "BR-INV", "payer_name": "", "bill_number": "", "bill_maturity_date": "",
        "idempotency_key": "k-inv"})

    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Payment.objects.get(bank_reference="BR-INV")
    assert response.url == reverse("web:payment_detail", args=[payment.pk])
    # the newer invoice is settled, not the older one oldest-first would pick
    assert (_open(book.invoice_current), _open(book.invoice_overdue), payment.amount_unallocated_minor) == (
        0, 1_130_000, 0)
    assert ledger_problems() == {}


def test_a_payment_for_an_invoice_in_another_currency_is_refused_beside_the_currency(client, book):
    before = written()

    response = login(client, book.clerk).post(reverse("web:invoice_payment_record", args=[book.invoice_current.pk]), {
        "received_date": book.today.isoformat(), "amount": "100.00", "currency": "USD", "method": "bank_transfer",
        "bank_reference": "", "payer_name": "", "bill_number": "", "bill_maturity_date": "", "idempotency_key": "k"})

    assert response.status_code == 400
    assert list(response.context["payment_form"].errors) == ["currency"]
    assert written() == before


def test_posting_a_credit_note_from_the_invoice_page(client, book):
    url = reverse("web:invoice_credit_note", args=[book.invoice_current.pk])
    base = {"date": book.today.isoformat(), "reason": "质量折让", "number": "", "idempotency_key": "k-cn"}
    before = written()

    too_much = login(client, book.clerk).post(url, {**base, "net": "6,000.00", "tax": "0"})
    no_reason = client.post(url, {**base, "net": "100.00", "tax": "13.00", "reason": ""})

    assert (too_much.status_code, list(too_much.context["credit_note_form"].errors)) == (400, ["net"])
    assert (no_reason.status_code, list(no_reason.context["credit_note_form"].errors)) == (400, ["reason"])
    assert written() == before

    response = client.post(url, {**base, "net": "1,000.00", "tax": "130.00"})

    assert response.status_code == 302
    note = CreditNote.objects.get()
    assert (note.gross_minor, note.reason, _open(book.invoice_current)) == (113_000, "质量折让", 452_000)
    assert ledger_problems() == {}


def test_posting_an_invoice_from_the_customer_page(client, book):
    url = reverse("web:customer_invoice_post", args=[book.huadong.pk])
    base = {"issue_date": book.today.isoformat(), "due_date": "", "amount": "8,000.00", "tax": "1,040.00",
            "currency": "CNY", "contract": "", "vat_invoice_number": "", "number": "INV-UI-1", "description": "备件",
            "idempotency_key": "k-iv"}
    before = written()

    bad = login(client, book.clerk).post(url, {**base, "amount": "8,000.001"})
    early_due = client.post(url, {**base, "due_date": (book.today - timedelta(days=1)).isoformat()})

    assert (bad.status_code, list(bad.context["invoice_form"].errors)) == (400, ["amount"])
    assert (early_due.status_code, list(early_due.context["invoice_form"].errors)) == (400, ["due_date"])
    assert written() == before

    response = client.post(url, base)

    assert response.status_code == 302
    invoice = Invoice.objects.get(number="INV-UI-1")
    assert response.url == reverse("web:invoice_detail", args=[invoice.pk])
    assert (invoice.gross_minor, invoice.description) == (904_000, "备件")
    assert ledger_problems() == {}


def test_above_the_amount_the_allocation_waits_and_another_person_approves_it(client, book):
    LedgerSettings.objects.create(company=book.huadong.company, four_eyes_minor=100_000)  # CNY 1,000.00
    manager = factories.user("fm1", role="finance_manager")
    before = _open(book.invoice_overdue)

    response = login(client, book.clerk).post(reverse("web:payment_apply", args=[book.payment.pk]),
                                              _apply(book, **{str(book.invoice_overdue.pk): "3,000.00"}))

    assert response.status_code == 302
    approval = LedgerApproval.objects.get()
    assert (approval.status, approval.kind, _open(book.invoice_overdue), Allocation.objects.count()) == (
        "pending", "allocation", before, 0)
    detail = reverse("web:approval_detail", args=[approval.pk])
    payment_page = client.get(reverse("web:payment_detail", args=[book.payment.pk])).content.decode()
    assert 'id="pending-approvals"' in payment_page and detail in payment_page  # the payment says what waits
    assert 'id="decide"' not in client.get(detail).content.decode()  # the requester cannot decide
    refused = client.post(reverse("web:approval_decide", args=[approval.pk]), {"decision": "approve", "note": ""})
    assert (refused.status_code, bool(refused.context["form"].non_field_errors())) == (400, True)
    assert LedgerApproval.objects.get().status == "pending"

    login(client, manager)
    listed = client.get(reverse("web:approval_list")).content.decode()
    assert detail in listed
    assert 'id="decide"' in client.get(detail).content.decode()
    no_note = client.post(reverse("web:approval_decide", args=[approval.pk]), {"decision": "reject", "note": ""})
    assert (no_note.status_code, list(no_note.context["form"].errors)) == (400, ["note"])

    approved = client.post(reverse("web:approval_decide", args=[approval.pk]), {"decision": "approve", "note": "可"})

    assert approved.status_code == 302
    assert (LedgerApproval.objects.get().status, _open(book.invoice_overdue)) == ("approved", before - 300_000)
    assert ledger_problems() == {}


def test_a_finance_manager_cannot_approve_their_own_request(client, book):
    LedgerSettings.objects.create(company=book.huadong.company, four_eyes_minor=100_000)
    manager = factories.user("fm2", role="finance_manager")
    login(client, manager).post(reverse("web:payment_apply", args=[book.payment.pk]),
                                _apply(book, **{str(book.invoice_overdue.pk): "3,000.00"}))
    approval = LedgerApproval.objects.get()
    before = written()

    response = client.post(reverse("web:approval_decide", args=[approval.pk]), {"decision": "approve", "note": ""})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert written() == before


def test_the_approval_amount_is_changed_by_a_finance_manager_only(client, book):
    manager = factories.user("fm3", role="finance_manager")

    assert login(client, book.clerk).post(reverse("web:approval_settings"), {"four_eyes": "500.00"}).status_code == 403
    response = login(client, manager).post(reverse("web:approval_settings"), {"four_eyes": "500,000.00"})

    assert response.status_code == 302
    assert LedgerSettings.objects.get().four_eyes_minor == 50_000_000


def test_the_approval_list_exports(client, book):
    manager = factories.user("fm4", role="finance_manager")
    response = login(client, manager).get(reverse("web:approval_list"), {"status": "", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_by_htmx_a_refusal_swaps_the_section_and_success_redirects(client, book):
    url = reverse("web:payment_apply", args=[book.payment.pk])
    htmx = {"HTTP_HX_REQUEST": "true"}
    before = written()

    refused = login(client, book.clerk).post(url, _apply(book, **{str(book.invoice_overdue.pk): "x"}), **htmx)

    assert refused.status_code == 200
    assert refused.content.decode().lstrip().startswith('<section class="card flush" id="apply-cash">')
    assert f'id="error-amount_{book.invoice_overdue.pk}"' in refused.content.decode()
    assert written() == before

    done = client.post(url, _apply(book, **{str(book.invoice_overdue.pk): "100.00"}), **htmx)

    assert done["HX-Redirect"] == reverse("web:payment_detail", args=[book.payment.pk])
    assert _open(book.invoice_overdue) == 1_120_000


def test_by_htmx_an_undo_without_a_reason_swaps_the_allocations(client, book):
    [allocation] = services.payment_allocate(actor=book.clerk, payment=book.payment,
                                             lines=[AllocationRequest(book.invoice_overdue.pk, 100_000)])

    response = login(client, book.clerk).post(reverse("web:allocation_undo", args=[allocation.pk]), {"reason": ""},
                                              HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="card flush" id="allocations">') and 'id="error-reason"' in page
    assert not Allocation.objects.filter(reverses=allocation).exists()
