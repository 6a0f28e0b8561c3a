"""The cash-in forecast, computed (``forecast_compute``): what the open items, promises to pay and installment
plans bring in per week or month, by currency and in CNY.

How it is computed (docs/forecast.md says the same for users):

1. Every open item as of ``as_of`` comes from ``arms.prediction.selectors.open_item_outlook`` with its predicted
   payment dates P10/P50/P90 (a stress scenario may shift, rescale or drop it through ``transform``).
2. An open promise to pay (``PromiseStatus.OPEN``) and the unpaid installments of an active installment plan are
   placed on their dates. They *replace* the part of the customer's items they cover: the amount still to come is
   taken from the items it names (all the customer's items in its currency when it names none), oldest due date
   first, and never more than those items still hold — so nothing is counted twice and the forecast still sums to
   the open items. Installments are taken before promises. A date already past falls into the first bucket.
3. What is left of each item is spread over its distribution (``arms.domain.cashflow.spread_to_buckets``). Items
   with the same currency and dates are added up first and spread once (exact, and fast on a large book).
4. The band: the same book with every remaining item paid earlier by its P50 − P10 and later by its P90 − P50;
   per bucket the low is the smallest and the high the largest of the three (promises and installments keep their
   dates in all three).
5. New sales (optional, a separate line): the run-rate of the last three months' invoiced sales in CNY, invoiced
   evenly every day from ``as_of`` and collected after the book's usual lag (the average days from issue to
   payment of the items settled in the last year; the average terms when none). They are in ``expected_minor``
   but not in ``beyond_minor``, so buckets + beyond = open items holds without them.

CNY amounts are the items' own base amounts (stored at posting), split in proportion where only a part of an item
is taken (``proportional_part``): no second conversion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, DurationField, ExpressionWrapper, F, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from arms.cases.enums import PlanStatus, PromiseStatus
from arms.cases.models import InstallmentLine, InstallmentPlan, PromiseToPay
from arms.common.bounds import date_check
from arms.common.errors import NotFound, ValidationFailed
from arms.customers.models import Company
from arms.domain.cashflow import bucket_index, month_buckets, next_bucket_start, spread_to_buckets, week_buckets
from arms.domain.money import BASE_CURRENCY, proportional_part
from arms.forecast.models import Forecast, ForecastLine
from arms.ledger.models import Allocation, Invoice
from arms.prediction.selectors import Outlook, open_item_outlook

GRANULARITIES = ("week", "month")
DEFAULT_PERIODS = {"week": 13, "month": 12}
MAX_PERIODS = {"week": 52, "month": 24}
#: how many days of invoiced sales make the run-rate of new sales
RUN_RATE_DAYS = 91


@dataclass(frozen=True, slots=True)
class ForecastBucket:
    start: date
    end: date  # the bucket's last day (inclusive)
    label: str
    expected_minor: int  # CNY: open items + promises + plans + new sales
    low_minor: int
    high_minor: int
    by_currency: dict[str, int]  # invoice currency -> expected, in that currency (new sales not included)
    from_open_items_minor: int
    from_promises_minor: int
    from_plans_minor: int
    from_new_sales_minor: int


@dataclass(frozen=True, slots=True)
class ForecastResult:
    as_of: date
    granularity: str
    buckets: list[ForecastBucket]
    beyond_minor: int  # CNY expected after the last bucket
    open_minor: int  # CNY of the open items the forecast spreads (after `transform`)
    beyond_by_currency: dict[str, int] = field(default_factory=dict)
    open_by_currency: dict[str, int] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)  # outlook method -> number of items
    item_count: int = 0


def forecast_input_check(*, as_of: date, granularity: str, periods: int | None) -> int:
    """The number of periods, or a ValidationFailed naming the bad field."""
    if granularity not in GRANULARITIES:
        raise ValidationFailed(_("Choose weeks or months."), field="granularity")
    date_check(as_of, field="as_of")
    if periods is None:
        return DEFAULT_PERIODS[granularity]
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= MAX_PERIODS[granularity]:
        raise ValidationFailed(_("The number of periods must be between 1 and %(max)s.")
                               % {"max": MAX_PERIODS[granularity]}, field="periods")
    return periods


def bucket_label(start: date, granularity: str) -> str:
    if granularity == "week":
        return _("Week of %(date)s") % {"date": start.isoformat()}
    return _("%(year)s-%(month)02d") % {"year": start.year, "month": start.month}


@dataclass(slots=True)
class _Item:
    outlook: Outlook
    taken_minor: int = 0  # already covered by a plan or promise, invoice currency

    @property
    def left_minor(self) -> int:
        return self.outlook.open_minor - self.taken_minor

    def take(self, amount: int) -> tuple[int, int]:
        """Take up to ``amount`` (invoice currency); returns (taken, its CNY part)."""
        taken = min(amount, self.left_minor)
        if taken <= 0:
            return 0, 0
        o = self.outlook
        before = proportional_part(o.open_base_minor, o.open_minor, self.taken_minor)
        self.taken_minor += taken
        return taken, proportional_part(o.open_base_minor, o.open_minor, self.taken_minor) - before


@dataclass(frozen=True, slots=True)
class _Commitment:
    kind: str  # "plan" | "promise"
    customer_id: int
    currency: str
    amount_minor: int
    on: date
    invoice_ids: tuple[int, ...]


def _commitments(as_of: date) -> list[_Commitment]:
    """Unpaid installments of active plans, then open promises, in date order (bounded by what is open). As of a
    past day: those still open today that had been made (a plan started) by that day — the ledger keeps no history
    of a promise's payments, so what they still want is today's."""
    plan_invoices: dict[int, list[int]] = defaultdict(list)
    plan_links = InstallmentPlan.invoices.through.objects.filter(
        installmentplan__status=PlanStatus.ACTIVE, installmentplan__starts_on__lte=as_of)
    for plan_id, invoice_id in plan_links.values_list("installmentplan_id", "invoice_id"):
        plan_invoices[plan_id].append(invoice_id)
    promise_invoices: dict[int, list[int]] = defaultdict(list)
    promise_links = PromiseToPay.invoices.through.objects.filter(
        promisetopay__status=PromiseStatus.OPEN, promisetopay__made_on__lte=as_of)
    for promise_id, invoice_id in promise_links.values_list("promisetopay_id", "invoice_id"):
        promise_invoices[promise_id].append(invoice_id)
    out = [
        _Commitment("plan", row["plan__customer_id"], row["plan__currency"], row["left"], row["due_on"],
                    tuple(sorted(plan_invoices.get(row["plan_id"], ()))))
        for row in InstallmentLine.objects.filter(plan__status=PlanStatus.ACTIVE, plan__starts_on__lte=as_of,
                                                  paid_minor__lt=F("amount_minor"))
        .annotate(left=F("amount_minor") - F("paid_minor"))
        .values("plan_id", "plan__customer_id", "plan__currency", "left", "due_on").order_by("due_on", "id")
    ]
    out += [
        _Commitment("promise", row["customer_id"], row["currency"], row["amount_minor"] - row["paid_minor"],
                    row["promised_on"], tuple(sorted(promise_invoices.get(row["id"], ()))))
        for row in PromiseToPay.objects.filter(status=PromiseStatus.OPEN, made_on__lte=as_of,
                                               amount_minor__gt=F("paid_minor"))
        .values("id", "customer_id", "currency", "amount_minor", "paid_minor", "promised_on")
        .order_by("promised_on", "id")
    ]
    return out


def _new_sales_daily_and_lag(as_of: date) -> tuple[int, int]:
    """(CNY invoiced per day over the last RUN_RATE_DAYS, the usual days from issue to payment)."""
    start = as_of - timedelta(days=RUN_RATE_DAYS)
    recent = Invoice.objects.filter(issue_date__gt=start, issue_date__lte=as_of)
    sold = recent.aggregate(total=Sum("gross_base_minor"))["total"] or 0
    lag = Allocation.objects.filter(
        payment__isnull=False, amount_minor__gt=0, reverses__isnull=True,
        date__gt=as_of - timedelta(days=365), date__lte=as_of,
    ).aggregate(lag=Avg(ExpressionWrapper(F("date") - F("invoice__issue_date"), output_field=DurationField())))["lag"]
    if lag is None:
        lag = recent.aggregate(lag=Avg(ExpressionWrapper(F("due_date") - F("issue_date"),
                                                         output_field=DurationField())))["lag"]
    days = lag.days if isinstance(lag, timedelta) else 30
    return sold // RUN_RATE_DAYS, max(days, 0)


def forecast_compute(*, as_of: date, granularity: str = "week", periods: int | None = None,
                     transform: Callable[[Outlook], Outlook | None] | None = None,
                     include_new_sales: bool = False) -> ForecastResult:
    """The forecast of the whole book as of ``as_of`` (module docstring). ``transform`` maps each item's outlook
    to a changed one, or to None to drop it (a stress scenario); it runs before promises and plans are matched."""
    periods = forecast_input_check(as_of=as_of, granularity=granularity, periods=periods)
    starts = week_buckets(as_of, periods) if granularity == "week" else month_buckets(as_of, periods)
    end = next_bucket_start(starts[-1], granularity)
    parts = periods + 1
    commitments = _commitments(as_of)
    committed_customers = {c.customer_id for c in commitments}

    # (currency, p10, p50, p90) -> [open minor, open base minor]; items of customers with commitments held apart
    groups: dict[tuple[str, date, date, date], list[int]] = defaultdict(lambda: [0, 0])
    held: dict[int, list[_Item]] = defaultdict(list)
    methods: dict[str, int] = defaultdict(int)
    open_base = 0
    open_by_currency: dict[str, int] = defaultdict(int)
    for outlook in open_item_outlook(as_of=as_of):
        changed = transform(outlook) if transform is not None else outlook
        if changed is None or changed.open_minor <= 0:
            continue
        methods[changed.method] += 1
        open_base += changed.open_base_minor
        open_by_currency[changed.currency] += changed.open_minor
        if changed.customer_id in committed_customers:
            held[changed.customer_id].append(_Item(changed))
        else:
            group = groups[(changed.currency, changed.p10, changed.p50, changed.p90)]
            group[0] += changed.open_minor
            group[1] += changed.open_base_minor

    promises = [0] * parts
    plans = [0] * parts
    fixed_by_currency: dict[str, list[int]] = defaultdict(lambda: [0] * parts)
    for commitment in commitments:
        items = [i for i in held.get(commitment.customer_id, ()) if i.outlook.currency == commitment.currency
                 and (not commitment.invoice_ids or i.outlook.invoice_id in commitment.invoice_ids)]
        items.sort(key=lambda i: (i.outlook.due_date, i.outlook.invoice_id))
        wanted, index = commitment.amount_minor, bucket_index(commitment.on, starts, end)
        target = plans if commitment.kind == "plan" else promises
        for item in items:
            if wanted <= 0:
                break
            taken, taken_base = item.take(wanted)
            wanted -= taken
            target[index] += taken_base
            fixed_by_currency[commitment.currency][index] += taken
    for customer_items in held.values():
        for item in customer_items:
            if item.left_minor > 0:
                o = item.outlook
                group = groups[(o.currency, o.p10, o.p50, o.p90)]
                group[0] += item.left_minor
                group[1] += o.open_base_minor - proportional_part(o.open_base_minor, o.open_minor, item.taken_minor)

    central, early, late = [0] * parts, [0] * parts, [0] * parts
    by_currency: dict[str, list[int]] = defaultdict(lambda: [0] * parts)
    for (currency, p10, p50, p90), (amount, base) in groups.items():
        spreads = []
        for target_parts, shift in ((central, 0), (early, -(p50 - p10).days), (late, (p90 - p50).days)):
            delta = timedelta(days=shift)
            spreads.append(spread_to_buckets(base, p10=p10 + delta, p50=p50 + delta, p90=p90 + delta,
                                             bucket_starts=starts, end=end))
            for i, part in enumerate(spreads[-1]):
                target_parts[i] += part
        # a CNY item's amount is its base amount: its currency line is the central spread
        in_currency = spreads[0] if currency == BASE_CURRENCY and amount == base else spread_to_buckets(
            amount, p10=p10, p50=p50, p90=p90, bucket_starts=starts, end=end)
        for i, part in enumerate(in_currency):
            by_currency[currency][i] += part
    for currency, dated in fixed_by_currency.items():
        for i, part in enumerate(dated):
            by_currency[currency][i] += part

    new_sales = [0] * periods
    if include_new_sales:
        new_sales = _new_sales_spread(as_of, starts, end)

    buckets = []
    for i, start in enumerate(starts):
        fixed = promises[i] + plans[i]
        expected = central[i] + fixed + new_sales[i]
        scenarios = (central[i], early[i], late[i])
        buckets.append(ForecastBucket(
            start=start, end=(starts[i + 1] if i + 1 < periods else end) - timedelta(days=1),
            label=bucket_label(start, granularity), expected_minor=expected,
            low_minor=min(scenarios) + fixed + new_sales[i], high_minor=max(scenarios) + fixed + new_sales[i],
            by_currency={c: parts_[i] for c, parts_ in sorted(by_currency.items()) if parts_[i]},
            from_open_items_minor=central[i], from_promises_minor=promises[i], from_plans_minor=plans[i],
            from_new_sales_minor=new_sales[i]))
    return ForecastResult(
        as_of=as_of, granularity=granularity, buckets=buckets,
        beyond_minor=central[-1] + promises[-1] + plans[-1], open_minor=open_base,
        beyond_by_currency={c: p[-1] for c, p in sorted(by_currency.items()) if p[-1]},
        open_by_currency=dict(sorted(open_by_currency.items())), methods=dict(methods),
        item_count=sum(methods.values()))


def _new_sales_spread(as_of: date, starts: list[date], end: date) -> list[int]:
    """New sales invoiced evenly each day after ``as_of`` until ``end``, each collected ``lag`` days later: the
    CNY per bucket (what lands beyond the horizon is not shown)."""
    daily, lag = _new_sales_daily_and_lag(as_of)
    counts = [0] * len(starts)
    day = as_of + timedelta(days=1)
    while day < end:
        paid = day + timedelta(days=lag)
        if paid < end:
            counts[bucket_index(paid, starts, end)] += 1
        day += timedelta(days=1)
    return [daily * count for count in counts]


def forecast_totals(buckets: Iterable[ForecastBucket]) -> dict[str, int]:
    """The sums of a list of buckets, per column (for the tables' last row)."""
    totals: dict[str, int] = defaultdict(int)
    for bucket in buckets:
        for name in ("expected_minor", "low_minor", "high_minor", "from_open_items_minor", "from_promises_minor",
                     "from_plans_minor", "from_new_sales_minor"):
            totals[name] += getattr(bucket, name)
    return dict(totals)


# --- stored forecasts ---------------------------------------------------------------------------------------------

def forecast_list(*, company: Company, granularity: str = "") -> QuerySet[Forecast]:
    qs = Forecast.objects.filter(company=company).select_related("created_by").order_by("-as_of", "-id")
    return qs.filter(granularity=granularity) if granularity else qs


def forecast_get(*, company: Company, forecast_id: int) -> Forecast:
    found = Forecast.objects.filter(company=company, pk=forecast_id).select_related("created_by").first()
    if found is None:
        raise NotFound(_("No such forecast."), field="forecast_id")
    return found


def forecast_latest(*, company: Company, granularity: str = "week") -> Forecast | None:
    return forecast_list(company=company, granularity=granularity).first()


def forecast_lines(forecast: Forecast) -> QuerySet[ForecastLine]:
    """The bucket lines of a forecast (CNY totals), in bucket order."""
    return forecast.lines.filter(is_total=True).order_by("seq")


def forecast_currency_lines(forecast: Forecast) -> QuerySet[ForecastLine]:
    """The lines per invoice currency, in bucket order."""
    return forecast.lines.filter(is_total=False).order_by("currency", "seq")


def forecast_currencies(forecast: Forecast) -> list[dict[str, Any]]:
    """Per invoice currency: the expected cash-in in the horizon, in that currency."""
    rows = (forecast.lines.filter(is_total=False).order_by().values("currency")
            .annotate(total=Sum("expected_minor")).order_by("currency"))
    return [{"currency": row["currency"], "expected_minor": row["total"] or 0} for row in rows]


# --- accuracy ----------------------------------------------------------------------------------------------------

HORIZONS = {"week": (1, 4, 13), "month": (1, 3, 12)}
#: how many stored forecasts (the latest of each day) the accuracy looks at, newest first
ACCURACY_FORECASTS = 52


@dataclass(frozen=True, slots=True)
class AccuracyRow:
    forecast_id: int
    as_of: date
    horizon: int
    start: date
    end: date
    forecast_minor: int
    actual_minor: int

    @property
    def error_minor(self) -> int:
        return self.forecast_minor - self.actual_minor


@dataclass(frozen=True, slots=True)
class HorizonAccuracy:
    horizon: int
    count: int
    mae_minor: int  # mean absolute error, CNY fen
    bias_minor: int  # mean error (forecast − actual): positive = forecast too high
    wape_bp: int | None  # Σ|error| / Σ actual, basis points (None when nothing came)
    forecast_minor: int
    actual_minor: int


@dataclass(frozen=True, slots=True)
class AccuracyReport:
    granularity: str
    today: date
    horizons: list[HorizonAccuracy]
    rows: list[AccuracyRow]


def applied_cash_filter(*, start: date, end: date, issued_by: date | None) -> Q:
    """Cash applied to receivables in ``start .. end``: payment allocations (reversals netted), of invoices issued
    on or before ``issued_by`` when given (a forecast of open items is compared with the cash those items
    brought, not with cash for sales made later). Credit notes and write-offs move no cash."""
    condition = Q(date__gte=start, date__lte=end)
    return condition & Q(invoice__issue_date__lte=issued_by) if issued_by is not None else condition


def forecast_accuracy(*, company: Company, today: date, granularity: str = "week") -> AccuracyReport:
    """Each stored forecast's buckets at the horizons (week 1, 4, 13; month 1, 3, 12) that have ended before
    ``today``, beside the cash actually applied in them (CNY, ``applied_cash_filter``): the last
    ACCURACY_FORECASTS days with a forecast, the latest forecast of each day. Two queries whatever the number."""
    if granularity not in GRANULARITIES:
        raise ValidationFailed(_("Choose weeks or months."), field="granularity")
    horizons = HORIZONS[granularity]
    latest_ids = list(
        Forecast.objects.filter(company=company, granularity=granularity, as_of__lt=today).order_by()
        .values("as_of").annotate(last=Max("id")).order_by("-as_of").values_list("last", flat=True)
        [:ACCURACY_FORECASTS])
    lines = list(ForecastLine.objects.filter(forecast_id__in=latest_ids, is_total=True,
                                             seq__in=[h - 1 for h in horizons], end__lt=today)
             .order_by("-forecast__as_of", "seq")
             .values("forecast_id", "forecast__as_of", "forecast__include_new_sales", "seq", "start", "end",
                     "expected_minor"))
    sums = {}
    for index, line in enumerate(lines):
        as_of = line["forecast__as_of"]
        window = applied_cash_filter(start=max(line["start"], as_of + timedelta(days=1)), end=line["end"],
                                     issued_by=None if line["forecast__include_new_sales"] else as_of)
        sums[f"a{index}"] = Sum("receivable_base_minor", filter=window)
    actual = (Allocation.objects.filter(company=company, payment__isnull=False).aggregate(**sums)
              if sums else {})
    rows = [AccuracyRow(forecast_id=line["forecast_id"], as_of=line["forecast__as_of"], horizon=line["seq"] + 1,
                        start=line["start"], end=line["end"], forecast_minor=line["expected_minor"],
                        actual_minor=actual.get(f"a{index}") or 0) for index, line in enumerate(lines)]
    summary = []
    for horizon in horizons:
        of = [row for row in rows if row.horizon == horizon]
        absolute = sum(abs(row.error_minor) for row in of)
        came = sum(row.actual_minor for row in of)
        summary.append(HorizonAccuracy(
            horizon=horizon, count=len(of), mae_minor=absolute // len(of) if of else 0,
            bias_minor=sum(row.error_minor for row in of) // len(of) if of else 0,
            wape_bp=absolute * 10000 // came if came > 0 else None,
            forecast_minor=sum(row.forecast_minor for row in of), actual_minor=came))
    return AccuracyReport(granularity=granularity, today=today, horizons=summary, rows=rows)
