"""The bulk path: many invoices, or many payments with their allocations, in one call.

Every guarantee of the one-at-a-time services (``invoice_post``, ``payment_record``, ``payment_allocate``) holds, and
those stay the reference: the same validation (their own functions), the credit check under the customer lock
(customers locked in pk order, then the invoices an allocation touches, by pk), numbers from the same gap-free
sequences, the same balanced journal lines, idempotency keys honoured, but the writes are set-based (and the credit
check batched: ``exposure.increase_many``, ``arms.exposure.services.credit_check_many``):
documents, journal entries and lines, idempotency records and audit events inserted a table at a time
(``arms.common.bulk``: COPY on PostgreSQL; allocations as plain values, payments with the unallocated amount their
allocations leave), the look-ups by many keys as one array (``Among``).

Audit (ADR "h1: audit sub-chains for bulk writes"): a call's events go into its own sub-chain
(``arms.audit.models.AuditBatch`` / ``AuditBatchEvent``), hashed in order within the batch; the global chain gets one
``audit_batch_anchored`` event whose seal carries the sub-chain's final hash. The chain head is locked only for
that one append, so a long import never makes other writers wait on it.

A refused row raises the service's own ``ArmsError`` (same code, message and field) with ``details["index"]``: the
position of the refused input in the list; nothing of the call is written (the caller's transaction rolls back).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import BatchEvent, SubjectRef, audit_batch_anchor, audit_batch_append, audit_batch_open
from arms.common import hooks
from arms.common.actors import user_or_none
from arms.common.bulk import Among, Table, insert_instances, reserve_ids, update_column
from arms.common.errors import Conflict, ErrorCode, refused_at
from arms.common.locks import customer_qs_for_update, invoices_qs_for_update
from arms.common.models import IdempotencyRecord
from arms.common.services import fingerprint, sequence_take
from arms.domain import journal as postings
from arms.ledger.enums import BILL_METHODS, EntryKind, PaymentMethod
from arms.ledger.errors import DuplicateNumber
from arms.ledger.models import Allocation, Invoice, Payment
from arms.ledger.seal import journal_seals
from arms.ledger.services.allocations import (
    AllocationRequest,
    allocation_audit,
    allocation_lines_checked,
    allocation_memos,
    cash_used,
)
from arms.ledger.services.common import receivable_relieved
from arms.ledger.services.discounts import customer_discount_policies, discount_grant_locked
from arms.ledger.services.fx import exchange_rate_on
from arms.ledger.services.invoices import (
    InvoiceTerms,
    invoice_base_amounts,
    invoice_checked,
    invoice_exposure_check,
    invoice_memos,
    invoice_payload,
    invoice_snapshot,
)
from arms.ledger.services.journal import EntrySpec, journal_write_many
from arms.ledger.services.payments import (
    payment_base_amounts,
    payment_checked,
    payment_memos,
    payment_payload,
    payment_snapshot,
)

if TYPE_CHECKING:
    from arms.audit.models import AuditBatch
    from arms.common.typing import Actor
    from arms.contracts.models import Contract
    from arms.customers.models import Company, Customer


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
    with transaction.atomic():
        batch = audit_batch or audit_batch_open(actor=actor, source="invoices_post_bulk")
        todo, skipped, digests = _not_yet_done(
            "invoice.post", [(item.idempotency_key, _invoice_payload(item)) for item in invoices])
        customers = _lock_customers({invoices[index].customer.pk for index in todo})
        numbers = _numbers(Invoice, "INV", _("Invoice"), customers,
                           [(index, invoices[index].customer.pk, invoices[index].number) for index in todo])
        rates = _Rates()
        policies = customer_discount_policies(list(customers.values()))  # each customer's policy discount, one read
        prepared: list[tuple[int, InvoiceTerms, int, int, Decimal]] = []
        for index in todo:
            item = invoices[index]
            with refused_at(index):
                locked = customers[item.customer.pk]
                terms = invoice_checked(locked, issue_date=item.issue_date, net_minor=item.net_minor,
                                        tax_minor=item.tax_minor, due_date=item.due_date, currency=item.currency,
                                        contract=item.contract, discount_bp=item.discount_bp,
                                        discount_until=item.discount_until, discount_policy=policies[locked.pk])
                rate = rates.on(terms.currency, item.issue_date)
                gross_base, net_base = invoice_base_amounts(gross=terms.gross, net_minor=item.net_minor,
                                                            currency=terms.currency, rate=rate)
            prepared.append((index, terms, gross_base, net_base, rate))
        made: dict[int, Invoice] = {}
        checked = _credit_checked(actor, invoices, customers, numbers, prepared)
        # The one-at-a-time credit check reads the customer's exposure from the database, so an invoice it checks
        # must see the ones before it: those are written in rounds, the n-th of each customer in round n; the
        # invoices the batched check decided all go in the first round.
        for round_ in _rounds(prepared, key=lambda row: ("checked", row[0]) if row[0] in checked
                              else invoices[row[0]].customer.pk):
            rows = []
            for index, terms, gross_base, net_base, rate in round_:
                item = invoices[index]
                locked = customers[item.customer.pk]
                if index not in checked:
                    with refused_at(index):
                        invoice_exposure_check(locked=locked, actor=actor, terms=terms, issue_date=item.issue_date,
                                               number=numbers[index], contract=item.contract)
                rows.append(Invoice(
                    company=locked.company, customer=locked, contract=item.contract, number=numbers[index],
                    vat_invoice_number=item.vat_invoice_number, issue_date=item.issue_date, due_date=terms.due,
                    currency=terms.currency, net_minor=item.net_minor, tax_minor=item.tax_minor,
                    gross_minor=terms.gross, amount_open_minor=terms.gross, fx_rate=rate,
                    gross_base_minor=gross_base, net_base_minor=net_base, tax_base_minor=gross_base - net_base,
                    description=item.description, posted_by=user_or_none(actor), discount_bp=terms.discount_bp,
                    discount_until=terms.discount_until,
                ))
            insert_instances(Invoice, rows, timezone.now())
            for (index, *_rest), invoice in zip(round_, rows, strict=True):
                made[index] = invoice
        ordered = [made[index] for index, *_rest in prepared]
        memo = invoice_memos()
        entries = journal_write_many([
            EntrySpec(company=invoice.company, customer=invoice.customer, on=invoice.issue_date,
                      kind=EntryKind.INVOICE, memo=memo(invoice.number), sources={"invoice": invoice},
                      lines=postings.invoice_lines(gross=invoice.gross_base_minor, net=invoice.net_base_minor,
                                                   tax=invoice.tax_base_minor))
            for invoice in ordered
        ], actor=actor)
        audit_batch_append(batch, [
            BatchEvent(AuditAction.INVOICE_POSTED, invoice, after=invoice_snapshot(invoice),
                       seals=journal_seals(entry))
            for invoice, entry in zip(ordered, entries, strict=True)
        ])
        _remember("invoice.post", [(invoices[index].idempotency_key, digests.get(index), made[index].pk)
                                   for index, *_rest in prepared])
        if audit_batch is None:
            audit_batch_anchor(batch)
    return BulkResult([invoice.pk for invoice in ordered], skipped, audit_batch_id=batch.pk)


def _credit_checked(actor: Actor, invoices: Sequence[InvoiceInput], customers: dict[int, Customer],
                    numbers: dict[int, str], prepared: list[tuple[int, InvoiceTerms, int, int, Decimal]]) -> set[int]:
    """The batched credit check (``exposure.increase_many``) of the prepared invoices, in list order: it refuses
    the first blocked one (its row named) and returns the indexes it decided (a contract's invoices too); the rest
    (customers with an override to consume, prepayment-only ones) go through ``invoice_exposure_check``."""
    documents = [
        hooks.ExposureDocument(customer=customers[invoices[index].customer.pk], amount_minor=terms.gross,
                               currency=terms.currency, document_kind="invoice", document_ref=numbers[index],
                               contract=invoices[index].contract,
                               payment_terms_days=(terms.due - invoices[index].issue_date).days, due_date=terms.due,
                               row=index)
        for index, terms, *_rest in prepared
    ]
    positions: set[int] = set().union(*hooks.run(hooks.EXPOSURE_INCREASE_MANY, documents=documents, user=actor))
    return {index for position, (index, *_rest) in enumerate(prepared) if position in positions}


def payments_record_bulk(*, actor: Actor, payments: Sequence[PaymentInput],
                         audit_batch: AuditBatch | None = None) -> BulkResult:
    """Record ``payments`` (any customers) and their allocations as ``payment_record`` + ``payment_allocate`` would,
    in list order, all or none. Locks the customers (pk order), then every invoice allocated to (pk order)."""
    with transaction.atomic():
        batch = audit_batch or audit_batch_open(actor=actor, source="payments_record_bulk")
        todo, skipped, digests = _not_yet_done(
            "payment.record", [(item.idempotency_key, _payment_payload(item)) for item in payments])
        customers = _lock_customers({payments[index].customer.pk for index in todo})
        invoices: dict[int, Invoice] = {
            invoice.pk: invoice for invoice in invoices_qs_for_update(sorted(
                {line.invoice_id for index in todo for line in payments[index].allocations}))}
        numbers = _numbers(Payment, "RCV", _("Payment"), customers,
                           [(index, payments[index].customer.pk, payments[index].number) for index in todo])
        rates = _Rates()
        rows: list[Payment] = []
        for index in todo:
            item = payments[index]
            locked = customers[item.customer.pk]
            with refused_at(index):
                currency = payment_checked(
                    locked, received_date=item.received_date, amount_minor=item.amount_minor, currency=item.currency,
                    method=item.method, bill_number=item.bill_number, bill_maturity_date=item.bill_maturity_date,
                    charge_minor=item.charge_minor, contract=item.contract)
                rate = rates.on(currency, item.received_date)
                amount_base, charge_base = payment_base_amounts(amount_minor=item.amount_minor,
                                                                charge_minor=item.charge_minor, currency=currency,
                                                                rate=rate)
            rows.append(Payment(
                company=locked.company, customer=locked, number=numbers[index], received_date=item.received_date,
                currency=currency, amount_minor=item.amount_minor, amount_unallocated_minor=item.amount_minor,
                method=item.method, bill_number=item.bill_number.strip(), bill_maturity_date=item.bill_maturity_date,
                payer_name=item.payer_name, bank_reference=item.bank_reference, fx_rate=rate,
                amount_base_minor=amount_base, charge_minor=item.charge_minor, charge_base_minor=charge_base,
                posted_by=user_or_none(actor), contract=item.contract,
            ))
        # the payments are written by the allocator's first flush, with the unallocated amount their allocations
        # leave (not inserted, then updated); their events tell them as recorded, before any allocation
        for payment, pk in zip(rows, reserve_ids(Payment, len(rows)), strict=True):
            payment.pk = pk
        made = rows
        allocator = _Allocator(actor=actor, batch=batch, invoices=invoices)
        allocation_keys = []
        for index, payment in zip(todo, made, strict=True):
            item = payments[index]
            allocator.record(payment)
            with refused_at(index):
                lines = allocator.allocate(payment, item.allocations, on=item.allocate_on or item.received_date)
            if lines and item.idempotency_key:
                allocation_keys.append((item.idempotency_key, fingerprint(
                    {"payment": payment.pk, "lines": [(x.invoice_id, x.amount_minor) for x in lines],
                     "on": item.allocate_on or item.received_date}), payment))
        allocator.flush()
        _remember("payment.record", [(payments[index].idempotency_key, digests.get(index), payment.pk)
                                     for index, payment in zip(todo, made, strict=True)])
        first = allocator.first_allocation
        _remember("payment.allocate", [(key, digest, first[payment.pk]) for key, digest, payment in allocation_keys])
        if audit_batch is None:
            audit_batch_anchor(batch)
    return BulkResult([payment.pk for payment in made], skipped, allocations=allocator.count,
                      audit_batch_id=batch.pk)


@dataclass
class _Allocated:
    """One allocation of a bulk call, as values: written by ``Table`` at the flush, which gives it its id."""

    payment: Payment
    invoice: Invoice
    amount_minor: int
    on: date
    receivable_base_minor: int
    cash_base_minor: int
    before: dict[str, Any]
    after: dict[str, Any]
    pk: int = 0

    @property
    def invoice_id(self) -> int:
        return self.invoice.pk


#: the columns of an allocation the bulk path fills (the rest keep their defaults: no credit note, no reason)
_ALLOCATION_COLUMNS = ["id", "company_id", "invoice_id", "payment_id", "amount_minor", "date", "receivable_base_minor",
                       "cash_base_minor", "created_by_id"]


class _Allocator:
    """The payments and allocations of a bulk call: each allocation checked with ``allocation_lines_checked`` on the
    locked invoices as they stand after the allocations before, amounts relieved as ``_allocate_locked`` does (what
    was relieved and used so far kept in memory instead of read back per line), written a flush at a time: first
    the payments recorded since the last flush (``record``), with what their allocations left unallocated, their
    journal entries and ``payment_recorded`` events, then the allocations, their entries and events, and the
    invoices' open amounts (the entries of both in one write, the events in one append: a flush's fixed cost)."""

    def __init__(self, *, actor: Actor, batch: AuditBatch, invoices: dict[int, Invoice]) -> None:
        self.actor, self.batch, self.invoices = actor, batch, invoices
        self.relieved: dict[int, int] = dict(
            Allocation.objects.filter(Among(F("invoice_id"), list(invoices))).values("invoice_id")
            .annotate(total=Sum("receivable_base_minor")).values_list("invoice_id", "total"))
        self.cash: dict[int, int] = defaultdict(int)
        self.recorded: list[tuple[Payment, dict[str, Any]]] = []
        self.pending: list[_Allocated] = []
        self.touched_invoices: dict[int, Invoice] = {}
        self.first_allocation: dict[int, int] = {}
        self.count = 0
        # each memo translated once a call
        self.payment_memo, self.allocation_memo = payment_memos(), allocation_memos()

    def record(self, payment: Payment) -> None:
        """``payment`` (its id reserved) is recorded: written at the next flush. Its event tells it as recorded,
        before the allocations that follow."""
        self.recorded.append((payment, payment_snapshot(payment)))

    def allocate(self, payment: Payment, wanted: Sequence[BulkAllocation], *, on: date) -> list[AllocationRequest]:
        lines: list[AllocationRequest] = []
        for want in wanted:
            invoice = self.invoices.get(want.invoice_id)
            amount = want.amount_minor
            if amount is None:
                open_now = invoice.amount_open_minor if invoice is not None else 0
                amount = min(payment.amount_unallocated_minor - sum(x.amount_minor for x in lines), open_now)
                if amount <= 0:
                    continue
            lines.append(AllocationRequest(want.invoice_id, amount))
        if not lines:
            return lines
        allocation_lines_checked(payment=payment, invoices=self.invoices, lines=lines, on=on)
        for line in lines:
            invoice = self.invoices[line.invoice_id]
            receivable = receivable_relieved(invoice, open_after=invoice.amount_open_minor - line.amount_minor,
                                             so_far=self.relieved.get(invoice.pk, 0))
            cash = cash_used(payment, unallocated_after=payment.amount_unallocated_minor - line.amount_minor,
                             so_far=self.cash[payment.pk])
            self.relieved[invoice.pk] = self.relieved.get(invoice.pk, 0) + receivable
            self.cash[payment.pk] += cash
            invoice.amount_open_minor -= line.amount_minor
            payment.amount_unallocated_minor -= line.amount_minor
            before, after = allocation_audit(invoice=invoice, payment=payment, amount_minor=line.amount_minor)
            self.pending.append(_Allocated(payment, invoice, line.amount_minor, on, receivable, cash, before, after))
            self.touched_invoices[invoice.pk] = invoice
        # the early-payment discount a payment earns is granted by the reference service, on the rows as written
        for invoice_id in dict.fromkeys(line.invoice_id for line in lines):
            invoice = self.invoices[invoice_id]
            if invoice.discount_bp and invoice.discount_until and payment.received_date <= invoice.discount_until:
                self.flush()
                note = discount_grant_locked(actor=self.actor, customer=payment.customer, invoice=invoice,
                                             payment=payment, on=on)
                if note is not None:
                    self.relieved[invoice.pk] = self.relieved.get(invoice.pk, 0) + note.gross_base_minor
        return lines

    def flush(self) -> None:
        """Write what was recorded and allocated since the last flush: the payments (as they stand after their
        allocations), then the allocations; the entries of both in one ``journal_write_many`` and their events in
        one ``audit_batch_append``, the payments' first (ids, entries and events in the order two writes gave)."""
        recorded, self.recorded = self.recorded, []
        pending, self.pending = self.pending, []
        if not recorded and not pending:
            return
        now = timezone.now()
        specs = [
            EntrySpec(company=payment.company, customer=payment.customer, on=payment.received_date,
                      kind=EntryKind.PAYMENT, memo=self.payment_memo(payment.number), sources={"payment": payment},
                      lines=postings.payment_lines(amount=payment.amount_base_minor,
                                                   to_notes=payment.method in BILL_METHODS,
                                                   charge=payment.charge_base_minor))
            for payment, _snapshot in recorded
        ]
        insert_instances(Payment, [payment for payment, _snapshot in recorded], now, reserved=True)
        self._write_allocations(pending, now)
        owners = []
        for allocated in pending:
            if allocated.cash_base_minor or allocated.receivable_base_minor:
                # A few won or Hong Kong cents can be worth less than a fen: then there is no entry (as single)
                payment, invoice = allocated.payment, allocated.invoice
                specs.append(EntrySpec(
                    company=payment.company, customer=payment.customer, on=allocated.on, kind=EntryKind.ALLOCATION,
                    memo=self.allocation_memo(payment.number, invoice.number),
                    sources={"allocation": allocated, "invoice": invoice, "payment": payment},
                    lines=postings.allocation_lines(cash=allocated.cash_base_minor,
                                                    receivable=allocated.receivable_base_minor)))
                owners.append(allocated.pk)
        entries = journal_write_many(specs, actor=self.actor)
        sealed = dict(zip(owners, entries[len(recorded):], strict=True))
        label = Allocation._meta.label_lower
        audit_batch_append(self.batch, [
            *(BatchEvent(AuditAction.PAYMENT_RECORDED, payment, after=snapshot, seals=journal_seals(entry))
              for (payment, snapshot), entry in zip(recorded, entries[:len(recorded)], strict=True)),
            *(BatchEvent(AuditAction.PAYMENT_ALLOCATED,
                         SubjectRef(label, allocated.pk, Allocation.__str__(allocated)),  # type: ignore[arg-type]
                         before=allocated.before, after=allocated.after,
                         seals=journal_seals(sealed[allocated.pk]) if allocated.pk in sealed else None)
              for allocated in pending),
        ])
        update_column(Invoice, "amount_open_minor",
                      {pk: invoice.amount_open_minor for pk, invoice in self.touched_invoices.items()})
        self.count += len(pending)
        self.touched_invoices = {}

    def _write_allocations(self, pending: list[_Allocated], now: datetime) -> None:
        """Insert the ``pending`` allocations, each given its id first (their entries and events name it)."""
        if not pending:
            return
        created_by = getattr(user_or_none(self.actor), "pk", None)
        day = connection.ops.adapt_datefield_value
        rows = []
        for allocated, pk in zip(pending, reserve_ids(Allocation, len(pending)), strict=True):
            allocated.pk = pk
            payment = allocated.payment
            self.first_allocation.setdefault(payment.pk, pk)
            rows.append((pk, payment.company_id, allocated.invoice.pk, payment.pk, allocated.amount_minor,
                         day(allocated.on), allocated.receivable_base_minor, allocated.cash_base_minor, created_by))
        Table(Allocation, _ALLOCATION_COLUMNS, now).write(rows)


