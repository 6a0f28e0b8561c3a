"""Read-only facts the dashboard and the monthly report show beside analytics' figures.

These are plain reads of the capability apps below reports (credit grades and review queues, exposure's holds,
collections' promises, disputes and lawyer's letters), each limited to a set of customers (the viewer's, or all
for the management report). Aging and KPIs are not computed here: they come from ``arms.analytics``.
Every app they read is always installed (ADR 0006), so an error in a read is a bug and raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from arms.cases.models import Activity, Dispute, PromiseToPay, Task
from arms.credit.models import CreditProfile, LimitChangeRequest, RatingProposal
from arms.customers.models import Customer
from arms.exposure.models import CreditHold
from arms.exposure.selectors import holds_in_force as in_force

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class GradeCount:
    grade: str
    count: int


def grade_mix(customers: QuerySet[Customer]) -> list[GradeCount]:
    """How many of ``customers`` are in each credit grade; "" = not yet rated."""
    counts = dict(CreditProfile.objects.filter(customer__in=customers).order_by().values_list("grade")
                  .annotate(n=Count("pk")).values_list("grade", "n"))
    unrated = customers.count() - sum(n for grade, n in counts.items() if grade)
    return [GradeCount(g, counts.get(g, 0)) for g in ("A", "B", "C", "D")] + [GradeCount("", unrated)]


@dataclass(frozen=True)
class ReviewQueue:
    reviews_due: int
    rating_proposals: int
    limit_requests: int


def review_queue(customers: QuerySet[Customer], *, today: date) -> ReviewQueue:
    """Credit files due for review, rating proposals and limit-change requests waiting for a decision."""
    return ReviewQueue(
        reviews_due=CreditProfile.objects.filter(customer__in=customers, next_review_on__lte=today).count(),
        rating_proposals=RatingProposal.objects.filter(customer__in=customers, status="pending").count(),
        limit_requests=LimitChangeRequest.objects.filter(customer__in=customers, status="pending").count(),
    )


def holds_in_force(customers: QuerySet[Customer], *, as_of: date, limit: int = 20) -> tuple[int, list[CreditHold]]:
    """Credit holds on ``customers`` in force at the close of ``as_of`` (placed by then, not released by then),
    oldest first, with the customer; ``(count, rows)``. A past day shows that day's holds, not today's."""
    qs = in_force(customers=customers, as_of=as_of).select_related("customer")
    return qs.count(), list(qs[:limit])


def promises_broken(customers: QuerySet[Customer], *, start: date, end: date,
                    limit: int = 20) -> tuple[int, list[PromiseToPay]]:
    """Promises to pay found broken between ``start`` and ``end``, largest shortfall first; ``(count, rows)``."""
    qs = PromiseToPay.objects.filter(customer__in=customers, status="broken", closed_on__range=(start, end))
    return qs.count(), list(qs.select_related("customer").order_by("-shortfall_minor", "promised_on", "pk")[:limit])


def promises_due(customers: QuerySet[Customer], *, today: date, days: int = 7,
                 limit: int = 20) -> tuple[int, list[PromiseToPay]]:
    """Open promises to pay falling due from today to ``days`` ahead (or already past and not yet checked)."""
    qs = PromiseToPay.objects.filter(customer__in=customers, status="open",
                                     promised_on__lte=today + timedelta(days=days))
    return qs.count(), list(qs.select_related("customer").order_by("promised_on", "pk")[:limit])


def disputes_near_sla(customers: QuerySet[Customer], *, as_of: date, days: int = 5,
                      limit: int = 20) -> tuple[int, list[Dispute]]:
    """Disputes open on ``as_of`` whose SLA deadline is within ``days`` calendar days or already passed."""
    qs = Dispute.objects.filter(customer__in=customers, raised_on__lte=as_of,
                                sla_due_on__lte=as_of + timedelta(days=days)).exclude(resolved_on__lte=as_of)
    return qs.count(), list(qs.select_related("customer", "invoice").order_by("sla_due_on", "pk")[:limit])


def lawyer_letters(customers: QuerySet[Customer], *, start: date, end: date) -> dict[str, int]:
    """Lawyer's letters sent between ``start`` and ``end``: how many, to how many customers."""
    qs = Activity.objects.filter(customer__in=customers, kind="lawyer_letter",
                                 occurred_at__date__range=(start, end))
    row = qs.aggregate(letters=Count("pk"), customers=Count("customer", distinct=True))
    return {"letters": row["letters"] or 0, "customers": row["customers"] or 0}


def tasks_summary(*, assignee: User, today: date) -> dict[str, int]:
    """The user's open collection tasks: how many, and how many are due by today."""
    tasks = Task.objects.filter(assignee=assignee, status="open")
    return {"open": tasks.count(), "due": tasks.filter(due_on__lte=today).count()}
