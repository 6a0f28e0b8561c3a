"""Reads of collection cases: the seams other apps use (dunning holds, disputed amounts, who holds a level,
the credit file's trade history), the collector's worklist, and one customer's case."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum

from arms.accounts.roles import Role
from arms.cases.enums import DisputeStatus, Level, PlanStatus, PromiseStatus, TaskStatus
from arms.cases.models import Activity, Dispute, InstallmentPlan, PromiseToPay, Task
from arms.credit.models import CreditProfile
from arms.customers.selectors import customers_visible_to
from arms.domain import worklist as scoring
from arms.domain.money import BASE_CURRENCY
from arms.domain.terms import days_overdue
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models.expressions import Combinable

    from arms.common.typing import Viewer
    from arms.customers.models import Customer

# ---------------------------------------------------------------- seams used by dunning, credit, analytics


def _first_active_in_group(group: str) -> User | None:
    return (get_user_model().objects.filter(groups__name=group, is_active=True).order_by("pk").first())


def person_for_level(customer: Customer, level: str) -> User | None:
    """Who acts for the customer at an escalation level, or None.

    sales → the customer's salesperson; finance → its collector, else a finance manager; credit_legal → a
    user in the legal group, else a credit manager.
    """
    if level == Level.SALES:
        person = customer.salesperson
        return person if person is not None and person.is_active else None
    if level == Level.FINANCE:
        person = customer.collector
        if person is not None and person.is_active:
            return person
        return _first_active_in_group(Role.FINANCE_MANAGER)
    if level == Level.CREDIT_LEGAL:
        return _first_active_in_group(Role.LEGAL) or _first_active_in_group(Role.CREDIT_MANAGER)
    raise ValueError(f"unknown level {level!r}")


def promises_in_good_standing(*, as_of: date) -> QuerySet[PromiseToPay]:
    """Open promises made on or before ``as_of`` whose date has not passed."""
    return PromiseToPay.objects.filter(status=PromiseStatus.OPEN, made_on__lte=as_of, promised_on__gte=as_of)


def invoice_ids_held_from_dunning(*, as_of: date) -> QuerySet[Any, Any]:
    """Ids of the invoices dunning must skip on ``as_of``: an open dispute, an open promise to pay whose date
    has not passed (a promise naming no invoice holds all the customer's invoices), or an active installment
    plan. A QuerySet of ids, usable as ``invoice_id__in=`` (one SQL subquery)."""
    good_promises = promises_in_good_standing(as_of=as_of)
    held = (
        Q(pk__in=Dispute.objects.filter(status=DisputeStatus.OPEN, raised_on__lte=as_of).values("invoice_id"))
        | Q(pk__in=PromiseToPay.invoices.through.objects.filter(promisetopay__in=good_promises)
            .values("invoice_id"))
        | Q(customer_id__in=good_promises.filter(invoices__isnull=True).values("customer_id"))
        | Q(pk__in=InstallmentPlan.invoices.through.objects.filter(installmentplan__status=PlanStatus.ACTIVE)
            .values("invoice_id"))
    )
    return Invoice.objects.filter(held).values_list("id", flat=True)


def disputes_open_on(*, as_of: date) -> QuerySet[Dispute]:
    """Disputes open on ``as_of``: raised on or before it and not resolved before it. ``.values("invoice_id")``
    of it is the subquery of disputed invoices (a join, not a list of ids)."""
    return Dispute.objects.filter(raised_on__lte=as_of).filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of))


def disputed_open_minor(*, as_of: date) -> QuerySet[Dispute, Any]:
    """(invoice_id, disputed_amount_minor) for disputes open on ``as_of``: raised on or before it and not
    resolved before it (in the invoice's currency)."""
    return (
        disputes_open_on(as_of=as_of)
        .values("invoice_id").annotate(disputed_amount_minor=Sum("amount_minor"))
        .values_list("invoice_id", "disputed_amount_minor").order_by("invoice_id")
    )


def disputed_open_sum(*, on: date | Combinable) -> Subquery:
    """The disputed amount (invoice currency) of the outer query's invoice (``OuterRef("pk")``) in disputes open
    on ``on``, a date or an expression of the outer query (each invoice its own day): raised on or before it,
    not resolved by then. NULL when there is none. The per-row form of ``disputed_open_minor``."""
    rows = (Dispute.objects.filter(invoice=OuterRef("pk"), raised_on__lte=on)
            .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=on))
            .order_by().values("invoice").annotate(total=Sum("amount_minor")).values("total"))
    return Subquery(rows, output_field=BigIntegerField())


