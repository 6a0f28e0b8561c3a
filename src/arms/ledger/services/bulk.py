"""The bulk path: many invoices, or many payments with their allocations, in one call.

Every guarantee of the one-at-a-time services (``invoice_post``, ``payment_record``, ``payment_allocate``) holds, and
those stay the reference: the same validation (their own functions), the credit check under the customer lock
(customers locked in pk order, then the invoices an allocation touches, by pk), numbers from the same gap-free
sequences, the same balanced journal lines, idempotency keys honoured, but the writes are set-based:
``bulk_create`` of documents, journal entries and lines, idempotency records and audit events.

Audit (ADR "h1: audit sub-chains for bulk writes"): a call's events go into its own sub-chain
(``arms.audit.models.AuditBatch`` / ``AuditBatchEvent``), hashed in order within the batch; the global chain gets one
``audit_batch_anchored`` event whose seal carries the sub-chain's final hash. The chain head is locked only for
that one append, so a long import never makes other writers wait on it.

A refused row raises the service's own ``ArmsError`` (same code, message and field) with ``details["index"]``: the
position of the refused input in the list; nothing of the call is written (the caller's transaction rolls back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from arms.ledger.enums import PaymentMethod

if TYPE_CHECKING:
    from arms.audit.models import AuditBatch
    from arms.common.typing import Actor
    from arms.contracts.models import Contract
    from arms.customers.models import Customer


@dataclass(frozen=True)
class InvoiceInput:
    """One invoice, as ``invoice_post`` takes it (its keyword arguments, without ``actor``)."""

    customer: Customer
    issue_date: date
    net_minor: int
    tax_minor: int
    number: str | None = None
    due_date: date | None = None
    currency: str | None = None
    contract: Contract | None = None
    vat_invoice_number: str = ""
    description: str = ""
    idempotency_key: str | None = None
    discount_bp: int | None = None
    discount_until: date | None = None


@dataclass(frozen=True)
class BulkAllocation:
    """Allocate the payment to ``invoice_id``: ``amount_minor``, or with ``None`` as much as is open on the invoice
    and left of the payment at that point (an import's "pay this invoice" column). Nothing to allocate is skipped."""

    invoice_id: int
    amount_minor: int | None = None


@dataclass(frozen=True)
class PaymentInput:
    """One payment, as ``payment_record`` takes it, with the allocations ``payment_allocate`` would make after it
    (dated ``allocate_on``, else the payment's received date)."""

    customer: Customer
    received_date: date
    amount_minor: int
    currency: str | None = None
    method: str = PaymentMethod.BANK_TRANSFER
    number: str | None = None
    bill_number: str = ""
    bill_maturity_date: date | None = None
    payer_name: str = ""
    bank_reference: str = ""
    idempotency_key: str | None = None
    charge_minor: int = 0
    contract: Contract | None = None
    allocations: tuple[BulkAllocation, ...] = field(default_factory=tuple)
    allocate_on: date | None = None


@dataclass(frozen=True)
class BulkResult:
    """What one bulk call wrote: the ids of the documents created (in input order; an input answered by its
    idempotency key is not among them), how many inputs were already there, and the audit batch (sub-chain) id."""

    created_ids: list[int]
    skipped: int
    allocations: int = 0
    audit_batch_id: int | None = None


def invoices_post_bulk(*, actor: Actor, invoices: Sequence[InvoiceInput],
                       audit_batch: AuditBatch | None = None) -> BulkResult:
    """Post ``invoices`` (any customers) as ``invoice_post`` would, one after the other in list order, all or none.

    ``audit_batch``: the sub-chain to append the events to (``arms.audit.services.audit_batch_open``), which the caller
    anchors once at its end (``audit_batch_anchor``), e.g. an import writing many calls in one transaction. Without
    it the call opens and anchors its own."""
    raise NotImplementedError


def payments_record_bulk(*, actor: Actor, payments: Sequence[PaymentInput],
                         audit_batch: AuditBatch | None = None) -> BulkResult:
    """Record ``payments`` (any customers) and their allocations as ``payment_record`` + ``payment_allocate`` would,
    in list order, all or none."""
    raise NotImplementedError
