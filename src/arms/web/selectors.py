"""Reads the pages need beyond the apps' own selectors: the home totals and the customer list's amounts.

Both start from ``customers_visible_to``, so sales staff see figures for their own customers only.
Each is a handful of aggregate queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from arms.customers.models import Customer
from arms.customers.selectors import customer_list, customers_visible_to
from arms.domain.money import BASE_CURRENCY
from arms.ledger.models import Invoice, Payment

if TYPE_CHECKING:
    from arms.common.typing import Viewer


@dataclass
class CurrencyTotals:
    """Receivable figures of one currency, in its minor units."""

    currency: str
    open_minor: int = 0
    overdue_minor: int = 0
    unapplied_minor: int = 0
    open_count: int = 0
    overdue_count: int = 0


@dataclass
class HomeTotals:
    customer_count: int
    currencies: list[CurrencyTotals] = field(default_factory=list)

    @property
    def base(self) -> CurrencyTotals:
        """The base currency's figures (zero when nothing is open in it)."""
        for totals in self.currencies:
            if totals.currency == BASE_CURRENCY:
                return totals
        return CurrencyTotals(BASE_CURRENCY)

    @property
    def foreign(self) -> list[CurrencyTotals]:
        return [totals for totals in self.currencies if totals.currency != BASE_CURRENCY]


def home_totals(*, user: Viewer, today: date) -> HomeTotals:
    """Open receivables, overdue, unapplied cash per currency, and the customer count the user may see."""
    visible = customers_visible_to(user)
    by_currency: dict[str, CurrencyTotals] = {}
    overdue = Q(due_date__lt=today)
    for row in (Invoice.objects.filter(customer__in=visible, amount_open_minor__gt=0).values("currency")
                .annotate(open=Sum("amount_open_minor"), overdue=Sum("amount_open_minor", filter=overdue),
                          open_count=Count("id"), overdue_count=Count("id", filter=overdue))):
        by_currency[row["currency"]] = CurrencyTotals(
            row["currency"], open_minor=row["open"], overdue_minor=row["overdue"] or 0,
            open_count=row["open_count"], overdue_count=row["overdue_count"],
        )
    for row in (Payment.objects.filter(customer__in=visible, amount_unallocated_minor__gt=0).values("currency")
                .annotate(unapplied=Sum("amount_unallocated_minor"))):
        by_currency.setdefault(row["currency"], CurrencyTotals(row["currency"])).unapplied_minor = row["unapplied"]
    ordered = sorted(by_currency.values(), key=lambda t: (t.currency != BASE_CURRENCY, t.currency))
    return HomeTotals(customer_count=visible.count(), currencies=ordered)


def most_overdue_invoices(*, user: Viewer, today: date, limit: int = 10) -> QuerySet[Invoice]:
    """The open invoices longest past due, for the home page's worklist."""
    return (Invoice.objects.filter(customer__in=customers_visible_to(user), amount_open_minor__gt=0,
                                   due_date__lt=today)
            .select_related("customer").order_by("due_date", "id")[:limit])


def customer_list_with_amounts(*, user: Viewer, today: date, **filters: Any) -> QuerySet[Customer]:
    """``customer_list`` with each customer's open and overdue amounts in its own currency.

    ``other_currency_open`` is true when the customer also owes in another currency, which the list
    flags rather than adding amounts of different currencies together.
    """
    open_items = Invoice.objects.filter(customer=OuterRef("pk"), currency=OuterRef("currency"), amount_open_minor__gt=0)

    def total(qs: QuerySet[Invoice]) -> Coalesce:
        return Coalesce(
            Subquery(qs.values("customer").annotate(total=Sum("amount_open_minor")).values("total")[:1],
                     output_field=BigIntegerField()),
            Value(0),
        )

    return customer_list(user=user, **filters).annotate(
        open_minor=total(open_items),
        overdue_minor=total(open_items.filter(due_date__lt=today)),
        other_currency_open=Exists(
            Invoice.objects.filter(customer=OuterRef("pk"), amount_open_minor__gt=0)
            .exclude(currency=OuterRef("currency"))
        ),
    )


def customer_totals(customer_ids: QuerySet[Customer, Any], *, today: date) -> list[dict[str, Any]]:
    """The customer list's totals over every filtered customer (not the page): per currency, what the list's
    "Open amount" and "Overdue" columns add up to (each customer's amounts in its own currency)."""
    rows = (Invoice.objects.filter(customer__in=customer_ids, amount_open_minor__gt=0,
                                   currency=F("customer__currency"))
            .values("currency").annotate(open_minor=Sum("amount_open_minor"),
                                         overdue_minor=Sum("amount_open_minor", filter=Q(due_date__lt=today)),
                                         count=Count("customer_id", distinct=True))
            .order_by("currency"))
    return [{**row, "overdue_minor": row["overdue_minor"] or 0} for row in rows]