def trade_history(*, customer_ids: list[int], as_of: date) -> dict[int, dict[str, int]]:
    """The credit scorecard's facts from collections, for the 12 months up to ``as_of``: disputes raised and
    promises broken (registered with ``arms.credit.history`` in ``CasesConfig.ready``)."""
    since = as_of - timedelta(days=365)
    facts: dict[int, dict[str, int]] = {pk: {"dispute_count": 0, "broken_promises": 0} for pk in customer_ids}
    for row in (Dispute.objects.filter(customer_id__in=customer_ids, raised_on__gt=since, raised_on__lte=as_of)
                .values("customer_id").annotate(n=Count("pk"))):
        facts[row["customer_id"]]["dispute_count"] = row["n"]
    for row in (PromiseToPay.objects.filter(customer_id__in=customer_ids, status=PromiseStatus.BROKEN,
                                            closed_on__gt=since, closed_on__lte=as_of)
                .values("customer_id").annotate(n=Count("pk"))):
        facts[row["customer_id"]]["broken_promises"] = row["n"]
    return facts


# ---------------------------------------------------------------- the worklist

#: overdue buckets of the worklist filter: (code, fewest days, most days)
OVERDUE_BUCKETS = [("current", None, 0), ("1_30", 1, 30), ("31_60", 31, 60), ("61_90", 61, 90),
                   ("91_180", 91, 180), ("over_180", 181, None)]


@dataclass
class WorklistRow:
    customer: object
    facts: scoring.WorklistFacts
    parts: scoring.ScoreParts
    open_by_currency: dict[str, int] = field(default_factory=dict)
    overdue_by_currency: dict[str, int] = field(default_factory=dict)
    open_tasks: int = 0
    next_task_due: date | None = None
    open_promises: int = 0
    open_disputes: int = 0
    #: the predicted payment of the customer's oldest open item (``ledger.payment_outlook``), set for a page
    outlook: dict[str, Any] | None = None

    @property
    def score(self) -> int:
        return self.parts.total

    @property
    def grade(self) -> str:
        return self.facts.grade

    @property
    def max_days_overdue(self) -> int:
        return self.facts.max_days_overdue

    @property
    def overdue_base_minor(self) -> int:
        return self.facts.overdue_base_minor


def grades_of(customer_ids: Iterable[int]) -> dict[int, str]:
    """Credit grade per customer from ``credit.CreditProfile``; missing means unrated."""
    return dict(CreditProfile.objects.filter(customer_id__in=customer_ids).values_list("customer_id", "grade"))


