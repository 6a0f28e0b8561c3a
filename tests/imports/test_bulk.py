"""Imports write invoices and payments through the bulk path, a batch of rows a call, all or none per file."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditBatch, AuditBatchEvent, AuditEvent
from arms.audit.services import audit_verify, seals_verify
from arms.imports import services as imports
from tests import factories
from tests.conftest import ledger_problems
from tests.imports.support import counts, refused, run, write_csv

HEADER = ["发票号", "客户编码", "开票日期", "不含税金额", "税额"]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(imports, "BULK_ROWS", 2)


def rows(over_limit_at: int | None = None) -> list[list[str]]:
    lines = [HEADER]
    for n in range(7):
        amount = "60,000.00" if n == over_limit_at else "100.00"
        lines.append([f"INV-{n}", "C001" if n % 2 else "C002", "2026-01-10", amount, "0"])
    return lines


@pytest.mark.unrated_policy("limit")
def test_a_row_the_credit_check_refuses_in_the_third_batch_leaves_nothing_of_the_file(small_batches, company,
                                                                                       tmp_path):
    """Unrated customers are held to CNY 50,000.00: row 6 of the file (line 6, the third batch of two) is over it."""
    factories.customer("C001")
    factories.customer("C002")
    before = counts()
    errors = refused("invoices", write_csv(tmp_path / "i.csv", rows(over_limit_at=4)))
    assert [(error["line"], error["column"]) for error in errors] == [(6, "发票号")]
    assert "credit check blocked" in errors[0]["message"]
    assert counts() == before
    assert not AuditBatchEvent.objects.exists()


def test_an_import_in_batches_is_one_sub_chain_anchored_by_its_run_and_a_second_import_creates_nothing(
        small_batches, company, clerk, tmp_path):
    factories.customer("C001")
    factories.customer("C002")
    path = write_csv(tmp_path / "i.csv", rows())
    first = run("invoices", path, actor=clerk)
    assert (first.created, first.skipped) == (7, 0)
    batch = AuditBatch.objects.get()
    anchor = AuditEvent.objects.get(action="import_completed")
    assert (batch.events, batch.anchor_seq, batch.actor_name) == (7, anchor.seq, "clerk")
    assert anchor.seals == {"audit.batch": {str(batch.pk): batch.last_hash}}
    assert anchor.subject_id == str(first.run_id)

    before = counts()
    again = run("invoices", path, actor=clerk)
    assert (again.created, again.skipped) == (0, 7)
    assert counts() == {**before, "ImportRun": before["ImportRun"] + 1, "AuditEvent": before["AuditEvent"] + 1}
    assert audit_verify().ok
    assert all(report.ok for report in seals_verify())
    assert ledger_problems() == {}
