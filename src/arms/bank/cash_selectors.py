"""Reads of cash application: statement lines by status and the rows of the cash-application export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from arms.bank.models import LineApplication, PayerAlias, StatementLine
from arms.customers.models import Customer
from arms.domain.money import to_decimal
from arms.ledger.enums import ApprovalStatus
from arms.ledger.models import Allocation, Invoice, LedgerApproval, Payment

#: columns of ``arms cash export`` (the issue names them)
EXPORT_COLUMNS = ("line_ref", "status", "customer_code", "invoice_number", "amount", "confidence")


def line_list(*, status: str | None = None, account_id: int | None = None, date_from: date | None = None,
              date_to: date | None = None, company_id: int | None = None) -> QuerySet[StatementLine]:
    """Statement lines, newest first, filtered."""
    lines = StatementLine.objects.select_related("account", "customer", "payment")
    if company_id is not None:
        lines = lines.filter(account__company_id=company_id)
    if status:
        lines = lines.filter(status=status)
    if account_id is not None:
        lines = lines.filter(account_id=account_id)
    if date_from is not None:
        lines = lines.filter(booking_date__gte=date_from)
    if date_to is not None:
        lines = lines.filter(booking_date__lte=date_to)
    return lines.order_by("-booking_date", "-pk")


def alias_list(*, customer_id: int | None = None, kind: str | None = None) -> QuerySet[PayerAlias]:
    aliases = PayerAlias.objects.select_related("customer", "learned_from", "created_by")
    if customer_id is not None:
        aliases = aliases.filter(customer_id=customer_id)
    if kind:
        aliases = aliases.filter(kind=kind)
    return aliases.order_by("customer__code", "kind", "value")


def pending_approval_ids(line: StatementLine) -> list[int]:
    """The four-eyes approvals still waiting on the allocation of the line's receipts (a clerk's decision above the
    company's amount)."""
    own = StatementLine.objects.filter(pk=line.pk, payment__isnull=False).values_list("payment_id", flat=True)
    payment_ids = [*own, *LineApplication.objects.filter(line_id=line.pk).values_list("payment_id", flat=True)]
    if not payment_ids:
        return []
    return list(LedgerApproval.objects.filter(payment_id__in=payment_ids, status=ApprovalStatus.PENDING)
                .order_by("pk").values_list("pk", flat=True))


def export_rows(lines: QuerySet[StatementLine]) -> Iterator[tuple[str, str, str, str, Decimal, int]]:
    """One row per statement line and allocation: an applied line gives its live allocations (and what it left
    unapplied), a suggested one the allocations suggested, any other line one row with its amount. Read in chunks,
    a few queries per chunk."""
    chunk: list[StatementLine] = []
    for line in lines.select_related(None).prefetch_related("applications").iterator(chunk_size=1000):
        chunk.append(line)
        if len(chunk) == 1000:
            yield from _rows(chunk)
            chunk = []
    if chunk:
        yield from _rows(chunk)


def _rows(chunk: list[StatementLine]) -> Iterator[tuple[str, str, str, str, Decimal, int]]:
    payment_ids: dict[int, list[int]] = {}
    for line in chunk:
        ids = [line.payment_id] if line.payment_id else [a.payment_id for a in line.applications.all()]
        payment_ids[line.pk] = ids
    all_payments = [pk for ids in payment_ids.values() for pk in ids]
    live: dict[int, list[tuple[int, int]]] = {}
    for payment_id, invoice_id, amount in (
        Allocation.objects.filter(payment_id__in=all_payments, reverses__isnull=True, reversed_by__isnull=True)
        .order_by("pk").values_list("payment_id", "invoice_id", "amount_minor")
    ):
        live.setdefault(payment_id, []).append((invoice_id, amount))
    payments = {p.pk: p for p in Payment.objects.filter(pk__in=all_payments).only("pk", "customer_id",
                                                                                     "amount_minor", "charge_minor")}
    invoice_ids = {inv for allocations in live.values() for inv, _a in allocations}
    invoice_ids |= {a[0] for line in chunk for a in (line.match or {}).get("allocations", [])}
    numbers = dict(Invoice.objects.filter(pk__in=invoice_ids).values_list("pk", "number"))
    customer_ids = {line.customer_id for line in chunk} | {p.customer_id for p in payments.values()}
    codes = dict(Customer.objects.filter(pk__in=[c for c in customer_ids if c]).values_list("pk", "code"))
    for line in chunk:
        ref, status, currency = line.bank_reference, line.status, line.currency
        if payment_ids[line.pk]:
            for payment_id in payment_ids[line.pk]:
                payment = payments[payment_id]
                code = codes.get(payment.customer_id, "")
                used = 0
                for invoice_id, amount in live.get(payment_id, []):
                    used += amount
                    yield ref, status, code, numbers.get(invoice_id, ""), to_decimal(amount, currency), line.confidence
                if payment.amount_minor - used:
                    yield ref, status, code, "", to_decimal(payment.amount_minor - used, currency), line.confidence
        elif status == "suggested" and (line.match or {}).get("allocations"):
            code = codes.get(line.customer_id, "") if line.customer_id else ""
            used = 0
            for invoice_id, amount in line.match["allocations"]:
                used += amount
                yield ref, status, code, numbers.get(invoice_id, ""), to_decimal(amount, currency), line.confidence
            if line.amount_minor - used:
                yield ref, status, code, "", to_decimal(line.amount_minor - used, currency), line.confidence
        else:
            yield (ref, status, codes.get(line.customer_id, "") if line.customer_id else "", "",
                   to_decimal(line.amount_minor, currency), line.confidence)