# ---------------------------------------------------------------- shared steps


def _invoice_payload(item: InvoiceInput) -> dict[str, Any]:
    return invoice_payload(
        customer=item.customer, issue_date=item.issue_date, net_minor=item.net_minor, tax_minor=item.tax_minor,
        number=item.number, due_date=item.due_date, currency=item.currency, contract=item.contract,
        vat_invoice_number=item.vat_invoice_number, description=item.description, discount_bp=item.discount_bp,
        discount_until=item.discount_until)


def _payment_payload(item: PaymentInput) -> dict[str, Any]:
    return payment_payload(
        customer=item.customer, received_date=item.received_date, amount_minor=item.amount_minor,
        currency=item.currency, method=item.method, number=item.number, bill_number=item.bill_number,
        bill_maturity_date=item.bill_maturity_date, payer_name=item.payer_name, bank_reference=item.bank_reference,
        auto_allocate=False, charge_minor=item.charge_minor, contract=item.contract)


def _not_yet_done(scope: str, keyed: list[tuple[str | None, dict[str, Any]]]) -> tuple[list[int], int, dict[int, str]]:
    """The inputs to write (their indexes), how many an idempotency key answers already, and each keyed input's
    payload fingerprint. The same key with other data is refused, as ``idempotent`` does."""
    keys = [key for key, _payload in keyed if key]
    known = dict(IdempotencyRecord.objects.filter(Among(F("key"), keys), scope=scope).order_by()  # no sort of a lookup
                 .values_list("key", "fingerprint")) if keys else {}  # no keys: no query to build
    todo, skipped, digests = [], 0, {}
    for index, (key, payload) in enumerate(keyed):
        if key:
            digest = fingerprint(payload)
            if key in known:
                if known[key] != digest:
                    raise Conflict(_("The idempotency key %(key)s was already used with different data.")
                                   % {"key": key}, field="idempotency_key", code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
                                   index=index)
                skipped += 1
                continue
            known[key] = digest
            digests[index] = digest
        todo.append(index)
    return todo, skipped, digests


