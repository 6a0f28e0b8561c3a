"""The bulk path's writers (``arms.common.bulk``: ids from the sequence, COPY / executemany, one UPDATE per column)
keep the guarantees of ``bulk_create``: a refusal after rows were written leaves nothing, the sequence moves past
the ids it gave, and the journal they wrote is sealed and balanced."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from arms.audit.models import AuditBatchEvent, AuditEvent
from arms.audit.services import audit_batches_verify, audit_verify, seals_verify
from arms.common.bulk import reserve_ids
from arms.common.errors import ArmsError
from arms.credit.models import CreditProfile
from arms.ledger import services
from arms.ledger.models import Allocation, Invoice, JournalEntry, JournalLine, Payment
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.bulk import (
    BulkAllocation,
    InvoiceInput,
    PaymentInput,
    invoices_post_bulk,
    payments_record_bulk,
)
from arms.ledger.services.discounts import customer_discount_policies, customer_discount_policy
from tests import factories
from tests.conftest import ledger_problems


@pytest.fixture
def two(company):
    return factories.customer("W1"), factories.customer("W2")


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Invoice, Payment, Allocation, JournalEntry, JournalLine,
                                                     AuditBatchEvent, AuditEvent))


def test_a_refusal_after_rows_were_copied_leaves_nothing_and_names_the_row(two, today):
    day = today - timedelta(days=30)
    invoices = invoices_post_bulk(actor=None, invoices=[
        InvoiceInput(customer=two[n % 2], issue_date=day, net_minor=10_000, tax_minor=1_300) for n in range(4)])
    before = _counts()
    # the payments are written and two allocations made before the third asks for more than is open
    rows = [PaymentInput(customer=two[0], received_date=day + timedelta(days=2), amount_minor=50_000,
                         allocations=(BulkAllocation(invoices.created_ids[n], 5_000),)) for n in (0, 2)]
    rows.append(PaymentInput(customer=two[0], received_date=day + timedelta(days=2), amount_minor=50_000,
                             allocations=(BulkAllocation(invoices.created_ids[0], 11_300),)))
    with pytest.raises(ArmsError) as info:
        payments_record_bulk(actor=None, payments=rows)
    assert info.value.details["index"] == 2
    assert _counts() == before
    assert Invoice.objects.get(pk=invoices.created_ids[0]).amount_open_minor == 11_300


def test_the_sequences_move_past_the_ids_the_bulk_path_took(two, today):
    day = today - timedelta(days=30)
    bulk = invoices_post_bulk(actor=None, invoices=[
        InvoiceInput(customer=two[0], issue_date=day, net_minor=1_000, tax_minor=130) for _n in range(3)])
    single = services.invoice_post(actor=None, customer=two[1], issue_date=day, net_minor=1_000, tax_minor=130)
    assert single.pk > max(bulk.created_ids)
    assert reserve_ids(Invoice, 2)[0] > single.pk
    payment = services.payment_record(actor=None, customer=two[1], received_date=day, amount_minor=500)
    payments_record_bulk(actor=None, payments=[PaymentInput(
        customer=two[1], received_date=day, amount_minor=900, allocations=(BulkAllocation(single.pk),))])
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(single.pk, 230)],
                              on=day)
    assert Invoice.objects.get(pk=single.pk).amount_open_minor == 0
    assert sorted(Allocation.objects.values_list("amount_minor", flat=True)) == [230, 900]


def test_the_copied_journal_is_sealed_balanced_and_the_amounts_set(two, today):
    day = today - timedelta(days=30)
    invoices = invoices_post_bulk(actor=None, invoices=[
        InvoiceInput(customer=two[n % 2], issue_date=day, net_minor=10_000, tax_minor=1_300) for n in range(6)])
    result = payments_record_bulk(actor=None, payments=[
        PaymentInput(customer=two[n % 2], received_date=day + timedelta(days=3), amount_minor=7_000,
                     allocations=(BulkAllocation(invoices.created_ids[n]),)) for n in range(6)])
    assert result.allocations == 6
    assert sorted(Invoice.objects.values_list("amount_open_minor", flat=True)) == [4_300] * 6
    assert sorted(Payment.objects.values_list("amount_unallocated_minor", flat=True)) == [0] * 6
    assert audit_verify().ok
    assert audit_batches_verify().ok
    assert all(report.ok for report in seals_verify()), seals_verify()
    assert ledger_problems() == {}


def test_the_policy_discounts_read_for_a_batch_are_the_ones_read_one_at_a_time(two, today):
    CreditProfile.objects.create(customer=two[0], grade="B", score=70, currency="CNY", discount_pct=Decimal("2"),
                                 discount_days=10)
    CreditProfile.objects.create(customer=two[1], grade="B", score=70, currency="CNY", discount_pct=Decimal("0"),
                                 discount_days=10)
    third = factories.customer("W3")
    assert customer_discount_policies([*two, third]) == {
        customer.pk: customer_discount_policy(customer) for customer in (*two, third)}
    day = today - timedelta(days=5)
    bulk = invoices_post_bulk(actor=None, invoices=[
        InvoiceInput(customer=customer, issue_date=day, net_minor=10_000, tax_minor=1_300)
        for customer in (*two, third)])
    assert list(Invoice.objects.filter(pk__in=bulk.created_ids).order_by("pk")
                .values_list("discount_bp", "discount_until")) == [(200, day + timedelta(days=10)), (0, None),
                                                                    (0, None)]
