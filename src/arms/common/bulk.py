"""Bulk inserts of plain tuples: ``COPY`` on PostgreSQL, ``executemany`` on SQLite, no model instance per row.

The one way ARMS writes rows by the hundred thousand (the bench loader, a dunning run's items). The caller's
transaction holds; the database's own guards (check constraints, foreign keys, triggers) stay on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, Model
from django.db.models.lookups import In


class Table:
    """One table's bulk insert: the columns the caller fills, every other column at its model default (the
    primary key, unless named, from the database's sequence).

    Taking the rest from the model keeps the writer working when a column with a default is added. Values the
    caller gives must already be in the database's form (``Field.get_db_prep_save``); ``auto_now(_add)``
    columns not named get ``now``.
    """

    def __init__(self, model: type[Model], names: list[str], now: datetime) -> None:
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise ImproperlyConfigured(f"{model.__name__} has no field {missing[0]}")
        # every column not named, but for a generated primary key: the database numbers the rows then
        rest = [f for f in model._meta.concrete_fields
                if f.attname not in names and not (f.primary_key and getattr(f, "db_returning", False))]
        tail = []
        for f in rest:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                value: Any = now
            else:
                value = f.get_default()  # "" for a text field without a default, None for a nullable one
                if value is None and not f.null:
                    raise ImproperlyConfigured(f"a bulk insert into {model.__name__} must fill {f.name}")
            tail.append(f.get_db_prep_save(value, connection))
        self.name = model._meta.db_table
        self.columns = [by_name[n].column for n in names] + [f.column for f in rest]
        self.tail = tuple(tail)
        self.tail_text = ""  # the defaults in COPY's text format, made on the first ``encode``

    def encode(self, rows: list[tuple[Any, ...]]) -> bytes:
        """``rows`` (the caller's columns) with the defaults, in COPY's text format: what ``write_copy`` sends.
        Encoding can run in another process than the one that writes (the bench loader's producer)."""
        if self.tail and not self.tail_text:
            self.tail_text = "".join("\t" + copy_text(value) for value in self.tail)
        tail = self.tail_text
        return "".join("\t".join([copy_text(value) for value in row]) + tail + "\n" for row in rows).encode()

    def write_copy(self, data: bytes) -> None:
        """Send rows ``encode`` made in one COPY (PostgreSQL), in the current transaction."""
        if not data:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        connection.ensure_connection()
        with closing(connection.connection.cursor()) as cursor, \
                cursor.copy(f"COPY {quote(self.name)} ({columns}) FROM STDIN") as copy:
            copy.write(data)

    def write(self, rows: list[tuple[Any, ...]]) -> int:
        """Insert ``rows`` (the caller's columns; the defaults are appended) in the current transaction."""
        if not rows:
            return 0
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        tail = self.tail
        connection.ensure_connection()
        with closing(connection.connection.cursor()) as cursor:  # the driver's own cursor: COPY, executemany
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {quote(self.name)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + tail)
            else:
                marks = ", ".join("?" * len(self.columns))
                cursor.executemany(f"INSERT INTO {quote(self.name)} ({columns}) VALUES ({marks})",
                                   (row + tail for row in rows))
        return len(rows)


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``'s table, for rows a ``Table`` writes with their ids (other rows, or
    the caller's seals, name them before they are written). PostgreSQL: from the table's own sequence, in one
    query. SQLite: after the largest id ever given (``sqlite_sequence``, so a deleted id is not reused); the
    transaction holds the database's only write lock (``transaction_mode`` IMMEDIATE), so nobody takes them."""
    if count <= 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, pk, count])
            return [row[0] for row in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("reserve_ids must run inside the transaction that writes the rows")
        quote = connection.ops.quote_name
        # both bounds in one statement: a bulk call reserves ids for several tables, each once or twice
        cursor.execute(f"SELECT MAX({quote(pk)}), (SELECT seq FROM sqlite_sequence WHERE name = %s) "
                       f"FROM {quote(table)}", [table])
        largest, given = cursor.fetchone()
        start = max(largest or 0, given or 0) + 1
        return list(range(start, start + count))


#: columns whose Python value is already what the database takes (no ``get_db_prep_save`` per value)
_PLAIN = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField",
                    "SmallIntegerField", "ForeignKey", "OneToOneField", "CharField", "TextField", "BooleanField",
                    "SlugField", "EmailField"})


