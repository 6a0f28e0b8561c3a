"""import_file: check a whole file, then create every row through the real services in one transaction.

1. Check: stream every row, parse it, look its references up (a batch at a time) and collect every
   error. Any error -> ``ImportInvalid`` listing them all, and nothing is written.
2. Write: stream the rows again inside ONE transaction, check each again (the database may have moved
   since), and create them: invoices and payments (with their allocations) through the bulk path
   (``arms.ledger.services.bulk``, ``BULK_ROWS`` rows a call, the same rules as the single services), customers
   and contracts through customer_create / contract_create. Every document gets its journal entry and its audit
   event, in the run's own audit sub-chain. A refusal undoes the whole transaction and is reported against its row.
3. Record an ``ImportRun`` and its one event in the global audit chain, which seals the sub-chain, in the same
   transaction: the chain's head is locked only for that last step, so other users never wait for an import.

A row whose natural key already exists with the same content is skipped, so importing a file twice
creates nothing the second time. The services get idempotency keys derived from the natural key.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_batch_anchor, audit_batch_open
from arms.common.actors import user_or_none
from arms.common.collector import older_objects_frozen
from arms.common.errors import ArmsError, ValidationFailed
from arms.contracts.services import contract_create
from arms.customers.services import company_ensure, customer_create
from arms.imports.checks import CHECKS
from arms.imports.columns import KINDS
from arms.imports.errors import ImportInvalid, ImportUnreadable, RowError
from arms.imports.models import ImportRun
from arms.imports.readers import Table
from arms.imports.validate import References, RowCells, checked_rows
from arms.ledger.models import Invoice
from arms.ledger.services import invoice_post, payment_allocate, payment_record
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.bulk import (
    BulkAllocation,
    InvoiceInput,
    PaymentInput,
    invoices_post_bulk,
    payments_record_bulk,
)

if TYPE_CHECKING:
    from arms.audit.models import AuditBatch
    from arms.common.typing import Actor
    from arms.customers.models import Company

#: how often (in rows) the progress callback hears from a long import.
PROGRESS_EVERY = 200

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int
    created: int
    skipped: int
    dry_run: bool
    run_id: int | None = None


def _key(company: Company, kind: str, natural_key: str) -> str:
    return f"import:{company.code}:{kind}:{natural_key}"


def _write_customer(values: dict[str, Any], actor: Actor, company: Company) -> None:
    customer_create(actor=actor, company=company, idempotency_key=_key(company, "customer", values["code"]),
                    **values)


def _write_contract(values: dict[str, Any], actor: Actor, company: Company) -> None:
    contract_create(actor=actor, idempotency_key=_key(company, "contract", values["number"]), **values)


def _write_invoice(values: dict[str, Any], actor: Actor, company: Company) -> None:
    invoice_post(actor=actor, idempotency_key=_key(company, "invoice", values["number"]), **values)


def _write_payment(values: dict[str, Any], actor: Actor, company: Company) -> None:
    """Record the payment; with an invoice named, allocate to it up to its open amount (the rest stays unapplied)."""
    target = values["allocate_to"]
    key = _key(company, "payment", values["number"])
    payment = payment_record(actor=actor, idempotency_key=key,
                             **{name: value for name, value in values.items() if name != "allocate_to"})
    if target is None:
        return
    amount = min(payment.amount_minor, Invoice.objects.get(pk=target.pk).amount_open_minor)
    if amount > 0:
        payment_allocate(actor=actor, payment=payment, lines=[AllocationRequest(target.pk, amount)],
                         on=payment.received_date, idempotency_key=key)


#: the service call that creates a checked row of each kind (its keyword arguments are the row's ``write``).
WRITERS: dict[str, Callable[[dict[str, Any], Actor, Company], None]] = {
    "customers": _write_customer,
    "contracts": _write_contract,
    "invoices": _write_invoice,
    "payments": _write_payment,
}

#: a service names the field it refuses; these are the columns that carry them.
_FIELD_COLUMNS = {
    "code": "code", "name": "name", "uscc": "uscc", "number": "number", "customer": "customer_code",
    "contract": "contract_number", "currency": "currency", "net_minor": "net", "tax_minor": "tax",
    "amount_minor": "amount", "due_date": "due_date", "end_date": "end_date", "method": "method",
    "bill_number": "bill_number", "bill_maturity_date": "bill_maturity_date", "lines": "invoice_number",
    "salesperson": "salesperson", "collector": "collector",
}


#: the kinds written through the bulk path (arms.ledger.services.bulk), this many rows a call
BULK_KINDS = ("invoices", "payments")
BULK_ROWS = 5000


class _BulkWriter:
    """Collects checked rows and writes them through the bulk path a batch at a time, in file order; a refusal is
    reported against the row it names (``details["index"]``), and stops the writing (nothing is kept)."""

    def __init__(self, kind: str, actor: Actor, company: Company, batch: AuditBatch) -> None:
        self.kind, self.actor, self.company, self.batch = kind, actor, company, batch
        self.rows: list[RowCells] = []

    def add(self, row: RowCells, errors: list[RowError]) -> int:
        self.rows.append(row)
        return self.flush(errors) if len(self.rows) >= BULK_ROWS else 0

    def flush(self, errors: list[RowError]) -> int:
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        try:
            if self.kind == "invoices":
                result = invoices_post_bulk(actor=self.actor, audit_batch=self.batch, invoices=[
                    InvoiceInput(**row.write, idempotency_key=_key(self.company, "invoice", row.write["number"]))
                    for row in rows if row.write is not None])
            else:
                result = payments_record_bulk(actor=self.actor, audit_batch=self.batch, payments=[
                    _payment_input(row.write, self.company) for row in rows if row.write is not None])
        except ArmsError as exc:
            errors.append(_refusal(rows[int(exc.details.get("index", 0))], self.kind, exc))
            return 0
        return len(result.created_ids)


def _payment_input(values: dict[str, Any], company: Company) -> PaymentInput:
    """The payment of a row; with an invoice named, allocated to it up to its open amount (the rest unapplied)."""
    target = values["allocate_to"]
    return PaymentInput(
        **{name: value for name, value in values.items() if name != "allocate_to"},
        idempotency_key=_key(company, "payment", values["number"]),
        allocations=(BulkAllocation(target.pk),) if target is not None else ())


def _refusal(row: RowCells, kind: str, exc: ArmsError) -> RowError:
    column = _FIELD_COLUMNS.get((exc.field or "").split("[")[0], "code" if kind == "customers" else "number")
    return RowError(row.line, row.header.label(column), exc.message)


def _tick(progress: Progress | None, stage: str, done: int, total: int | None, *, last: bool = False) -> None:
    if progress is not None and (last or done % PROGRESS_EVERY == 0):
        progress(stage, done, total)


@older_objects_frozen()
def import_file(*, kind: str, file: BinaryIO, filename: str, actor: Actor = None, dry_run: bool = False,
                progress: Progress | None = None, encoding: str = "") -> ImportResult:
    """Import a CSV or XLSX file of ``kind``; all rows or none. ``dry_run`` checks and writes nothing.

    ``encoding`` names a CSV file's encoding (one of ``readers.ENCODINGS``) instead of detecting it.
    """
    if kind not in KINDS:
        raise ValidationFailed(_("Unknown import kind %(kind)s; use one of %(kinds)s.")
                               % {"kind": kind, "kinds": ", ".join(KINDS)}, field="kind")
    table = Table(file, filename, encoding)
    company = company_ensure()
    errors: list[RowError] = []
    rows = to_create = 0
    fixed_width = table.format == "csv"
    for row in checked_rows(kind, table.rows(), References(company), CHECKS[kind], fixed_width=fixed_width):
        rows += 1
        errors.extend(row.errors)
        to_create += row.write is not None
        _tick(progress, "check", rows, None)
    _tick(progress, "check", rows, rows, last=True)
    if errors:
        raise ImportInvalid(errors)
    if rows == 0:
        raise ImportUnreadable(_("The file has a header but no data rows: there is nothing to import."))
    if dry_run:
        return ImportResult(kind, rows, to_create, rows - to_create, dry_run=True)

    with transaction.atomic(durable=True):
        batch = audit_batch_open(actor=actor, source=f"import {kind} {os.path.basename(filename)}")
        writer = _BulkWriter(kind, actor, company, batch) if kind in BULK_KINDS else None
        done = created = 0
        for row in checked_rows(kind, table.rows(), References(company), CHECKS[kind], fixed_width=fixed_width):
            done += 1
            errors.extend(row.errors)
            if row.write is not None and not errors:
                if writer is not None:
                    created += writer.add(row, errors)
                else:
                    try:
                        WRITERS[kind](row.write, actor, company)
                        created += 1
                    except ArmsError as exc:
                        errors.append(_refusal(row, kind, exc))
            _tick(progress, "write", done, rows)
        if writer is not None and not errors:
            created += writer.flush(errors)
        if errors:
            raise ImportInvalid(errors)
        run = ImportRun.objects.create(
            kind=kind, filename=os.path.basename(filename)[:255], sha256=table.sha256, rows=done, created=created,
            skipped=done - created, user=user_or_none(actor),
        )
        # the run's one event in the global chain, sealing the sub-chain of every document it wrote: the only
        # moment the import locks the chain's head (ADR "h1: audit sub-chains for bulk writes")
        audit_batch_anchor(batch, action=AuditAction.IMPORT_COMPLETED, subject=run,
                           after={"kind": kind, "filename": run.filename, "sha256": run.sha256, "rows": run.rows,
                                  "created": run.created, "skipped": run.skipped})
    _tick(progress, "write", done, rows, last=True)
    return ImportResult(kind, done, created, done - created, dry_run=False, run_id=run.pk)
