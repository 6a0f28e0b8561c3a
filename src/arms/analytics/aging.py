"""账龄分析: the aging of receivables as of any day, summarised by a dimension, with a drill-down to invoices.

``aging_report`` is one aggregate query over the open items of that day (``selectors.open_items_as_of``):
the bucket is a ``CASE`` on the due date (or invoice date) against cut-off dates computed in Python, so SQLite
and PostgreSQL bucket identically without date arithmetic in SQL. Amounts are per currency (never CNY and
USD added together) and, beside them, in CNY at the documents' own rates (``*_base``).

Disputed amounts (open disputes on that day, from ``arms.cases``) are shown apart: a row's buckets hold the
undisputed part of its open items by age, ``disputed`` the rest, and ``total = Σ buckets + disputed`` is the
ledger's open amount on that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.analytics import selectors
from arms.analytics.selectors import UNRATED, Scope
from arms.cases.selectors import disputed_open_minor
from arms.common.errors import ValidationFailed
from arms.customers.enums import Industry, Region
from arms.customers.models import Customer
from arms.domain import aging as domain
from arms.domain.money import BASE_CURRENCY, proportional_part
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from arms.common.typing import Viewer

#: bucket bounds as callers give them: a list of days, a "30,60,90" string, or None for the default.
BucketBounds: TypeAlias = "Sequence[int] | str | None"
#: what a group's column holds: a customer's or person's id, a region, industry, grade or currency code.
GroupValue: TypeAlias = "int | str | None"

GROUP_BY = ("customer", "salesperson", "collector", "region", "industry", "grade", "currency")


@dataclass(frozen=True)
class AgingFilters:
    customer_id: int | None = None
    salesperson_id: int | None = None
    collector_id: int | None = None
    region: str = ""
    industry: str = ""
    grade: str = ""
    currency: str = ""


@dataclass
class AgingRow:
    """One group in one currency. ``buckets[i]`` is the undisputed open amount in bucket i (minor units)."""

    key: str
    label: str
    currency: str
    buckets: list[int]
    base_buckets: list[int]
    disputed_minor: int = 0
    base_disputed_minor: int = 0
    count: int = 0

    @property
    def total_minor(self) -> int:
        return sum(self.buckets) + self.disputed_minor

    @property
    def base_total_minor(self) -> int:
        return sum(self.base_buckets) + self.base_disputed_minor

    @property
    def overdue_minor(self) -> int:
        """Undisputed and past due (by due date: every bucket but "not yet due")."""
        return sum(self.buckets[1:]) if self.buckets else 0


@dataclass
class AgingReport:
    as_of: date
    basis: str
    group_by: str
    buckets: list[domain.Bucket]
    rows: list[AgingRow] = field(default_factory=list)
    totals: list[AgingRow] = field(default_factory=list)  # one per currency
    base_total: AgingRow | None = None  # every currency in CNY

    @property
    def bucket_keys(self) -> list[str]:
        return [b.key for b in self.buckets]


def bucket_label(bucket: domain.Bucket) -> str:
    if bucket.key == "current":
        return _("Not yet due")
    if bucket.high is None and bucket.low is not None:
        if bucket.low and bucket.low > 365 and (bucket.low - 1) % 365 == 0:
            return _("Over %(years)s years") % {"years": (bucket.low - 1) // 365}
        return _("Over %(days)s days") % {"days": bucket.low - 1}
    if bucket.low == 366 and bucket.high == 730:
        return _("1-2 years")
    return _("%(low)s-%(high)s days") % {"low": bucket.low, "high": bucket.high}


def bucket_message(error: domain.BucketError) -> str:
    """Why the bucket bounds were refused, in the active language."""
    texts = {
        domain.BucketError.NOT_LIST: _("'%(text)s' is not a list of whole days like 30,60,90"),
        domain.BucketError.EMPTY: _("Give at least one bucket bound."),
        domain.BucketError.TOO_MANY: _("At most %(most)s bucket bounds."),
        domain.BucketError.NOT_WHOLE: _("Bucket bounds are whole days."),
        domain.BucketError.OUT_OF_RANGE: _("Bucket bounds must be between 1 and %(most)s days."),
        domain.BucketError.NOT_RISING: _("Bucket bounds must rise, as in 30,60,90."),
    }
    return texts[error.code] % error.params


def resolve_buckets(*, basis: str, buckets: BucketBounds) -> list[domain.Bucket]:
    """Bucket list from bounds given as a list, a "30,60,90" string or None (the default)."""
    try:
        aging_basis = domain.AgingBasis(basis)
    except ValueError:
        raise ValidationFailed(_("The basis is 'due' or 'invoice'."), field="basis") from None
    try:
        bounds = domain.parse_bounds(buckets) if buckets is None or isinstance(buckets, str) else \
            domain.check_bounds(buckets)
    except domain.BucketError as exc:
        raise ValidationFailed(bucket_message(exc), field="buckets") from None
    return domain.buckets(bounds, aging_basis)


def _bucket_expression(*, as_of: date, basis: str, bucket_list: list[domain.Bucket]) -> Case:
    reference = "due_date" if basis == domain.AgingBasis.DUE else "issue_date"
    cutoffs = domain.cutoff_dates(as_of, bucket_list)
    whens = [When(**{f"{reference}__gte": cutoff}, then=Value(index))
             for index, cutoff in enumerate(cutoffs) if cutoff is not None]
    return Case(*whens, default=Value(len(bucket_list) - 1), output_field=IntegerField())


def _group_field(group_by: str) -> str:
    if group_by == "customer":
        return "customer_id"
    if group_by in ("salesperson", "collector"):
        return f"customer__{group_by}_id"
    if group_by in ("region", "industry"):
        return f"customer__{group_by}"
    if group_by == "grade":
        field = selectors.grade_field()
        return f"customer__{field}" if field else ""
    return "currency"


def aging_items(*, as_of: date, basis: str = "due", buckets: BucketBounds = None,
                filters: AgingFilters | None = None, user: Viewer | None = None) -> QuerySet[Invoice]:
    """The open items of ``as_of`` behind a report, annotated ``open_as_of``, ``open_base_as_of`` and
    ``bucket`` (index into the report's buckets): the drill-down."""
    bucket_list = resolve_buckets(basis=basis, buckets=buckets)
    filters = filters or AgingFilters()
    customers = selectors.customers_filter(
        user=user, scope=Scope(filters.salesperson_id, filters.collector_id, filters.customer_id),
        region=filters.region, industry=filters.industry, grade=filters.grade,
    )
    qs = selectors.open_items_as_of(as_of, customers=customers)
    if filters.currency:
        qs = qs.filter(currency=filters.currency)
    return qs.annotate(bucket=_bucket_expression(as_of=as_of, basis=basis, bucket_list=bucket_list))


def aging_invoices(*, as_of: date, basis: str = "due", buckets: BucketBounds = None,
                   filters: AgingFilters | None = None, user: Viewer | None = None, group_by: str = "", key: str = "",
                   bucket: int | None = None) -> QuerySet[Invoice]:
    """Drill-down: the open items of one group (``group_by`` = ``key``) and optionally one bucket, oldest first."""
    qs = aging_items(as_of=as_of, basis=basis, buckets=buckets, filters=filters, user=user)
    if group_by:
        if group_by not in GROUP_BY:
            raise ValidationFailed(_("Unknown grouping."), field="group_by")
        qs = _filter_group(qs, group_by, key)
    if bucket is not None:
        qs = qs.filter(Q(bucket=bucket))  # a Q: the stubs see Invoice's fields, not aging_items' annotation
    return qs.select_related("customer").order_by("due_date" if basis == "due" else "issue_date", "id")


def _filter_group(qs: QuerySet[Invoice], group_by: str, key: str) -> QuerySet[Invoice]:
    field = _group_field(group_by)
    if group_by == "grade":
        if key == UNRATED:
            return qs.filter(customer__in=selectors.filter_by_grade(Customer.objects.all(), UNRATED))
        return qs.filter(**{field: key}) if field else qs.none()
    if group_by in ("customer", "salesperson", "collector"):
        if key in ("", "none"):
            return qs.filter(**{f"{field}__isnull": True})
        try:
            return qs.filter(**{field: int(key)})
        except ValueError:
            raise ValidationFailed(_("The group key is a number."), field="key") from None
    return qs.filter(**{field: key})


def _labels(group_by: str, keys: set[GroupValue]) -> dict[GroupValue, str]:
    keys = {k for k in keys if k not in (None, "")}
    if group_by == "customer":
        return {c.pk: f"{c.code} {c.name}" for c in Customer.objects.filter(pk__in=keys)}
    if group_by in ("salesperson", "collector"):
        return {u.pk: person_name(u) for u in get_user_model().objects.filter(pk__in=keys)}
    if group_by == "region":
        return {k: str(Region(str(k)).label) if k in Region.values else str(k) for k in keys}
    if group_by == "industry":
        return {k: str(Industry(str(k)).label) if k in Industry.values else str(k) for k in keys}
    return {k: str(k) for k in keys}


def _key(group_by: str, value: GroupValue) -> str:
    if group_by == "grade":
        return str(value or UNRATED)
    if value is None:
        return "none"
    return str(value)


def _label(group_by: str, key: str, labels: dict[GroupValue, str], value: GroupValue) -> str:
    if group_by == "grade":
        return _("Unrated") if key == UNRATED else key
    if key == "none":
        return _("(unassigned)")
    return labels.get(value, key)


def disputed_by_invoice(as_of: date) -> dict[int, int]:
    """Open disputed amounts per invoice on ``as_of`` from the cases app."""
    result: dict[int, int] = defaultdict(int)
    for invoice_id, amount in disputed_open_minor(as_of=as_of):
        result[invoice_id] += amount or 0
    return dict(result)


def aging_report(*, as_of: date, basis: str = "due", buckets: BucketBounds = None, group_by: str = "customer",
                 filters: AgingFilters | None = None, user: Viewer | None = None) -> AgingReport:
    """The aging table of ``as_of``: per group and currency, the open amount in each bucket.

    ``user`` limits it to the customers that user may see (sales: their own); None for everyone.
    """
    if group_by not in GROUP_BY:
        raise ValidationFailed(_("Group by one of: %(names)s.") % {"names": ", ".join(GROUP_BY)}, field="group_by")
    with selectors.analytic_queries():
        return _aging_report(as_of=as_of, basis=basis, buckets=buckets, group_by=group_by, filters=filters,
                             user=user)


def _aging_report(*, as_of: date, basis: str, buckets: BucketBounds, group_by: str, filters: AgingFilters | None,
                  user: Viewer | None) -> AgingReport:
    bucket_list = resolve_buckets(basis=basis, buckets=buckets)
    items = aging_items(as_of=as_of, basis=basis, buckets=buckets, filters=filters, user=user)
    field_name = _group_field(group_by)
    size = len(bucket_list)
    group_values = [field_name] if field_name and group_by != "currency" else []

    rows: dict[tuple[str, str], AgingRow] = {}
    raw_values: dict[str, GroupValue] = {}

    def row_for(value: GroupValue, currency: str) -> AgingRow:
        if group_by == "currency":
            value = currency
        key = _key(group_by, value)
        raw_values[key] = value
        row = rows.get((key, currency))
        if row is None:
            row = rows[(key, currency)] = AgingRow(key=key, label="", currency=currency, buckets=[0] * size,
                                                   base_buckets=[0] * size)
        return row

    for record in (items.order_by().values(*group_values, "currency", "bucket")
                   .annotate(amount=Sum("open_as_of"), base=Sum("open_base_as_of"), n=Count("id"))):
        row = row_for(record[field_name] if group_values else None, record["currency"])
        row.buckets[record["bucket"]] += record["amount"]
        row.base_buckets[record["bucket"]] += record["base"]
        row.count += record["n"]

    disputed = disputed_by_invoice(as_of)
    if disputed:
        for record in items.filter(pk__in=list(disputed)).order_by().values(
            "pk", *group_values, "currency", "bucket", "open_as_of", "open_base_as_of"
        ):
            row = row_for(record[field_name] if group_values else None, record["currency"])
            part = min(disputed[record["pk"]], record["open_as_of"])
            base_part = proportional_part(record["open_base_as_of"], record["open_as_of"], part)
            row.buckets[record["bucket"]] -= part
            row.base_buckets[record["bucket"]] -= base_part
            row.disputed_minor += part
            row.base_disputed_minor += base_part

    labels = _labels(group_by, set(raw_values.values()))
    for row in rows.values():
        row.label = _label(group_by, row.key, labels, raw_values[row.key])
    report = AgingReport(as_of=as_of, basis=str(basis), group_by=group_by, buckets=bucket_list)
    report.rows = sorted(rows.values(), key=lambda r: (r.currency != BASE_CURRENCY, r.currency, -r.total_minor,
                                                       r.label))
    report.totals, report.base_total = _totals(report.rows, size)
    return report


def _totals(rows: list[AgingRow], size: int) -> tuple[list[AgingRow], AgingRow]:
    by_currency: dict[str, AgingRow] = {}
    base = AgingRow(key="total", label=_("Total (CNY)"), currency=BASE_CURRENCY, buckets=[0] * size,
                    base_buckets=[0] * size)
    for row in rows:
        total = by_currency.setdefault(row.currency, AgingRow(
            key="total", label=_("Total"), currency=row.currency, buckets=[0] * size, base_buckets=[0] * size))
        for index in range(size):
            total.buckets[index] += row.buckets[index]
            total.base_buckets[index] += row.base_buckets[index]
            base.buckets[index] += row.base_buckets[index]
            base.base_buckets[index] += row.base_buckets[index]
        total.disputed_minor += row.disputed_minor
        total.base_disputed_minor += row.base_disputed_minor
        total.count += row.count
        base.disputed_minor += row.base_disputed_minor
        base.base_disputed_minor += row.base_disputed_minor
        base.count += row.count
    ordered = sorted(by_currency.values(), key=lambda r: (r.currency != BASE_CURRENCY, r.currency))
    return ordered, base
