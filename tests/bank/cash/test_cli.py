"""`arms cash apply` and `arms cash export`: the daily loop from the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from arms.bank.enums import LineStatus
from arms.bank.models import StatementLine
from tests import factories
from tests.bank.cash.conftest import statement_line


def _run(*args) -> str:
    out = io.StringIO()
    call_command("cash", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def lines(account, today):
    issued, booked = today - timedelta(days=30), today - timedelta(days=1)
    customer = factories.customer("C-XH", name="杭州星河化工有限公司")
    factories.invoice(customer, net=100_000, tax=13_000, issued=issued, number="INV-C-1")
    factories.invoice(customer, net=200_000, tax=26_000, issued=issued, number="INV-C-2")
    return {
        "paid": statement_line(account, amount=339_000, on=booked, payer="杭州星河化工有限公司",
                               text="INV-C-1 INV-C-2", reference="CMB001"),
        "nobody": statement_line(account, amount=7_700, on=booked, payer="路人甲", reference="CMB002"),
        "fee": statement_line(account, amount=-1_500, on=booked, text="手续费", reference="CMB003"),
        "later": statement_line(account, amount=100, on=today, payer="路人乙", reference="CMB004"),
    }


def test_apply_without_auto_only_suggests_and_with_auto_applies(lines, today):
    booked = (today - timedelta(days=1)).isoformat()
    assert json.loads(_run("apply", "--date", booked)) == {
        "lines": 3, "auto_applied": 0, "suggested": 1, "unmatched": 1, "ignored": 1}
    assert StatementLine.objects.get(pk=lines["later"].pk).status == LineStatus.NEW
    # the suggested line is no longer NEW: a run with --auto leaves it for the clerk (or POST /cash/match with ids)
    assert json.loads(_run("apply", "--auto"))["lines"] == 1


def test_export_has_one_row_per_line_and_allocation(lines, tmp_path):
    _run("apply", "--auto")
    target = tmp_path / "cash.csv"
    _run("export", "--format", "csv", "--output", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == ["line_ref", "status", "customer_code", "invoice_number", "amount", "confidence"]
    table = sorted((r["line_ref"], r["status"], r["customer_code"], r["invoice_number"], r["amount"]) for r in rows)
    assert table == [
        ("CMB001", "auto", "C-XH", "INV-C-1", "1130.00"),
        ("CMB001", "auto", "C-XH", "INV-C-2", "2260.00"),
        ("CMB002", "unmatched", "", "", "77.00"),
        ("CMB003", "ignored", "", "", "-15.00"),
        ("CMB004", "unmatched", "", "", "1.00"),
    ]
    assert {r["confidence"] for r in rows if r["line_ref"] == "CMB001"} == {"100"}


def test_export_escapes_a_formula_in_a_bank_reference(account, today):
    statement_line(account, amount=100, on=today, payer="x", reference="=HYPERLINK(1)")
    out = _run("export", "--format", "csv")
    assert "'=HYPERLINK(1)" in out


def test_an_unknown_account_is_refused(lines):
    with pytest.raises(CommandError, match="--account"):
        _run("apply", "--account", "000")


def test_the_matching_job_runs_and_reports_its_counts(lines, clerk):
    from arms.bank.cash_jobs import match_job_start
    from arms.common.jobs import job_run
    from arms.common.models import Job

    job, created = match_job_start(actor=clerk)
    again, created_again = match_job_start(actor=clerk)
    assert created and not created_again and again.pk == job.pk  # one run at a time

    assert job_run(job.pk) == "done"
    job = Job.objects.get(pk=job.pk)
    assert job.result_data == {"lines": 4, "auto_applied": 1, "suggested": 0, "unmatched": 2, "ignored": 1}
    assert StatementLine.objects.get(pk=lines["paid"].pk).status == LineStatus.AUTO


def test_after_a_clerk_teaches_a_payer_the_open_lines_are_matched_again(account, today, clerk):
    from arms.bank.services.applying import Share, line_apply

    customer = factories.customer("C-HK", name="深圳华强电子科技有限公司")
    issued, booked = today - timedelta(days=30), today - timedelta(days=1)
    first = factories.invoice(customer, net=100_000, tax=13_000, issued=issued, number="INV-H-1")
    factories.invoice(customer, net=200_000, tax=26_000, issued=issued, number="INV-H-2")
    taught = statement_line(account, amount=113_000, on=booked, payer="华强国际贸易", payer_account="HK-77")
    waiting = statement_line(account, amount=226_000, on=booked, payer="华强国际贸易", payer_account="HK-77")
    _run("apply", "--auto")
    assert set(StatementLine.objects.values_list("status", flat=True)) == {LineStatus.UNMATCHED}

    line_apply(actor=clerk, line=taught, shares=[Share(customer_id=customer.pk, allocations=((first.pk, 113_000),))])

    assert json.loads(_run("apply", "--auto"))["lines"] == 0  # nothing new
    assert json.loads(_run("apply", "--auto", "--open"))["auto_applied"] == 1
    assert StatementLine.objects.get(pk=waiting.pk).status == LineStatus.AUTO