def worklist(*, user: Viewer, as_of: date, collector_id: int | None = None, grade: str = "", region: str = "",
             bucket: str = "", has_open_tasks: bool | None = None, search: str = "") -> list[WorklistRow]:
    """The customers with open items the user may see, ranked by ``domain.worklist`` (highest first).

    Sums come from one aggregate query per (customer, currency); foreign-currency overdue amounts count in
    CNY at their invoices' own posting rates (gross base / gross).
    """
    customers = customers_visible_to(user)
    if collector_id:
        customers = customers.filter(collector_id=collector_id)
    if region:
        customers = customers.filter(region=region)
    if search:
        customers = customers.filter(Q(code__icontains=search) | Q(name__icontains=search))
    open_invoices = Invoice.objects.filter(customer__in=customers, amount_open_minor__gt=0)
    sums = (
        open_invoices.values("customer_id", "currency").annotate(
            open_minor=Sum("amount_open_minor"),
            overdue_minor=Sum("amount_open_minor", filter=Q(due_date__lt=as_of)),
            overdue_gross=Sum("gross_minor", filter=Q(due_date__lt=as_of)),
            overdue_gross_base=Sum("gross_base_minor", filter=Q(due_date__lt=as_of)),
            oldest_due=Min("due_date"),
        )
    )
    per_customer: dict[int, dict[str, Any]] = {}
    for row in sums:
        entry = per_customer.setdefault(row["customer_id"], {"open": {}, "overdue": {}, "overdue_base": 0,
                                                             "oldest_due": row["oldest_due"]})
        entry["open"][row["currency"]] = row["open_minor"]
        entry["oldest_due"] = min(entry["oldest_due"], row["oldest_due"])
        overdue = row["overdue_minor"] or 0
        if overdue:
            entry["overdue"][row["currency"]] = overdue
            if row["currency"] == BASE_CURRENCY or not row["overdue_gross"]:
                entry["overdue_base"] += overdue
            else:
                entry["overdue_base"] += overdue * row["overdue_gross_base"] // row["overdue_gross"]
    ids = list(per_customer)
    grades = grades_of(ids)
    broken = {pk: facts["broken_promises"] for pk, facts in trade_history(customer_ids=ids, as_of=as_of).items()}
    tasks = {row["customer_id"]: row for row in Task.objects.filter(customer_id__in=ids, status=TaskStatus.OPEN)
             .values("customer_id").annotate(n=Count("pk"), next_due=Min("due_on"))}
    promises = dict(PromiseToPay.objects.filter(customer_id__in=ids, status=PromiseStatus.OPEN)
                    .values("customer_id").annotate(n=Count("pk")).values_list("customer_id", "n"))
    disputes = dict(Dispute.objects.filter(customer_id__in=ids, status=DisputeStatus.OPEN)
                    .values("customer_id").annotate(n=Count("pk")).values_list("customer_id", "n"))
    # the oldest open item's id rides along (one index lookup per customer), so that the page can ask for its
    # predicted payment date without another query (arms.web.outlook.oldest_item_outlook)
    oldest = (Invoice.objects.filter(customer_id=OuterRef("pk"), amount_open_minor__gt=0)
              .order_by("due_date", "pk").values("pk")[:1])
    objects = (customers.filter(pk__in=ids).select_related("collector", "salesperson")
               .annotate(oldest_open_invoice_id=Subquery(oldest)).in_bulk())
    rows = []
    for pk, entry in per_customer.items():
        customer = objects[pk]
        facts = scoring.WorklistFacts(
            customer_id=pk, code=customer.code, overdue_base_minor=entry["overdue_base"],
            max_days_overdue=days_overdue(entry["oldest_due"], as_of), grade=grades.get(pk, "") or "",
            broken_promises=broken.get(pk, 0),
        )
        task_row = tasks.get(pk)
        rows.append(WorklistRow(
            customer=customer, facts=facts, parts=scoring.score_parts(facts), open_by_currency=entry["open"],
            overdue_by_currency=entry["overdue"], open_tasks=task_row["n"] if task_row else 0,
            next_task_due=task_row["next_due"] if task_row else None, open_promises=promises.get(pk, 0),
            open_disputes=disputes.get(pk, 0),
        ))
    rows = [r for r in rows if _row_matches(r, grade=grade, bucket=bucket, has_open_tasks=has_open_tasks)]
    order = {f.customer_id: i for i, f in enumerate(scoring.rank([r.facts for r in rows]))}
    return sorted(rows, key=lambda r: order[r.facts.customer_id])


