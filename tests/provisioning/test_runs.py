"""Provision runs at three month ends, checked against hand figures; the refusals write nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from arms.audit.models import AuditEvent
from arms.common.errors import Conflict, ValidationFailed
from arms.domain.journal import AccountCode, Line
from arms.domain.terms import month_end
from arms.ledger.enums import EntryKind
from arms.ledger.models import JournalEntry, JournalLine
from arms.ledger.services.journal import journal_write
from arms.ledger.services.writeoffs import invoice_write_off, write_off_recover
from arms.provisioning import services
from arms.provisioning.models import ProvisionLine, ProvisionRun
from tests.conftest import ledger_problems
from tests.provisioning.conftest import pay_b


def _allowance(customer) -> int:
    rows = JournalLine.objects.filter(account__code="1231", customer=customer).aggregate(
        c=Sum("credit_minor"), d=Sum("debit_minor"))
    return (rows["c"] or 0) - (rows["d"] or 0)


def _expense(customer) -> int:
    rows = JournalLine.objects.filter(account__code="6702", customer=customer).aggregate(
        c=Sum("credit_minor"), d=Sum("debit_minor"))
    return (rows["d"] or 0) - (rows["c"] or 0)


def test_three_month_ends_raise_then_release_the_allowance(book, company):
    # E1: A 113,000 x 1% = 1,130; B 226,000 x 30% = 67,800; required 68,930, nothing booked: raise 68,930
    first = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e1)
    assert (first.total_required_minor, first.total_booked_before_minor, first.true_up_minor) == (68_930, 0, 68_930)
    line = ProvisionLine.objects.get(run=first)
    assert line.open_by_band == [113_000, 0, 226_000, 0]
    assert line.required_by_band == [1_130, 0, 67_800, 0]
    assert _allowance(book.customer) == 68_930

    # E2: A now 38-41 days past due, 5% = 5,650; B 67,800; required 73,450 against 68,930: raise 4,520
    second = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e2)
    assert (second.total_required_minor, second.total_booked_before_minor, second.true_up_minor) == (
        73_450, 68_930, 4_520)

    # a payment of 1,130.00 to B; E3: A 5,650; B 113,000 x 30% = 33,900; required 39,550 against 73,450:
    # release 33,900
    pay_b(book)
    third = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e3)
    assert (third.total_required_minor, third.total_booked_before_minor, third.true_up_minor) == (
        39_550, 73_450, -33_900)
    entry = JournalEntry.objects.get(kind=EntryKind.PROVISION, date=book.e3)
    lines = {(code, d, c) for code, d, c in entry.lines.values_list("account__code", "debit_minor", "credit_minor")}
    assert lines == {("1231", 33_900, 0), ("6702", 0, 33_900)}

    assert _allowance(book.customer) == 39_550
    assert _expense(book.customer) == 39_550
    assert ledger_problems() == {}
    for run in (first, second, third):
        check = services.provision_run_verify(run)
        assert check.ok, run
    # the first two runs' open amounts are still what the ledger shows for their days; the third too
    assert services.provision_run_verify(third).ledger == []


def test_a_second_run_for_a_period_is_refused_naming_it_and_writes_nothing(book, company):
    services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e2)
    counts = (ProvisionRun.objects.count(), JournalEntry.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Conflict) as caught:
        services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e2)
    assert caught.value.code == "provision_period_posted"
    assert caught.value.field == "as_of"
    assert f"{book.e2:%Y-%m}" in caught.value.message
    with pytest.raises(Conflict) as earlier:
        services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e1)
    assert earlier.value.code == "provision_period_posted"
    assert (ProvisionRun.objects.count(), JournalEntry.objects.count(), AuditEvent.objects.count()) == counts


def test_a_run_is_posted_for_a_month_end_that_has_passed(book, company, today):
    counts = (ProvisionRun.objects.count(), JournalEntry.objects.count())
    with pytest.raises(ValidationFailed) as not_month_end:
        services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e3.replace(day=15))
    assert not_month_end.value.field == "as_of"
    if month_end(today) != today:
        with pytest.raises(ValidationFailed) as future:
            services.provision_run_post(actor=book.finmgr, company=company, as_of=month_end(today))
        assert future.value.field == "as_of"
    assert (ProvisionRun.objects.count(), JournalEntry.objects.count()) == counts


def test_an_individual_assessment_takes_precedence_over_the_matrix(book, company):
    services.assessment_record(actor=book.finmgr, customer=book.customer, rate_bp=5_000,
                               reason="客户涉诉，资金链紧张", valid_from=book.e1, evidence_content=b"%PDF-1.4 judgment",
                               evidence_name="判决书.pdf")
    run = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e1)
    # 339,000 open x 50% = 169,500 split 113,000 : 226,000 -> 56,500 and 113,000
    line = ProvisionLine.objects.get(run=run)
    assert (line.basis, line.required_minor, line.required_by_band) == ("individual_rate", 169_500,
                                                                       [56_500, 0, 113_000, 0])
    assert run.inputs["assessments"][0]["rate_bp"] == 5_000
    assert services.provision_run_verify(run).ok


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"rate_bp": 10_001}, "rate_bp"),
    ({"rate_bp": -1}, "rate_bp"),
    ({"amount_minor": 0}, "amount_minor"),
    ({}, "rate_bp"),
    ({"rate_bp": 100, "amount_minor": 100}, "rate_bp"),
])
def test_a_bad_assessment_is_refused_naming_the_field(book, kwargs, field):
    counts = (AuditEvent.objects.count(),)
    with pytest.raises(ValidationFailed) as caught:
        services.assessment_record(actor=book.finmgr, customer=book.customer, reason="x", valid_from=book.e1,
                                   **kwargs)
    assert caught.value.field == field
    assert (AuditEvent.objects.count(),) == counts
    assert not book.customer.provision_assessments.exists()


@pytest.mark.parametrize(("bands", "field"), [
    ([{"label": "a", "low": 0, "high": 30, "rate_bp": 100}, {"label": "b", "low": 31, "high": None,
                                                              "rate_bp": 10_001}], "bands[1].rate_bp"),
    ([{"label": "a", "low": 0, "high": 30, "rate_bp": 100}, {"label": "b", "low": 25, "high": None,
                                                              "rate_bp": 100}], "bands[1].low"),
    ([{"label": "a", "low": 0, "high": 30, "rate_bp": 100}, {"label": "b", "low": 45, "high": None,
                                                              "rate_bp": 100}], "bands[1].low"),
])
def test_a_bad_matrix_is_refused_naming_the_band_and_writes_nothing(book, company, bands, field):
    active = services.matrix_active(company=company)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        services.matrix_version_create(actor=book.finmgr, company=company, name="新矩阵", bands=bands)
    assert caught.value.field == field
    assert services.matrix_active(company=company).pk == active.pk
    assert AuditEvent.objects.count() == events


def test_a_new_matrix_version_is_used_by_later_runs_and_old_runs_keep_theirs(book, company):
    first = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e1)
    made = services.matrix_version_create(
        actor=book.finmgr, company=company, name="账龄分析法",
        bands=[dict(band) for band in services.rules.AGING_METHOD_BANDS])
    assert made.version == 2 and made.is_active
    second = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e2)
    # 账龄分析法: everything within a year at 5%: 339,000 x 5% = 16,950; booked 68,930: release 51,980
    assert (second.matrix_id, second.total_required_minor, second.true_up_minor) == (made.pk, 16_950, -51_980)
    first.refresh_from_db()
    assert first.matrix.version == 1


def test_write_offs_and_recoveries_move_the_allowance_and_the_check_holds(book, company):
    services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e1)  # 1231: 68,930
    # B (226,000 open, 67,800 provided) is written off against the allowance after E1: 1231 goes to -157,070
    write_off = invoice_write_off(actor=book.finmgr, invoice=book.inv_b, amount_minor=226_000,
                                  on=book.e1 + timedelta(days=3), kind="bad_debt", account="1231",
                                  reason="破产清算终结", reference="WR-1")
    assert _allowance(book.customer) == 68_930 - 226_000
    assert ledger_problems() == {}
    # 50,000 comes back before E2: 1231 -107,070
    write_off_recover(actor=book.finmgr, write_off=write_off, amount_minor=50_000, on=book.e1 + timedelta(days=9),
                      reason="破产财产分配")
    assert ledger_problems() == {}
    # E2: A 113,000 x 5% = 5,650 and B's recovered 50,000 open again at 30% = 15,000: required 20,650 against a
    # booked -107,070: raise 127,720
    second = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e2)
    assert (second.total_required_minor, second.total_booked_before_minor, second.true_up_minor) == (
        20_650, -107_070, 127_720)
    assert _allowance(book.customer) == 20_650
    assert ledger_problems() == {}


def test_the_check_finds_an_allowance_entry_that_no_run_explains(book, company):
    services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e1)
    with transaction.atomic():
        journal_write(company=company, customer=book.customer, on=book.e2, kind=EntryKind.PROVISION,
                      lines=[Line(AccountCode.CREDIT_IMPAIRMENT, debit=100), Line(AccountCode.ALLOWANCE, credit=100)])
    problems = ledger_problems()
    assert [row["customer_id"] for row in problems["allowance_runs_and_write_offs"]] == [book.customer.pk]


def test_the_database_holds_one_run_per_period_and_the_true_up_rule(book, company):
    run = services.provision_run_post(actor=book.finmgr, company=company, as_of=book.e1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionRun.objects.create(company=company, as_of=book.e1, matrix=run.matrix)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionRun.objects.create(company=company, as_of=book.e2, matrix=run.matrix, total_required_minor=5,
                                    true_up_minor=4)
    line = ProvisionLine.objects.get(run=run)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisionLine.objects.filter(pk=line.pk).update(true_up_minor=line.true_up_minor + 1)
