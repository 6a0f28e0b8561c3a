"""The IBM Watson "Accounts Receivable" sample as prediction items, read directly with csv (never copied into the
repository; see ../shared/data/SOURCES.md). Plain Python.

Columns used: customerID, invoiceNumber, InvoiceDate, DueDate (M/D/YYYY), InvoiceAmount (dollars), Disputed,
SettledDate. The sample dates no dispute; a disputed invoice counts as disputed from its issue date (the sample's
own convention for the flag). Amounts are taken as they are (the sample's currency, in cents): the model only
reads their logarithm. There are no credit grades and no promises.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from arms.domain.prediction import Item

SAMPLE_NAME = "shared/data/ibm_watson_ar/WA_Fn-UseC_-Accounts-Receivable.csv"


def ibm_sample_path(start: Path | None = None) -> Path | None:
    """The sample beside the checkout (../shared/data), or beside the directory of worktrees; None if absent."""
    here = (start or Path(__file__)).resolve()
    for base in here.parents:
        candidate = base / SAMPLE_NAME
        if candidate.exists():
            return candidate
    return None


def _day(text: str) -> date:
    return datetime.strptime(text.strip(), "%m/%d/%Y").date()


def read_ibm(path: Path) -> list[Item]:
    """Every row of the sample as a settled item, in order of issue."""
    items = []
    with path.open(newline="", encoding="utf-8") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            issued = _day(row["InvoiceDate"])
            items.append(Item(
                key=index, customer=row["customerID"], issue_date=issued, due_date=_day(row["DueDate"]),
                amount_base_minor=int(Decimal(row["InvoiceAmount"]) * 100), settled_on=_day(row["SettledDate"]),
                disputed_on=issued if row["Disputed"].strip() == "Yes" else None))
    items.sort(key=lambda item: (item.issue_date, item.key))
    return items
