"""PostgreSQL tests that need a table's pages all-visible (index-only scans, ``balances.open_items_index_only``).

A ``VACUUM`` marks a page all-visible only when every row on it is older than every snapshot still open in the
database; an autovacuum ``ANALYZE`` of the same table (its sample's snapshot), started by the test's own inserts,
can hold one open for a moment, and the vacuum then leaves the newest pages unmarked. So vacuum again, briefly,
until ``pg_class`` counts every page all-visible, and say so if it never does."""

from __future__ import annotations

import time

from django.db import connection

TRIES = 20


def vacuumed(table: str) -> None:
    """``VACUUM (ANALYZE) table`` (outside a transaction: a ``transaction=True`` test) until every page is
    all-visible; fails the test, naming the counts, after ``TRIES`` attempts."""
    counts = None
    for attempt in range(TRIES):
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
            cursor.execute("SELECT relallvisible, relpages FROM pg_class WHERE oid = %s::regclass", [table])
            counts = cursor.fetchone()
        if counts[0] >= counts[1]:
            return
        time.sleep(0.05 * (attempt + 1))
    raise AssertionError(f"{table}: {counts[0]} of {counts[1]} pages all-visible after {TRIES} vacuums "
                         "(a snapshot left open in the test database?)")
