"""Reads of collection cases: the seams other apps use (dunning holds, disputed amounts, who holds a level,
the credit file's trade history), the collector's worklist, and one customer's case."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, overload

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum

from arms.accounts.roles import Role, sees_all_customers
from arms.cases.enums import DisputeStatus, Level, PlanStatus, PromiseStatus, TaskStatus
from arms.cases.models import Activity, Dispute, InstallmentPlan, PromiseToPay, Task
from arms.customers.enums import Region
from arms.customers.models import Customer
from arms.customers.selectors import customers_visible_to
from arms.domain import worklist as scoring
from arms.domain.money import BASE_CURRENCY
from arms.domain.terms import days_overdue
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models.expressions import Combinable

    from arms.common.typing import Viewer

# ---------------------------------------------------------------- seams used by dunning, credit, analytics


def first_active_in_group(group: str) -> User | None:
    """The first active user of ``group`` (by pk): who holds a level no customer names a person for."""
    return (get_user_model().objects.filter(groups__name=group, is_active=True).order_by("pk").first())


def person_for_level(customer: Customer, level: str, *,
                     first_in_group: Callable[[str], User | None] = first_active_in_group) -> User | None:
    """Who acts for the customer at an escalation level, or None.

    sales → the customer's salesperson; finance → its collector, else a finance manager; credit_legal → a
    user in the legal group, else a credit manager. ``first_in_group``: ``first_active_in_group``, or a memo of
    it kept by a caller that asks for many customers at once (dunning's processing of a run's actions).
    """
    if level == Level.SALES:
        person = customer.salesperson
        return person if person is not None and person.is_active else None
    if level == Level.FINANCE:
        person = customer.collector
        if person is not None and person.is_active:
            return person
        return first_in_group(Role.FINANCE_MANAGER)
    if level == Level.CREDIT_LEGAL:
        return first_in_group(Role.LEGAL) or first_in_group(Role.CREDIT_MANAGER)
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

#: rows made at a time when the whole worklist is read (an export)
WORKLIST_CHUNK = 2000


@dataclass(frozen=True)
class WorklistCustomer:
    """The customer of a worklist row, as values: what the page, the API and the export show of it."""

    pk: int
    code: str
    name: str
    region: str
    collector: User | None
    #: the customer's oldest open item (earliest due), for its predicted payment (``arms.web.outlook``)
    oldest_open_invoice_id: int | None = None

    def get_region_display(self) -> str:
        return str(Region(self.region).label) if self.region in Region.values else self.region


@dataclass
class WorklistRow:
    customer: WorklistCustomer
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


@dataclass
class _Ranked:
    """One customer's figures before its row is made (values only, no customer read yet)."""

    facts: scoring.WorklistFacts
    open_by_currency: dict[str, int]
    overdue_by_currency: dict[str, int]
    open_tasks: int
    next_task_due: date | None
    open_promises: int
    open_disputes: int


class Worklist(Sequence[WorklistRow]):
    """The ranked worklist: the order, the count and the overdue total are known for every customer; the rows
    (with the customer's name, region and collector) are made only for the slice read, a page or a chunk of an
    export, in two queries (the customers of the slice, then their collectors once each)."""

    def __init__(self, ranked: list[_Ranked]) -> None:
        self._ranked = ranked

    def __len__(self) -> int:
        return len(self._ranked)

    @overload
    def __getitem__(self, index: int) -> WorklistRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[WorklistRow]: ...

    def __getitem__(self, index: int | slice) -> WorklistRow | list[WorklistRow]:
        if isinstance(index, slice):
            return _rows(self._ranked[index])
        return _rows([self._ranked[index]])[0]

    def __iter__(self) -> Iterator[WorklistRow]:
        for start in range(0, len(self._ranked), WORKLIST_CHUNK):
            yield from _rows(self._ranked[start:start + WORKLIST_CHUNK])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Worklist):
            other = list(other)
        return isinstance(other, list) and list(self) == other

    __hash__ = None  # type: ignore[assignment]

    @property
    def overdue_total_minor(self) -> int:
        """The overdue amount (CNY) of every customer on the list, whichever page is shown."""
        return sum(entry.facts.overdue_base_minor for entry in self._ranked)


def _rows(ranked: list[_Ranked]) -> list[WorklistRow]:
    """The rows of ``ranked``: its customers read as values in one query (with each one's oldest open item),
    their collectors once per person."""
    ids = [entry.facts.customer_id for entry in ranked]
    oldest = (Invoice.objects.filter(customer_id=OuterRef("pk"), amount_open_minor__gt=0)
              .order_by("due_date", "pk").values("pk")[:1])
    customers = {row["pk"]: row for row in Customer.objects.filter(pk__in=ids).annotate(oldest_open=Subquery(oldest))
                 .values("pk", "code", "name", "region", "collector_id", "oldest_open")}
    collector_ids = {row["collector_id"] for row in customers.values() if row["collector_id"]}
    collectors = get_user_model().objects.in_bulk(collector_ids) if collector_ids else {}
    rows = []
    for entry in ranked:
        row = customers[entry.facts.customer_id]
        customer = WorklistCustomer(pk=row["pk"], code=row["code"], name=row["name"], region=row["region"],
                                    collector=collectors.get(row["collector_id"]),
                                    oldest_open_invoice_id=row["oldest_open"])
        rows.append(WorklistRow(
            customer=customer, facts=entry.facts, parts=scoring.score_parts(entry.facts),
            open_by_currency=entry.open_by_currency, overdue_by_currency=entry.overdue_by_currency,
            open_tasks=entry.open_tasks, next_task_due=entry.next_task_due, open_promises=entry.open_promises,
            open_disputes=entry.open_disputes,
        ))
    return rows


