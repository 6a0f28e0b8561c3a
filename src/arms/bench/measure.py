"""The reads ``arms bench`` times, each through the function the application itself calls."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from django.db import connection

from arms.ledger.check import ledger_check
from arms.ledger.selectors import customer_statement, open_items_for_customer


def timed(function: Callable[[], object], repetitions: int) -> tuple[list[float], object]:
    """Run ``function`` ``repetitions`` times; (seconds of each run, the last result)."""
    seconds, result = [], None
    for _n in range(repetitions):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def summary_ms(seconds: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 3),
        "min_ms": round(min(seconds) * 1000, 3),
        "max_ms": round(max(seconds) * 1000, 3),
        "runs": len(seconds),
    }


def open_items(customer_ids: list[int], repetitions: int) -> dict:
    """``open_items_for_customer`` evaluated (rows fetched) for each sample customer, several times."""
    seconds, counts = [], []
    for customer_id in customer_ids:
        runs, items = timed(lambda c=customer_id: list(open_items_for_customer(c)), repetitions)
        seconds += runs
        counts.append(len(items))
    return {**summary_ms(seconds), "customers": len(customer_ids), "items_mean": round(statistics.mean(counts), 1)}


def statement(customer_ids: list[int], repetitions: int, today: date) -> dict:
    """A twelve-month 对账单 (``customer_statement``) for each sample customer, several times."""
    seconds, counts = [], []
    for customer_id in customer_ids:
        runs, statements = timed(
            lambda c=customer_id: customer_statement(customer_id=c, date_from=today - timedelta(days=365),
                                                     date_to=today),
            repetitions,
        )
        seconds += runs
        counts.append(sum(len(s.lines) for s in statements))
    return {**summary_ms(seconds), "customers": len(customer_ids), "lines_mean": round(statistics.mean(counts), 1)}


def full_check(*, cheap_seconds: float = 10.0, repetitions: int = 3) -> dict:
    """The whole ``ledger_check()``; repeated only while a run takes less than ``cheap_seconds``."""
    seconds = []
    results = []
    while len(seconds) < repetitions:
        runs, results = timed(ledger_check, 1)
        seconds += runs
        if runs[0] >= cheap_seconds:
            break
    failed = [r.code for r in results if not r.ok]
    return {
        "median_s": round(statistics.median(seconds), 3),
        "min_s": round(min(seconds), 3),
        "runs": len(seconds),
        "ok": not failed,
        "failed": failed,
    }


def database() -> dict:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
    else:
        version = sqlite3.sqlite_version
    return {"vendor": connection.vendor, "version": version}


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
