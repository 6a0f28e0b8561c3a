"""Query counts that must not grow with the rows: the one helper the query-count tests share.

An N+1 (a query per row of a list, per invoice of an allocation, per customer of a dunning run) shows as a count
that grows with the data. So a case runs the same page or service on a small world and on one about three times
as large, and asserts the two counts are equal (``assert_flat``): a robust form that needs no hand-kept number
to update when a page gains a panel. ``count_queries`` is Django's CaptureQueriesContext around one call.

``seeded_world`` builds a world with ``arms seed`` (every app's demo rows: customers, contracts, invoices,
payments, allocations, credit notes, cases, ratings, holds, dunning runs, budgets, report runs) inside a
savepoint that is rolled back when the block ends, so two sizes can be measured in one test database.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def count_queries(call: Callable[[], object]) -> tuple[int, list[str]]:
    """How many queries ``call()`` ran, and their SQL (for the failure message)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured), [q["sql"] for q in captured.captured_queries]


#: How many more times one query (its SQL with the literals blanked) may run on the larger world. A query per
#: row runs once more for every extra row: ten more customers, thirty more invoices. But a page may also gain a
#: few queries that are not per row: a list empty in the small world gets its first rows (its query and its
#: prefetches run once), a query on an empty ``__in`` list is never sent, and a few figures are computed per
#: person of the team (three salespeople, two collectors, the same in both worlds), which the larger world may
#: fill where the smaller one left someone without rows. So: no one query shape may grow by more than this.
PER_SHAPE = 3


def assert_flat(label: str, small: tuple[int, list[str]], large: tuple[int, list[str]], *,
                per_shape: int = PER_SHAPE) -> None:
    """No query runs more than ``per_shape`` more times on the larger world (``per_shape=0``: no query runs more
    often at all); else say which queries repeat more often."""
    before, after = Counter(map(shape, small[1])), Counter(map(shape, large[1]))
    growth = {sql: after[sql] - before[sql] for sql in after if after[sql] > before[sql]}
    if all(grown <= per_shape for grown in growth.values()):
        return
    shapes = "\n".join(f"  {grown:+d} x {sql[:300]}" for sql, grown in sorted(growth.items(), key=lambda g: -g[1])[:8])
    raise AssertionError(f"{label}: {small[0]} queries on the small world, {large[0]} on the large one "
                         f"(an N+1?). Queries that run more often:\n{shapes}")


def shape(sql: str) -> str:
    """The SQL with its literals (numbers, strings, IN lists) blanked, so one query per row shows as one shape."""
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)  # savepoint names
    sql = re.sub(r'"_django_curs_\d+_[a-z]+_\d+"', "?", sql)  # server-side cursors' names (PostgreSQL)
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\((?:\?, )+\?\)", "(?)", sql)


def _whole_team_owns_customers() -> None:
    """Give every demo salesperson and collector customers, so both worlds have the same team: the team page
    computes its KPIs per person (a cost that grows with the staff, not with the documents)."""
    from django.contrib.auth import get_user_model

    from arms.customers.models import Customer

    users = get_user_model().objects.in_bulk(["sales1", "sales2", "sales3", "collector1", "collector2"],
                                             field_name="username")
    sales, collectors = [users[f"sales{n}"] for n in (1, 2, 3)], [users[f"collector{n}"] for n in (1, 2)]
    for n, pk in enumerate(Customer.objects.order_by("pk").values_list("pk", flat=True)):
        Customer.objects.filter(pk=pk).update(salesperson=sales[n % 3], collector=collectors[n % 2])


class _RollBack(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone when the block ends, so a test can measure two worlds one after the other."""
    block = transaction.atomic()
    # As Django's TestCase marks its own blocks: the services' durable blocks (ADR 0003) may nest in this one.
    block._from_testcase = True
    try:
        with block:
            yield
            raise _RollBack
    except _RollBack:
        pass


@contextmanager
def seeded_world(customers: int, *, today: date, seed: int = 5, months: int = 3) -> Iterator[None]:
    """``arms seed`` with ``customers`` customers (the whole team owning some), undone when the block ends."""
    with rolled_back():
        call_command("seed", customers=customers, seed=seed, months=months, today=today, stdout=StringIO())
        _whole_team_owns_customers()
        yield
