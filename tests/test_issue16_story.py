"""Issue 16's story, end to end through the services and the API, on a November calendar:

an unrated customer is held to the default limit → rated C (30 days) → an invoice on 60 days is refused, then
allowed by an approved terms exception → a contract is reviewed, returned for a missing clause, approved and signed
→ its first invoice waits for the deposit, which arrives → paid inside the 2/10 window, the invoice gets its
discount credit note → the collector leaves and the hand-over moves the customer, its task and its history → the
month's payout sheet credits each collector the cash that came while they were responsible, as computed by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from arms.cases.services.tasks import task_create_or_get
from arms.common.errors import Conflict, Forbidden
from arms.contracts.models import Contract
from arms.customers.models import Customer, CustomerAssignment
from arms.customers.services import customer_create
from arms.exposure.services import override_approve, override_request
from arms.handover.services import handover_acknowledge, handover_open
from arms.incentives.models import PayoutLine
from arms.incentives.services import scheme_compute, scheme_create
from arms.ledger.models import CreditNote, CreditNoteKind, Invoice
from arms.ledger.services import invoice_post, payment_record
from arms.ledger.services.allocations import AllocationRequest, payment_allocate
from tests import clock, factories
from tests.api.conftest import Api
from tests.exposure.conftest import rate

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-02"), pytest.mark.unrated_policy("limit")]


def reasons(error: Conflict) -> list[str]:
    return [r["code"] for r in error.details.get("reasons", [])]


def test_terms_in_force_review_deposit_discount_hand_over_and_payout(time_machine):
    clerk = factories.user("s16-clerk", role="finance_clerk")
    finmgr = factories.user("s16-finmgr", role="finance_manager")
    sales = factories.user("s16-sales", role="sales")
    executive = factories.user("s16-exec", role="executive")
    credit1 = factories.user("s16-credit1", role="credit_manager")
    leaver = factories.user("s16-leaver", role="collector")
    successor = factories.user("s16-successor", role="collector")
    customer = customer_create(actor=clerk, code="S16", name="苏州精工传动有限公司", salesperson=sales,
                               collector=leaver)
    day = date(2026, 11, 2)

    # 1. unrated: held to the default limit of CNY 50,000.00
    with pytest.raises(Conflict) as over:
        invoice_post(actor=clerk, customer=customer, issue_date=day, net_minor=50_000_01, tax_minor=0)
    assert "unrated_limit" in reasons(over.value) and not Invoice.objects.exists()
    invoice_post(actor=clerk, customer=customer, issue_date=day, net_minor=30_000_00, tax_minor=0)

    # 2. rated C, 30 days: 60 days is refused naming the rule, then allowed by an exception a second person approves
    rate(customer, grade="C", limit=1_000_000_00, payment_terms_days=30)
    with pytest.raises(Conflict) as longer:
        invoice_post(actor=clerk, customer=customer, issue_date=day, due_date=date(2027, 1, 1),
                     net_minor=10_000_00, tax_minor=0)
    assert "terms_exceeded" in reasons(longer.value)
    exception = override_request(customer=customer, amount_minor=10_000_00, currency="CNY", actor=sales,
                                 reason="老客户年末备货，延长账期", document_kind="invoice", terms_days=60)
    with pytest.raises(Forbidden):
        override_approve(override=exception, actor=sales)
    override_approve(override=exception, actor=credit1, note="同意一次")
    long_one = invoice_post(actor=clerk, customer=customer, issue_date=day, due_date=date(2027, 1, 1),
                            net_minor=10_000_00, tax_minor=0)
    assert (long_one.due_date - long_one.issue_date).days == 60

    # 3. a contract through review: returned for the missing acceptance clause, then approved and signed
    api = {user: Api(user) for user in (sales, executive, credit1, clerk)}
    draft = api[sales].post("/contracts", {
        "customer_id": customer.pk, "number": "HT-S16", "title": "减速机年度采购", "signed_date": "2026-11-02",
        "amount_minor": 200_000_00, "payment_terms_days": 30, "late_interest_rate_daily": "0.0005",
        "dispute_venue": "苏州仲裁委员会", "governing_law": "中华人民共和国法律", "deposit_pct": "30",
        "discount_pct": "2", "discount_days": 10})
    assert draft.status_code == 201, draft.content
    contract_id = draft.json()["id"]
    everything = ["payment_terms", "late_interest", "acceptance", "dispute_venue", "governing_law"]
    assert api[sales].post(f"/contracts/{contract_id}/submit").status_code == 201
    returned = api[executive].post(f"/contracts/{contract_id}/review/steps/sales",
                                   {"decision": "returned", "comment": "缺少验收条款"})
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    assert api[sales].post(f"/contracts/{contract_id}/amend", {
        "reason": "补充验收条款", "acceptance_clause": "到货后7日内验收"}).status_code == 200
    assert api[sales].post(f"/contracts/{contract_id}/submit").status_code == 201
    for user, kind in ((executive, "sales"), (credit1, "credit")):
        step = api[user].post(f"/contracts/{contract_id}/review/steps/{kind}",
                              {"decision": "approved", "confirmed": everything, "comment": "同意"})
        assert step.status_code == 200, step.content
    assert step.json()["status"] == "approved"
    assert api[clerk].post(f"/contracts/{contract_id}/sign", {"signed_date": "2026-11-02"}).status_code == 200
    contract = Contract.objects.get(pk=contract_id)
    assert contract.status == "active"

    # 4. the first invoice waits for the 30% deposit (CNY 60,000.00); the deposit arrives; it posts
    with pytest.raises(Conflict) as waiting:
        invoice_post(actor=clerk, customer=customer, contract=contract, issue_date=day, net_minor=100_000_00,
                     tax_minor=13_000_00)
    assert "deposit_missing" in reasons(waiting.value)
    payment_record(actor=clerk, customer=customer, received_date=day, amount_minor=60_000_00, contract=contract)
    first = invoice_post(actor=clerk, customer=customer, contract=contract, issue_date=day, net_minor=100_000_00,
                         tax_minor=13_000_00)
    assert (first.discount_bp, first.discount_until) == (200, date(2026, 11, 12))

    # 5. paid inside the window: 113,000.00 less 2% = 110,740.00 settles it with a 2,260.00 discount credit note
    time_machine.move_to(clock.moment(date(2026, 11, 6)))
    cash = payment_record(actor=clerk, customer=customer, received_date=date(2026, 11, 6),
                          amount_minor=110_740_00)
    payment_allocate(actor=clerk, payment=cash, lines=[AllocationRequest(first.pk, 110_740_00)],
                     on=date(2026, 11, 6))
    first.refresh_from_db()
    discount = CreditNote.objects.get(invoice=first)
    assert (first.amount_open_minor, discount.kind, discount.gross_minor) == (0, CreditNoteKind.DISCOUNT, 2_260_00)

    # 6. the collector leaves on 16 November: both acknowledge; the customer, its task and the history move
    time_machine.move_to(clock.moment(date(2026, 11, 16)))
    task, _created = task_create_or_get(customer=customer, kind="call", title="跟进减速机合同回款",
                                        level="finance", due_on=date(2026, 11, 20), assignee=leaver, actor=clerk)
    handover = handover_open(actor=finmgr, role="collector", from_user=leaver, to_user=successor,
                             customer_ids=[customer.pk], reason="离职交接")
    handover_acknowledge(actor=leaver, handover=handover, note="已交接")
    handover_acknowledge(actor=successor, handover=handover, note="已接收")
    customer = Customer.objects.get(pk=customer.pk)
    task.refresh_from_db()
    assert (customer.collector_id, task.assignee_id) == (successor.pk, successor.pk)
    history = list(CustomerAssignment.objects.filter(customer=customer, role="collector")
                   .values_list("user_id", "valid_from", "valid_to"))
    assert history == [(leaver.pk, date(2026, 11, 2), date(2026, 11, 16)), (successor.pk, date(2026, 11, 16), None)]

    # 7. more cash on the 20th, under the successor: 30,000.00 on the first (unrated) invoice
    time_machine.move_to(clock.moment(date(2026, 11, 20)))
    opening = Invoice.objects.get(customer=customer, contract__isnull=True, gross_minor=30_000_00)
    later = payment_record(actor=clerk, customer=customer, received_date=date(2026, 11, 20), amount_minor=30_000_00)
    payment_allocate(actor=clerk, payment=later, lines=[AllocationRequest(opening.pk, 30_000_00)],
                     on=date(2026, 11, 20))

    # 8. November's payout sheet: cash is credited to whoever was responsible the day it came (by hand:
    # the leaver 110,740.00, the successor 30,000.00, the salesperson both; the discount and the unapplied
    # deposit are not cash applied)
    time_machine.move_to(clock.moment(date(2026, 12, 1)))
    scheme = scheme_create(actor=finmgr, company=customer.company, period=date(2026, 11, 1))
    scheme_compute(actor=finmgr, scheme=scheme)
    collected = {(line.user_id, line.role): line.collections_minor for line in PayoutLine.objects.filter(scheme=scheme)}
    assert collected[(leaver.pk, "collector")] == 110_740_00
    assert collected[(successor.pk, "collector")] == 30_000_00
    assert collected[(sales.pk, "salesperson")] == 140_740_00
