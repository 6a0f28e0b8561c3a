"""Reads of collection plans: lists, the open plans of customers (for the hand-over), receipts and tracking, the
variance per salesperson.

**Received** is defined once, here (``_receipts``): cash applied (allocations of payments, reversals negative)
on or after the plan's ``counts_from`` day to the plan's invoices in its currency — for a contract's plan the
invoices of that contract; for a customer's plan the customer's invoices that are not under a contract with an
approved or closed plan of its own (that contract's plan counts them). Credit notes and write-offs are not
receipts. A line is *covered* when the receipts, taken in line-date order, reach it; it is *behind* when its
date is past and it is not covered.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arms.accounts.names import person_name
from arms.collectionplans.enums import OPEN_STATUSES, PlanStatus
from arms.collectionplans.models import CollectionPlan, CollectionPlanLine
from arms.common.errors import NotFound
from arms.customers.selectors import customers_visible_to
from arms.domain.money import divide_half_up
from arms.ledger.models import Allocation

if TYPE_CHECKING:
    from arms.common.typing import Viewer

#: plans whose figures are tracked: approved ones, and closed ones (they were approved before)
TRACKED = (PlanStatus.APPROVED, PlanStatus.CLOSED)


def collection_plans_open(customer_ids: list[int]) -> QuerySet[CollectionPlan]:
    """The plans of ``customer_ids`` still being worked on: draft, submitted or approved (not closed, not
    cancelled), oldest first; the hand-over lists and moves these."""
    return (CollectionPlan.objects.filter(customer_id__in=customer_ids, status__in=OPEN_STATUSES)
            .select_related("customer", "contract", "owner").order_by("customer_id", "id"))


def plans_visible_to(user: Viewer | None) -> QuerySet[CollectionPlan]:
    """The plans of the customers ``user`` sees (a salesperson: their own customers); every plan for None (the
    CLI reading as the system)."""
    if user is None:
        return CollectionPlan.objects.all()
    return CollectionPlan.objects.filter(customer__in=customers_visible_to(user))


def collection_plan_list(*, user: Viewer | None, status: str = "", owner_id: int | None = None,
                         customer_id: int | None = None, search: str = "") -> QuerySet[CollectionPlan]:
    qs = plans_visible_to(user).select_related("customer", "contract", "owner").annotate(
        total_minor=Coalesce(Sum("lines__amount_minor"), 0), line_count=Count("lines"))
    if status:
        qs = qs.filter(status=status)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if search:
        qs = qs.filter(Q(customer__code__icontains=search) | Q(customer__name__icontains=search)
                       | Q(contract__number__icontains=search))
    return qs.order_by("-created_at", "-pk")


def collection_plan_get(*, user: Viewer, plan_id: int) -> CollectionPlan:
    found = plans_visible_to(user).select_related("customer", "contract", "owner", "submitted_by",
                                                  "decided_by").filter(pk=plan_id).first()
    if found is None:
        raise NotFound(_("No such collection plan."), field="plan_id")
    return found


# --- receipts ----------------------------------------------------------------------------------------------------


def _receipts(*, since: Any = None, until: Any = None) -> Case:
    """The receipts of the outer plan (``OuterRef``) as one SQL expression, optionally only those dated from
    ``since`` to ``until`` (inclusive; dates or expressions). The definition is the module docstring's."""
    cash = Allocation.objects.filter(payment__isnull=False, date__gte=OuterRef("counts_from"),
                                     invoice__currency=OuterRef("currency"))
    if since is not None:
        cash = cash.filter(date__gte=since)
    if until is not None:
        cash = cash.filter(date__lte=until)
    own_plan = CollectionPlan.objects.filter(contract_id=OuterRef("invoice__contract_id"), status__in=TRACKED)
    of_contract = cash.filter(invoice__contract_id=OuterRef("contract_id"))
    of_customer = cash.filter(invoice__customer_id=OuterRef("customer_id")).filter(
        Q(invoice__contract__isnull=True) | ~Exists(own_plan))

    def total(qs: QuerySet[Allocation]) -> Coalesce:
        return Coalesce(Subquery(qs.order_by().values("invoice__currency").annotate(s=Sum("amount_minor"))
                                 .values("s")[:1], output_field=BigIntegerField()), Value(0))

    return Case(When(contract__isnull=True, then=total(of_customer)), default=total(of_contract),
                output_field=BigIntegerField())


