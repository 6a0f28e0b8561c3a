"""Bulk inserts of plain tuples: ``COPY`` on PostgreSQL, ``executemany`` on SQLite, no model instance per row.

The one way ARMS writes rows by the hundred thousand (the bench loader, a dunning run's items). The caller's
transaction holds; the database's own guards (check constraints, foreign keys, triggers) stay on.
"""

from __future__ import annotations

from contextlib import closing
from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Model


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
