"""Every customer's closing balance on a day, set-based: the figure a statement (对账单) closes with, for many
customers at once.

A customer's balance at the end of day D is what ``selectors.customer_statement`` shows as the closing balance:
invoices issued on or before D, less credit notes and payments dated on or before D, plus payments reversed on
or before D. Here it is four grouped sums over the whole book (one per document kind, each one index range or
table scan), never a query or a model instance per customer: the sales–finance reconciliation snapshots a month's
balances and the confirmation coverage report reads them for 100k customers.

Each row carries the balance in the document currency (``balance_minor``) and in CNY fen at the documents'
posting rates (``balance_base_minor``): the base figure adds up across currencies for shares and totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    Expression,
    F,
    Field,
    Func,
    Max,
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
from django.db.models.sql.constants import LOUTER
from django.db.models.sql.datastructures import Join

from arms.domain.money import BASE_CURRENCY
from arms.ledger.enums import PaymentStatus
from arms.ledger.models import Allocation, CreditNote, Invoice, Payment

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

    from arms.customers.models import Customer


@dataclass
class Balance:
    customer_id: int
    currency: str
    balance_minor: int = 0
    balance_base_minor: int = 0


def _sums(qs: QuerySet[Any], amount: str, base: str) -> Iterable[tuple[int, str, int, int]]:
    rows = qs.order_by().values("customer_id", "currency").annotate(total=Sum(amount), base=Sum(base))
    for row in rows:
        yield row["customer_id"], row["currency"], row["total"] or 0, row["base"] or 0


def balances_as_of(as_of: date, *, customer_ids: Iterable[int] | QuerySet[Any] | None = None,
                   nonzero_only: bool = True) -> dict[tuple[int, str], Balance]:
    """``{(customer_id, currency): Balance}`` at the end of ``as_of``; only the customers of ``customer_ids``
    (a list or a ``values("pk")`` queryset) when given; balances of zero left out unless ``nonzero_only`` is
    False."""
    sources: list[QuerySet[Any]] = [
        Invoice.objects.filter(issue_date__lte=as_of),
        CreditNote.objects.filter(date__lte=as_of),
        Payment.objects.filter(received_date__lte=as_of),
        Payment.objects.filter(status=PaymentStatus.REVERSED, reversal_date__lte=as_of),
    ]
    if customer_ids is not None:
        sources = [qs.filter(customer_id__in=customer_ids) for qs in sources]
    invoices, notes, payments, reversals = sources
    result: dict[tuple[int, str], Balance] = {}
    for qs, amount, base, sign in ((invoices, "gross_minor", "gross_base_minor", 1),
                                   (notes, "gross_minor", "gross_base_minor", -1),
                                   (payments, "amount_minor", "amount_base_minor", -1),
                                   (reversals, "amount_minor", "amount_base_minor", 1)):
        for customer_id, currency, total, total_base in _sums(qs, amount, base):
            row = result.get((customer_id, currency))
            if row is None:
                row = result[(customer_id, currency)] = Balance(customer_id, currency)
            row.balance_minor += sign * total
            row.balance_base_minor += sign * total_base
    if nonzero_only:
        result = {key: row for key, row in result.items() if row.balance_minor or row.balance_base_minor}
    return result


def base_balance_by_customer(as_of: date, *,
                             customer_ids: Iterable[int] | QuerySet[Any] | None = None) -> dict[int, int]:
    """``{customer_id: CNY fen}`` at the end of ``as_of``, every currency added at its posting rates; zero left
    out."""
    totals: dict[int, int] = {}
    for row in balances_as_of(as_of, customer_ids=customer_ids, nonzero_only=False).values():
        totals[row.customer_id] = totals.get(row.customer_id, 0) + row.balance_base_minor
    return {customer_id: amount for customer_id, amount in totals.items() if amount}


# --- open items on a past day (item level): the aging report, KPIs and the allowance read these ----------------
#
# An invoice's open amount on day D is its gross minus every allocation to it dated on or before D (payments,
# credit notes and write-offs; a reversing allocation or a recovery counts, negative, on its own date). The ledger
# keeps ``invoice.amount_open = gross − Σ allocations`` on every row (``arms ledger check`` verifies it), so the
# same figure is ``amount_open_now + Σ allocations dated after D``, which touches only today's open items and the
# invoices with an allocation after D. Its CNY figure is the invoice's gross in CNY less the receivable relieved
# (``receivable_base_minor``) by allocations dated on or before D: what the 1122 account shows that day.
# (Moved here from arms.analytics.selectors, which re-exports them, so that provisioning, below analytics, reads
# the same open items as the aging report.)

def allocation_sum(field: str, **filters: Any) -> Coalesce:
    """Σ ``field`` of the allocations to the outer query's invoice that match ``filters`` (a date range, payments
    or credit notes only), 0 when there are none."""
    rows = (Allocation.objects.filter(invoice=OuterRef("pk"), **filters).order_by()
            .values("invoice").annotate(total=Sum(field)).values("total"))
    return Coalesce(Subquery(rows, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


def joined_allocation_sums(qs: QuerySet[Invoice], where: Q, *, last_date: str = "", last_date_where: Q | None = None,
                           **sums: Sum) -> tuple[QuerySet[Invoice], dict[str, Expression]]:
    """``qs`` with the allocations matching ``where`` summed once per invoice (``sums``: name → ``Sum(...)``,
    optionally filtered) in a derived table left-joined to the invoices, and an expression per sum (a whole
    number, 0 where the invoice has none) to annotate with; with ``last_date``, also the latest date of those
    allocations (of those also matching ``last_date_where``, if given) under that name (NULL where none). Where a
    correlated ``allocation_sum`` looks the allocations up once per invoice, both databases build this table once
    (a hash or an automatic index on ``invoice_id``)."""
    qs = qs.all()
    columns: dict[str, Any] = {name: Cast(total, BigIntegerField()) for name, total in sums.items()}
    if last_date:
        columns[last_date] = Max("date", filter=last_date_where)
    rows = Allocation.objects.filter(where).order_by().values("invoice_id").annotate(**columns)
    alias = qs.query.join(_AllocationSums(rows, parent_alias=qs.query.get_initial_alias()))
    expressions: dict[str, Expression] = {
        name: Coalesce(_JoinedColumn(alias, name, BigIntegerField()), Value(0), output_field=BigIntegerField())
        for name in sums}
    if last_date:
        expressions[last_date] = _JoinedColumn(alias, last_date, DateField())
    return qs, expressions


def open_items_as_of(as_of: date, *, customers: QuerySet[Customer] | None = None) -> QuerySet[Invoice]:
    """Invoices open at the end of ``as_of``, annotated ``open_as_of`` (invoice currency, minor units) and
    ``open_base_as_of`` (CNY fen). One query; no Python loop over rows."""
    qs: QuerySet[Invoice] = Invoice.objects.alias(issued=_Unindexed(F("issue_date"), output_field=DateField())).filter(
        issued__lte=as_of)
    if Allocation.objects.filter(date__gt=as_of).exists():
        # the allocations after the day summed per invoice in a joined table; an invoice without any is open by
        # its stored amount
        qs, later = joined_allocation_sums(qs, Q(date__gt=as_of), after=Sum("amount_minor"))
        qs = qs.annotate(open_as_of=F("amount_open_minor") + later["after"]).filter(open_as_of__gt=0)
    else:
        # nothing was allocated after the day (the usual case for today): the stored open amount is the answer,
        # read through the partial index of open items
        qs = qs.filter(amount_open_minor__gt=0).annotate(open_as_of=F("amount_open_minor"))
    if customers is not None:
        qs = qs.filter(customer__in=customers)
    return qs.annotate(open_base_as_of=_open_base(as_of))


def open_items_from_index(qs: QuerySet[Invoice]) -> bool:
    """Whether ``qs`` (an ``open_items_as_of`` queryset, however narrowed or annotated) reads the open items by
    their stored open amounts, through the partial index of open items (``invoice_open_by_customer``: a day after
    which nothing was allocated, such as today), rather than every invoice with the later allocations joined."""
    return not any(isinstance(join, _AllocationSums) for join in qs.query.alias_map.values())


#: the share of the invoice table's pages a vacuum has marked all-visible from which PostgreSQL is told to read
#: today's open items once per use rather than once into a temporary table (``aging.AgingRows.currency_totals``)
ALL_VISIBLE_SHARE = 0.9


def open_items_index_only() -> bool:
    """Whether PostgreSQL can read today's open items from their covering index alone (ledger/0017): at least
    ``ALL_VISIBLE_SHARE`` of the invoice table's pages all-visible, as the last vacuum or analyze counted them
    (``pg_class.relallvisible``, which the planner costs index-only scans by). False on SQLite."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible, relpages FROM pg_class WHERE oid = %s::regclass",
                       [Invoice._meta.db_table])
        row = cursor.fetchone()
    return bool(row) and row[1] > 0 and row[0] >= ALL_VISIBLE_SHARE * row[1]


