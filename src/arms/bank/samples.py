"""Made-up bank statements in the generic 对公 layout (``arms.bank.parsers.profiles.GENERIC``): the one writer the
statement-import bench, the cash-application bench and the demo share. Never real data; never for a customer.

A row is a :class:`SampleLine` (money in positive, money out negative, minor units); the file carries a running
balance from ``opening`` and, optionally, the preamble rows a real export starts with (title, account number).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

HEADER = (
    "交易日期", "流水号", "借方发生额", "贷方发生额", "余额", "币种", "对方户名", "对方账号", "对方开户行", "摘要",
)  # fmt: skip


@dataclass(frozen=True)
class SampleLine:
    booking_date: date
    reference: str
    amount_minor: int
    payer_name: str = ""
    payer_account: str = ""
    payer_bank: str = ""
    text: str = ""
    currency: str = "CNY"


def yuan(minor: int) -> str:
    """Minor units as the bank writes them: ``-1234.50``."""
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"


def generic_statement(lines: Iterable[SampleLine], *, opening_minor: int = 0, encoding: str = "utf-8-sig",
                      preamble: Iterable[Iterable[str]] = ()) -> tuple[bytes, int]:
    """The lines, in the order given, as a CSV export; and the closing balance (minor units)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(preamble)
    writer.writerow(HEADER)
    balance = opening_minor
    for line in lines:
        balance += line.amount_minor
        debit, credit = (yuan(-line.amount_minor), "") if line.amount_minor < 0 else ("", yuan(line.amount_minor))
        writer.writerow((line.booking_date.isoformat(), line.reference, debit, credit, yuan(balance), line.currency,
                         line.payer_name, line.payer_account, line.payer_bank, line.text))
    return out.getvalue().encode(encoding), balance
