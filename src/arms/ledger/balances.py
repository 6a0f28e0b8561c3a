"""Every customer's closing balance on a day, set-based: the figure a statement (对账单) closes with, for many
customers at once.

A customer's balance at the end of day D is what ``selectors.customer_statement`` shows as the closing balance:
invoices issued on or before D, less credit notes and payments dated on or before D, plus payments reversed on
or before D. Here it is four grouped sums over the whole book (one per document kind, each one index range or
table scan), never a query or a model instance per customer: the sales–finance reconciliation snapshots a month's
balances and the confirmation coverage report reads them for 100k customers.

Each row carries the balance in the document currency (``balance_minor``) and in CNY fen at the documents'
posting rates (``balance_base_minor``): the base figure adds up across currencies for shares and totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum

from arms.ledger.enums import PaymentStatus
from arms.ledger.models import CreditNote, Invoice, Payment


@dataclass
class Balance:
    customer_id: int
    currency: str
    balance_minor: int = 0
    balance_base_minor: int = 0


def _sums(qs: QuerySet[Any], amount: str, base: str) -> Iterable[tuple[int, str, int, int]]:
    rows = qs.order_by().values("customer_id", "currency").annotate(total=Sum(amount), base=Sum(base))
    for row in rows:
        yield row["customer_id"], row["currency"], row["total"] or 0, row["base"] or 0


def balances_as_of(as_of: date, *, customer_ids: Iterable[int] | QuerySet[Any] | None = None,
                   nonzero_only: bool = True) -> dict[tuple[int, str], Balance]:
    """``{(customer_id, currency): Balance}`` at the end of ``as_of``; only the customers of ``customer_ids``
    (a list or a ``values("pk")`` queryset) when given; balances of zero left out unless ``nonzero_only`` is
    False."""
    sources: list[QuerySet[Any]] = [
        Invoice.objects.filter(issue_date__lte=as_of),
        CreditNote.objects.filter(date__lte=as_of),
        Payment.objects.filter(received_date__lte=as_of),
        Payment.objects.filter(status=PaymentStatus.REVERSED, reversal_date__lte=as_of),
    ]
    if customer_ids is not None:
        sources = [qs.filter(customer_id__in=customer_ids) for qs in sources]
    invoices, notes, payments, reversals = sources
    result: dict[tuple[int, str], Balance] = {}
    for qs, amount, base, sign in ((invoices, "gross_minor", "gross_base_minor", 1),
                                   (notes, "gross_minor", "gross_base_minor", -1),
                                   (payments, "amount_minor", "amount_base_minor", -1),
                                   (reversals, "amount_minor", "amount_base_minor", 1)):
        for customer_id, currency, total, total_base in _sums(qs, amount, base):
            row = result.get((customer_id, currency))
            if row is None:
                row = result[(customer_id, currency)] = Balance(customer_id, currency)
            row.balance_minor += sign * total
            row.balance_base_minor += sign * total_base
    if nonzero_only:
        result = {key: row for key, row in result.items() if row.balance_minor or row.balance_base_minor}
    return result


def base_balance_by_customer(as_of: date, *,
                             customer_ids: Iterable[int] | QuerySet[Any] | None = None) -> dict[int, int]:
    """``{customer_id: CNY fen}`` at the end of ``as_of``, every currency added at its posting rates; zero left
    out."""
    totals: dict[int, int] = {}
    for row in balances_as_of(as_of, customer_ids=customer_ids, nonzero_only=False).values():
        totals[row.customer_id] = totals.get(row.customer_id, 0) + row.balance_base_minor
    return {customer_id: amount for customer_id, amount in totals.items() if amount}
