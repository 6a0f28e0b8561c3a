"""Receipts against an approved plan: per line, per month, behind, the daily notice, the variance per owner."""

from __future__ import annotations

from datetime import timedelta

from arms.collectionplans import selectors, services
from arms.collectionplans.services import LineIn
from arms.common.models import Notification
from arms.ledger.services import payment_allocate
from arms.ledger.services.allocations import AllocationRequest
from tests import factories


def _approved(people, customer, lines, *, contract=None):
    plan = services.collection_plan_create(actor=people["sales"], customer=customer, contract=contract, lines=lines)
    services.collection_plan_submit(actor=people["sales"], plan=plan)
    return services.collection_plan_approve(actor=people["fm"], plan=plan)


def _pay(customer, invoice, amount, on):
    payment = factories.payment(customer, amount=amount, received=on)
    payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, amount)], on=on)


def test_receipts_cover_lines_in_date_order_and_a_past_uncovered_line_is_behind(people, buyer, today):
    first_day = today.replace(day=1)
    invoice = factories.invoice(buyer, issued=first_day - timedelta(days=40), net=1_000_000, tax=0)
    # an earlier payment, before the plan counts, is not a receipt of the plan
    _pay(buyer, invoice, 50_000, first_day - timedelta(days=1))
    plan = _approved(people, buyer, [LineIn(first_day, 300_000, "一期"), LineIn(first_day, 200_000, "二期"),
                                     LineIn(today + timedelta(days=40), 450_000, "三期")])
    _pay(buyer, invoice, 400_000, first_day)

    track = selectors.plan_track(plan, today=today + timedelta(days=1))

    assert track.received_minor == 400_000
    assert [(t.covered_minor, t.state) for t in track.lines] == [
        (300_000, "covered"), (100_000, "behind"), (0, "upcoming")]
    assert (track.months[0].expected_minor, track.months[0].received_minor) == (500_000, 400_000)
    assert track.months[0].variance_minor == -100_000
    # the daily task tells the owner once per behind line
    assert services.collection_plans_notify_behind(today=today + timedelta(days=1)) == 1
    assert services.collection_plans_notify_behind(today=today + timedelta(days=2)) == 0
    assert Notification.objects.filter(kind="collectionplans.behind", user=people["sales"]).count() == 1


def test_a_contract_plan_counts_only_the_contracts_invoices(people, contract, today):
    buyer = contract.customer
    under = factories.invoice(buyer, issued=today, net=500_000, tax=0, contract=contract)
    other = factories.invoice(buyer, issued=today, net=500_000, tax=0)
    plan = _approved(people, buyer, [LineIn(today, 500_000, "到货款")], contract=contract)
    _pay(buyer, under, 120_000, today)
    _pay(buyer, other, 70_000, today)

    assert selectors.plan_received(plan) == 120_000


def test_variance_per_owner_of_a_month_and_sales_see_only_their_own(people, buyer, today):
    first_day = today.replace(day=1)
    invoice = factories.invoice(buyer, issued=first_day - timedelta(days=40), net=1_000_000, tax=0)
    _approved(people, buyer, [LineIn(first_day, 600_000, "一期")])
    _pay(buyer, invoice, 450_000, first_day)
    theirs = factories.customer(salesperson=people["sales2"])
    _approved(people, theirs, [LineIn(first_day, 100_000, "别人的")])

    rows = selectors.variance_by_owner(user=people["fm"], month=today, today=today + timedelta(days=1))
    mine = next(r for r in rows if r.owner_id == people["sales"].pk)
    assert (mine.plans, mine.planned_minor, mine.received_minor, mine.variance_minor, mine.achieved_bp,
            mine.plans_behind) == (1, 600_000, 450_000, -150_000, 7500, 1)
    assert len(rows) == 2

    own = selectors.variance_by_owner(user=people["sales"], month=today, today=today)
    assert [r.owner_id for r in own] == [people["sales"].pk]
