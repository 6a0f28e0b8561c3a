"""The four-eyes rule of manual cash application, service by service: the amount is compared in CNY, a payment
recorded for an invoice waits only for its allocation, and an approval the books no longer allow is refused with
the ledger's error and stays pending."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from arms.common.errors import ArmsError
from arms.ledger import services
from arms.ledger.models import Allocation, LedgerApproval, LedgerSettings, Payment
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.approvals import (
    ledger_approval_approve,
    ledger_settings_update,
    manual_allocate,
    payment_record_for_invoice,
)
from tests import factories
from tests.conftest import ledger_problems


@pytest.fixture
def threshold(company):
    """CNY 10,000.00."""
    return LedgerSettings.objects.create(company=company, four_eyes_minor=1_000_000).four_eyes_minor


@pytest.fixture
def manager(db):
    return factories.user("fm-svc", role="finance_manager")


def test_a_foreign_currency_allocation_is_compared_in_cny(threshold, clerk, today):
    services.exchange_rate_set(actor=None, currency="USD", on=today - timedelta(days=60), rate=Decimal("7.1"))
    customer = factories.customer(currency="USD")
    invoice = factories.invoice(customer, net=300_000, tax=0, issued=today - timedelta(days=30), currency="USD")
    payment = factories.payment(customer, amount=300_000, received=today, currency="USD")

    small = manual_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 100_000)])
    large = manual_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 200_000)])

    assert (small.pending, len(small.done)) == (False, 1)  # USD 1,000.00 = CNY 7,100.00
    assert large.pending  # USD 2,000.00 = CNY 14,200.00
    assert (large.approval.currency, large.approval.amount_minor, large.approval.amount_base_minor) == (
        "USD", 200_000, 1_420_000)


def test_a_payment_for_an_invoice_is_recorded_at_once_and_its_allocation_waits(threshold, clerk, customer, today):
    invoice = factories.invoice(customer, net=2_000_000, tax=0, issued=today - timedelta(days=10))

    payment, outcome = payment_record_for_invoice(actor=clerk, invoice=invoice, currency="CNY",
                                                  amount_minor=2_000_000, received_date=today)

    assert Payment.objects.get(pk=payment.pk).amount_unallocated_minor == 2_000_000
    assert (outcome.pending, outcome.approval.payment_id, outcome.approval.arguments["lines"]) == (
        True, payment.pk, [[invoice.pk, 2_000_000]])


def test_an_approval_the_books_no_longer_allow_is_refused_and_stays_pending(threshold, clerk, manager, customer,
                                                                          today):
    invoice = factories.invoice(customer, net=2_000_000, tax=0, issued=today - timedelta(days=10))
    first = factories.payment(customer, amount=2_000_000, received=today)
    second = factories.payment(customer, amount=2_000_000, received=today)
    waiting = manual_allocate(actor=clerk, payment=first, lines=[AllocationRequest(invoice.pk, 2_000_000)]).approval
    services.payment_allocate(actor=clerk, payment=second, lines=[AllocationRequest(invoice.pk, 2_000_000)])

    with pytest.raises(ArmsError) as refused:
        ledger_approval_approve(approval=waiting, actor=manager)

    assert (refused.value.code, refused.value.field) == ("over_allocation", "lines[0].amount_minor")
    assert LedgerApproval.objects.get(pk=waiting.pk).status == "pending"
    assert Allocation.objects.filter(payment=first).count() == 0
    assert ledger_problems() == {}


def test_the_amount_is_bounded_and_only_a_finance_manager_sets_it(company, clerk, manager):
    with pytest.raises(ArmsError) as forbidden:
        ledger_settings_update(actor=clerk, four_eyes_minor=1)
    with pytest.raises(ArmsError) as negative:
        ledger_settings_update(actor=manager, four_eyes_minor=-1)

    assert (forbidden.value.status, negative.value.field) == (403, "four_eyes_minor")
    assert LedgerSettings.objects.count() == 0
    assert ledger_settings_update(actor=manager, four_eyes_minor=0).four_eyes_minor == 0


def test_two_requests_waiting_cannot_claim_the_same_cash_or_open_amount(threshold, clerk, manager, customer, today):
    first_invoice = factories.invoice(customer, net=1_500_000, tax=0, issued=today - timedelta(days=20))
    second_invoice = factories.invoice(customer, net=1_500_000, tax=0, issued=today - timedelta(days=10))
    payment = factories.payment(customer, amount=2_500_000, received=today)
    other_payment = factories.payment(customer, amount=2_000_000, received=today)

    waiting = manual_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(first_invoice.pk, 1_500_000)])
    assert waiting.pending
    before = LedgerApproval.objects.count()

    # the same payment's remaining CNY 10,000.00 cannot be promised as 15,000.00 again
    with pytest.raises(ArmsError) as cash:
        manual_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(second_invoice.pk, 1_500_000)])
    # nor can another payment settle the invoice the first request already settles
    with pytest.raises(ArmsError) as invoice:
        manual_allocate(actor=clerk, payment=other_payment, lines=[AllocationRequest(first_invoice.pk, 1_500_000)])
    assert (cash.value.code, cash.value.field, invoice.value.code, invoice.value.field) == (
        "claimed_by_pending_approval", "payment_id", "claimed_by_pending_approval", "invoice_id")
    assert f"#{waiting.approval.pk}" in str(cash.value) and payment.number in str(cash.value)
    assert LedgerApproval.objects.count() == before

    # what is left unclaimed can still be asked for; once the first is decided its claim is gone
    assert manual_allocate(actor=clerk, payment=other_payment,
                           lines=[AllocationRequest(second_invoice.pk, 1_500_000)]).pending
    ledger_approval_approve(approval=waiting.approval, actor=manager)
    assert Allocation.objects.filter(payment=payment, invoice=first_invoice).exists()
    assert not ledger_problems()
