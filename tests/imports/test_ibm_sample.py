"""A real-sized file: the IBM Watson "Accounts Receivable" sample (2,466 invoices of 100 customers).

The sample stays outside the repository (see ../shared/data/SOURCES.md); the test turns it into ARMS files
in a temporary directory: customerID -> 客户编码, invoiceNumber -> 发票号 as text with its leading zeros,
InvoiceDate (M/D/YYYY) -> 开票日期, DueDate -> 到期日, InvoiceAmount -> 不含税金额 (no VAT in the sample).
"""

import csv
from datetime import datetime
from pathlib import Path

import pytest
from django.db.models import Sum

from arms.ledger.models import Invoice
from tests.conftest import ledger_problems
from tests.imports.support import run, write_csv

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared/data/ibm_watson_ar/WA_Fn-UseC_-Accounts-Receivable.csv"


def iso(us_date: str) -> str:
    return datetime.strptime(us_date, "%m/%d/%Y").date().isoformat()


@pytest.mark.skipif(not SAMPLE.exists(), reason=f"the IBM sample is not at {SAMPLE}")
def test_the_ibm_sample_imports_every_invoice_to_the_cent(clerk, tmp_path):
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        sample = list(csv.DictReader(handle))
    customer_ids = sorted({row["customerID"] for row in sample})
    customers = write_csv(tmp_path / "customers.csv", [
        ["客户编码", "客户名称", "账期天数"],
        *([code, f"IBM 样例客户 {code}", "30"] for code in customer_ids),
    ])
    invoices = write_csv(tmp_path / "invoices.csv", [
        ["发票号", "客户编码", "开票日期", "到期日", "不含税金额", "税额"],
        *([row["invoiceNumber"], row["customerID"], iso(row["InvoiceDate"]), iso(row["DueDate"]),
           row["InvoiceAmount"], "0"] for row in sample),
    ])

    assert run("customers", customers, actor=clerk).created == 100
    result = run("invoices", invoices, actor=clerk)

    assert (result.rows, result.created, result.skipped) == (2_466, 2_466, 0)
    totals = Invoice.objects.aggregate(gross=Sum("gross_minor"), open=Sum("amount_open_minor"))
    assert totals == {"gross": 14_770_318, "open": 14_770_318}
    first = Invoice.objects.get(number="0000611365")
    assert (first.customer.code, str(first.issue_date), str(first.due_date), first.gross_minor) == (
        "0379-NEVHP", "2013-01-02", "2013-02-01", 5_594)
    assert ledger_problems() == {}