def open_items_on_days(days: tuple[date, ...], *, customers: QuerySet[Customer] | None = None,
                       **later: Sum) -> QuerySet[Invoice]:
    """The invoices open at the end of any of ``days``, in one pass over the invoices: each annotated, for the
    ``i``-th day, ``open_<i>`` (invoice currency, 0 where the invoice was not open that day) and ``open_base_<i>``
    (CNY fen, 0 likewise), by the rules of ``open_items_as_of``, whose figures for one day these are. The
    allocations after the earliest day are summed per invoice in ONE joined table (a conditional sum per day), so
    the KPIs' opening and closing receivables read the invoices once instead of twice; ``later`` adds sums of
    its own over those allocations (name → ``Sum(...)``, filtered as the caller likes; 0 where none)."""
    first, last = min(days), max(days)
    qs: QuerySet[Invoice] = Invoice.objects.alias(issued=_Unindexed(F("issue_date"), output_field=DateField())).filter(
        issued__lte=last)
    open_on: dict[int, Combinable]
    sums: dict[str, Expression]
    if Allocation.objects.filter(date__gt=first).exists():
        every: dict[str, Any] = {**later, **{f"after_{i}": Sum("amount_minor", filter=Q(date__gt=day))
                                             for i, day in enumerate(days)}}
        qs, sums = joined_allocation_sums(qs, Q(date__gt=first), **every)
        open_on = {i: F("amount_open_minor") + sums[f"after_{i}"] for i in range(len(days))}
    else:
        qs = qs.filter(amount_open_minor__gt=0)
        open_on = {i: F("amount_open_minor") for i in range(len(days))}
        sums = {name: Value(0, output_field=BigIntegerField()) for name in later}
    qs = qs.annotate(**{name: sums[name] for name in later})
    qs = qs.annotate(**{f"open_{i}": Case(When(issue_date__lte=day, then=open_on[i]), default=Value(0),
                                          output_field=BigIntegerField()) for i, day in enumerate(days)})
    qs = qs.filter(_any_of([Q(**{f"open_{i}__gt": 0}) for i in range(len(days))]))
    if customers is not None:
        qs = qs.filter(customer__in=customers)
    return qs.annotate(**{f"open_base_{i}": Case(When(**{f"open_{i}__lte": 0}, then=Value(0)),
                                                 default=_open_base(day, open_as_of=f"open_{i}"),
                                                 output_field=BigIntegerField())
                          for i, day in enumerate(days)})


