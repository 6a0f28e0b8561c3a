"""The bulk write-off of small balances: request, the one approval by a second finance manager, posting through the
ledger (inline and as a background job), and the refusals, each of which writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.common.approvals import FourEyes
from arms.common.errors import Conflict, Forbidden, ValidationFailed
from arms.common.jobs import job_run
from arms.common.models import Job
from arms.customers.services import company_ensure
from arms.ledger.check import ledger_check
from arms.ledger.models import (
    Invoice,
    SmallBalanceBatchItem,
    SmallBalanceThreshold,
    WriteOff,
)
from arms.writeoffs import small_services
from arms.writeoffs.small_services import (
    small_balance_account_set,
    small_balance_batch_approve,
    small_balance_batch_reject,
    small_balance_batch_request,
    small_balance_threshold_set,
)
from tests import factories
from tests.ledger.helpers import account_balances
from tests.small_balances.helpers import pay, state

pytestmark = [pytest.mark.django_db, pytest.mark.clock(date(2026, 3, 31))]


def test_a_clerk_asks_a_manager_approves_and_each_residue_is_written_off_to_6603(finance, residues_of_two):
    customer, cny, usd = residues_of_two
    batch = small_balance_batch_request(actor=finance["clerk"], note="银行手续费尾差")
    assert (batch.items_count, batch.account, batch.status) == (2, "6603", "pending")
    assert sorted(batch.items.values_list("invoice_id", "currency", "amount_minor")) == [
        (cny.pk, "CNY", 18_00), (usd.pk, "USD", 31_00)]
    assert batch.total_base_minor == 18_00 + 220_10  # USD 31.00 at 7.10

    small_balance_batch_approve(actor=finance["manager"], batch=batch, note="同意")

    batch.refresh_from_db()
    assert (batch.status, batch.posted_count, batch.decided_by) == ("posted", 2, finance["manager"])
    assert sorted(Invoice.objects.filter(pk__in=[cny.pk, usd.pk]).values_list("amount_open_minor", flat=True)) == [0, 0]
    offs = sorted(WriteOff.objects.values_list("invoice_id", "kind", "account", "amount_minor", "reference"))
    assert offs == [(cny.pk, "small_balance", "6603", 18_00, f"SB-{batch.pk}"),
                    (usd.pk, "small_balance", "6603", 31_00, f"SB-{batch.pk}")]
    assert account_balances(customer)["6603"] == 18_00 + 220_10
    assert [r.code for r in ledger_check() if r.rows] == []
    assert list(AuditEvent.objects.filter(action__startswith="small_balance_batch").order_by("pk")
                .values_list("action", flat=True)) == [
        "small_balance_batch_requested", "small_balance_batch_approved", "small_balance_batch_posted"]
    assert AuditEvent.objects.filter(action="invoice_written_off").count() == 2


def test_the_configured_account_6711_is_used_and_chosen_invoices_only(finance, residues_of_two):
    _customer, cny, usd = residues_of_two
    small_balance_account_set(actor=finance["manager"], account="6711")
    batch = small_balance_batch_request(actor=finance["manager"], invoice_ids=[usd.pk])
    small_balance_batch_approve(actor=finance["manager2"], batch=batch)
    assert list(WriteOff.objects.values_list("invoice_id", "account")) == [(usd.pk, "6711")]
    assert Invoice.objects.get(pk=cny.pk).amount_open_minor == 18_00


def test_the_requester_cannot_approve_their_own_batch_and_nothing_is_written(finance, residues_of_two):
    batch = small_balance_batch_request(actor=finance["manager"])
    before = state()
    with pytest.raises(FourEyes):
        small_balance_batch_approve(actor=finance["manager"], batch=batch)
    assert state() == before


def test_only_a_finance_manager_approves_and_only_finance_asks(finance, residues_of_two):
    batch = small_balance_batch_request(actor=finance["clerk"])
    before = state()
    with pytest.raises(Forbidden):
        small_balance_batch_approve(actor=factories.user("fc2-sb", role="finance_clerk"), batch=batch)
    with pytest.raises(Forbidden):
        small_balance_batch_request(actor=finance["collector"])
    assert state() == before


def test_an_item_paid_since_the_request_refuses_the_approval_naming_it(finance, residues_of_two):
    customer, cny, _usd = residues_of_two
    batch = small_balance_batch_request(actor=finance["clerk"])
    pay(customer, cny, 8_00, on=date(2026, 3, 30))  # 10.00 left: a residue still, but not the one asked for
    before = state()
    with pytest.raises(Conflict) as refused:
        small_balance_batch_approve(actor=finance["manager"], batch=batch)
    assert refused.value.code == "not_a_residue" and refused.value.details["number"] == cny.number
    assert cny.number in refused.value.message
    assert state() == before


def test_a_request_naming_an_invoice_that_is_no_residue_is_refused(finance, residues_of_two):
    customer, _cny, _usd = residues_of_two
    unpaid = Invoice.objects.get(customer=customer, gross_minor=20_00)
    before = state()
    with pytest.raises(Conflict) as refused:
        small_balance_batch_request(actor=finance["clerk"], invoice_ids=[unpaid.pk])
    assert refused.value.field == "invoices" and refused.value.details["invoice"] == unpaid.pk
    with pytest.raises(ValidationFailed) as empty:
        small_balance_batch_request(actor=finance["clerk"], invoice_ids=[])
    assert empty.value.field == "invoices"
    assert state() == before


def test_a_rejected_batch_writes_nothing_off_and_cannot_be_decided_again(finance, residues_of_two):
    batch = small_balance_batch_request(actor=finance["clerk"])
    with pytest.raises(ValidationFailed) as no_reason:
        small_balance_batch_reject(actor=finance["manager"], batch=batch, note=" ")
    assert no_reason.value.field == "note"
    small_balance_batch_reject(actor=finance["manager"], batch=batch, note="先核对银行回单")
    before = state()
    with pytest.raises(Conflict) as again:
        small_balance_batch_approve(actor=finance["manager2"], batch=batch)
    assert again.value.code == "approval_not_pending"
    assert state() == before and WriteOff.objects.count() == 0


@pytest.mark.parametrize(("currency", "minor", "field"), [
    ("CNY", -1, "threshold_minor"), ("CNY", 1_000_001, "threshold_minor"), ("C1", 100, "currency")])
def test_a_threshold_outside_its_bounds_is_refused(finance, currency, minor, field):
    before = (SmallBalanceThreshold.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        small_balance_threshold_set(actor=finance["manager"], currency=currency, threshold_minor=minor)
    assert refused.value.field == field
    assert (SmallBalanceThreshold.objects.count(), AuditEvent.objects.count()) == before


def test_a_threshold_is_set_per_currency_and_audited(finance):
    small_balance_threshold_set(actor=finance["manager"], currency="usd", threshold_minor=20_00)
    small_balance_threshold_set(actor=finance["manager"], currency="USD", threshold_minor=35_00)
    assert list(SmallBalanceThreshold.objects.filter(company=company_ensure())
                .values_list("currency", "threshold_minor")) == [("USD", 35_00)]
    event = AuditEvent.objects.filter(action="small_balance_threshold_set").latest("pk")
    assert (event.before["threshold_minor"], event.after["threshold_minor"]) == (20_00, 35_00)


def test_a_big_batch_is_posted_by_a_background_job_skipping_what_changed(finance, residues_of_two, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    customer, cny, usd = residues_of_two
    monkeypatch.setattr(small_services, "POST_INLINE", 1)
    batch = small_balance_batch_request(actor=finance["clerk"])
    with django_capture_on_commit_callbacks(execute=False):
        small_balance_batch_approve(actor=finance["manager"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == "approved" and WriteOff.objects.count() == 0
    job = Job.objects.get(kind="writeoffs.small_balances")
    pay(customer, usd, 31_00, on=date(2026, 3, 30))  # paid in full before the job ran

    assert job_run(job.pk) == "done"

    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.status, batch.posted_count) == ("posted", 1)
    assert list(WriteOff.objects.values_list("invoice_id", flat=True)) == [cny.pk]
    assert SmallBalanceBatchItem.objects.get(invoice=usd).skipped != ""
    assert (job.progress_done, job.progress_total, job.result_data["posted"]) == (2, 2, 1)
    assert [r.code for r in ledger_check() if r.rows] == []