def _remember(scope: str, rows: list[tuple[str | None, str | None, int]]) -> None:
    Table(IdempotencyRecord, ["scope", "key", "fingerprint", "object_id"], timezone.now()).write(
        [(scope, key, digest, object_id) for key, digest, object_id in rows if key and digest])


def _lock_customers(ids: set[int]) -> dict[int, Customer]:
    """The customers, locked in primary-key order: the first lock of every document (ADR 0003)."""
    locked = customer_qs_for_update().filter(Among(F("pk"), sorted(ids))).order_by("pk").select_related("company")
    return {customer.pk: customer for customer in locked}


def _numbers(model: type[Invoice] | type[Payment], series: str, label: str, customers: dict[int, Customer],
             rows: list[tuple[int, int, str | None]]) -> dict[int, str]:
    """Each row's document number: its own, else the next of the gap-free ``series`` (a range taken in one step,
    in row order). A number already used, or twice in the call, is refused with the row named."""
    by_company: dict[int, Company] = {}
    wanted: dict[int, list[int]] = defaultdict(list)
    numbers: dict[int, str] = {}
    for index, customer_id, number in rows:
        company = customers[customer_id].company
        by_company[company.pk] = company
        if (number or "").strip():
            numbers[index] = (number or "").strip()
        else:
            wanted[company.pk].append(index)
    for company_id, indexes in wanted.items():
        numbers.update(zip(indexes, sequence_take(company=by_company[company_id], series=series,
                                                  count=len(indexes)), strict=True))
    taken = {number for among in Among.chunked("number", numbers.values())
             for number in model._default_manager.filter(among, company_id__in=list(by_company))
                .order_by().values_list("number", flat=True)}
    counts = Counter(numbers.values())
    seen: set[str] = set()
    for index, *_rest in rows:
        number = numbers[index]
        if number in taken or (counts[number] > 1 and number in seen):
            raise DuplicateNumber(_("%(label)s number %(number)s already exists.") % {"label": label,
                                                                                        "number": number},
                                  field="number", index=index)
        seen.add(number)
    return numbers


class _Rates:
    """``exchange_rate_on`` once per currency and day of a call."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, date], Decimal] = {}

    def on(self, currency: str, day: date) -> Decimal:
        if (currency, day) not in self.known:
            self.known[currency, day] = exchange_rate_on(currency, day)
        return self.known[currency, day]


def _rounds(rows: list[Any], *, key: Any) -> list[list[Any]]:
    """``rows`` in rounds: the n-th row of each key in round n, each round in row order."""
    seen: Counter[Any] = Counter()
    rounds: list[list[Any]] = []
    for row in rows:
        n = seen[key(row)]
        seen[key(row)] += 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(row)
    return rounds
