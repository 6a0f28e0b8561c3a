"""Disputes: the amount is bounded by the open amount, the SLA counts Chinese working days, a credit note
resolution posts through the ledger and the books still tie, the owner is warned near and past the deadline."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import Activity, Dispute, DisputeReasonSetting
from arms.cases.services import dispute_raise, dispute_resolve, disputes_sla_check
from arms.common.errors import ArmsError, ValidationFailed
from arms.common.models import Notification
from arms.ledger.models import CreditNote
from tests import factories
from tests.conftest import ledger_problems

# The National Day story (raised on 30 Sep 2026, due 20 Oct, checked up to 22 Oct) is told on the day after it.
AFTER_NATIONAL_DAY = pytest.mark.clock("2026-10-23")


@AFTER_NATIONAL_DAY
def test_the_sla_runs_over_national_day_in_chinese_working_days(book):
    inv = factories.invoice(book.customer, number="INV-9", issued=date(2026, 9, 1), actor=book.clerk)

    dispute = dispute_raise(invoice=inv, amount_minor=10_000, reason_code="price", actor=book.collector,
                            raised_on=date(2026, 9, 30))

    # the default 5 working days after 30 Sep: 1-7 Oct off, 8, 9, 10 (调休 Saturday), 12, 13 Oct
    assert dispute.sla_due_on == date(2026, 10, 13)
    assert (dispute.department, dispute.owner) == ("sales", book.sales)


@AFTER_NATIONAL_DAY
def test_the_sla_and_department_are_configurable_per_reason(book):
    DisputeReasonSetting.objects.create(reason_code="quality", sla_working_days=3, department="finance")
    inv = factories.invoice(book.customer, number="INV-9", issued=date(2026, 9, 1), actor=book.clerk)

    dispute = dispute_raise(invoice=inv, amount_minor=10_000, reason_code="quality", actor=book.sales,
                            raised_on=date(2026, 9, 30))

    assert dispute.sla_due_on == date(2026, 10, 10)
    assert (dispute.department, dispute.owner) == ("finance", book.collector)
    assert Notification.objects.filter(user=book.collector, kind="collections.dispute_raised").count() == 1


@pytest.mark.parametrize(("kwargs", "field", "code"), [
    ({"amount_minor": 113_001}, "amount_minor", "exceeds_open_amount"),
    ({"amount_minor": 0}, "amount_minor", "invalid"),
    ({"reason_code": "weather"}, "reason_code", "invalid"),
    ({"department": "hr"}, "department", "invalid"),
    ({"raised_on": date(2026, 1, 1)}, "raised_on", "invalid"),
])
def test_bad_disputes_are_refused_naming_the_field_and_nothing_is_written(book, kwargs, field, code):
    events = AuditEvent.objects.count()
    args = {"invoice": book.inv1, "amount_minor": 10_000, "reason_code": "price", "actor": book.clerk,
            "raised_on": date(2026, 3, 1), **kwargs}
    with pytest.raises(ValidationFailed) as caught:
        dispute_raise(**args)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert Dispute.objects.count() == 0 and Activity.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_one_open_dispute_per_invoice(book):
    dispute_raise(invoice=book.inv1, amount_minor=10_000, reason_code="price", actor=book.clerk,
                  raised_on=date(2026, 3, 1))
    with pytest.raises(ArmsError) as caught:
        dispute_raise(invoice=book.inv1, amount_minor=1_000, reason_code="quality", actor=book.clerk,
                      raised_on=date(2026, 3, 2))
    assert (caught.value.code, caught.value.field) == ("dispute_open", "invoice_id")


def test_a_credit_note_resolution_posts_in_the_ledger_and_the_books_tie(book):
    dispute = dispute_raise(invoice=book.inv1, amount_minor=11_300, reason_code="quality", actor=book.collector,
                            raised_on=date(2026, 3, 1))

    closed = dispute_resolve(dispute=dispute, resolution="credit_note", actor=book.clerk, on=date(2026, 3, 5),
                             note="质量折让")

    note = CreditNote.objects.get()
    assert (note.gross_minor, note.net_minor, note.tax_minor, note.invoice) == (11_300, 10_000, 1_300, book.inv1)
    book.inv1.refresh_from_db()
    assert book.inv1.amount_open_minor == 113_000 - 11_300
    assert (closed.status, closed.resolution, closed.credit_note, closed.resolved_on) == (
        "resolved", "credit_note", note, date(2026, 3, 5))
    assert AuditEvent.objects.filter(action__in=["credit_note_posted", "dispute_resolved"]).count() == 2
    assert ledger_problems() == {}
    with pytest.raises(ArmsError) as twice:
        dispute_resolve(dispute=dispute, resolution="rejected", actor=book.clerk)
    assert twice.value.code == "already_closed"


def test_a_role_that_cannot_post_credit_notes_cannot_resolve_by_one(book):
    dispute = dispute_raise(invoice=book.inv1, amount_minor=11_300, reason_code="quality", actor=book.collector,
                            raised_on=date(2026, 3, 1))
    with pytest.raises(ArmsError) as caught:
        dispute_resolve(dispute=dispute, resolution="credit_note", actor=book.collector)
    assert caught.value.status == 403
    assert CreditNote.objects.count() == 0
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_a_corrected_invoice_needs_its_number_and_a_credit_cannot_exceed_the_open_amount(book):
    dispute = dispute_raise(invoice=book.inv1, amount_minor=11_300, reason_code="price", actor=book.collector,
                            raised_on=date(2026, 3, 1))
    with pytest.raises(ValidationFailed) as no_ref:
        dispute_resolve(dispute=dispute, resolution="corrected_invoice", actor=book.clerk)
    assert no_ref.value.field == "corrected_invoice_ref"
    with pytest.raises(ValidationFailed) as too_much:
        dispute_resolve(dispute=dispute, resolution="credit_note", credit_minor=113_001, actor=book.clerk)
    assert too_much.value.field == "credit_minor"
    assert CreditNote.objects.count() == 0

    closed = dispute_resolve(dispute=dispute, resolution="corrected_invoice", corrected_invoice_ref="INV-1-R",
                             actor=book.clerk, on=date(2026, 3, 6))
    assert (closed.status, closed.corrected_invoice_ref) == ("resolved", "INV-1-R")


@AFTER_NATIONAL_DAY
def test_the_owner_is_warned_near_the_deadline_and_told_when_it_passes_once_each(book):
    inv = factories.invoice(book.customer, number="INV-9", issued=date(2026, 9, 1), actor=book.clerk)
    dispute = dispute_raise(invoice=inv, amount_minor=10_000, reason_code="price", actor=book.sales,
                            raised_on=date(2026, 9, 30))  # due 13 Oct; owner: the salesperson

    assert disputes_sla_check(as_of=date(2026, 10, 9)) == {"warned": 0, "overdue": 0}  # 3 left: 10 (调休), 12, 13
    assert disputes_sla_check(as_of=date(2026, 10, 10)) == {"warned": 1, "overdue": 0}  # 2 working days left
    assert disputes_sla_check(as_of=date(2026, 10, 12)) == {"warned": 0, "overdue": 0}
    assert disputes_sla_check(as_of=date(2026, 10, 13)) == {"warned": 0, "overdue": 0}  # due today: not yet late
    assert disputes_sla_check(as_of=date(2026, 10, 14)) == {"warned": 0, "overdue": 1}
    assert disputes_sla_check(as_of=date(2026, 10, 15)) == {"warned": 0, "overdue": 0}

    subjects = list(Notification.objects.filter(kind="collections.dispute_sla").values_list("user__username",
                                                                                          flat=True))
    assert sorted(subjects) == ["collector", "sales", "sales"]
    dispute.refresh_from_db()
    assert (dispute.sla_warned_on, dispute.sla_overdue_notified_on) == (date(2026, 10, 10), date(2026, 10, 14))