def _row_matches(row: WorklistRow, *, grade: str, bucket: str, has_open_tasks: bool | None) -> bool:
    if grade:
        wanted = "" if grade == "unrated" else grade.upper()
        if row.grade != wanted:
            return False
    if bucket:
        days = row.max_days_overdue
        for code, low, high in OVERDUE_BUCKETS:
            if code == bucket:
                if (low is not None and days < low) or (high is not None and days > high):
                    return False
                break
    return has_open_tasks is None or (row.open_tasks > 0) == has_open_tasks


# ---------------------------------------------------------------- one customer's case


def activities_of(customer_id: int) -> QuerySet[Activity]:
    return (Activity.objects.filter(customer_id=customer_id).select_related("actor", "attachment")
            .defer("attachment__content").prefetch_related("invoices").order_by("-occurred_at", "-id"))


def tasks_of(customer_id: int, *, open_only: bool = False) -> QuerySet[Task]:
    qs = Task.objects.filter(customer_id=customer_id).select_related("assignee")
    if open_only:
        qs = qs.filter(status=TaskStatus.OPEN)
    return qs.order_by("status", "due_on", "id")


def promises_of(customer_id: int) -> QuerySet[PromiseToPay]:
    return PromiseToPay.objects.filter(customer_id=customer_id).prefetch_related("invoices").order_by(
        "-promised_on", "-id")


def plans_of(customer_id: int) -> QuerySet[InstallmentPlan]:
    return (InstallmentPlan.objects.filter(customer_id=customer_id).select_related("requested_by", "decided_by")
            .prefetch_related("lines", "invoices").order_by("-requested_at", "-id"))


def disputes_of(customer_id: int) -> QuerySet[Dispute]:
    return (Dispute.objects.filter(customer_id=customer_id).select_related("invoice", "owner", "credit_note")
            .order_by("status", "-raised_on", "-id"))


def task_list(*, user: Viewer, assignee_id: int | None = None, status: str = "", customer_id: int | None = None,
              due_before: date | None = None) -> QuerySet[Task]:
    qs = Task.objects.filter(customer__in=customers_visible_to(user)).select_related("customer", "assignee")
    if assignee_id:
        qs = qs.filter(assignee_id=assignee_id)
    if status:
        qs = qs.filter(status=status)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if due_before:
        qs = qs.filter(due_on__lte=due_before)
    return qs.order_by("due_on", "id")


def activity_list(*, user: Viewer, customer_id: int | None = None, kind: str = "",
                  source: str = "") -> QuerySet[Activity]:
    qs = (Activity.objects.filter(customer__in=customers_visible_to(user)).select_related("customer", "actor",
                                                                                          "attachment")
          .defer("attachment__content").prefetch_related("invoices"))
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if kind:
        qs = qs.filter(kind=kind)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-occurred_at", "-id")


def promise_list(*, user: Viewer, customer_id: int | None = None, status: str = "") -> QuerySet[PromiseToPay]:
    qs = (PromiseToPay.objects.filter(customer__in=customers_visible_to(user)).select_related("customer")
          .prefetch_related("invoices"))
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-promised_on", "-id")


def plan_list(*, user: Viewer, customer_id: int | None = None, status: str = "") -> QuerySet[InstallmentPlan]:
    qs = (InstallmentPlan.objects.filter(customer__in=customers_visible_to(user))
          .select_related("customer", "requested_by", "decided_by").prefetch_related("lines", "invoices"))
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_at", "-id")


def dispute_list(*, user: Viewer, customer_id: int | None = None, status: str = "", invoice_id: int | None = None,
                 owner_id: int | None = None) -> QuerySet[Dispute]:
    qs = Dispute.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "invoice", "owner", "credit_note")
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if status:
        qs = qs.filter(status=status)
    if invoice_id:
        qs = qs.filter(invoice_id=invoice_id)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    return qs.order_by("-raised_on", "-id")


def last_activity_at(customer_ids: Iterable[int]) -> dict[int, object]:
    return dict(Activity.objects.filter(customer_id__in=customer_ids).values("customer_id")
                .annotate(last=Max("occurred_at")).values_list("customer_id", "last"))
