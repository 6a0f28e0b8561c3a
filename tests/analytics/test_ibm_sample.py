"""The IBM Watson "Accounts Receivable" sample (2,466 invoices, each settled on its SettledDate) as an independent
check: the sample's own DaysLate column and dates give the days late, the on-time rate, the aging and DSO that
ARMS must compute from its ledger. See ../shared/data/SOURCES.md; loaded as tests/imports/test_ibm_sample.py does,
plus one payment per invoice on its SettledDate allocated to it. Posting all 2,466 invoices and payments
through the services takes minutes, so the test takes the invoices of four customers (about 100, with late
payments among them); the expected figures come from the same rows of the CSV."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from arms.analytics.aging import aging_report
from arms.analytics.kpis import kpi_values
from arms.analytics.selectors import journal_receivables_as_of, open_totals_as_of
from arms.domain.aging import bucket_index, buckets
from tests.imports.support import run, write_csv

SAMPLE_NAME = "shared/data/ibm_watson_ar/WA_Fn-UseC_-Accounts-Receivable.csv"
#: beside the repository's checkout, or beside the directory of worktrees it sits in
SAMPLE = next((base / SAMPLE_NAME for base in Path(__file__).resolve().parents[3:5] if (base / SAMPLE_NAME).exists()),
              Path(__file__).resolve().parents[3] / SAMPLE_NAME)
CUSTOMERS = 4
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason=f"the IBM sample is not at {SAMPLE}")


def _day(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


def _cents(text: str) -> int:
    return int(Decimal(text) * 100)


@pytest.fixture(scope="module")
def sample() -> list[dict]:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    chosen = sorted({r["customerID"] for r in rows})[:CUSTOMERS]
    rows = [r for r in rows if r["customerID"] in chosen]
    return [{"customer": r["customerID"], "number": r["invoiceNumber"], "issued": _day(r["InvoiceDate"]),
             "due": _day(r["DueDate"]), "settled": _day(r["SettledDate"]), "amount": _cents(r["InvoiceAmount"]),
             "days_late": int(r["DaysLate"])} for r in rows]


@pytest.fixture
def ledger(sample, tmp_path, db):
    from tests import factories

    clerk = factories.user("ibm-clerk", role="finance_clerk")
    customers = sorted({r["customer"] for r in sample})
    assert run("customers", write_csv(tmp_path / "c.csv", [
        ["客户编码", "客户名称", "账期天数"], *([code, f"IBM 样例客户 {code}", "30"] for code in customers)]),
        actor=clerk).created == CUSTOMERS
    assert run("invoices", write_csv(tmp_path / "i.csv", [
        ["发票号", "客户编码", "开票日期", "到期日", "不含税金额", "税额"],
        *([r["number"], r["customer"], r["issued"].isoformat(), r["due"].isoformat(),
           f"{Decimal(r['amount']) / 100:.2f}", "0"] for r in sample)]), actor=clerk).created == len(sample)
    assert run("payments", write_csv(tmp_path / "p.csv", [
        ["收款单号", "客户编码", "收款日期", "金额", "发票号"],
        *([f"P{r['number']}", r["customer"], r["settled"].isoformat(), f"{Decimal(r['amount']) / 100:.2f}",
           r["number"]] for r in sample)]), actor=clerk).created == len(sample)
    return sample


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_days_late_on_time_dso_add_and_aging_match_the_sample(ledger):
    start, end = date(2013, 1, 1), date(2013, 12, 31)
    settled = [r for r in ledger if start <= r["settled"] <= end]
    assert any(r["days_late"] for r in settled)
    v = {code: kpi.value for code, kpi in kpi_values(start=start, end=end).items()}
    assert v["settled_count"] == len(settled)
    assert v["on_time_rate"] == _round(Decimal(sum(r["days_late"] == 0 for r in settled)) * 100 / len(settled))
    assert v["average_days_late"] == _round(Decimal(sum(r["days_late"] for r in settled)) / len(settled))

    open_at_end = [r for r in ledger if r["issued"] <= end < r["settled"]]
    closing = sum(r["amount"] for r in open_at_end)
    current = sum(r["amount"] for r in open_at_end if r["due"] >= end)
    sales = sum(r["amount"] for r in ledger if start <= r["issued"] <= end)
    assert (v["receivables_closing"], v["receivables_current"], v["credit_sales"]) == (closing, current, sales)
    dso = _round(Decimal(closing) * 365 / sales)
    best = _round(Decimal(current) * 365 / sales)
    add = _round(Decimal(closing - current) * 365 / sales)  # from the unrounded DSOs, not dso - best
    assert (v["dso"], v["best_possible_dso"], v["add"]) == (dso, best, add)

    latest = max(ledger, key=lambda r: (r["days_late"], r["settled"]))
    as_of = latest["settled"] - timedelta(days=1)  # the day before the latest payer paid: something is overdue
    expected = [0] * 8
    for r in ledger:
        if r["issued"] <= as_of < r["settled"]:
            expected[bucket_index((as_of - r["due"]).days, buckets())] += r["amount"]
    report = aging_report(as_of=as_of, group_by="currency")
    assert report.totals[0].buckets == expected
    assert any(expected[1:])
    assert open_totals_as_of(as_of)["CNY"]["base"] == journal_receivables_as_of(as_of)["CNY"] == sum(expected)

    # month by month: ADD from the unrounded DSOs, and 回收率 from the sample's own dates (each invoice paid in
    # full on its SettledDate; collected by its deadline when settled on or before it)
    from arms.domain.kpi import collection_deadline, percent

    for month in range(1, 13):
        first = date(2013, month, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        m = {code: kpi.value for code, kpi in kpi_values(start=first, end=last).items()}
        month_sales = sum(r["amount"] for r in ledger if first <= r["issued"] <= last)
        open_end = [r for r in ledger if r["issued"] <= last < r["settled"]]
        overdue_end = sum(r["amount"] for r in open_end if r["due"] < last)
        days = (last - first).days + 1
        assert m["add"] == (_round(Decimal(overdue_end) * days / month_sales) if month_sales else None), first
        falling = [r for r in ledger if first <= collection_deadline(r["due"]) <= last]
        on_time = sum(r["amount"] for r in falling if r["settled"] <= collection_deadline(r["due"]))
        assert m["recovery_rate"] == percent(on_time, sum(r["amount"] for r in falling)), first
