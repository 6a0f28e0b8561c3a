"""Helpers of the small-balance tests: a part payment that leaves a residue, and a snapshot of what a refused call
must leave alone."""

from __future__ import annotations

from datetime import date

from arms.audit.models import AuditEvent
from arms.ledger.models import SmallBalanceBatch, SmallBalanceBatchItem, WriteOff
from arms.ledger.services import payment_allocate, payment_record
from arms.ledger.services.allocations import AllocationRequest
from tests.ledger.helpers import ledger_state

ISSUED = date(2026, 1, 10)  # 30 days: due 9 Feb 2026


def pay(customer, invoice, amount: int, *, on: date = date(2026, 1, 20)) -> None:
    payment = payment_record(actor=None, customer=customer, received_date=on, amount_minor=amount,
                             currency=invoice.currency)
    payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, amount)], on=on)


def state() -> dict:
    return {**ledger_state(), "batches": SmallBalanceBatch.objects.count(),
            "items": SmallBalanceBatchItem.objects.count(), "write_offs": WriteOff.objects.count(),
            "audit": AuditEvent.objects.count(),
            "status": sorted(SmallBalanceBatch.objects.values_list("pk", "status"))}
