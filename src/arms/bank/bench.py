"""Timing statement import: ``arms bank bench --lines 1000,20000`` (writes rows: run it on a scratch database).

For each size N it generates a Chinese 对公 export (the generic layout, GB18030 CSV, a running balance, several
receipts a day with 流水号) into a fresh bank account, and times

- ``import``: the first import of the file, all N lines new (parse, one query for the keys already stored, bulk
  insert, the audit event);
- ``again``: the same file once more, nothing new (parse and the key query only);
- ``overlap``: a file of the second half of the days plus as many new days, half of its lines new.

Matching is left out (``match=False``): cash application is timed by ``arms bench cashapp``. Prints one JSON line.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from typing import Any

from django.db import connection

from arms.bank.models import BankAccount
from arms.bank.samples import SampleLine, generic_statement
from arms.bank.services.accounts import bank_account_create
from arms.bank.services.importing import statement_import

PER_DAY = 40


def statement_file(*, account: str, first_day: date, lines: int, seed: int, opening: int = 0) -> tuple[bytes, int]:
    """A GB18030 CSV export of ``lines`` lines from ``first_day`` on, PER_DAY a day; and its closing balance.
    The same day always yields the same lines (the seed and the day choose them), so files overlap exactly."""
    rows: list[SampleLine] = []
    day = first_day
    while len(rows) < lines:
        rng = random.Random(f"{seed}:{day.isoformat()}")
        for n in range(min(PER_DAY, lines - len(rows))):
            amount = rng.randint(1_00, 500_000_00)
            receipt = rng.random() < 0.8
            rows.append(SampleLine(
                booking_date=day, reference=f"HX{day:%Y%m%d}{n:05d}", amount_minor=amount if receipt else -amount,
                payer_name=f"客户{rng.randint(1, 5000):05d}有限公司",
                payer_account=f"6222{rng.randint(10**11, 10**12 - 1)}",
                payer_bank="中国工商银行上海分行", text=f"INV-{rng.randint(1, 999_999):06d} 货款"))
        day += timedelta(days=1)
    return generic_statement(rows, opening_minor=opening, encoding="gb18030",
                             preamble=[["对公账户明细"], ["账号:", account]])


def statement_import_bench(*, sizes: list[int], seed: int = 7) -> dict[str, Any]:
    results: dict[str, Any] = {"database": connection.vendor, "seed": seed, "sizes": {}}
    for size in sizes:
        number = f"9558{size:08d}{BankAccount.objects.count():04d}"
        account = bank_account_create(actor=None, name=f"基准账户 {size}", bank="基准银行", account_number=number)
        start = date(2020, 1, 1)
        days = -(-size // PER_DAY)
        data, _closing = statement_file(account=number, first_day=start, lines=size, seed=seed)
        figures: dict[str, Any] = {"bytes": len(data)}
        for label, payload in (("import", data), ("again", data)):
            began = time.perf_counter()
            result = statement_import(actor=None, data=payload, filename=f"bench-{size}.csv", account=account,
                                      match=False)
            seconds = time.perf_counter() - began
            figures[label] = {"seconds": round(seconds, 3), "new": result.lines_new, "seen": result.lines_seen,
                              "lines_per_second": round(size / seconds)}
        half = days // 2
        overlap, _closing = statement_file(account=number, first_day=start + timedelta(days=half),
                                           lines=size, seed=seed)
        began = time.perf_counter()
        result = statement_import(actor=None, data=overlap, filename=f"bench-{size}-overlap.csv", account=account,
                                  match=False)
        seconds = time.perf_counter() - began
        figures["overlap"] = {"seconds": round(seconds, 3), "new": result.lines_new, "seen": result.lines_seen,
                              "lines_per_second": round(size / seconds)}
        results["sizes"][str(size)] = figures
    return results
