"""`arms bench --also imports`: time ``import_file`` of N generated invoices, then N payments each allocated to one of
those invoices, through the bulk path, on the loaded book (issue 17's goal: ≥ 2,000 a second of each on PostgreSQL).

N is ``ARMS_BENCH_IMPORT_ROWS`` (default 10,000; at most 200,000). The files pay the book's own customers (the first
1,000 by code, round robin); their document numbers carry a tag of the run, so the bench can be run again on the same
book. The imports are real: they stay in the database (an import is its own durable transaction). The credit check runs
under the "warn" policy for unrated customers (the loaded customers are unrated and above the default limit).
"""

from __future__ import annotations

import csv
import io
import os
import time
from datetime import date, timedelta
from typing import Any

from django.test import override_settings

from arms.customers.models import Customer
from arms.imports.services import import_file

DEFAULT_ROWS = 10_000
MAX_ROWS = 200_000


def _file(rows: list[list[str]]) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8-sig"))


def _timed_import(kind: str, rows: list[list[str]]) -> dict[str, Any]:
    handle = _file(rows)
    started = time.perf_counter()
    result = import_file(kind=kind, file=handle, filename=f"bench-{kind}.csv")
    seconds = time.perf_counter() - started
    return {"rows": result.rows, "created": result.created, "seconds": round(seconds, 3),
            "per_second": round(result.created / seconds) if seconds else None}


def bench_measure(*, today: date, seed: int, repeat: int) -> dict[str, Any]:
    del repeat
    count = max(1, min(MAX_ROWS, int(os.environ.get("ARMS_BENCH_IMPORT_ROWS", DEFAULT_ROWS))))
    codes = list(Customer.objects.filter(currency="CNY", status="active").order_by("code")
                 .values_list("code", flat=True)[:1000])
    if not codes:
        return {"error": "no active CNY customers in the book"}
    tag = f"B{seed}T{int(time.time()) % 10_000_000:07d}"
    day = today - timedelta(days=20)
    invoices = [["发票号", "客户编码", "开票日期", "不含税金额", "税额"]] + [
        [f"{tag}-I{n:06d}", codes[n % len(codes)], day.isoformat(), f"{1000 + n % 97}.00", "130.00"]
        for n in range(count)]
    payments = [["收款单号", "客户编码", "收款日期", "金额", "发票号"]] + [
        [f"{tag}-P{n:06d}", codes[n % len(codes)], (day + timedelta(days=5)).isoformat(), "500.00",
         f"{tag}-I{n:06d}"] for n in range(count)]
    # The loaded book's customers are unrated and far above the default limit for unrated customers: under the
    # "warn" policy the credit check still runs for every invoice (its cost is measured) but does not block.
    with override_settings(ARMS_CREDIT_UNRATED_POLICY="warn"):
        return {"rows": count, "customers": len(codes), "unrated_policy": "warn",
                "invoices": _timed_import("invoices", invoices),
                "payments_with_allocations": _timed_import("payments", payments)}