def _expected(*, since: Any = None, until: Any = None, before: Any = None) -> Coalesce:
    lines = CollectionPlanLine.objects.filter(plan_id=OuterRef("pk"))
    if since is not None:
        lines = lines.filter(expected_date__gte=since)
    if until is not None:
        lines = lines.filter(expected_date__lte=until)
    if before is not None:
        lines = lines.filter(expected_date__lt=before)
    return Coalesce(Subquery(lines.order_by().values("plan_id").annotate(s=Sum("amount_minor")).values("s")[:1],
                             output_field=BigIntegerField()), Value(0))


def plan_received(plan: CollectionPlan, *, until: date | None = None) -> int:
    """The plan's receipts, all of them or up to ``until``."""
    row = CollectionPlan.objects.filter(pk=plan.pk).annotate(r=_receipts(until=until)).values("r").first()
    return int(row["r"]) if row else 0


@dataclass
class LineTrack:
    line: CollectionPlanLine
    covered_minor: int
    state: str  # covered | partly | behind | upcoming

    @property
    def uncovered_minor(self) -> int:
        return self.line.amount_minor - self.covered_minor

    @property
    def state_label(self) -> str:
        return str(LINE_STATES[self.state])


LINE_STATES = {"covered": gettext_lazy("Covered"), "partly": gettext_lazy("Partly covered"),
               "behind": gettext_lazy("Behind"), "upcoming": gettext_lazy("Not yet due")}


@dataclass
class MonthTrack:
    month: date
    expected_minor: int
    received_minor: int

    @property
    def variance_minor(self) -> int:
        return self.received_minor - self.expected_minor


@dataclass
class PlanTrack:
    plan: CollectionPlan
    today: date
    received_minor: int
    lines: list[LineTrack] = field(default_factory=list)
    months: list[MonthTrack] = field(default_factory=list)

    @property
    def expected_minor(self) -> int:
        return sum(t.line.amount_minor for t in self.lines)

    @property
    def variance_minor(self) -> int:
        return self.received_minor - self.expected_minor

    @property
    def behind(self) -> bool:
        return any(t.state == "behind" for t in self.lines)


def _cover(lines: list[CollectionPlanLine], received: int, today: date) -> list[LineTrack]:
    left = received
    tracks = []
    for line in sorted(lines, key=lambda x: (x.expected_date, x.pk)):
        covered = max(0, min(line.amount_minor, left))
        left -= covered
        if covered == line.amount_minor:
            state = "covered"
        elif line.expected_date < today:
            state = "behind"
        else:
            state = "partly" if covered else "upcoming"
        tracks.append(LineTrack(line, covered, state))
    return tracks


def _month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def plan_track(plan: CollectionPlan, *, today: date) -> PlanTrack:
    """The plan's lines with what covers them, and its months: expected, received, variance."""
    lines = list(plan.lines.select_related("invoice", "milestone").order_by("expected_date", "pk"))
    received = plan_received(plan)
    track = PlanTrack(plan, today, received, _cover(lines, received, today))
    first = plan.counts_from.replace(day=1)
    last = max([today.replace(day=1), *(line.expected_date.replace(day=1) for line in lines)])
    cash = {row["month"]: int(row["r"]) for row in _monthly_receipts(plan, first, _month_end(last))}
    month = first
    while month <= last:
        expected = sum(line.amount_minor for line in lines if line.expected_date.replace(day=1) == month)
        track.months.append(MonthTrack(month, expected, cash.get(month, 0)))
        month = _next_month(month)
    return track


