"""账龄分析: the aging of receivables as of any day, summarised by a dimension, with a drill-down to invoices.

``aging_report`` aggregates the open items of that day (``selectors.open_items_as_of``) in SQL, a page of
groups at a time (``AgingRows``), the totals apart:
the bucket is a ``CASE`` on the due date (or invoice date) against cut-off dates computed in Python, so SQLite
and PostgreSQL bucket identically without date arithmetic in SQL. Amounts are per currency (never CNY and
USD added together) and, beside them, in CNY at the documents' own rates (``*_base``).

Disputed amounts (open disputes on that day, from ``arms.cases``) are shown apart: a row's buckets hold the
undisputed part of its open items by age, ``disputed`` the rest, and ``total = Σ buckets + disputed`` is the
ledger's open amount on that day.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeAlias, overload

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.analytics import selectors
from arms.analytics.recovery import fenced
from arms.analytics.selectors import UNRATED, Scope
from arms.cases.selectors import disputed_open_minor, disputes_open_on
from arms.common.errors import ValidationFailed
from arms.customers.enums import Industry, Region
from arms.customers.models import Customer
from arms.domain import aging as domain
from arms.domain.money import BASE_CURRENCY, proportional_part
from arms.ledger.balances import open_items_from_index, open_items_index_only
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from arms.common.typing import Viewer

#: bucket bounds as callers give them: a list of days, a "30,60,90" string, or None for the default.
BucketBounds: TypeAlias = "Sequence[int] | str | None"
#: what a group's column holds: a customer's or person's id, a region, industry, grade or currency code.
GroupValue: TypeAlias = "int | str | None"

GROUP_BY = ("customer", "salesperson", "collector", "region", "industry", "grade", "currency")
#: the groupings with few groups (people, codes, currencies): their rows are read whole, once, with the totals
FEW_GROUPS = frozenset(GROUP_BY) - {"customer"}


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
    rows: Sequence[AgingRow] = field(default_factory=list)  # an AgingRows: read a page at a time
    totals: list[AgingRow] = field(default_factory=list)  # one per currency
    base_total: AgingRow | None = None  # every currency in CNY
    #: the totals were not read (``aging_report(totals=False)``): whoever streams every row sums them (RunningTotals)
    totals_from_rows: bool = False

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
    """Labels of the distinct group values (a page's or a chunk's, never one lookup per row). Customers carry
    their labels in the grouped query itself."""
    keys = {k for k in keys if k not in (None, "")}
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
                 filters: AgingFilters | None = None, user: Viewer | None = None, totals: bool = True) -> AgingReport:
    """The aging table of ``as_of``: per group and currency, the open amount in each bucket.

    ``user`` limits it to the customers that user may see (sales: their own); None for everyone.

    The totals are computed at once (one aggregate per currency); ``rows`` is an ``AgingRows``, read from the
    database a slice at a time: ``report.rows[0:50]`` is one grouped query with ``LIMIT 50`` (the pages of the
    web page and the API), iterating it streams every group in chunks (the export).

    ``totals=False`` is for a caller that streams every row anyway (the export): the totals are not read up front
    (by customer a second pass over the open items) but summed from the rows as they go by (``RunningTotals``);
    ``report.totals`` stays empty and ``report.totals_from_rows`` says so.
    """
    if group_by not in GROUP_BY:
        raise ValidationFailed(_("Group by one of: %(names)s.") % {"names": ", ".join(GROUP_BY)}, field="group_by")
    bucket_list = resolve_buckets(basis=basis, buckets=buckets)
    items = aging_items(as_of=as_of, basis=basis, buckets=buckets, filters=filters, user=user)
    report = AgingReport(as_of=as_of, basis=str(basis), group_by=group_by, buckets=bucket_list)
    rows = AgingRows(items=items, as_of=as_of, group_by=group_by, size=len(bucket_list))
    if totals:
        report.totals, report.base_total = _totals(rows.totals(), len(bucket_list))
    else:
        report.totals_from_rows = True
    report.rows = rows
    return report


def _group_expression(group_by: str) -> Expression | F:
    """The group of an open item as one SQL value: the id, code or currency; a grade with "no profile" and
    "no grade" folded into ``UNRATED`` (they are one group)."""
    if group_by == "grade":
        field_name = selectors.grade_field()
        if not field_name:
            return Value(UNRATED, output_field=CharField())
        return Coalesce(NullIf(F(f"customer__{field_name}"), Value("")), Value(UNRATED), output_field=CharField())
    return F(_group_field(group_by))


class AgingRows(Sequence[AgingRow]):
    """The rows of an aging report, ordered as the page shows them (CNY first, then by currency; the largest
    total first; then by customer code or group key), computed in SQL: one grouped query per slice, no model
    instance per item or group, labels resolved once per distinct value. ``len()`` is one ``COUNT`` over the
    groups. Disputed parts (few) are read once, through a join on the disputes open that day."""

    CHUNK = 2000
    #: rows read with the totals (by customer): the largest page size of the web page and the API
    HEAD = 100

    def __init__(self, *, items: QuerySet[Invoice], as_of: date, group_by: str, size: int) -> None:
        self.items = items
        self.as_of = as_of
        self.group_by = group_by
        self.size = size
        self._count: int | None = None
        self._disputed: dict[tuple[GroupValue, str], tuple[list[int], list[int]]] | None = None
        self._labels: dict[GroupValue, str] = {}
        self._all: list[AgingRow] | None = None
        self._head: list[AgingRow] = []

    # -- the queries
    def _facts(self) -> tuple[str, tuple[Any, ...]]:
        """One row per open item with its group, currency, bucket and open amounts, each worked out once (the
        bucket ``CASE`` and, on a past day, the allocations since): fenced with ``OFFSET 0`` so that neither
        database folds it into the sums above it, which would repeat those expressions in every bucket's sum."""
        qs = (self.items.order_by().annotate(grp=_group_expression(self.group_by), f_cur=F("currency"))
              .values("grp", "f_cur", "bucket", "open_as_of", "open_base_as_of"))
        return fenced(qs)

    def _pivot(self, count: str = "n") -> str:
        """The columns of rows already summed by bucket (``bucket``, ``s`` and ``sb``: a group's open amount
        and CNY amount in that bucket): the count, the total, then per bucket its sum and its CNY sum. Each is cast
        to BIGINT: PostgreSQL sums bigints into NUMERIC, which the driver turns into a Decimal per value (18 per row
        of a by-customer export) and sorts more slowly; the sums of minor units fit a BIGINT by far."""
        return f"CAST(SUM({count}) AS BIGINT) AS n, CAST(SUM(s) AS BIGINT) AS total" + "".join(
            f", CAST(SUM(CASE WHEN bucket = {i} THEN s ELSE 0 END) AS BIGINT) AS b{i}"
            f", CAST(SUM(CASE WHEN bucket = {i} THEN sb ELSE 0 END) AS BIGINT) AS bb{i}" for i in range(self.size))

    def _grouped(self, *, limit: int | None = None, offset: int = 0) -> tuple[str, tuple[Any, ...]]:
        """The groups in the page's order (see the class), one row each: group, currency, code, name (by
        customer; empty otherwise), count, then per bucket its sum and its CNY sum. By customer the code and name
        are joined to the grouped rows, not to every item."""
        grouped, params = self._group_sums()
        sql, params = self._ordered("g", limit=limit, offset=offset, params=params)
        return f"WITH g AS ({grouped}) {sql}", params

    def _group_sums(self) -> tuple[str, tuple[Any, ...]]:
        """One row per group and currency with the count, the total and each bucket's two sums.

        By customer (many groups) the items are summed straight into their group, each bucket's sums through an
        aggregate ``FILTER`` (an item adds to its own bucket's sums only; both databases have it): at 1M invoices
        this took 1.4-1.8 s where summing by bucket first and spreading the 186,644 rows over the columns took
        2.1-2.6 s. With few groups the items are summed by group, currency and bucket first (a small hash table)
        and then spread, which was the faster of the two by region (docs/benchmarks.md)."""
        facts, params = self._facts()
        if self.group_by in FEW_GROUPS:
            return (f"SELECT grp, f_cur, {self._pivot()} FROM (SELECT grp, f_cur, bucket, COUNT(*) AS n, "
                    f"SUM(open_as_of) AS s, SUM(open_base_as_of) AS sb FROM ({facts}) facts "
                    f"GROUP BY grp, f_cur, bucket) by_bucket GROUP BY grp, f_cur"), params
        sums = "".join(
            f", CAST(COALESCE(SUM(open_as_of) FILTER (WHERE bucket = {i}), 0) AS BIGINT) AS b{i}"
            f", CAST(COALESCE(SUM(open_base_as_of) FILTER (WHERE bucket = {i}), 0) AS BIGINT) AS bb{i}"
            for i in range(self.size))
        return (f"SELECT grp, f_cur, COUNT(*) AS n, CAST(SUM(open_as_of) AS BIGINT) AS total{sums} "
                f"FROM ({facts}) facts GROUP BY grp, f_cur"), params

    def _ordered(self, source: str, *, limit: int | None, offset: int, params: tuple[Any, ...],
                 extra: str = "", order_only: bool = False) -> tuple[str, tuple[Any, ...]]:
        """The grouped rows of ``source`` (alias g) in the page's order, labelled; with ``order_only`` just
        the ORDER BY clause (customers aliased c)."""
        sums = "".join(f", g.total, g.b{i}, g.bb{i}" if i == 0 else f", g.b{i}, g.bb{i}" for i in range(self.size))
        if self.group_by == "customer":
            table = connection.ops.quote_name(Customer._meta.db_table)
            labels, join, order = "c.code, c.name", f" LEFT JOIN {table} c ON c.id = g.grp", ", c.code, c.name"
        else:
            labels, join, order = "'', ''", "", ""
        order_by = f"ORDER BY CASE WHEN g.f_cur = %s THEN 0 ELSE 1 END, g.f_cur, g.total DESC{order}, g.grp"
        params = (*params, BASE_CURRENCY)
        if order_only:
            return order_by, params
        sql = f"SELECT {extra}g.grp, g.f_cur, {labels}, g.n{sums} FROM {source} g{join} {order_by}"
        if limit is not None or offset:
            sql += " LIMIT %s OFFSET %s"
            params = (*params, -1 if limit is None and connection.vendor == "sqlite" else limit, offset)
        return sql, params

    def _fetch(self, *, limit: int | None = None, offset: int = 0) -> list[tuple[Any, ...]]:
        sql, params = self._grouped(limit=limit, offset=offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            records: list[tuple[Any, ...]] = cursor.fetchall()
            return records

    def totals(self) -> list[AgingRow]:
        """What the report's totals are summed from. With few groups (every grouping but by customer) that is
        every row, read once here and kept for the pages: the page and the totals are one pass over the items.
        By customer it is ``currency_totals`` (one aggregate per currency, no row per customer held)."""
        if self.group_by not in FEW_GROUPS:
            return self.currency_totals()
        self._all = self._rows(self._fetch())
        self._count = len(self._all)
        return self._all

    def currency_totals(self) -> list[AgingRow]:
        """One row per currency over every group, disputed parts set apart, in one statement with the first
        ``HEAD`` rows (the first page of any size the web page or the API asks for). The items are read once
        (a common table expression read three times): ranked by group on their count and total alone, the
        bucket sums worked out for the head's groups only, the totals summed by currency and bucket. The same
        statement counts the groups, so ``len()`` needs no query of its own."""
        facts, params = self._facts()
        table = connection.ops.quote_name(Customer._meta.db_table)
        order = "CASE WHEN {g}.f_cur = %s THEN 0 ELSE 1 END, {g}.f_cur, {g}.total DESC, {c}.code, {c}.name, {g}.grp"
        sql = (
            f"WITH facts AS {self._facts_kept()}({facts}), "
            "g AS (SELECT grp, f_cur, COUNT(*) AS n, SUM(open_as_of) AS total FROM facts GROUP BY grp, f_cur), "
            # the first rows by a top-N sort, then numbered: numbering every group would sort them all by name
            "first_rows AS (SELECT g.grp, g.f_cur, g.total, c.code, c.name, g.n "
            f"FROM g LEFT JOIN {table} c ON c.id = g.grp ORDER BY {order.format(g='g', c='c')} "
            f"LIMIT {int(self.HEAD)}), "
            f"head AS (SELECT f.*, ROW_NUMBER() OVER (ORDER BY {order.format(g='f', c='f')}) AS pos "
            "FROM first_rows f), "
            "by_bucket AS (SELECT head.pos, bucket, COUNT(*) AS n, SUM(open_as_of) AS s, SUM(open_base_as_of) AS sb "
            "FROM head JOIN facts ON facts.grp = head.grp AND facts.f_cur = head.f_cur GROUP BY head.pos, bucket), "
            "t AS (SELECT f_cur, bucket, COUNT(*) AS n, SUM(open_as_of) AS s, SUM(open_base_as_of) AS sb "
            "FROM facts GROUP BY f_cur, bucket) "
            f"SELECT head.pos, NULL, head.grp, head.f_cur, head.code, head.name, {self._pivot('by_bucket.n')} "
            "FROM head JOIN by_bucket ON by_bucket.pos = head.pos "
            "GROUP BY head.pos, head.grp, head.f_cur, head.code, head.name "
            f"UNION ALL SELECT NULL, (SELECT COUNT(*) FROM g WHERE g.f_cur = t.f_cur), NULL, t.f_cur, NULL, NULL, "
            f"{self._pivot()} FROM t GROUP BY t.f_cur")
        with connection.cursor() as cursor:
            cursor.execute(sql, (*params, BASE_CURRENCY, BASE_CURRENCY))
            records = cursor.fetchall()
        head = sorted((values for values in records if values[0] is not None), key=lambda values: values[0])
        self._head = self._rows([values[2:] for values in head])
        rows = []
        groups = 0
        for values in sorted((values for values in records if values[0] is None), key=lambda values: values[3]):
            groups += int(values[1])
            _grp, currency, _code, _name, count, _total, *sums = values[2:]  # the layout of ``_rows``'s records
            row = AgingRow(key="total", label=_("Total"), currency=currency, buckets=sums[0::2],
                           base_buckets=sums[1::2], count=int(count or 0))
            for (_value, disputed_currency), (parts, base_parts) in self.disputed().items():
                if disputed_currency == row.currency:
                    self._set_apart(row, parts, base_parts)
            rows.append(row)
        self._count = groups
        return rows

    def _facts_kept(self) -> str:
        """How ``currency_totals`` keeps the facts it reads three times: PostgreSQL writes a common table expression
        read more than once to a temporary store and reads that, which is the cheaper way when the facts come from
        the invoice table's pages. Today's open items on a vacuumed book come from their covering index alone
        (ledger/0017), and reading that index three times (an index-only scan each, each planned for its use) was
        the faster: 0.47-0.55 s against 0.66-0.91 s for the first page at 1M invoices; on a table not vacuumed it
        was the slower, 1.0-1.3 s against 0.8-1.0 s (docs/benchmarks.md). SQLite keeps its default."""
        if open_items_from_index(self.items) and open_items_index_only():
            return "NOT MATERIALIZED "
        return ""

    def disputed(self) -> dict[tuple[GroupValue, str], tuple[list[int], list[int]]]:
        """{(group value, currency): (disputed part per bucket, its CNY part per bucket)} of the items in a
        dispute open on the day."""
        if self._disputed is None:
            self._disputed = {}
            amounts = disputed_by_invoice(self.as_of)
            if amounts:
                for record in (self.items.filter(pk__in=disputes_open_on(as_of=self.as_of).values("invoice_id"))
                               .order_by().annotate(grp=_group_expression(self.group_by))
                               .values("pk", "grp", "currency", "bucket", "open_as_of", "open_base_as_of")):
                    parts, base_parts = self._disputed.setdefault(
                        (record["grp"], record["currency"]), ([0] * self.size, [0] * self.size))
                    part = min(amounts[record["pk"]], record["open_as_of"])
                    parts[record["bucket"]] += part
                    base_parts[record["bucket"]] += proportional_part(record["open_base_as_of"],
                                                                      record["open_as_of"], part)
        return self._disputed

    @staticmethod
    def _set_apart(row: AgingRow, parts: list[int], base_parts: list[int]) -> None:
        for index, (part, base_part) in enumerate(zip(parts, base_parts, strict=True)):
            row.buckets[index] -= part
            row.base_buckets[index] -= base_part
            row.disputed_minor += part
            row.base_disputed_minor += base_part

    def _rows(self, records: Iterable[Sequence[Any]]) -> list[AgingRow]:
        """The grouped rows as ``AgingRow``s, labelled, disputed parts set apart. A record is what ``_ordered``
        selects: group, currency, customer code and name (by customer), count, total, then per bucket its sum and
        its CNY sum (``_pivot``'s BIGINTs, never NULL: a group has items). Unpacked here, with no record of its own
        per row: an export streams 90,000 of them at 1M invoices."""
        records = list(records)
        group_by = self.group_by
        if group_by in ("salesperson", "collector", "region", "industry"):
            missing = {r[0] for r in records} - set(self._labels)
            if missing:
                self._labels.update(_labels(group_by, missing))
        disputed = self.disputed()
        by_customer = group_by == "customer"
        rows = []
        for grp, currency, code, name, count, _total, *sums in records:
            value = currency if group_by == "currency" else grp
            key = _key(group_by, value)
            label = f"{code} {name}" if by_customer else _label(group_by, key, self._labels, value)
            row = AgingRow(key, label, currency, sums[0::2], sums[1::2], count=int(count or 0))
            if disputed:
                split = disputed.get((grp, currency))
                if split is not None:
                    self._set_apart(row, *split)
            rows.append(row)
        return rows

    # -- the sequence
    def __len__(self) -> int:
        """The number of groups: one COUNT over the grouped query (Django's paginator asks for it)."""
        if self._count is None:
            facts, params = self._facts()
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM ({facts}) facts GROUP BY grp, f_cur) groups",
                               params)
                self._count = int(cursor.fetchone()[0])
        return self._count

    @overload
    def __getitem__(self, index: int) -> AgingRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[AgingRow]: ...

    def __getitem__(self, index: int | slice) -> AgingRow | list[AgingRow]:
        if isinstance(index, slice):
            start, stop, step = index.start or 0, index.stop, index.step
            if start < 0 or (stop is not None and stop < 0) or step not in (None, 1):
                return list(self)[index]
            if stop is not None and stop <= start:
                return []
            if self._all is not None:
                return self._all[start:stop]
            if stop is not None and (stop <= len(self._head) or (self._count is not None
                                                                 and len(self._head) == self._count)):
                return self._head[start:stop]
            return self._rows(self._fetch(limit=None if stop is None else stop - start, offset=start))
        if index < 0:
            index += len(self)
        rows = self[index:index + 1]
        if not rows:
            raise IndexError(index)
        return rows[0]

    def __iter__(self) -> Iterator[AgingRow]:
        """Every row, streamed: the grouped query read in chunks (a server-side cursor on PostgreSQL)."""
        if self._all is not None:
            yield from self._all
            return
        sql, params = self._grouped()
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while chunk := cursor.fetchmany(self.CHUNK):
                yield from self._rows(chunk)

    def __bool__(self) -> bool:
        return len(self) > 0


