"""回收率 and 催收成功率 in SQL: one aggregate query each, for the customers in scope or grouped by salesperson or
collector (the team page), on SQLite and PostgreSQL alike.

The rules are those of ``arms.domain.kpi``, item by item: ``FallingDue`` (回收率: the invoices whose collection
deadline lies in the period, as they stood at the close of their deadline) and ``OverdueAtStart`` (催收成功率:
the invoices open and past their deadline at the start of the period, and what the period brought them). Each
query has three layers, so that every correlated subquery runs once per invoice (an ORM aggregate over
expressions would repeat a subquery wherever its value is used):

1. the ORM selects one row per invoice with its facts, whole CNY fen: gross, allocations by kind up to the
   deadline (or in the period), the disputed amount, the group; fenced with ``OFFSET 0`` so that neither
   database merges it into the layers above;
2. two plain SELECTs over it work out each item's parts by the domain's rules, in ``CASE`` expressions that
   SQLite and PostgreSQL read alike (a foreign-currency dispute is converted to CNY the way
   ``domain.money.proportional_part`` does it, in whole numbers);
3. ``SUM`` by group.

``tests/analytics/test_recovery.py`` checks on a generated ledger that the sums are those of the domain's rules
over the same items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce

from arms.analytics import selectors
from arms.cases.models import Dispute
from arms.cases.selectors import disputed_open_sum
from arms.customers.models import Customer
from arms.domain import kpi as formulas
from arms.ledger.balances import joined_allocation_sums
from arms.ledger.models import Invoice

#: group_by: "" (the whole scope), or the customer's person
GROUPS = ("", "salesperson", "collector")


@dataclass(frozen=True)
class RateParts:
    """The two sums a rate is made of (CNY fen): 回收率 collected / expected, 催收成功率 recovered / base."""

    part: int = 0
    whole: int = 0

    @property
    def rate(self) -> Decimal | None:
        return formulas.percent(self.part, self.whole)


def grace_days() -> int:
    """Working days of grace after the (working-day) due date, ``settings.ARMS_RECOVERY_GRACE_DAYS``."""
    return int(getattr(settings, "ARMS_RECOVERY_GRACE_DAYS", 0))


def recovery_parts(*, start: date, end: date, customers: QuerySet[Customer] | None = None, group_by: str = "",
                   grace: int | None = None) -> dict[int | None, RateParts]:
    """回收率's sums: {group: RateParts(collected by the deadline, expected by the deadline)} over the invoices
    whose deadline lies in ``start``..``end``; the key is the salesperson's or collector's id (None: nobody),
    or None for the whole scope. ``customers`` None means every customer."""
    grace = grace_days() if grace is None else grace
    window = formulas.due_dates_with_deadline_in(start, end, grace_days=grace)
    if window is None:
        return {}
    first, last = window
    moved = formulas.moved_deadlines(first, last, grace_days=grace)
    deadline = (Case(*[When(due_date=day, then=Value(moved[day])) for day in sorted(moved)],
                     default=F("due_date"), output_field=DateField()) if moved else F("due_date"))
    facts = (_in_scope(Invoice.objects.filter(due_date__range=(first, last)), customers)
             .annotate(deadline=deadline)
             .annotate(grp=owner_of(group_by), gross=_whole(F("gross_minor")), gross_base=_whole(F("gross_base_minor")),
                       allocated=_whole(selectors.allocation_sum("amount_minor", date__lte=OuterRef("deadline"))),
                       paid=_whole(selectors.allocation_sum("receivable_base_minor", date__lte=OuterRef("deadline"),
                                                            payment__isnull=False)),
                       credited=_whole(selectors.allocation_sum("receivable_base_minor",
                                                                date__lte=OuterRef("deadline"),
                                                                credit_note__isnull=False)),
                       disputed=_disputed(on=OuterRef("deadline")))
             .order_by().values("grp", "gross", "gross_base", "allocated", "paid", "credited", "disputed"))
    # FallingDue: amount_due, collected_part, disputed_part (converted to CNY), expected
    items = f"""
        SELECT grp, due, {_least(_positive("paid"), "due")} AS collected,
               {_proportional("open_base", "open_cur", "part")} AS disputed_base
        FROM (SELECT grp, {_positive("gross_base - credited")} AS due, paid,
                     gross_base - paid - credited AS open_base, gross - allocated AS open_cur,
                     {_least(_positive("disputed"), _positive("gross - allocated"))} AS part
              FROM ({{facts}}) facts) item_facts"""
    return _sums(facts, items, group_by, part="collected",
                 whole=f"due - {_least(_positive('disputed_base'), 'due - collected')}")


def dunning_parts(*, start: date, end: date, customers: QuerySet[Customer] | None = None, group_by: str = "",
                  grace: int | None = None) -> dict[int | None, RateParts]:
    """催收成功率's sums: {group: RateParts(recovered in the period, overdue base at its start)} over the invoices
    open at the close of the day before ``start`` and past their deadline then."""
    grace = grace_days() if grace is None else grace
    day_before = start - timedelta(days=1)
    first_on_time = formulas.first_due_date_for(start, grace_days=grace)
    # the period's allocations summed once per invoice in a joined table (0 for the invoices it did not touch)
    open_items, period = joined_allocation_sums(
        selectors.open_items_as_of(day_before, customers=customers).filter(due_date__lt=first_on_time),
        Q(date__range=(start, end)),
        credited=Sum("receivable_base_minor", filter=Q(credit_note__isnull=False)),
        collected=Sum("receivable_base_minor", filter=Q(payment__isnull=False)))
    facts = (open_items.annotate(grp=owner_of(group_by), open_cur=_whole(F("open_as_of")),
                                 open_base=_whole(F("open_base_as_of")), credited=_whole(period["credited"]),
                                 collected=_whole(period["collected"]), disputed=_disputed(on=day_before))
             .order_by().values("grp", "open_cur", "open_base", "credited", "collected", "disputed"))
    return _sums(facts, dunning_items(), group_by, part=DUNNING_PART, whole=DUNNING_WHOLE)


def dunning_items(passed: tuple[str, ...] = ()) -> str:
    """OverdueAtStart item by item over ``{facts}`` (columns grp, open_cur, open_base, credited, collected,
    disputed, and ``passed``, carried through): base (open less the larger of the disputed part and the period's
    credit notes) and collected, whose sums are ``DUNNING_PART`` and ``DUNNING_WHOLE``."""
    extra = "".join(f", {column}" for column in passed)
    return f"""
        SELECT grp{extra}, collected,
               {_positive(f"open_base - {_greatest(_positive('disputed_base'), _positive('credited'))}")} AS base
        FROM (SELECT grp{extra}, open_base, credited, collected,
                     {_proportional("open_base", "open_cur",
                                    _least(_positive("disputed"), _positive("open_cur")))} AS disputed_base
              FROM ({{facts}}) facts) item_facts"""


#: the columns ``dunning_items`` reads besides grp
DUNNING_FACTS = ("open_cur", "open_base", "credited", "collected", "disputed")


def disputed_on(day: date) -> Cast:
    """The disputed amount of the outer query's invoice at the close of ``day`` (invoice currency; 0 where none),
    as ``dunning_items`` reads it."""
    return _disputed(on=day)


# ------------------------------------------------------------------------------------------------ the SQL


def _in_scope(qs: QuerySet[Invoice], customers: QuerySet[Customer] | None) -> QuerySet[Invoice]:
    return qs if customers is None else qs.filter(customer__in=customers)


def owner_of(group_by: str) -> Expression | Subquery:
    """The person the invoice's customer belongs to, read by primary key for each invoice of the (already narrowed)
    rows rather than by a join, which would have SQLite walk every invoice of every customer."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by is one of {sorted(GROUPS)}")
    if not group_by:
        return Value(0, output_field=IntegerField())
    owner = Customer.objects.filter(pk=OuterRef("customer_id")).values(f"{group_by}_id")
    return Subquery(owner, output_field=IntegerField())


