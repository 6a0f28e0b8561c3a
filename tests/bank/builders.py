"""Statement files built in the tests: a Chinese 对公 export (the generic layout) with dates from the frozen today."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

ACCOUNT_NUMBER = "1202001209900123456"
HEADER = ["交易日期", "流水号", "对方户名", "对方账号", "对方开户行", "借方发生额", "贷方发生额", "余额", "用途"]


def money(minor: int) -> str:
    return f"{minor // 100:,}.{minor % 100:02d}" if minor else ""


def rows_for(days: list[date], *, opening: int = 100_000_00, per_day: int = 2, account: str = ACCOUNT_NUMBER,
             reference_prefix: str = "HX") -> list[list[str]]:
    """A statement over ``days``: ``per_day`` receipts a day with a running balance that starts at ``opening``.
    The same day always yields the same lines (reference, payer, amount), so two statements overlap exactly."""
    rows: list[list[str]] = [["中国工商银行 对公账户明细"], ["账号:", account], [], HEADER]
    balance = opening
    for day in days:
        for n in range(1, per_day + 1):
            amount = (day.toordinal() % 97 + 1) * 1_000_00 + n * 100
            balance += amount
            rows.append([day.isoformat(), f"{reference_prefix}{day:%Y%m%d}{n:03d}", f"上海申联贸易{n}有限公司",
                         f"3100123456789{n}", "建设银行上海分行", "", money(amount), money(balance),
                         f"INV-{day:%m%d}{n:02d} 货款"])
    rows.append(["合计", "", "", "", "", "", "", "", ""])
    return rows


def closing_of(rows: list[list[str]]) -> int:
    data = [r for r in rows if len(r) == len(HEADER) and r[0][:1].isdigit()]
    return int(data[-1][7].replace(",", "").replace(".", ""))


def to_csv(rows: list[list[str]], encoding: str = "gb18030") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def days_before(today: date, first: int, last: int) -> list[date]:
    """The days from ``first`` to ``last`` days before today (first > last), oldest first."""
    return [today - timedelta(days=n) for n in range(first, last - 1, -1)]
