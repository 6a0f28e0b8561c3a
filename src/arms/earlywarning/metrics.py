"""The readings of each metric, for the whole book in one or a few aggregate queries per indicator.

A metric read per customer returns a ``Reading`` for each customer of the scope that has a value (a customer with
nothing to read, e.g. nothing overdue, has no reading and so does not cross); a metric read for the scope
returns one reading (subject ``"scope"``). The scope's customers go into SQL as a subquery, never as a list of
ids. The ratios are analytics' own (``arms.analytics.kpis``: ``receivables_split``, ``credit_sales``,
``bad_debts`` and the formulas of ``arms.domain.kpi``), so 坏账率 and DSO mean here what they mean on the
analytics pages; credit-limit utilisation is exposure's (``exposure_by_customer`` over the customers with a
limit, in chunks of ``CHUNK`` ids, converted to the limit's currency by ``convert_between``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, TypeVar

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from arms.analytics import kpis
from arms.analytics.selectors import filter_by_grade, open_items_as_of
from arms.cases.enums import PromiseStatus
from arms.cases.models import PromiseToPay
from arms.confirmations.enums import ConfirmationStatus
from arms.confirmations.models import Confirmation
from arms.credit.models import CreditProfile
from arms.credit.services.ratings import add_months
from arms.customers.models import Customer
from arms.domain import kpi as formulas
from arms.domain.earlywarning import (
    SCOPE_SUBJECT,
    Reading,
    customer_subject,
    drop_bp,
    rise,
    share_bp,
)
from arms.earlywarning.enums import Metric, ScopeKind
from arms.exposure.selectors import convert_between, exposure_by_customer
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from arms.earlywarning.models import Indicator

_M = TypeVar("_M", bound=Model)
CHUNK = 500
TOP = 10
YEAR_DAYS = 365
#: the period over which a DSO is taken (a month)
DSO_PERIOD_DAYS = 30



def scope_customers(indicator: Indicator) -> QuerySet[Customer] | None:
    """The customers the indicator watches; None for the whole company (the queries then filter nothing)."""
    qs = Customer.objects.all()
    if indicator.scope == ScopeKind.COLLECTOR:
        return qs.filter(collector_id=indicator.scope_user_id)
    if indicator.scope == ScopeKind.SALESPERSON:
        return qs.filter(salesperson_id=indicator.scope_user_id)
    if indicator.scope == ScopeKind.CUSTOMER:
        return qs.filter(pk=indicator.scope_customer_id or 0)
    if indicator.scope == ScopeKind.GRADE:
        return filter_by_grade(qs, indicator.scope_value)
    if indicator.scope == ScopeKind.REGION:
        return qs.filter(region=indicator.scope_value)
    if indicator.scope == ScopeKind.INDUSTRY:
        return qs.filter(industry=indicator.scope_value)
    return None


def _of(qs: QuerySet[_M], customers: QuerySet[Customer] | None, field: str = "customer__in") -> QuerySet[_M]:
    return qs if customers is None else qs.filter(**{field: customers})


def _bp(percent: Decimal | None) -> int | None:
    return None if percent is None else int((percent * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _days(value: Decimal | None) -> int | None:
    return None if value is None else int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _overdue_by_customer(as_of: date, customers: QuerySet[Customer] | None) -> Iterator[tuple[int, date, int, int]]:
    """(customer, oldest due date, overdue CNY fen, items) of every customer with something overdue on ``as_of``."""
    rows = (open_items_as_of(as_of, customers=customers).filter(due_date__lt=as_of).order_by()
            .values("customer_id").annotate(oldest=Min("due_date"), overdue=Sum("open_base_as_of"),
                                            items=Count("id"))
            .values_list("customer_id", "oldest", "overdue", "items"))
    yield from rows.iterator(chunk_size=2000)


def oldest_overdue_days(indicator: Indicator, as_of: date) -> list[Reading]:
    customers = scope_customers(indicator)
    return [Reading(customer_subject(pk), pk, (as_of - oldest).days,
                    {"oldest_due_date": oldest.isoformat(), "overdue_minor": overdue or 0, "items": items})
            for pk, oldest, overdue, items in _overdue_by_customer(as_of, customers)]


def overdue_amount(indicator: Indicator, as_of: date) -> list[Reading]:
    customers = scope_customers(indicator)
    return [Reading(customer_subject(pk), pk, overdue or 0,
                    {"oldest_due_date": oldest.isoformat(), "overdue_minor": overdue or 0, "items": items})
            for pk, oldest, overdue, items in _overdue_by_customer(as_of, customers)]


def overdue_ratio(indicator: Indicator, as_of: date) -> list[Reading]:
    split = kpis.receivables_split(as_of, scope_customers(indicator))
    value = _bp(formulas.percent(split["overdue"], split["total"]))
    return [Reading(SCOPE_SUBJECT, None, value,
                    {"overdue_minor": split["overdue"], "receivables_minor": split["total"]})]


def bad_debt_ratio(indicator: Indicator, as_of: date) -> list[Reading]:
    customers = scope_customers(indicator)
    start = add_months(as_of, -(indicator.window or 12)) + timedelta(days=1)
    written_off, recovered = kpis.bad_debts(start, as_of, customers)
    sales = kpis.credit_sales(start, as_of, customers)
    value = _bp(formulas.bad_debt_ratio(written_off=written_off, recovered=recovered, sales=sales))
    return [Reading(SCOPE_SUBJECT, None, value,
                    {"start": start.isoformat(), "end": as_of.isoformat(), "written_off_minor": written_off,
                     "recovered_minor": recovered, "credit_sales_minor": sales})]


def _dso(end: date, customers: QuerySet[Customer] | None) -> tuple[int | None, int, int]:
    start = end - timedelta(days=DSO_PERIOD_DAYS - 1)
    receivables = kpis.receivables_split(end, customers)["total"]
    sales = kpis.credit_sales(start, end, customers)
    return _days(formulas.dso_standard(receivables=receivables, sales=sales, days=DSO_PERIOD_DAYS)), receivables, sales


def dso_rise(indicator: Indicator, as_of: date) -> list[Reading]:
    customers = scope_customers(indicator)
    earlier_end = add_months(as_of, -(indicator.window or 3))
    now, receivables, sales = _dso(as_of, customers)
    before, receivables_before, sales_before = _dso(earlier_end, customers)
    return [Reading(SCOPE_SUBJECT, None, rise(now, before),
                    {"dso_now": now, "dso_before": before, "before_on": earlier_end.isoformat(),
                     "receivables_minor": receivables, "credit_sales_minor": sales,
                     "receivables_before_minor": receivables_before, "credit_sales_before_minor": sales_before})]


def _days_late(start: date, end: date, customers: QuerySet[Customer] | None) -> dict[int, tuple[int, int]]:
    """customer -> (invoices settled in the period, their total days late) — analytics' ``settled_in_period``."""
    late_by = ExpressionWrapper(F("settled_on") - F("due_date"), output_field=DurationField())
    rows = (kpis.settled_in_period(start, end, customers).annotate(late_by=late_by).order_by()
            .values("customer_id")
            .annotate(settled=Count("id"), late=Sum("late_by", filter=Q(settled_on__gt=F("due_date"))))
            .values_list("customer_id", "settled", "late"))
    return {pk: (settled, late.days if late else 0) for pk, settled, late in rows}