def _any_of(conditions: list[Q]) -> Q:
    result = conditions[0]
    for condition in conditions[1:]:
        result |= condition
    return result


class _AllocationSums(Join):
    """``LEFT JOIN (SELECT invoice_id, SUM(...) ... FROM allocation WHERE ... GROUP BY invoice_id) ON invoice``:
    a join to a derived table, which Django does not write by itself (see ``joined_allocation_sums``)."""

    TABLE = "arms_allocation_sums"

    def __init__(self, rows: QuerySet[Allocation, dict[str, Any]], *, parent_alias: str,
                 table_alias: str | None = None, join_type: str = LOUTER) -> None:
        super().__init__(self.TABLE, parent_alias, table_alias, join_type, Invoice._meta.get_field("allocations"),
                         nullable=True)
        self.rows = rows

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _AsSqlType:
        inner, params = self.rows.query.get_compiler(connection=connection).as_sql()
        qn, column = compiler.quote_name_unless_alias, connection.ops.quote_name
        alias = qn(self.table_alias or self.table_name)
        invoice_id = Allocation._meta.get_field("invoice").column
        on = f"{qn(self.parent_alias)}.{column(Invoice._meta.pk.column)} = {alias}.{column(invoice_id)}"
        return f"{self.join_type} ({inner}) {alias} ON ({on})", tuple(params)

    def relabeled_clone(self, change_map: dict[str | None, str]) -> _AllocationSums:
        return self.__class__(self.rows, parent_alias=change_map.get(self.parent_alias, self.parent_alias),
                              table_alias=change_map.get(self.table_alias, self.table_alias),
                              join_type=self.join_type)

    def demote(self) -> _AllocationSums:
        return self.relabeled_clone({})  # always a left join: most invoices have no row in the table

    @property
    def identity(self) -> tuple[Any, ...]:
        return (self.__class__, self.table_name, self.parent_alias, self.rows)


class _JoinedColumn(Expression):
    """A column of a table joined by ``_AllocationSums``, kept pointing at it when Django renames the query's
    aliases (as it does when the queryset becomes a subquery)."""

    def __init__(self, alias: str, column: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.alias, self.column = alias, column

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _AsSqlType:
        return f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name(self.column)}", []

    def relabeled_clone(self, change_map: Mapping[str, str]) -> _JoinedColumn:
        return self.__class__(change_map.get(self.alias, self.alias), self.column, self.output_field)

    def get_group_by_cols(self) -> list[Any]:
        return [self]


class _Unindexed(Func):
    """The column as it is, but on SQLite written ``+column``: SQLite would otherwise walk the issue-date index
    over nearly every invoice (a row lookup each) instead of reading the open items' partial index or the table
    once, three to four times slower. PostgreSQL plans this well by itself."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper,
                  **extra_context: Any) -> _AsSqlType:
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def _open_base(as_of: date, *, open_as_of: str = "open_as_of") -> Case:
    """CNY still open: for a CNY invoice that is the open amount itself (its CNY amounts are its amounts, every
    allocation relieves exactly its amount); for a foreign one, its CNY gross less the receivable relieved."""
    return Case(
        When(currency=BASE_CURRENCY, then=F(open_as_of)),
        default=F("gross_base_minor") - allocation_sum("receivable_base_minor", date__lte=as_of),
        output_field=BigIntegerField(),
    )
