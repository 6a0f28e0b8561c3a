"""Drafting, the approval workflow and its refusals (field named, nothing written)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.collectionplans import services
from arms.collectionplans.models import CollectionPlan, CollectionPlanLine
from arms.collectionplans.services import LineIn
from arms.common.approvals import FourEyes
from arms.common.errors import Conflict, ValidationFailed
from arms.common.models import Notification
from tests import factories


def _counts():
    return (CollectionPlan.objects.count(), CollectionPlanLine.objects.count(), AuditEvent.objects.count(),
            Notification.objects.count())


def test_draft_from_contract_takes_open_invoices_and_uninvoiced_milestones(people, contract, today):
    # given an invoice of 35,000.00 gross under the contract, issued 5 days ago (due in 25 days)
    invoice = factories.invoice(contract.customer, issued=today - timedelta(days=5), net=3_097_345, tax=402_655,
                                contract=contract)
    assert invoice.gross_minor == 3_500_000

    plan = services.collection_plan_draft_from_contract(actor=people["sales"], contract=contract)

    lines = [(x.kind, x.expected_date, x.amount_minor) for x in plan.lines.order_by("expected_date", "pk")]
    # the invoice takes the whole 30% milestone (30,000.00) and 5,000.00 of the 60% one
    assert lines == [
        ("invoice", invoice.due_date, 3_500_000),
        ("milestone", today - timedelta(days=20) + timedelta(days=60), 5_500_000),
        ("milestone", today - timedelta(days=20) + timedelta(days=400), 1_000_000),
    ]
    assert (plan.owner, plan.currency, plan.status, plan.counts_from) == (
        people["sales"], "CNY", "draft", today.replace(day=1))
    assert AuditEvent.objects.filter(action="collection_plan_drafted", subject_id=str(plan.pk)).count() == 1


def test_draft_from_customer_has_a_line_per_open_invoice_overdue_ones_expected_today(people, buyer, today):
    overdue = factories.invoice(buyer, issued=today - timedelta(days=50))
    upcoming = factories.invoice(buyer, issued=today - timedelta(days=5), net=200_000, tax=26_000)

    plan = services.collection_plan_draft_from_customer(actor=people["sales"], customer=buyer)

    assert [(x.invoice_id, x.expected_date, x.amount_minor) for x in plan.lines.order_by("expected_date")] == [
        (overdue.pk, today, 113_000), (upcoming.pk, upcoming.due_date, 226_000)]


def test_second_open_plan_for_the_same_contract_is_refused(people, contract):
    first = services.collection_plan_draft_from_contract(actor=people["sales"], contract=contract)
    before = _counts()
    with pytest.raises(Conflict) as refused:
        services.collection_plan_draft_from_contract(actor=people["sales"], contract=contract)
    assert (refused.value.code, refused.value.field, refused.value.details) == (
        "collection_plan_exists", "contract_id", {"plan": first.pk})
    assert _counts() == before


@pytest.mark.parametrize(("line", "field"), [
    (LineIn(expected_date=None, amount_minor=0, description="x"), "lines[1].amount_minor"),
    (LineIn(expected_date=None, amount_minor=-5, description="x"), "lines[1].amount_minor"),
    (LineIn(expected_date="far", amount_minor=100, description="x"), "lines[1].expected_date"),
    (LineIn(expected_date="before", amount_minor=100, description="x"), "lines[1].expected_date"),
    (LineIn(expected_date=None, amount_minor=100, description="x", currency="USD"), "lines[1].currency"),
    (LineIn(expected_date=None, amount_minor=100, description=""), "lines[1].description"),
    (LineIn(expected_date=None, amount_minor=100, kind="invoice", invoice_id=999999), "lines[1].invoice_id"),
])
def test_bad_lines_are_refused_naming_the_field_and_nothing_is_written(people, buyer, today, line, field):
    plan = services.collection_plan_create(actor=people["sales"], customer=buyer,
                                           lines=[LineIn(today, 100_000, "首付")])
    when = {None: today, "far": today.replace(day=1) + timedelta(days=4000),
            "before": today.replace(day=1) - timedelta(days=1)}[line.expected_date]
    bad = LineIn(when, line.amount_minor, line.description, line.kind, line.milestone_id, line.invoice_id,
                 line.currency)
    before = _counts()
    with pytest.raises(ValidationFailed) as refused:
        services.collection_plan_lines_set(actor=people["sales"], plan=plan,
                                           lines=[LineIn(today, 50_000, "首付"), bad])
    assert refused.value.field == field
    assert _counts() == before
    assert list(plan.lines.values_list("amount_minor", flat=True)) == [100_000]


def test_submit_approve_notifies_and_four_eyes_and_no_edit_after(people, buyer, today):
    plan = services.collection_plan_create(actor=people["sales"], customer=buyer,
                                           lines=[LineIn(today + timedelta(days=10), 100_000, "首付")])
    services.collection_plan_submit(actor=people["sales"], plan=plan)
    told = set(Notification.objects.filter(kind="collectionplans.submitted").values_list("user__username", flat=True))
    assert told == {"fm", "fm2"}

    # the finance manager who submitted his own plan cannot approve it
    own = services.collection_plan_create(actor=people["fm"], customer=factories.customer(salesperson=people["fm"]),
                                          lines=[LineIn(today, 5_000, "x")])
    services.collection_plan_submit(actor=people["fm"], plan=own)
    before = _counts()
    with pytest.raises(FourEyes):
        services.collection_plan_approve(actor=people["fm"], plan=own)
    assert _counts() == before
    own.refresh_from_db()
    assert own.status == "submitted"

    services.collection_plan_approve(actor=people["fm"], plan=plan, comment="同意")
    plan.refresh_from_db()
    assert (plan.status, plan.decided_by, plan.decision_note) == ("approved", people["fm"], "同意")
    assert Notification.objects.filter(kind="collectionplans.approved", user=people["sales"]).count() == 1

    before = _counts()
    with pytest.raises(Conflict) as refused:
        services.collection_plan_lines_set(actor=people["sales"], plan=plan, lines=[LineIn(today, 1, "x")])
    assert (refused.value.code, refused.value.field) == ("collection_plan_not_draft", "status")
    assert _counts() == before


def test_return_needs_a_comment_and_sends_the_plan_back_to_draft(people, buyer, today):
    plan = services.collection_plan_create(actor=people["sales"], customer=buyer, lines=[LineIn(today, 9, "x")])
    services.collection_plan_submit(actor=people["sales"], plan=plan)
    with pytest.raises(ValidationFailed) as refused:
        services.collection_plan_return(actor=people["fm"], plan=plan, comment="  ")
    assert refused.value.field == "comment"

    services.collection_plan_return(actor=people["fm"], plan=plan, comment="金额偏低，请按合同重排")
    plan.refresh_from_db()
    assert (plan.status, plan.decision_note) == ("draft", "金额偏低，请按合同重排")
    assert Notification.objects.filter(kind="collectionplans.returned", user=people["sales"]).count() == 1
    # a draft again: editable and can be submitted again
    services.collection_plan_lines_set(actor=people["sales"], plan=plan, lines=[LineIn(today, 20, "y")])
    services.collection_plan_submit(actor=people["sales"], plan=plan)


def test_a_sales_person_cannot_approve(people, buyer, today):
    from arms.common.errors import Forbidden

    plan = services.collection_plan_create(actor=people["collector"], customer=buyer, lines=[LineIn(today, 9, "x")])
    services.collection_plan_submit(actor=people["collector"], plan=plan)
    with pytest.raises(Forbidden):
        services.collection_plan_approve(actor=people["sales2"], plan=plan)