def _average(total: int, count: int) -> int | None:
    return _days(formulas.average(total, count))


def days_late_rising(indicator: Indicator, as_of: date) -> list[Reading]:
    customers = scope_customers(indicator)
    window = indicator.window or 90
    recent_start = as_of - timedelta(days=window - 1)
    before_end = recent_start - timedelta(days=1)
    recent = _days_late(recent_start, as_of, customers)
    before = _days_late(before_end - timedelta(days=window - 1), before_end, customers)
    readings = []
    for pk in sorted(recent.keys() & before.keys()):
        (n_now, late_now), (n_before, late_before) = recent[pk], before[pk]
        now, earlier = _average(late_now, n_now), _average(late_before, n_before)
        readings.append(Reading(customer_subject(pk), pk, rise(now, earlier),
                                {"average_days_late": now, "average_days_late_before": earlier,
                                 "settled": n_now, "settled_before": n_before, "window_days": window}))
    return readings


def volume_drop(indicator: Indicator, as_of: date) -> list[Reading]:
    customers = scope_customers(indicator)
    window = indicator.window or 90
    recent_start = as_of - timedelta(days=window - 1)
    year_start = recent_start - timedelta(days=YEAR_DAYS)
    rows = (_of(Invoice.objects.filter(issue_date__range=(year_start, as_of)), customers).order_by()
            .values("customer_id")
            .annotate(recent=Coalesce(Sum("gross_base_minor", filter=Q(issue_date__gte=recent_start)), Value(0)),
                      year=Coalesce(Sum("gross_base_minor", filter=Q(issue_date__lt=recent_start)), Value(0)))
            .filter(year__gt=0).values_list("customer_id", "recent", "year"))
    readings = []
    for pk, recent, year in rows.iterator(chunk_size=2000):
        baseline = year * window // YEAR_DAYS
        readings.append(Reading(customer_subject(pk), pk, drop_bp(recent, baseline),
                                {"invoiced_minor": recent, "expected_minor": baseline, "trailing_year_minor": year,
                                 "window_days": window}))
    return readings


def credit_utilisation(indicator: Indicator, as_of: date) -> list[Reading]:
    profiles = _of(CreditProfile.objects.filter(limit_minor__gt=0), scope_customers(indicator))
    limits = list(profiles.order_by("customer_id").values_list("customer_id", "limit_minor", "currency"))
    readings = []
    for start in range(0, len(limits), CHUNK):
        chunk = limits[start:start + CHUNK]
        exposure = exposure_by_customer([pk for pk, _limit, _currency in chunk], as_of=as_of)
        for pk, limit, currency in chunk:
            used = sum(convert_between(minor, source, currency, on=as_of)
                       for source, minor in exposure.get(pk, {}).items())
            readings.append(Reading(customer_subject(pk), pk, share_bp(used, limit or 0),
                                    {"exposure_minor": used, "limit_minor": limit, "currency": currency}))
    return readings


