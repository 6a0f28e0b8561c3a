"""Receivables KPIs over any period, for the company, a salesperson's or collector's customers, or one customer.

Every amount is in CNY fen (the documents' ``*_base_minor`` columns, fixed at posting), so customers invoiced in
USD count at their own rates and the figures of one scope add up. The formulas are in ``arms.domain.kpi``; this
module gathers their inputs with a handful of aggregate queries, whatever the size of the ledger:

- receivables at the close of ``end`` and of the day before ``start``, split by how far past due (one query
  for both days, one pass over the invoices: ``balances.open_items_on_days``);
- credit sales by month for the countback (one query for its first months; older months only as far as it
  reaches, each further read doubling the months read),
  whose first month is the period's credit sales when the period is a calendar month; else one query more;
- cash collected (payments received less payments reversed in the period);
- bad debts written off in the period and recovered in it (坏账率, ledger write-offs of kind bad_debt; two queries);
- invoices settled in the period, on time or late, and by how many days (one query);
- 回收率 (one query, ``recovery.py``) and 催收成功率 (its rules in ``recovery.py``, read in the same pass as the
  opening and closing receivables: ``receivables_and_dunning``).

See docs/analytics-kpis.md for each KPI's formula and a worked example.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    F,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils.translation import gettext_lazy as _

from arms.analytics import selectors
from arms.analytics.recovery import (
    DUNNING_FACTS,
    DUNNING_PART,
    DUNNING_WHOLE,
    RateParts,
    disputed_on,
    dunning_items,
    fenced,
    grace_days,
    owner_of,
    recovery_parts,
    summed_by,
)
from arms.analytics.selectors import Scope
from arms.common.errors import ValidationFailed
from arms.domain import kpi as formulas
from arms.domain.terms import month_end, month_start
from arms.ledger.balances import joined_allocation_sums, open_items_on_days
from arms.ledger.enums import PaymentStatus, WriteOffKind
from arms.ledger.models import Allocation, Invoice, Payment, WriteOff

if TYPE_CHECKING:
    from arms.common.typing import JsonDict, StrOrPromise
    from arms.customers.models import Customer

_M = TypeVar("_M", bound=Model)
#: the customers a query covers; None: every customer (the query then has no customer filter at all)
Customers: TypeAlias = "QuerySet[Customer] | None"

#: months of sales the countback DSO looks through at most
COUNTBACK_MONTHS = 24
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True)
class KpiScope(Scope):
    """Scope plus the viewer: ``user`` limits the customers to those they may see (None: everyone)."""

    user: object | None = None


@dataclass(frozen=True)
class KpiValue:
    """One KPI: ``value`` is a Decimal (days, percent, times), an int of CNY fen (``unit == "amount"``), or
    None when the formula has no meaning for the period (e.g. no sales)."""

    code: str
    label: StrOrPromise
    value: Decimal | int | None
    unit: str  # "days", "percent", "times", "amount", "count"

    @property
    def amount(self) -> int:
        """The value of an ``amount`` or ``count`` KPI (CNY fen, or a number), which is never None."""
        if not isinstance(self.value, int):
            raise TypeError(f"KPI {self.code} is not an amount or a count")
        return self.value

    @property
    def measure(self) -> Decimal | None:
        """The value of a ``days``, ``percent`` or ``times`` KPI (None when it has no meaning for the period)."""
        if isinstance(self.value, int):
            raise TypeError(f"KPI {self.code} is an amount or a count, not a measure")
        return self.value

    def as_dict(self) -> JsonDict:
        return {"code": self.code, "label": str(self.label), "value": self.value, "unit": self.unit}


LABELS = {
    "receivables_opening": _("Receivables at the start"),
    "receivables_closing": _("Receivables at the end"),
    "receivables_current": _("Not yet due at the end"),
    "receivables_overdue": _("Overdue at the end"),
    "credit_sales": _("Credit sales"),
    "collections": _("Cash collected"),
    "recovery_expected": _("Fell due in the period (undisputed)"),
    "recovery_collected": _("Collected by the due date"),
    "overdue_at_start": _("Overdue at the start (undisputed)"),
    "overdue_recovered": _("Overdue collected in the period"),
    "dso": _("DSO (standard)"),
    "dso_countback": _("DSO (countback)"),
    "best_possible_dso": _("Best possible DSO"),
    "add": _("Average days delinquent (ADD)"),
    "cei": _("Collection effectiveness index (CEI)"),
    "overdue_ratio": _("Overdue ratio"),
    "at_risk_share": _("At-risk share (over 90 days overdue)"),
    "over_365_share": _("Over 365 days overdue"),
    "bad_debts_written_off": _("Bad debts written off"),
    "bad_debts_recovered": _("Bad debts recovered"),
    "bad_debt_ratio": _("Bad-debt ratio"),
    "receivables_turnover": _("Receivables turnover"),
    "collection_rate": _("Collection rate (回款率)"),
    "recovery_rate": _("Recovery rate by due date (回收率)"),
    "dunning_success_rate": _("Dunning success rate (催收成功率)"),
    "on_time_rate": _("On-time payment rate"),
    "settled_count": _("Invoices settled"),
    "average_days_late": _("Average days late (settled invoices)"),
}
UNITS = {
    "receivables_opening": "amount", "receivables_closing": "amount", "receivables_current": "amount",
    "receivables_overdue": "amount", "credit_sales": "amount", "collections": "amount",
    "recovery_expected": "amount", "recovery_collected": "amount", "overdue_at_start": "amount",
    "overdue_recovered": "amount", "dso": "days",
    "dso_countback": "days", "best_possible_dso": "days", "add": "days", "cei": "percent", "overdue_ratio": "percent",
    "at_risk_share": "percent", "over_365_share": "percent", "bad_debts_written_off": "amount",
    "bad_debts_recovered": "amount", "bad_debt_ratio": "percent", "receivables_turnover": "times",
    "collection_rate": "percent", "recovery_rate": "percent", "dunning_success_rate": "percent",
    "on_time_rate": "percent", "settled_count": "count", "average_days_late": "days",
}
KPI_CODES = list(LABELS)


def check_period(start: date, end: date, *, field: str = "start") -> int:
    if end < start:
        raise ValidationFailed(_("The period ends before it starts."), field=field)
    days = (end - start).days + 1
    if days > MAX_PERIOD_DAYS:
        raise ValidationFailed(_("A period is at most three years."), field=field)
    return days


def receivables_split(as_of: date, customers: Customers) -> dict[str, int]:
    """CNY fen open at the close of ``as_of``: total, not yet due, overdue, over 90 and over 365 days overdue."""
    return receivables_split_by_owner(as_of, customers, "")[None]


def receivables_splits(days: tuple[date, ...], customers: Customers) -> list[dict[str, int]]:
    """``receivables_split`` of each of ``days``, in one query: the opening and closing receivables of a period
    read the invoices once (``balances.open_items_on_days``)."""
    return [split[None] for split in _splits_by_owner(days, customers, "")]


def receivables_split_by_owner(as_of: date, customers: Customers, group_by: str) -> dict[int | None, dict[str, int]]:
    """``receivables_split`` per salesperson or collector (``group_by``; "" for one row, keyed None), one query:
    the open items' CNY amounts worked out once per item behind a fence (``recovery.fenced``), then summed, so
    that each filtered sum does not repeat the open-amount expression (and its subqueries on a past day)."""
    items = (selectors.open_items_as_of(as_of, customers=customers).order_by()
             .annotate(grp=owner_of(group_by), f_due=F("due_date"), open_base_0=F("open_base_as_of"))
             .values("grp", "f_due", "open_base_0"))
    return _summed_splits(items, (as_of,), group_by)[0][0]


def _splits_by_owner(days: tuple[date, ...], customers: Customers,
                     group_by: str) -> list[dict[int | None, dict[str, int]]]:
    bases = [f"open_base_{i}" for i in range(len(days))]
    items = (open_items_on_days(days, customers=customers).order_by()
             .annotate(grp=owner_of(group_by), f_due=F("due_date")).values("grp", "f_due", *bases))
    return _summed_splits(items, days, group_by)[0]


def receivables_and_dunning(start: date, end: date, customers: Customers, *,
                            grace: int | None = None) -> tuple[dict[str, int], dict[str, int], RateParts]:
    """The opening and closing ``receivables_split`` of the period and 催收成功率's sums (``dunning_parts``) in ONE
    pass over the invoices: those overdue at the start are among those open at the start, and the period's
    payments and credit notes to them are among the allocations after the day before it, which the opening and
    closing figures sum in a joined table already. Its sums are filtered to the items flagged ``overdue``."""
    grace = grace_days() if grace is None else grace
    day_before = start - timedelta(days=1)
    in_period = Q(date__lte=end)
    items = open_items_on_days(
        (day_before, end), customers=customers,
        period_credited=Sum("receivable_base_minor", filter=in_period & Q(credit_note__isnull=False)),
        period_collected=Sum("receivable_base_minor", filter=in_period & Q(payment__isnull=False)))
    overdue = Q(open_0__gt=0, due_date__lt=formulas.first_due_date_for(start, grace_days=grace))
    passed = ("f_due", "open_base_0", "open_base_1", "overdue")
    rows = (items.order_by()
            .annotate(grp=owner_of(""), f_due=F("due_date"),
                      overdue=Case(When(overdue, then=Value(1)), default=Value(0), output_field=IntegerField()),
                      open_cur=Cast(F("open_0"), BigIntegerField()),
                      open_base=Cast(F("open_base_0"), BigIntegerField()),
                      credited=F("period_credited"), collected=F("period_collected"),
                      disputed=disputed_on(day_before))
            .values("grp", *passed, *DUNNING_FACTS))
    (opening, closing), (recovered, base) = _summed_splits(
        rows, (day_before, end), "", items=dunning_items(passed), extra=(DUNNING_PART, DUNNING_WHOLE),
        extra_where="overdue = 1")
    return opening[None], closing[None], RateParts(recovered, base)


def _summed_splits(rows: QuerySet[Invoice, dict[str, Any]], days: tuple[date, ...], group_by: str, *,
                   items: str = "{facts}", extra: tuple[str, ...] = (), extra_where: str = "TRUE"
                   ) -> tuple[list[dict[int | None, dict[str, int]]], list[int]]:
    """The splits of ``rows`` (one row per invoice: ``grp``, ``f_due`` and ``open_base_<i>`` for each of
    ``days``, 0 where not open that day) summed behind the fence (``recovery.fenced``), read through ``items``
    (SQL over ``{facts}`` that carries those columns through); with ``extra``, also the sums of those
    expressions over the ``items`` matching ``extra_where`` (an aggregate ``FILTER``, so that the expressions are
    worked out for those rows only; of the last group read; used ungrouped)."""
    facts, params = fenced(rows)
    group, grouping = summed_by(group_by)
    columns, values = [], []
    for i, as_of in enumerate(days):
        base = f"open_base_{i}"
        columns += [f"SUM({base})", f"SUM(CASE WHEN f_due >= %s THEN {base} ELSE 0 END)",
                    f"SUM(CASE WHEN f_due < %s THEN {base} ELSE 0 END)",
                    f"SUM(CASE WHEN f_due < %s THEN {base} ELSE 0 END)"]
        values += [as_of, as_of - timedelta(days=90), as_of - timedelta(days=365)]
    columns += [f"SUM({expression}) FILTER (WHERE {extra_where})" for expression in extra]
    sql = f"SELECT {group}, {', '.join(columns)} FROM ({items.replace('{facts}', facts)}) facts{grouping}"
    with connection.cursor() as cursor:
        cursor.execute(sql, (*values, *params))
        fetched = cursor.fetchall()
    results: list[dict[int | None, dict[str, int]]] = [{} for _day in days]
    extra_sums = [0 for _expression in extra]
    for grp, *sums in fetched:
        for i, result in enumerate(results):
            total, current, over_90, over_365 = (int(value or 0) for value in sums[4 * i:4 * i + 4])
            result[grp or None] = {"total": total, "current": current, "overdue": total - current,
                                   "over_90": over_90, "over_365": over_365}
        extra_sums = [int(value or 0) for value in sums[4 * len(days):]]
    if not group_by:
        for result in results:
            result.setdefault(None, {"total": 0, "current": 0, "overdue": 0, "over_90": 0, "over_365": 0})
    return results, extra_sums


def credit_sales_by_owner(start: date, end: date, customers: Customers, group_by: str) -> dict[int | None, int]:
    rows = (_of(Invoice.objects.filter(issue_date__range=(start, end)), customers).order_by()
            .annotate(grp=owner_of(group_by)).values("grp").annotate(total=Sum("gross_base_minor"))
            .values_list("grp", "total"))
    return {grp: total or 0 for grp, total in rows}


def collections_by_owner(start: date, end: date, customers: Customers, group_by: str) -> dict[int | None, int]:
    """``collections`` per salesperson or collector: received less reversed in the period, two queries."""
    def summed(qs: QuerySet[Payment]) -> dict[int | None, int]:
        rows = (_of(qs, customers).order_by().annotate(grp=owner_of(group_by)).values("grp")
                .annotate(total=Sum("amount_base_minor")).values_list("grp", "total"))
        return {grp: total or 0 for grp, total in rows}

    received = summed(Payment.objects.filter(received_date__range=(start, end)))
    reversed_ = summed(Payment.objects.filter(status=PaymentStatus.REVERSED, reversal_date__range=(start, end)))
    return {grp: received.get(grp, 0) - reversed_.get(grp, 0) for grp in received.keys() | reversed_.keys()}


def _of(qs: QuerySet[_M], customers: Customers, field: str = "customer__in") -> QuerySet[_M]:
    """``qs`` narrowed to the customers in scope; None means every customer (no filter at all)."""
    return qs if customers is None else qs.filter(**{field: customers})


def credit_sales(start: date, end: date, customers: Customers) -> int:
    return _of(Invoice.objects.filter(issue_date__range=(start, end)), customers).aggregate(
        total=Sum("gross_base_minor"))["total"] or 0


#: months of credit sales the countback reads in its first query; further months are read only as far as it reaches,
#: each read as many months as were read before it (3, then 3 more, 6 and 12: at most four queries for 24 months)
COUNTBACK_FIRST_READ = 3


def monthly_sales(end: date, customers: Customers, months: int = COUNTBACK_MONTHS, *,
                  first_read: dict[date, int] | None = None) -> Iterator[formulas.MonthSales]:
    """Credit sales of the month of ``end`` (up to ``end``) and of the ``months - 1`` before it, newest first: the
    first ``COUNTBACK_FIRST_READ`` months in one query grouped by month (or ``first_read``, that query's answer
    read already: ``countback_first_read``), the older ones only when the countback asks for them, in reads that
    double the months read so far. A countback that stops in its fifth month reads six months, not 24: at 1M
    invoices each month read costs an index range (ledger/0019), and the receivables seldom reach back a year."""
    starts = [month_start(end)]
    while len(starts) < months:
        starts.append(month_start(starts[-1] - timedelta(days=1)))
    totals: dict[date, int] = {}
    read = 0  # the months read so far: starts[:read]
    for index, start in enumerate(starts):
        if index == read:
            read = min(len(starts), COUNTBACK_FIRST_READ if index == 0 else 2 * index)
            if index == 0 and first_read is not None:
                totals.update(first_read)
            else:
                read_to = end if index == 0 else starts[index - 1] - timedelta(days=1)
                totals.update(_sales_by_month(starts[read - 1], read_to, customers))
        last = end if index == 0 else month_end(start)
        yield formulas.MonthSales(days=(last - start).days + 1, sales=totals.get(start, 0))


def countback_first_read(end: date, customers: Customers) -> dict[date, int]:
    """The credit sales ``monthly_sales`` reads first, {month's first day: CNY fen}: the month of ``end`` up to
    ``end`` and the ``COUNTBACK_FIRST_READ - 1`` months before it; a period that is that month to ``end`` takes its
    credit sales from here instead of reading them again."""
    first = month_start(end)
    for _n in range(COUNTBACK_FIRST_READ - 1):
        first = month_start(first - timedelta(days=1))
    return _sales_by_month(first, end, customers)


def _sales_by_month(start: date, end: date, customers: Customers) -> dict[date, int]:
    rows = (_of(Invoice.objects.filter(issue_date__range=(start, end)), customers).order_by()
            .annotate(month=TruncMonth("issue_date")).values("month").annotate(total=Sum("gross_base_minor"))
            .values_list("month", "total"))
    return {month: total or 0 for month, total in rows}



def bad_debts(start: date, end: date, customers: Customers) -> tuple[int, int]:
    """CNY fen of bad debts written off in the period (ledger write-offs of kind bad_debt dated in it; small
    balances are not bad debts), and recovered in the period (recoveries of such write-offs dated in it, whenever
    the write-off was)."""
    written = _of(WriteOff.objects.filter(kind=WriteOffKind.BAD_DEBT, date__range=(start, end)), customers).aggregate(
        total=Sum("base_minor"))["total"] or 0
    recovered = _of(Allocation.objects.filter(write_off__kind=WriteOffKind.BAD_DEBT, amount_minor__lt=0,
                                              date__range=(start, end)), customers, "write_off__customer__in"
                    ).aggregate(total=Sum("receivable_base_minor"))["total"] or 0
    return written, -recovered


def collections(start: date, end: date, customers: Customers) -> int:
    """Cash received in the period (CNY fen), less payments reversed in the period (bounced bills)."""
    received = _of(Payment.objects.filter(received_date__range=(start, end)), customers).aggregate(
        total=Sum("amount_base_minor"))["total"] or 0
    reversed_ = _of(Payment.objects.filter(status=PaymentStatus.REVERSED, reversal_date__range=(start, end)),
                    customers).aggregate(total=Sum("amount_base_minor"))["total"] or 0
    return received - reversed_


def settled_in_period(start: date, end: date, customers: Customers) -> QuerySet[Invoice]:
    """Invoices whose open amount reached zero in the period and stayed zero to its end, annotated
    ``settled_on`` (the date of the allocation that settled them).

    One joined table of the allocations dated from ``start`` on, summed per invoice (``joined_allocation_sums``):
    an invoice is a candidate when one of them falls in the period, and its latest such date is the settlement
    date (no allocation up to ``end`` is later); it is settled at the end of the period when its stored open
    amount plus what was allocated after the period is zero (what ``open_items_as_of`` reads as its open amount
    that day). At 1M invoices this read every candidate's allocations twice through correlated subqueries before."""
    qs, later = joined_allocation_sums(_of(Invoice.objects.all(), customers), Q(date__gte=start),
                                       last_date="settled_on", last_date_where=Q(date__lte=end),
                                       after_end=Sum("amount_minor", filter=Q(date__gt=end)))
    return (qs.annotate(settled_on=later["settled_on"]).filter(settled_on__isnull=False)
            .alias(open_at_end=F("amount_open_minor") + later["after_end"]).filter(open_at_end=0))


#: whole days from date ``b`` to date ``a`` in SQL: PostgreSQL subtracts dates into days, SQLite does not
DAYS_BETWEEN = {"sqlite": "CAST(julianday({a}) - julianday({b}) AS INTEGER)"}


def payment_timeliness(start: date, end: date, customers: Customers) -> dict[str, int]:
    """Of the invoices settled in the period: how many, how many on or before the due date, total days late.
    The settlement date is looked up once per invoice behind the fence (``recovery.fenced``), then counted and
    summed; an ORM aggregate would repeat its subquery in each filtered sum."""
    facts, params = fenced(settled_in_period(start, end, customers).order_by()
                           .annotate(f_due=F("due_date")).values("settled_on", "f_due"))
    late = DAYS_BETWEEN.get(connection.vendor, "({a} - {b})").format(a="settled_on", b="f_due")
    sql = ("SELECT COUNT(*), SUM(CASE WHEN settled_on <= f_due THEN 1 ELSE 0 END), "
           f"SUM(CASE WHEN settled_on > f_due THEN {late} ELSE 0 END) FROM ({facts}) facts")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        settled, on_time, late_total = cursor.fetchone()
    return {"settled": int(settled), "on_time": int(on_time or 0), "days_late_total": int(late_total or 0)}


def customers_in_scope(scope: Scope | None) -> Customers:
    """The customers a scope covers, or None for every customer (then no query filters by customer)."""
    user = getattr(scope, "user", None)
    plain = Scope(scope.salesperson_id, scope.collector_id, scope.customer_id) if scope is not None else None
    return selectors.customers_filter(user=user, scope=plain)


RECOVERY_CODES = {"recovery_expected", "recovery_collected", "recovery_rate"}
DUNNING_CODES = {"overdue_at_start", "overdue_recovered", "dunning_success_rate"}


def kpi_values(*, start: date, end: date, scope: Scope | None = None,
               codes: list[str] | None = None) -> dict[str, KpiValue]:
    """Every KPI of the period ``start``..``end`` (both included) for the scope, keyed by code; with ``codes``
    only those (the queries of 回收率 and 催收成功率 then run only when one of their codes is asked for)."""
    values = _kpi_values(start=start, end=end, scope=scope, codes=set(codes) if codes else None)
    return values if not codes else {code: values[code] for code in codes}


def _kpi_values(*, start: date, end: date, scope: Scope | None, codes: set[str] | None) -> dict[str, KpiValue]:
    days = check_period(start, end)
    customers = customers_in_scope(scope)
    recovery = dunning = RateParts()
    if codes is None or codes & DUNNING_CODES:
        opening_split, closing, dunning = receivables_and_dunning(start, end, customers)
    else:
        opening_split, closing = receivables_splits((start - timedelta(days=1), end), customers)
    opening = opening_split["total"]
    months = countback_first_read(end, customers)
    # a calendar month (to ``end``): its credit sales are the countback's first month, read just now
    sales = months.get(start, 0) if start == month_start(end) else credit_sales(start, end, customers)
    collected = collections(start, end, customers)
    timeliness = payment_timeliness(start, end, customers)
    written_off, recovered = bad_debts(start, end, customers)
    if codes is None or codes & RECOVERY_CODES:
        recovery = recovery_parts(start=start, end=end, customers=customers).get(None, RateParts())

    dso = formulas.dso_standard(receivables=closing["total"], sales=sales, days=days)
    best = formulas.best_possible_dso(current_receivables=closing["current"], sales=sales, days=days)
    values: dict[str, Decimal | int | None] = {
        "receivables_opening": opening,
        "receivables_closing": closing["total"],
        "receivables_current": closing["current"],
        "receivables_overdue": closing["overdue"],
        "credit_sales": sales,
        "collections": collected,
        "recovery_expected": recovery.whole,
        "recovery_collected": recovery.part,
        "overdue_at_start": dunning.whole,
        "overdue_recovered": dunning.part,
        "dso": dso,
        "dso_countback": formulas.dso_countback(receivables=closing["total"],
                                                months=monthly_sales(end, customers, first_read=months)),
        "best_possible_dso": best,
        "add": formulas.average_days_delinquent(receivables=closing["total"], current_receivables=closing["current"],
                                                sales=sales, days=days),
        "cei": formulas.collection_effectiveness_index(opening=opening, sales=sales, closing=closing["total"],
                                                       closing_current=closing["current"]),
        "overdue_ratio": formulas.percent(closing["overdue"], closing["total"]),
        "at_risk_share": formulas.percent(closing["over_90"], closing["total"]),
        "over_365_share": formulas.percent(closing["over_365"], closing["total"]),
        "bad_debts_written_off": written_off,
        "bad_debts_recovered": recovered,
        "bad_debt_ratio": formulas.bad_debt_ratio(written_off=written_off, recovered=recovered, sales=sales),
        "receivables_turnover": formulas.receivables_turnover(sales=sales, opening=opening, closing=closing["total"]),
        "collection_rate": formulas.collection_rate(collections=collected, opening=opening, sales=sales),
        "recovery_rate": recovery.rate,
        "dunning_success_rate": dunning.rate,
        "on_time_rate": formulas.percent(timeliness["on_time"], timeliness["settled"]),
        "settled_count": timeliness["settled"],
        "average_days_late": formulas.average(timeliness["days_late_total"], timeliness["settled"]),
    }
    return {code: KpiValue(code, LABELS[code], values[code], UNITS[code]) for code in KPI_CODES}



def kpi_trend(*, months: int, end_month: date, scope: Scope | None = None,
              codes: list[str] | None = None) -> list[dict[str, Any]]:
    """The KPIs of each of ``months`` calendar months up to the month of ``end_month``, oldest first:
    ``[{"month": date(first day), "start": ..., "end": ..., "<code>": value, ...}]``."""
    if not 1 <= months <= 36:
        raise ValidationFailed(_("Between 1 and 36 months."), field="months")
    wanted = codes or KPI_CODES
    unknown = [code for code in wanted if code not in LABELS]
    if unknown:
        raise ValidationFailed(_("Unknown KPI %(code)s.") % {"code": unknown[0]}, field="codes")
    first = month_start(end_month)
    starts = [first]
    for _n in range(months - 1):
        starts.insert(0, month_start(starts[0] - timedelta(days=1)))
    result = []
    for start in starts:
        end = month_end(start)
        values = kpi_values(start=start, end=end, scope=scope, codes=wanted)
        result.append({"month": start, "start": start, "end": end,
                       **{code: values[code].value for code in wanted}})
    return result
