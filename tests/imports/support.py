"""Helpers for import tests: write a CSV or XLSX file, run an import, snapshot what is in the database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from arms.audit.models import AuditEvent
from arms.common.models import IdempotencyRecord
from arms.contracts.models import Contract
from arms.customers.models import Customer
from arms.imports.errors import ImportInvalid
from arms.imports.models import ImportRun
from arms.imports.services import import_file
from arms.ledger.models import Allocation, Invoice, JournalEntry, JournalLine, Payment


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def run(kind: str, path: Path, **options):
    with path.open("rb") as handle:
        return import_file(kind=kind, file=handle, filename=path.name, **options)


def counts() -> dict[str, int]:
    models = (Customer, Contract, Invoice, Payment, Allocation, JournalEntry, JournalLine, AuditEvent, ImportRun,
              IdempotencyRecord)
    return {model.__name__: model.objects.count() for model in models}


def refused(kind: str, path: Path, **options) -> list[dict]:
    """Import a file that must be refused; assert nothing was written; return the row errors."""
    before = counts()
    with pytest.raises(ImportInvalid) as info:
        run(kind, path, **options)
    assert counts() == before
    return info.value.details["rows"]


CUSTOMERS_HEADER = ["客户编码", "客户名称", "统一社会信用代码", "行业", "区域", "业务员", "账期天数", "币种"]
