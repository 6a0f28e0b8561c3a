"""What an incentive scheme reads: the schemes, and the items behind every figure of a payout sheet.

Collections are credited to whoever was responsible for the customer on the day the cash was applied
(``customers.CustomerAssignment``: role, user, valid_from <= day < valid_to); a customer with no history rows for
the role falls back to its current salesperson or collector. One grouped query per role, a correlated subquery
per row (no IN list of customers, no model instance per row). The items past due are credited the same way on the
month's last day. 回收率 and 催收成功率 are analytics' own (``arms.analytics.recovery``), grouped by the customers'
current owner as the team page groups them; the drill-down lists the invoices those queries measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    Expression,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext as _

from arms.analytics.recovery import RateParts, dunning_parts, grace_days, recovery_parts
from arms.common.errors import NotFound
from arms.customers.models import Company, Customer, CustomerAssignment
from arms.domain import kpi as formulas
from arms.domain.terms import month_end
from arms.incentives.models import IncentiveRating, IncentiveScheme, PayoutLine, SchemeMember
from arms.ledger.balances import open_items_as_of
from arms.ledger.models import Allocation, Invoice


def period_bounds(scheme: IncentiveScheme) -> tuple[date, date]:
    return scheme.period, month_end(scheme.period)


def scheme_list(*, company: Company) -> QuerySet[IncentiveScheme]:
    return (IncentiveScheme.objects.filter(company=company).select_related("computed_by", "approved_by")
            .annotate(member_count=Count("members", distinct=True)).order_by("-period", "-id"))


def scheme_get(*, company: Company, scheme_id: int) -> IncentiveScheme:
    scheme = (IncentiveScheme.objects.filter(company=company, pk=scheme_id)
              .select_related("created_by", "updated_by", "computed_by", "approved_by").first())
    if scheme is None:
        raise NotFound(_("No such incentive scheme."), field="scheme_id")
    return scheme


def members_of(scheme: IncentiveScheme) -> QuerySet[SchemeMember]:
    return SchemeMember.objects.filter(scheme=scheme).select_related("user")


def lines_of(scheme: IncentiveScheme) -> QuerySet[PayoutLine]:
    return PayoutLine.objects.filter(scheme=scheme).select_related("user")


def ratings_of(scheme: IncentiveScheme) -> QuerySet[IncentiveRating]:
    return IncentiveRating.objects.filter(scheme=scheme).select_related("rater", "ratee")


def responsible(role: str, *, day: Any, customer: Any) -> Expression:
    """The id of whoever was responsible for ``customer`` (an OuterRef to a customer id) as ``role`` on ``day``
    (an OuterRef or a Value): the assignment row covering the day; the customer's current ``role`` when it has no
    history rows for the role at all; None when it has rows but none covers the day."""
    covering = (CustomerAssignment.objects.filter(customer_id=customer, role=role, valid_from__lte=day)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day)).order_by("-valid_from").values("user_id")[:1])
    history = Exists(CustomerAssignment.objects.filter(customer_id=customer, role=role))
    current = Customer.objects.filter(pk=customer).values(f"{role}_id")[:1]
    return Case(When(history, then=Subquery(covering)), default=Subquery(current), output_field=IntegerField())


def cash_applied(*, company: Company, start: date, end: date, role: str) -> QuerySet[Any]:
    """Allocations of payments dated in the period (reversing rows included, credit notes and write-offs not),
    each annotated ``person``: who was responsible as ``role`` on the allocation's day. (Typed Any: the rows carry
    an annotation the model does not know.)"""
    applied = Allocation.objects.filter(company=company, payment__isnull=False, date__range=(start, end))
    annotated: QuerySet[Any] = applied.annotate(
        person=responsible(role, day=OuterRef("date"), customer=OuterRef("invoice__customer_id")))
    return annotated


def collections_by_person(*, company: Company, start: date, end: date, role: str) -> dict[int, int]:
    """Cash applied in the period (CNY fen, ``cash_base_minor``) per responsible person of ``role``."""
    rows = (cash_applied(company=company, start=start, end=end, role=role).order_by().values("person")
            .annotate(total=Sum("cash_base_minor")).values_list("person", "total"))
    return {person: int(total or 0) for person, total in rows if person is not None}


def past_due(*, scheme: IncentiveScheme, role: str) -> QuerySet[Any]:
    """Invoices open at the month's end more than ``scheme.overdue_days`` past due, annotated ``person`` (who was
    responsible on the month's last day) and ``open_base_as_of`` (CNY fen)."""
    end = month_end(scheme.period)
    items = open_items_as_of(end).filter(customer__company=scheme.company,
                                         due_date__lt=end - timedelta(days=scheme.overdue_days))
    annotated: QuerySet[Any] = items.annotate(person=responsible(role, day=Value(end, output_field=DateField()),
                                                                 customer=OuterRef("customer_id")))
    return annotated