def _customers_q(user: Viewer, *, prefix: str, collector_id: int | None, region: str, search: str) -> Q:
    """The worklist's customers as a condition on ``prefix`` (``"customer__"`` from a row that names its
    customer), so that each read joins the customers instead of listing their ids."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q() if sees_all_customers(user) else Q(**{f"{prefix}salesperson": user})
    if collector_id:
        q &= Q(**{f"{prefix}collector_id": collector_id})
    if region:
        q &= Q(**{f"{prefix}region": region})
    if search:
        q &= Q(**{f"{prefix}code__icontains": search}) | Q(**{f"{prefix}name__icontains": search})
    return q


def worklist(*, user: Viewer, as_of: date, collector_id: int | None = None, grade: str = "", region: str = "",
             bucket: str = "", has_open_tasks: bool | None = None, search: str = "") -> Worklist:
    """The customers with open items the user may see, ranked by ``domain.worklist`` (highest first).

    Sums come from one aggregate query per (customer, currency) that joins the customer (its code for the
    ranking's tie-break, its credit grade); the counts of tasks, promises and disputes from one grouped query
    each over the same customers. Only values are read: the rows of a page (or an export's chunk) are made when
    read (``Worklist``). Foreign-currency overdue amounts count in CNY at their invoices' own posting rates
    (gross base / gross).
    """
    on_customer = _customers_q(user, prefix="customer__", collector_id=collector_id, region=region, search=search)
    sums = (
        Invoice.objects.filter(on_customer, amount_open_minor__gt=0)
        .values("customer_id", "customer__code", "customer__credit_profile__grade", "currency").annotate(
            open_minor=Sum("amount_open_minor"),
            overdue_minor=Sum("amount_open_minor", filter=Q(due_date__lt=as_of)),
            overdue_gross=Sum("gross_minor", filter=Q(due_date__lt=as_of)),
            overdue_gross_base=Sum("gross_base_minor", filter=Q(due_date__lt=as_of)),
            oldest_due=Min("due_date"),
        ).order_by()
        .values_list("customer_id", "customer__code", "customer__credit_profile__grade", "currency", "open_minor",
                     "overdue_minor", "overdue_gross", "overdue_gross_base", "oldest_due")
    )
    per_customer: dict[int, list[Any]] = {}
    for pk, code, grade_of, currency, open_minor, overdue, gross, gross_base, oldest_due in sums:
        entry = per_customer.get(pk)
        if entry is None:
            # code, grade, open by currency, overdue by currency, overdue in CNY, oldest due
            entry = per_customer[pk] = [code, grade_of or "", {}, {}, 0, oldest_due]
        entry[2][currency] = open_minor
        if oldest_due < entry[5]:
            entry[5] = oldest_due
        if overdue:
            entry[3][currency] = overdue
            entry[4] += overdue if currency == BASE_CURRENCY or not gross else overdue * gross_base // gross
    since = as_of - timedelta(days=365)
    broken = _counts(PromiseToPay.objects.filter(on_customer, status=PromiseStatus.BROKEN, closed_on__gt=since,
                                                 closed_on__lte=as_of))
    promises = _counts(PromiseToPay.objects.filter(on_customer, status=PromiseStatus.OPEN))
    disputes = _counts(Dispute.objects.filter(on_customer, status=DisputeStatus.OPEN))
    tasks = {pk: (n, next_due) for pk, n, next_due in
             Task.objects.filter(on_customer, status=TaskStatus.OPEN).order_by().values("customer_id")
             .annotate(n=Count("pk"), next_due=Min("due_on")).values_list("customer_id", "n", "next_due")}
    wanted_grade = None if not grade else "" if grade == "unrated" else grade.upper()
    low, high = _bucket_days(bucket)
    ranked = []
    for pk, (code, grade_of, open_by, overdue_by, overdue_base, oldest_due) in per_customer.items():
        days = days_overdue(oldest_due, as_of)
        n_tasks, next_due = tasks.get(pk, (0, None))
        if ((wanted_grade is not None and grade_of != wanted_grade)
                or (low is not None and days < low) or (high is not None and days > high)
                or (has_open_tasks is not None and (n_tasks > 0) != has_open_tasks)):
            continue
        facts = scoring.WorklistFacts(customer_id=pk, code=code, overdue_base_minor=overdue_base,
                                      max_days_overdue=days, grade=grade_of, broken_promises=broken.get(pk, 0))
        ranked.append(_Ranked(facts, open_by, overdue_by, n_tasks, next_due, promises.get(pk, 0),
                              disputes.get(pk, 0)))
    ranked.sort(key=lambda r: scoring.rank_key(r.facts))
    return Worklist(ranked)


def _counts(qs: QuerySet[Any]) -> dict[int, int]:
    """Rows of ``qs`` per customer."""
    return dict(qs.order_by().values("customer_id").annotate(n=Count("pk")).values_list("customer_id", "n"))


def _bucket_days(bucket: str) -> tuple[int | None, int | None]:
    """(fewest, most) days overdue of the filter's bucket; (None, None) for none."""
    for code, low, high in OVERDUE_BUCKETS:
        if code == bucket:
            return low, high
    return None, None


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
