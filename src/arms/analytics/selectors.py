"""The reads analytics is built on: what was open on a past day, whose customers are in scope.

**Open as of a day.** An invoice's open amount on day D is its gross minus every allocation to it dated on or
before D (payments and credit notes; a reversing allocation counts, negative, on its own date). The ledger keeps
``invoice.amount_open = gross − Σ allocations`` on every row (``arms ledger check`` verifies it), so the same
figure is

    open_as_of(D) = amount_open_now + Σ allocations dated after D

which touches only today's open items and the invoices with an allocation after D (an index range on
``allocation.date``) instead of every invoice ever issued. Its CNY figure is the invoice's gross in CNY less the
receivable relieved (``receivable_base_minor``) by allocations dated on or before D, exactly what the 1122
receivables account shows on that day (``journal_receivables_as_of``; the tests prove the three agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from arms.accounts.roles import sees_all_customers
from arms.customers.models import Customer
from arms.customers.selectors import customers_visible_to
from arms.domain.journal import AccountCode

# the item-level core lives in the ledger (provisioning, below analytics, reads it too); re-exported here
from arms.ledger.balances import allocation_sum as allocation_sum
from arms.ledger.balances import open_items_as_of as open_items_as_of
from arms.ledger.models import Invoice, JournalLine

if TYPE_CHECKING:
    from arms.common.typing import Viewer


def open_items_reconstructed(as_of: date) -> QuerySet[Invoice]:
    """The same open items computed the long way (gross − allocations dated on or before ``as_of``), without
    relying on the stored open amount: the check that both ways agree (tests, ``arms analytics tie``)."""
    return (Invoice.objects.filter(issue_date__lte=as_of)
            .annotate(open_as_of=F("gross_minor") - allocation_sum("amount_minor", date__lte=as_of))
            .filter(open_as_of__gt=0)
            .annotate(open_base_as_of=F("gross_base_minor")
                      - allocation_sum("receivable_base_minor", date__lte=as_of)))


def journal_receivables_as_of(as_of: date, *, customers: QuerySet[Customer] | None = None) -> dict[str, int]:
    """The 1122 应收账款 balance (CNY fen, debit − credit) from journal lines dated on or before ``as_of``, split
    by the currency of the invoice each entry concerns."""
    qs = JournalLine.objects.filter(account__code=AccountCode.RECEIVABLES, entry__date__lte=as_of)
    if customers is not None:
        qs = qs.filter(customer__in=customers)
    result: dict[str, int] = {}
    for row in (qs.values("entry__invoice__currency")
                .annotate(debit=Sum("debit_minor"), credit=Sum("credit_minor")).order_by()):
        currency = row["entry__invoice__currency"] or ""
        result[currency] = result.get(currency, 0) + (row["debit"] or 0) - (row["credit"] or 0)
    return {currency: amount for currency, amount in result.items() if amount}


def open_totals_as_of(as_of: date, *, reconstructed: bool = False) -> dict[str, dict[str, int]]:
    """Per currency: {"open": minor, "base": CNY fen, "count": items} of the open items on ``as_of``."""
    qs = open_items_reconstructed(as_of) if reconstructed else open_items_as_of(as_of)
    result = {}
    for row in qs.order_by().values("currency").annotate(open=Sum("open_as_of"), base=Sum("open_base_as_of")):
        result[row["currency"]] = {"open": row["open"], "base": row["base"]}
    return result


@dataclass(frozen=True)
class Scope:
    """Whose receivables: everyone's the viewer may see, narrowed to a salesperson, a collector or a customer."""

    salesperson_id: int | None = None
    collector_id: int | None = None
    customer_id: int | None = None


def scoped_customers(*, user: Viewer | None = None, scope: Scope | None = None, region: str = "", industry: str = "",
                     grade: str = "") -> QuerySet[Customer]:
    """The customers in scope. ``user`` None means no visibility filter (management commands, tasks)."""
    qs = customers_visible_to(user) if user is not None else Customer.objects.all()
    qs = _narrow(qs, scope=scope, region=region, industry=industry, grade=grade)
    return qs


def customers_filter(*, user: Viewer | None = None, scope: Scope | None = None, region: str = "", industry: str = "",
                     grade: str = "") -> QuerySet[Customer] | None:
    """Like ``scoped_customers``, but None when nothing narrows the customers (everyone sees everything), so the
    queries that take it can leave the customer filter out altogether."""
    narrowed = (scope is not None and any([scope.salesperson_id, scope.collector_id, scope.customer_id])) \
        or region or industry or grade
    if not narrowed and (user is None or sees_all_customers(user)):
        return None
    return scoped_customers(user=user, scope=scope, region=region, industry=industry, grade=grade)


def customers_existing_on(customers: QuerySet[Customer], day: date) -> QuerySet[Customer]:
    """Those of ``customers`` that existed at the close of ``day``: created by then, or with an invoice issued by
    then (an import creates a customer today together with its past invoices)."""
    next_day = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return customers.filter(Q(created_at__lt=next_day)
                            | Q(pk__in=Invoice.objects.filter(issue_date__lte=day).values("customer_id")))


def _narrow(qs: QuerySet[Customer], *, scope: Scope | None, region: str, industry: str,
            grade: str) -> QuerySet[Customer]:
    if scope is not None:
        if scope.salesperson_id:
            qs = qs.filter(salesperson_id=scope.salesperson_id)
        if scope.collector_id:
            qs = qs.filter(collector_id=scope.collector_id)
        if scope.customer_id:
            qs = qs.filter(pk=scope.customer_id)
    if region:
        qs = qs.filter(region=region)
    if industry:
        qs = qs.filter(industry=industry)
    if grade:
        qs = filter_by_grade(qs, grade)
    return qs


UNRATED = "unrated"


def grades_available() -> bool:
    """True once the credit app's CreditProfile (customer.credit_profile) exists."""
    return any(f.name == "credit_profile" for f in Customer._meta.get_fields())


def grade_field() -> str | None:
    return "credit_profile__grade" if grades_available() else None


def filter_by_grade(qs: QuerySet[Customer], grade: str) -> QuerySet[Customer]:
    field = grade_field()
    if grade == UNRATED:
        if field is None:
            return qs
        return qs.filter(Q(credit_profile__isnull=True) | Q(**{field: ""}))
    if field is None:
        return qs.none()
    return qs.filter(**{field: grade})
