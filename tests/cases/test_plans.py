"""Installment plans: the schedule adds up, approval by another finance manager only, tracking, breach."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import InstallmentLine, InstallmentPlan, Task
from arms.cases.services import ScheduleLine, plan_approve, plan_reject, plan_request, plans_check
from arms.cases.services.plans import add_months
from arms.common.errors import ArmsError, ValidationFailed
from arms.common.models import Notification
from arms.ledger.services import payment_allocate
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems

START = date(2026, 3, 1)


def _plan(book, **kw):
    args = {"customer": book.customer, "invoices": [book.inv1, book.inv2], "installments": 3,
            "first_due_on": date(2026, 3, 31), "actor": book.finmgr, "starts_on": START, **kw}
    return plan_request(**args)


def test_the_schedule_splits_by_largest_remainder_and_adds_up(book):
    plan = _plan(book, total_minor=100_000)

    lines = list(plan.lines.order_by("seq").values_list("due_on", "amount_minor"))
    assert lines == [(date(2026, 3, 31), 33_334), (date(2026, 4, 30), 33_333), (date(2026, 5, 31), 33_333)]
    assert sum(a for _d, a in lines) == plan.total_minor == 100_000
    assert plan.status == "pending"
    assert _plan_total_default(book) == 113_000 + 56_500


def _plan_total_default(book):
    InstallmentPlan.objects.update(status="cancelled")
    return _plan(book).total_minor


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_only_another_finance_manager_approves(book):
    plan = _plan(book)  # requested by finmgr

    with pytest.raises(ArmsError) as same:
        plan_approve(plan=plan, actor=book.finmgr)
    assert (same.value.code, same.value.status) == ("four_eyes", 403)
    with pytest.raises(ArmsError) as clerk:
        plan_approve(plan=plan, actor=book.clerk)
    assert (clerk.value.code, clerk.value.status) == ("forbidden", 403)
    plan.refresh_from_db()
    assert plan.status == "pending" and plan.decided_by is None
    assert not AuditEvent.objects.filter(action="installment_plan_approved").exists()

    approved = plan_approve(plan=plan, actor=book.finmgr2, note="ok")

    assert (approved.status, approved.decided_by) == ("active", book.finmgr2)
    with pytest.raises(ArmsError) as twice:
        plan_reject(plan=plan, actor=book.finmgr2)
    assert twice.value.code == "already_closed"


def test_payments_are_tracked_and_an_installment_late_beyond_the_grace_days_breaches(book):
    plan = _plan(book, total_minor=90_000)
    plan_approve(plan=plan, actor=book.finmgr2)
    pay = factories.payment(book.customer, amount=40_000, received=date(2026, 3, 30), actor=book.clerk)
    payment_allocate(actor=book.clerk, payment=pay, lines=[AllocationRequest(book.inv1.pk, 40_000)],
                     on=date(2026, 3, 30))

    assert plans_check(as_of=date(2026, 4, 30))["active"] == 1
    assert list(plan.lines.order_by("seq").values_list("paid_minor", flat=True)) == [30_000, 10_000, 0]
    assert plans_check(as_of=date(2026, 5, 7))["active"] == 1  # 2nd installment is 7 days late: still in grace

    counts = plans_check(as_of=date(2026, 5, 8))

    plan.refresh_from_db()
    assert counts["breached"] == 1
    assert (plan.status, plan.breached_on, plan.paid_minor) == ("breached", date(2026, 5, 8), 40_000)
    task = Task.objects.get(source_ref=f"plan:{plan.pk}:breached")
    assert task.assignee == book.legal  # plans are run by finance: a breach goes to credit/legal
    assert Notification.objects.filter(user=book.legal, kind="collections.plan_breached").count() == 1
    assert plans_check(as_of=date(2026, 5, 9))["checked"] == 0
    assert ledger_problems() == {}


def test_a_plan_paid_in_full_is_completed(book):
    plan = _plan(book, invoices=[book.inv2], installments=2, total_minor=56_500)
    plan_approve(plan=plan, actor=book.finmgr2)
    factories.payment(book.customer, amount=56_500, received=date(2026, 3, 5), actor=book.clerk)
    pay = factories.payment(book.customer, amount=56_500, received=date(2026, 3, 6), actor=book.clerk)
    payment_allocate(actor=book.clerk, payment=pay, lines=[AllocationRequest(book.inv2.pk, 56_500)],
                     on=date(2026, 3, 6))

    assert plans_check(as_of=date(2026, 3, 7))["completed"] == 1
    plan.refresh_from_db()
    assert plan.status == "completed"
    assert sum(plan.lines.values_list("paid_minor", flat=True)) == 56_500


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"invoices": []}, "invoices"),
    ({"total_minor": 200_000}, "total_minor"),
    ({"total_minor": 0}, "total_minor"),
    ({"installments": 0}, "installments"),
    ({"installments": 61}, "installments"),
    ({"first_due_on": date(2026, 2, 1)}, "first_due_on"),
    ({"grace_days": 91}, "grace_days"),
    ({"schedule": [ScheduleLine(date(2026, 4, 1), 100), ScheduleLine(date(2026, 5, 1), 200)],
      "total_minor": 301}, "schedule"),
    ({"schedule": [ScheduleLine(date(2026, 4, 1), 0)], "total_minor": 1}, "schedule[0].amount_minor"),
])
def test_bad_plans_are_refused_naming_the_field(book, kwargs, field):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _plan(book, **kwargs)
    assert caught.value.field == field
    assert InstallmentPlan.objects.count() == 0 and InstallmentLine.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_an_explicit_schedule_and_one_plan_per_invoice(book):
    plan = _plan(book, invoices=[book.inv1], total_minor=300, installments=None, first_due_on=None,
                 schedule=[ScheduleLine(date(2026, 5, 1), 200), ScheduleLine(date(2026, 4, 1), 100)])
    assert list(plan.lines.values_list("seq", "due_on", "amount_minor")) == [
        (1, date(2026, 4, 1), 100), (2, date(2026, 5, 1), 200)]
    with pytest.raises(ArmsError) as caught:
        _plan(book, invoices=[book.inv1])
    assert (caught.value.code, caught.value.field) == ("plan_open", "invoices")
    other = factories.customer("C2")
    foreign = factories.invoice(other, number="INV-F")
    with pytest.raises(ValidationFailed) as foreign_refused:
        _plan(book, invoices=[foreign])
    assert foreign_refused.value.field == "invoices"