def past_due_by_person(*, scheme: IncentiveScheme, role: str) -> dict[int, tuple[int, int]]:
    """{person: (items, open CNY fen)} of the items past due at the month's end."""
    rows = (past_due(scheme=scheme, role=role).order_by().values("person")
            .annotate(items=Count("id"), total=Sum("open_base_as_of")).values_list("person", "items", "total"))
    return {person: (int(items), int(total or 0)) for person, items, total in rows if person is not None}


def rates_by_person(*, start: date, end: date, role: str) -> tuple[dict[int, RateParts], dict[int, RateParts]]:
    """回收率 and 催收成功率 per owner of ``role``: analytics' queries, not a second formula."""
    recovery = recovery_parts(start=start, end=end, group_by=role)
    dunning = dunning_parts(start=start, end=end, group_by=role)
    return ({k: v for k, v in recovery.items() if k is not None},
            {k: v for k, v in dunning.items() if k is not None})


def recovery_items(*, scheme: IncentiveScheme, user_id: int, role: str) -> QuerySet[Invoice]:
    """The invoices behind a person's 回收率: those of their customers whose collection deadline lies in the month
    (the set ``recovery_parts`` measures)."""
    start, end = period_bounds(scheme)
    window = formulas.due_dates_with_deadline_in(start, end, grace_days=grace_days())
    if window is None:
        return Invoice.objects.none()
    return (Invoice.objects.filter(customer__company=scheme.company, due_date__range=window,
                                   **{f"customer__{role}_id": user_id})
            .select_related("customer").order_by("due_date", "pk"))


def dunning_items(*, scheme: IncentiveScheme, user_id: int, role: str) -> QuerySet[Invoice]:
    """The invoices behind a person's 催收成功率: their customers' items open and past their deadline at the start
    of the month (the set ``dunning_parts`` measures)."""
    start, _end = period_bounds(scheme)
    first_on_time = formulas.first_due_date_for(start, grace_days=grace_days())
    customers = Customer.objects.filter(company=scheme.company, **{f"{role}_id": user_id})
    return (open_items_as_of(start - timedelta(days=1), customers=customers).filter(due_date__lt=first_on_time)
            .select_related("customer").order_by("due_date", "pk"))


@dataclass(frozen=True)
class Part:
    """One drill-down of a payout line: its code and the label people read."""

    code: str
    label: str


def drill_parts() -> list[Part]:
    return [Part("collections", _("Collections")), Part("recovery", _("Recovery rate (回收率)")),
            Part("dunning", _("Dunning success rate (催收成功率)")), Part("overdue", _("Items past due")),
            Part("ratings", _("Mutual ratings"))]


def drill_items(*, scheme: IncentiveScheme, user_id: int, role: str, part: str) -> QuerySet[Any]:
    """The rows behind one figure of a person's payout line."""
    start, end = period_bounds(scheme)
    if part == "collections":
        return (cash_applied(company=scheme.company, start=start, end=end, role=role).filter(person=user_id)
                .select_related("invoice", "invoice__customer", "payment").order_by("date", "pk"))
    if part == "recovery":
        return recovery_items(scheme=scheme, user_id=user_id, role=role)
    if part == "dunning":
        return dunning_items(scheme=scheme, user_id=user_id, role=role)
    if part == "overdue":
        return past_due(scheme=scheme, role=role).filter(person=user_id).select_related("customer").order_by(
            "due_date", "pk")
    return ratings_of(scheme).filter(ratee_id=user_id).order_by("rater_id")