def insert_instances(model: type[Model], objs: list[Any], now: datetime, *, reserved: bool = False) -> None:
    """Insert unsaved instances of ``model`` through ``Table`` (COPY / executemany), each given its id first
    (``reserve_ids``; with ``reserved`` they carry it already) and marked saved, as ``bulk_create`` would leave
    them. The instances carry every value (their defaults from ``__init__``); ``auto_now(_add)`` columns get
    ``now``."""
    if not objs:
        return
    fields = list(model._meta.concrete_fields)
    names = [f.attname for f in fields]
    stamped = [f.attname for f in fields if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)]
    prepare = [None if f.get_internal_type() in _PLAIN else f for f in fields]
    # a date, a rate or ``now`` repeats down a batch: each distinct value of a column is prepared once
    prepared: list[dict[Any, Any]] = [{} for _field in fields]
    pk_name = model._meta.pk.attname
    ids = [getattr(obj, pk_name) for obj in objs] if reserved else reserve_ids(model, len(objs))
    rows = []
    for obj, pk in zip(objs, ids, strict=True):
        setattr(obj, pk_name, pk)
        for name in stamped:
            setattr(obj, name, now)
        obj._state.adding, obj._state.db = False, connection.alias
        row = []
        for name, field, known in zip(names, prepare, prepared, strict=True):
            value = getattr(obj, name)
            if field is not None and value is not None:
                if value not in known:
                    known[value] = field.get_db_prep_save(value, connection)
                value = known[value]
            row.append(value)
        rows.append(tuple(row))
    Table(model, names, now).write(rows)


def update_column(model: type[Model], column: str, values: dict[int, int]) -> None:
    """Set the integer ``column`` of each row ``values`` names (primary key -> value) in one statement
    (PostgreSQL: a join to two arrays; SQLite: ``executemany``), instead of ``bulk_update``'s ``CASE`` per row."""
    if not values:
        return
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    name = quote(model._meta.get_field(column).column)  # type: ignore[union-attr,arg-type]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {table} SET {name} = v.value FROM (SELECT unnest(%s::bigint[]) AS id, "
                           f"unnest(%s::bigint[]) AS value) AS v WHERE {table}.{pk} = v.id",
                           [list(values), list(values.values())])
        else:
            cursor.executemany(f"UPDATE {table} SET {name} = %s WHERE {pk} = %s",
                               [(value, key) for key, value in values.items()])


#: COPY's text format: a backslash, a tab, a newline or a carriage return in a value is escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """One value in PostgreSQL COPY's text format (``\\N`` for NULL); an enum member is written as its value."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return str(value.translate(COPY_ESCAPES))
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):  # the driver's Int2/Int8 wrappers, IntegerChoices
        return str(int(value))
    if isinstance(value, str):  # TextChoices members
        return str.translate(value, COPY_ESCAPES)
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise ImproperlyConfigured(f"a bulk COPY cannot write a {kind.__name__}")


class Among(In):
    """``Among(F("number"), values)`` in a ``filter``: the rows whose column is one of ``values``, for look-ups of
    thousands of keys (a batch's numbers, idempotency keys, invoice ids). PostgreSQL gets ``column = ANY(%s)`` with
    the values as ONE array parameter: ``IN`` sent 5,000 placeholders that Django prepared and the driver parsed
    one by one (~50 ms a query of 2,000 keys in Python alone), and the index answers both the same way. Other
    databases get ``IN`` as before."""

    lookup_name = "among"

    #: keys a query at most (``chunked``): the planner counts one row a key, and from ~2,000 keys on the
    #: 100,000-customer book it scanned all of ``ledger_payment`` or ``ledger_invoice`` (110-260 ms for no row)
    #: where the unique index answers 1,000 keys at a time in ~10 ms
    CHUNK = 1000

    @classmethod
    def chunked(cls, field: str, values: Iterable[Any]) -> Iterator[Among]:
        """``Among(F(field), ...)`` over ``values`` (each once), ``CHUNK`` of them a look-up."""
        distinct = list(dict.fromkeys(values))
        for start in range(0, len(distinct), cls.CHUNK):
            yield cls(F(field), distinct[start:start + cls.CHUNK])

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if connection.vendor != "postgresql":
            sql, params = super().as_sql(compiler, connection)
            return sql, list(params)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, [value for value in dict.fromkeys(self.rhs) if value is not None]]
