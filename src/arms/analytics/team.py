"""Team performance (团队绩效): each salesperson and collector measured on the customers they own.

Outcome measures come from the KPIs of their customers (``kpis.kpi_values`` with a salesperson or collector
scope) and make a weighted score, each component 0-100:

- **turnover**: the person's receivables turnover relative to the best of the same role (best = 100);
- **bad debt**: 100 − 10 points per percent of the true bad-debt ratio (坏账率: bad debts written off less
  recovered in the period / credit sales of the period; 3%, the top of the seeds' target band, scores 70, 10%
  or more scores 0; ``arms.domain.kpi.bad_debt_score``). It used to be 100 − the share of receivables over 365
  days overdue, a proxy from before write-offs existed; that share is still shown as "over 365 days overdue";
- **collection**: 催收成功率 (dunning success rate) %: of the overdue amount at the start of the period, the
  share collected within it (``recovery.dunning_parts``). Before, this was 回款率, which is about 33-50% in a
  healthy month and so scored everyone low; 回款率 is still shown, under its own name.

Default weights 40 / 30 / 30 (``DEFAULT_WEIGHTS``; any other weights may be passed). A component without a
value (no sales, no receivables, nothing overdue) is left out and the others are re-weighted. 回收率 and
催收成功率 of every person come from one grouped query each, not one per person.

A person's customers are those they own now that existed at the end of the period (created by then, or with an
invoice issued by then): a customer added later is not counted in a past period. Ownership itself is not
historised: a customer handed over counts, for every period, with its current owner.

Process measures come from the activity log of ``arms.cases``:

- **followed up within 24 hours**: of the items that fell overdue in the period (the day after the due date
  lies in it, and they were still open at the end of the due date), the share whose customer had an activity
  (not one the system recorded by itself) within the first 24 hours of being overdue;
- **complete activity records**: of the activities the person recorded in the period, the share with both an
  outcome and a note.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import BigIntegerField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.analytics.kpis import KpiScope, check_period, kpi_values
from arms.analytics.recovery import RateParts, dunning_parts, recovery_parts
from arms.analytics.selectors import customers_existing_on, customers_filter, scoped_customers
from arms.cases.models import Activity
from arms.common.errors import ValidationFailed
from arms.domain import kpi as formulas
from arms.ledger.models import Allocation, Invoice

if TYPE_CHECKING:
    from arms.common.typing import Viewer
    from arms.customers.models import Customer

DEFAULT_WEIGHTS = {"turnover": 40, "bad_debt": 30, "collection": 30}
ROLES = ("salesperson", "collector")


@dataclass
class TeamRow:
    role: str
    user_id: int
    name: str
    customer_count: int
    receivables_closing: int
    collections: int
    credit_sales: int
    dso: Decimal | None
    overdue_ratio: Decimal | None
    receivables_turnover: Decimal | None
    over_365_share: Decimal | None
    bad_debt_ratio: Decimal | None
    collection_rate: Decimal | None
    recovery_rate: Decimal | None = None
    dunning_success_rate: Decimal | None = None
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    score: Decimal | None = None
    rank: int | None = None
    fell_overdue: int = 0
    followed_up_24h: int = 0
    activities: int = 0
    complete_activities: int = 0

    @property
    def follow_up_rate(self) -> Decimal | None:
        return formulas.percent(self.followed_up_24h, self.fell_overdue)

    @property
    def completeness_rate(self) -> Decimal | None:
        return formulas.percent(self.complete_activities, self.activities)


def check_weights(weights: dict[str, int] | None) -> dict[str, int]:
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValidationFailed(_("Unknown weight %(name)s.") % {"name": sorted(unknown)[0]}, field="weights")
    cleaned = {name: weights.get(name, 0) for name in DEFAULT_WEIGHTS}
    if any(not isinstance(w, int) or isinstance(w, bool) or not 0 <= w <= 100 for w in cleaned.values()):
        raise ValidationFailed(_("Weights are whole numbers from 0 to 100."), field="weights")
    if not sum(cleaned.values()):
        raise ValidationFailed(_("At least one weight must be above zero."), field="weights")
    return cleaned


def parse_weights(text: str | None) -> dict[str, int] | None:
    """"turnover=50,bad_debt=25,collection=25" -> a dict; empty -> None (the defaults)."""
    if not text or not text.strip():
        return None
    result = {}
    for part in text.split(","):
        name, _sep, value = part.partition("=")
        try:
            result[name.strip()] = int(value)
        except ValueError:
            raise ValidationFailed(_("Weights look like turnover=40,bad_debt=30,collection=30."),
                                   field="weights") from None
    return check_weights(result)


def team_performance(*, start: date, end: date, weights: dict[str, int] | None = None, user: Viewer | None = None,
                     roles: tuple[str, ...] = ROLES) -> list[TeamRow]:
    """One row per salesperson and per collector who owns customers (the ones ``user`` may see), best
    score first within each role."""
    check_period(start, end)
    weights = check_weights(weights)
    customers = scoped_customers(user=user)
    existing = customers_existing_on(customers, end)
    people = get_user_model().objects.in_bulk(
        set(existing.exclude(salesperson__isnull=True).values_list("salesperson_id", flat=True))
        | set(existing.exclude(collector__isnull=True).values_list("collector_id", flat=True))
    )
    visible = customers_filter(user=user)
    rows: list[TeamRow] = []
    for role in roles:
        owned: dict[int, int] = defaultdict(int)
        for owner_id in existing.exclude(**{f"{role}__isnull": True}).values_list(f"{role}_id", flat=True):
            owned[owner_id] += 1
        recovery = recovery_parts(start=start, end=end, customers=visible, group_by=role)
        dunning = dunning_parts(start=start, end=end, customers=visible, group_by=role)
        role_rows = []
        for owner_id, count in owned.items():
            scope = KpiScope(salesperson_id=owner_id if role == "salesperson" else None,
                             collector_id=owner_id if role == "collector" else None, user=user)
            values = kpi_values(start=start, end=end, scope=scope)
            role_rows.append(TeamRow(
                role=role, user_id=owner_id, name=person_name(people.get(owner_id)) or "—", customer_count=count,
                receivables_closing=values["receivables_closing"].amount, collections=values["collections"].amount,
                credit_sales=values["credit_sales"].amount, dso=values["dso"].measure,
                overdue_ratio=values["overdue_ratio"].measure,
                receivables_turnover=values["receivables_turnover"].measure,
                over_365_share=values["over_365_share"].measure, bad_debt_ratio=values["bad_debt_ratio"].measure,
                collection_rate=values["collection_rate"].measure,
                recovery_rate=recovery.get(owner_id, RateParts()).rate,
                dunning_success_rate=dunning.get(owner_id, RateParts()).rate,
            ))
        _score(role_rows, weights)
        _process_measures(role_rows, role=role, start=start, end=end, customers=customers)
        rows.extend(sorted(role_rows, key=lambda r: (r.rank or 10**6, r.name)))
    return rows


def _score(rows: list[TeamRow], weights: dict[str, int]) -> None:
    turnovers = [r.receivables_turnover for r in rows if r.receivables_turnover is not None]
    best = max(turnovers) if turnovers else None
    for row in rows:
        turnover = (row.receivables_turnover * 100 / best
                    if best and row.receivables_turnover is not None else None)
        row.scores = {
            "turnover": formulas.clamp_score(turnover),
            "bad_debt": formulas.bad_debt_score(row.bad_debt_ratio),
            "collection": formulas.clamp_score(row.dunning_success_rate),
        }
        row.score = formulas.weighted_score(row.scores, weights)
    scored = [(r.score, r) for r in rows if r.score is not None]
    ranked = [r for _score, r in sorted(scored, key=lambda pair: -pair[0])]
    for index, row in enumerate(ranked, start=1):
        row.rank = index


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _process_measures(rows: list[TeamRow], *, role: str, start: date, end: date,
                      customers: QuerySet[Customer]) -> None:
    by_user = {row.user_id: row for row in rows}
    if not by_user:
        return
    # items that fell overdue in the period: first overdue day (due + 1) in it, still open at the end of the
    # due date
    allocated_by_due = Coalesce(Subquery(
        Allocation.objects.filter(invoice=OuterRef("pk"), date__lte=OuterRef("due_date")).order_by()
        .values("invoice").annotate(total=Sum("amount_minor")).values("total"), output_field=BigIntegerField(),
    ), Value(0), output_field=BigIntegerField())
    overdue = list(
        Invoice.objects.filter(customer__in=customers, due_date__range=(start - timedelta(days=1),
                                                                        end - timedelta(days=1)),
                               **{f"customer__{role}_id__in": list(by_user)})
        .annotate(open_at_due=F("gross_minor") - allocated_by_due).filter(open_at_due__gt=0)
        .values_list("customer_id", f"customer__{role}_id", "due_date")
    )
    customer_ids = {customer_id for customer_id, _owner, _due in overdue}
    contacts: dict[int, list[datetime]] = defaultdict(list)
    for customer_id, occurred_at in (
        Activity.objects.filter(customer_id__in=customer_ids, occurred_at__gte=_day_start(start),
                                occurred_at__lt=_day_start(end + timedelta(days=2)))
        .exclude(kind="system").values_list("customer_id", "occurred_at")
    ):
        contacts[customer_id].append(occurred_at)
    for customer_id, owner_id, due in overdue:
        row = by_user[owner_id]
        row.fell_overdue += 1
        window_start = _day_start(due + timedelta(days=1))
        window_end = window_start + timedelta(hours=24)
        if any(window_start <= moment < window_end for moment in contacts.get(customer_id, ())):
            row.followed_up_24h += 1
    recorded = (Activity.objects.filter(actor_id__in=list(by_user), occurred_at__gte=_day_start(start),
                                        occurred_at__lt=_day_start(end + timedelta(days=1)))
                .values_list("actor_id", "outcome", "note"))
    for actor_id, outcome, note in recorded:
        row = by_user[actor_id]
        row.activities += 1
        if (outcome or "").strip() and (note or "").strip():
            row.complete_activities += 1