def _monthly_receipts(plan: CollectionPlan, first: date, last: date) -> Iterator[dict[str, Any]]:
    """The plan's receipts of each month from ``first`` to ``last``: one query, a subquery per month."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _next_month(month)
    row = CollectionPlan.objects.filter(pk=plan.pk).annotate(**{
        f"m{i}": _receipts(since=m, until=_month_end(m)) for i, m in enumerate(months)}).values(
        *(f"m{i}" for i in range(len(months)))).first() or {}
    for i, m in enumerate(months):
        yield {"month": m, "r": int(row.get(f"m{i}") or 0)}


# --- behind ------------------------------------------------------------------------------------------------------


def behind_plans(*, today: date) -> QuerySet[CollectionPlan]:
    """Approved plans with a line past its date not covered: what was due before ``today`` exceeds what was
    received up to ``today``."""
    return (CollectionPlan.objects.filter(status=PlanStatus.APPROVED)
            .annotate(due_minor=_expected(before=today), received_minor=_receipts(until=today))
            .filter(due_minor__gt=F("received_minor")))


def behind_lines(*, today: date) -> Iterator[tuple[CollectionPlan, list[CollectionPlanLine]]]:
    """Each behind plan with its behind lines (the daily task tells the owner of these)."""
    for plan in behind_plans(today=today).select_related("customer", "owner").order_by("pk").iterator(
            chunk_size=500):
        lines = list(plan.lines.order_by("expected_date", "pk"))
        received = int(plan.received_minor)  # type: ignore[attr-defined]  # the annotation of behind_plans
        behind = [t.line for t in _cover(lines, received, today) if t.state == "behind"]
        if behind:
            yield plan, behind


# --- the variance per salesperson --------------------------------------------------------------------------------


@dataclass
class OwnerVariance:
    owner_id: int
    owner_name: str
    currency: str
    plans: int = 0
    planned_minor: int = 0
    received_minor: int = 0
    plans_behind: int = 0

    @property
    def variance_minor(self) -> int:
        return self.received_minor - self.planned_minor

    @property
    def achieved_bp(self) -> int | None:
        return divide_half_up(self.received_minor * 10000, self.planned_minor) if self.planned_minor > 0 else None


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, _month_end(first)


def variance_by_owner(*, user: Viewer | None, month: date, today: date,
                      owner_id: int | None = None) -> list[OwnerVariance]:
    """Per owner (and currency) of approved or closed plans visible to ``user``: planned in ``month`` (lines dated
    in it), received in it, the variance, % achieved and how many plans were behind at the month's end (or today,
    if sooner). One query over the plans, summed per owner here: no model instance per plan."""
    first, last = month_bounds(month)
    as_of = min(today, last)
    qs = plans_visible_to(user).filter(status__in=TRACKED, counts_from__lte=last)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    rows = qs.annotate(planned=_expected(since=first, until=last), received=_receipts(since=first, until=last),
                       due_before=_expected(before=as_of), received_to=_receipts(until=as_of)).values(
        "owner_id", "currency", "planned", "received", "due_before", "received_to").order_by()
    table: dict[tuple[int, str], OwnerVariance] = {}
    for row in rows.iterator(chunk_size=2000):
        if not row["planned"] and not row["received"]:
            continue
        key = (row["owner_id"], row["currency"])
        entry = table.setdefault(key, OwnerVariance(row["owner_id"], "", row["currency"]))
        entry.plans += 1
        entry.planned_minor += int(row["planned"])
        entry.received_minor += int(row["received"])
        entry.plans_behind += int(row["due_before"] > row["received_to"])
    owners = get_user_model().objects.in_bulk({entry.owner_id for entry in table.values()})
    for entry in table.values():
        entry.owner_name = person_name(owners.get(entry.owner_id))
    return sorted(table.values(), key=lambda e: (e.variance_minor, e.owner_name, e.currency))