def _whole(expression: Combinable) -> Cast:
    """A whole number of fen: PostgreSQL sums bigints as numeric, whose division would not truncate."""
    return Cast(expression, BigIntegerField())


def _only_for(invoices: QuerySet[Any, Any], expression: Combinable) -> Cast:
    """``expression`` for the invoices in ``invoices`` (a subquery of ids), 0 for every other one: a correlated sum
    then runs only where it can find something."""
    return _whole(Case(When(pk__in=invoices, then=expression), default=Value(0), output_field=BigIntegerField()))


def _disputed(*, on: date | Combinable) -> Cast:
    """The disputed amount on ``on`` (invoice currency)."""
    return _only_for(Dispute.objects.values("invoice_id"),
                     Coalesce(disputed_open_sum(on=on), Value(0), output_field=BigIntegerField()))


def _positive(x: str) -> str:
    return f"(CASE WHEN {x} > 0 THEN {x} ELSE 0 END)"


def _least(a: str, b: str) -> str:
    return f"(CASE WHEN {a} < {b} THEN {a} ELSE {b} END)"


def _greatest(a: str, b: str) -> str:
    return f"(CASE WHEN {a} > {b} THEN {a} ELSE {b} END)"


def _proportional(total: str, whole: str, done: str) -> str:
    """``domain.money.proportional_part(total, whole, done)`` in SQL: total × done / whole rounded half up, as
    done × (total div whole) + (2 × done × (total mod whole) + whole) div (2 × whole), so no product exceeds a
    bigint before the amounts reach about 2·10⁹ in both currencies; 0 when nothing is done, ``total`` when all."""
    return (f"(CASE WHEN {done} <= 0 OR {whole} <= 0 THEN 0 WHEN {done} >= {whole} THEN {total} "
            f"ELSE {done} * ({total} / {whole}) + (2 * {done} * ({total} %% {whole}) + {whole}) / (2 * {whole}) END)")


