"""The only way ARMS locks rows (``SELECT … FOR UPDATE``): every service locks through these helpers.

Lock order, everywhere (ADR 0003): **the customer, then its invoices by primary key, then the payment** (or
credit note), then the rows of the document being decided (a request, a task, a plan, a profile …), and the
shared counters last (the document-number sequence, the audit chain's head). A fixed order means two
transactions that touch the same rows queue instead of deadlocking. ``tests/ledger/test_lock_order_pg.py`` records
the SQL of each money-moving service and checks the order; ``tests/common/test_locks.py`` checks that no
``select_for_update`` exists outside this module.

On SQLite, which has no row locks, these are plain reads: the IMMEDIATE transaction mode (``transaction_mode``
in the settings) takes the database's write lock when a transaction begins, so writers queue there instead.
The same code is race-safe on both.

The models are looked up through the app registry, not imported: the foundation (``common``) names the rows
to lock without importing the apps above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.db import connection
from django.db.models import Model, QuerySet

_M = TypeVar("_M", bound=Model)


def qs_for_update(queryset: QuerySet[_M], *, own_rows_only: bool = True) -> QuerySet[_M]:
    """``queryset`` locked FOR UPDATE when it is evaluated: only the queryset's own rows (PostgreSQL
    ``FOR UPDATE OF``), never the rows ``select_related`` joins in. A joined row locked here would be locked out
    of the documented order, and PostgreSQL refuses to lock the nullable side of an outer join (a nullable
    foreign key) at all. ``own_rows_only`` stays for callers that name it; ``False`` is not accepted."""
    if not own_rows_only:
        raise ValueError("lock the joined rows through their own helper, in the documented order")
    return queryset.select_for_update(of=("self",))


def locked_values(model: type[Model], pk: int, columns: Sequence[str]) -> tuple[Any, ...] | None:
    """``columns`` of the row ``pk`` of ``model``, locked until the caller commits (FOR UPDATE; on SQLite the write
    transaction is the lock), in one plain statement; ``None`` if there is no such row. For a row every write
    reads and moves (the audit chain's head), where the ORM's building of its locking query cost more than the
    rest of the write; anything else locks through ``qs_for_update``."""
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} "
                       f"WHERE {quote(model._meta.pk.column)} = %s{lock}", [pk])
        row = cursor.fetchone()
    return None if row is None else tuple(row)


def lock_one(queryset: QuerySet[_M], **lookup: Any) -> _M:
    """One row of ``queryset`` locked (``DoesNotExist`` if there is none)."""
    return qs_for_update(queryset).get(**lookup)


def customer_qs_for_update() -> QuerySet:
    return qs_for_update(apps.get_model("customers", "Customer").objects.all())


def lock_customer(customer_id: int):
    """The customer row: the first lock of every service that changes a customer's money or terms."""
    return customer_qs_for_update().get(pk=customer_id)


def invoices_qs_for_update(ids: Iterable[int]) -> QuerySet:
    """The invoices of ``ids``, locked in primary-key order (after their customer)."""
    return qs_for_update(apps.get_model("ledger", "Invoice").objects.filter(pk__in=list(ids)).order_by("pk"))


def payment_qs_for_update() -> QuerySet:
    return qs_for_update(apps.get_model("ledger", "Payment").objects.all())


def credit_note_qs_for_update() -> QuerySet:
    return qs_for_update(apps.get_model("ledger", "CreditNote").objects.all())


def statement_line_qs_for_update() -> QuerySet:
    """Bank statement lines; cash application locks one after the customer(s) and invoices it will touch."""
    return qs_for_update(apps.get_model("bank", "StatementLine").objects.all())