def broken_promises(indicator: Indicator, as_of: date) -> list[Reading]:
    start = as_of - timedelta(days=(indicator.window or 90) - 1)
    window = Q(closed_on__range=(start, as_of)) | Q(closed_on__isnull=True, promised_on__range=(start, as_of))
    rows = (_of(PromiseToPay.objects.filter(window, status=PromiseStatus.BROKEN), scope_customers(indicator))
            .order_by().values("customer_id").annotate(n=Count("id")).values_list("customer_id", "n"))
    return [Reading(customer_subject(pk), pk, n, {"broken": n, "since": start.isoformat()}) for pk, n in rows]


def _concentration(indicator: Indicator, as_of: date, top: int) -> list[Reading]:
    items = open_items_as_of(as_of, customers=scope_customers(indicator)).order_by()
    total = items.aggregate(total=Sum("open_base_as_of"))["total"] or 0
    largest = list(items.values("customer_id").annotate(base=Sum("open_base_as_of")).order_by("-base", "customer_id")
                   .values_list("customer_id", "base")[:top])
    part = sum(base or 0 for _pk, base in largest)
    return [Reading(SCOPE_SUBJECT, None, share_bp(part, total),
                    {"largest_minor": part, "receivables_minor": total, "customers": len(largest),
                     "largest_customer_ids": ",".join(str(pk) for pk, _base in largest)})]


def concentration_largest(indicator: Indicator, as_of: date) -> list[Reading]:
    return _concentration(indicator, as_of, 1)


def concentration_top10(indicator: Indicator, as_of: date) -> list[Reading]:
    return _concentration(indicator, as_of, TOP)


def external_facts(indicator: Indicator, as_of: date) -> list[Reading]:
    flagged = Q(dishonest_debtor=True) | Q(business_abnormal=True) | Q(lawsuits_count__gt=0)
    count = (Case(When(dishonest_debtor=True, then=Value(1)), default=Value(0), output_field=IntegerField())
             + Case(When(business_abnormal=True, then=Value(1)), default=Value(0), output_field=IntegerField())
             + Case(When(lawsuits_count__gt=0, then=Value(1)), default=Value(0), output_field=IntegerField()))
    rows = (_of(CreditProfile.objects.filter(flagged), scope_customers(indicator)).annotate(facts=count)
            .order_by("customer_id")
            .values_list("customer_id", "facts", "dishonest_debtor", "business_abnormal", "lawsuits_count",
                         "external_checked_on"))
    return [Reading(customer_subject(pk), pk, facts,
                    {"dishonest_debtor": int(bool(dishonest)), "business_abnormal": int(bool(abnormal)),
                     "lawsuits": lawsuits or 0, "checked_on": checked.isoformat() if checked else None})
            for pk, facts, dishonest, abnormal, lawsuits, checked in rows.iterator(chunk_size=2000)]


def confirmations_unanswered(indicator: Indicator, as_of: date) -> list[Reading]:
    days = indicator.window or 30
    cutoff = as_of - timedelta(days=days)
    rows = (_of(Confirmation.objects.filter(status=ConfirmationStatus.SENT, sent_at__date__lte=cutoff),
                scope_customers(indicator))
            .order_by().values("customer_id").annotate(n=Count("id")).values_list("customer_id", "n"))
    return [Reading(customer_subject(pk), pk, n, {"unanswered": n, "sent_before": cutoff.isoformat()})
            for pk, n in rows]


READERS: dict[str, Callable[[Indicator, date], list[Reading]]] = {
    Metric.OLDEST_OVERDUE_DAYS: oldest_overdue_days,
    Metric.OVERDUE_AMOUNT: overdue_amount,
    Metric.OVERDUE_RATIO: overdue_ratio,
    Metric.BAD_DEBT_RATIO: bad_debt_ratio,
    Metric.DSO_RISE: dso_rise,
    Metric.DAYS_LATE_RISING: days_late_rising,
    Metric.VOLUME_DROP: volume_drop,
    Metric.CREDIT_UTILISATION: credit_utilisation,
    Metric.BROKEN_PROMISES: broken_promises,
    Metric.CONCENTRATION_LARGEST: concentration_largest,
    Metric.CONCENTRATION_TOP10: concentration_top10,
    Metric.EXTERNAL_FACTS: external_facts,
    Metric.CONFIRMATIONS_UNANSWERED: confirmations_unanswered,
}


def readings(indicator: Indicator, as_of: date) -> list[Reading]:
    """Every reading of the indicator's metric on ``as_of``."""
    return READERS[indicator.metric](indicator, as_of)