#: appended to the facts' SELECT so neither database merges it into the layers above: both would otherwise put
#: each correlated subquery in every place its column is used (SQLite's flattening, PostgreSQL's pull-up), and run
#: it that many times per invoice. ``OFFSET 0`` is the documented fence of both; SQLite needs a LIMIT before it.
FENCE = {"sqlite": " LIMIT -1 OFFSET 0"}


def fenced(facts: QuerySet[Any, Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of ``facts`` (a ``values()`` queryset, one row per item) behind the fence, to be
    read as ``FROM (...) facts`` by a plain aggregate that uses each column as often as it likes."""
    inner, params = facts.query.sql_with_params()
    return inner + FENCE.get(connection.vendor, " OFFSET 0"), tuple(params)


def summed_by(group_by: str) -> tuple[str, str]:
    """The group column and the ``GROUP BY`` of a sum over the facts: for the whole scope (``group_by`` "") no
    grouping at all, which would sort every item by a constant first."""
    return ("grp", " GROUP BY grp") if group_by else ("NULL", "")


def _sums(facts: QuerySet[Invoice, dict[str, Any]], items: str, group_by: str, *, part: str,
          whole: str) -> dict[int | None, RateParts]:
    inner, params = fenced(facts)
    group, grouping = summed_by(group_by)
    sql = (f"SELECT {group}, SUM({part}), SUM({whole}), COUNT(*) FROM ({items.replace('{facts}', inner)}) items"
           f"{grouping}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {(group or None): RateParts(int(part_sum or 0), int(whole_sum or 0))
            for group, part_sum, whole_sum, count in rows if count}


#: 催收成功率's sums over ``dunning_items``: recovered (collected, at most the base) and the base
DUNNING_PART = _least(_positive("collected"), "base")
DUNNING_WHOLE = "base"