def _totals(rows: Iterable[AgingRow], size: int) -> tuple[list[AgingRow], AgingRow]:
    running = RunningTotals(size)
    for row in rows:
        running.add(row)
    return running.result()


class RunningTotals:
    """The totals of aging rows, one per currency and every currency in CNY, summed a row at a time: the report's
    totals from its rows, also while an export streams them (``aging_report(totals=False)``)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.by_currency: dict[str, AgingRow] = {}

    def add(self, row: AgingRow) -> None:
        total = self.by_currency.get(row.currency)
        if total is None:
            total = self.by_currency[row.currency] = AgingRow(
                key="total", label=_("Total"), currency=row.currency, buckets=[0] * self.size,
                base_buckets=[0] * self.size)
        total.buckets = list(map(operator.add, total.buckets, row.buckets))
        total.base_buckets = list(map(operator.add, total.base_buckets, row.base_buckets))
        total.disputed_minor += row.disputed_minor
        total.base_disputed_minor += row.base_disputed_minor
        total.count += row.count

    def result(self) -> tuple[list[AgingRow], AgingRow]:
        """The totals per currency (CNY first, then by code) and in CNY (the currencies' CNY parts added up)."""
        ordered = sorted(self.by_currency.values(), key=lambda r: (r.currency != BASE_CURRENCY, r.currency))
        base = AgingRow(key="total", label=_("Total (CNY)"), currency=BASE_CURRENCY, buckets=[0] * self.size,
                        base_buckets=[0] * self.size)
        for total in ordered:
            base.buckets = list(map(operator.add, base.buckets, total.base_buckets))
            base.base_buckets = list(map(operator.add, base.base_buckets, total.base_buckets))
            base.disputed_minor += total.base_disputed_minor
            base.base_disputed_minor += total.base_disputed_minor
            base.count += total.count
        return ordered, base
