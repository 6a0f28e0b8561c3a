"""limitation_refresh collects the interruptions ARMS already records, one source at a time, each once."""

from datetime import date, timedelta

import pytest

from arms.cases.enums import ActivityKind
from arms.cases.services import activity_record, plan_approve, plan_request, promise_cancel, promise_record
from arms.confirmations.models import Confirmation
from arms.confirmations.services import confirmation_reply
from arms.confirmations.services.runs import confirmation_run_start
from arms.customers.services import company_ensure
from arms.dunning.models import DunningAction, DunningEmail, EmailStatus
from arms.dunning.services import dunning_run
from arms.limitation.models import LimitationClock, LimitationInterruption
from arms.limitation.services import limitation_refresh
from tests import factories
from tests.dunning import conftest as dunning

people, policy, _media, _pdf_stub = dunning.people, dunning.policy, dunning._media, dunning._pdf_stub

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-06-01")]


def _facts() -> list[tuple]:
    return list(LimitationInterruption.objects.order_by("invoice_id", "kind", "source").values_list(
        "invoice__number", "kind", "date", "source"))


def test_a_dunning_e_mail_the_server_accepted_is_a_demand_delivered(policy, people, smtp_server,
                                                                    django_capture_on_commit_callbacks):
    buyer = dunning.make_customer(people)
    factories.invoice(buyer, number="INV-D1", issued=date(2026, 1, 10), contract=dunning.make_contract(buyer))
    with django_capture_on_commit_callbacks(execute=True):
        dunning_run(as_of=date(2026, 2, 10))
    action = DunningAction.objects.get(customer=buyer)
    assert DunningEmail.objects.get(action=action).status == EmailStatus.SENT
    limitation_refresh(company=company_ensure())
    assert _facts() == [("INV-D1", "demand_delivered", date(2026, 6, 1), f"dunning.action:{action.pk}")]


def test_a_dunning_e_mail_not_sent_interrupts_nothing(policy, people):
    buyer = dunning.make_customer(people, email=None)
    factories.invoice(buyer, issued=date(2026, 1, 10), contract=dunning.make_contract(buyer))
    dunning_run(as_of=date(2026, 2, 10))
    limitation_refresh(company=company_ensure())
    assert _facts() == []


def test_a_confirmed_balance_acknowledges_the_open_items_of_its_snapshot(today):
    clerk = factories.user("zhaoli", role="finance_clerk")
    customer = factories.customer("CF1")
    old = factories.invoice(customer, number="INV-C1", issued=date(2026, 3, 5), actor=clerk)
    paid = factories.invoice(customer, number="INV-C2", net=50_000, tax=6_500, issued=date(2026, 3, 6), actor=clerk)
    factories.payment(customer, amount=paid.gross_minor, received=date(2026, 3, 20), auto_allocate=True, actor=clerk)
    later = factories.invoice(customer, number="INV-C3", issued=date(2026, 5, 2), actor=clerk)
    run, _created = confirmation_run_start(company=customer.company, period_end=date(2026, 4, 30), actor=clerk)
    confirmation = Confirmation.objects.get(run=run, customer=customer)
    confirmation_reply(confirmation=confirmation, actor=clerk, answer="confirmed", channel="scan",
                       scan=("对账回执.pdf", b"%PDF-1.4 signed"))
    limitation_refresh(company=company_ensure())
    row = LimitationInterruption.objects.get()
    assert (row.invoice, row.kind, row.date, row.source, row.evidence_name) == (
        old, "confirmation", today, f"confirmations.confirmation:{confirmation.pk}", "对账回执.pdf")
    assert row.evidence.content_type == "application/pdf"
    assert not LimitationInterruption.objects.filter(invoice__in=[paid, later]).exists()


def test_part_payments_promises_and_plans(today):
    clerk = factories.user("zhaoli", role="finance_clerk")
    collector = factories.user("liujing", role="collector")
    finmgr = factories.user("huangjun", role="finance_manager")
    customer = factories.customer("PP1", collector=collector)
    a = factories.invoice(customer, number="INV-P1", issued=date(2026, 1, 5), actor=clerk)
    b = factories.invoice(customer, number="INV-P2", issued=date(2026, 1, 6), actor=clerk)
    c = factories.invoice(customer, number="INV-P3", issued=date(2026, 1, 7), actor=clerk)
    future = factories.invoice(customer, number="INV-P4", issued=today - timedelta(days=5), actor=clerk)
    # a part payment on a (the oldest first); a whole payment of b is not a part payment
    factories.payment(customer, amount=20_000, received=date(2026, 3, 2), auto_allocate=True, actor=clerk)
    # a promise naming c; a general promise (all overdue open invoices on its day); a cancelled one
    named = promise_record(customer=customer, amount_minor=10_000, promised_on=today + timedelta(days=10),
                           made_on=date(2026, 4, 1), invoices=[c], actor=collector)
    general = promise_record(customer=customer, amount_minor=10_000, promised_on=today + timedelta(days=20),
                             made_on=date(2026, 4, 2), actor=collector)
    dropped = promise_record(customer=customer, amount_minor=5_000, promised_on=today + timedelta(days=30),
                             made_on=date(2026, 4, 3), actor=collector)
    promise_cancel(promise=dropped, actor=collector, note="记错了")
    # an approved installment plan on b; a pending one on nothing more
    plan = plan_request(customer=customer, invoices=[b], actor=collector, installments=2,
                        first_due_on=today + timedelta(days=30))
    plan_approve(plan=plan, actor=finmgr)
    limitation_refresh(company=company_ensure())
    [allocation] = a.allocations.all()
    assert _facts() == [
        ("INV-P1", "part_payment", date(2026, 3, 2), f"ledger.allocation:{allocation.pk}"),
        ("INV-P1", "promise", date(2026, 4, 2), f"cases.promise:{general.pk}"),
        ("INV-P2", "installment_plan", today, f"cases.plan:{plan.pk}"),
        ("INV-P2", "promise", date(2026, 4, 2), f"cases.promise:{general.pk}"),
        ("INV-P3", "promise", date(2026, 4, 1), f"cases.promise:{named.pk}"),
        ("INV-P3", "promise", date(2026, 4, 2), f"cases.promise:{general.pk}"),
    ]
    assert not LimitationInterruption.objects.filter(invoice=future).exists()
    assert LimitationClock.objects.get(invoice=b).last_kind == "installment_plan"


def test_a_visit_that_names_no_invoice_interrupts_the_overdue_ones(today):
    collector = factories.user("liujing", role="collector")
    customer = factories.customer("VS1", collector=collector)
    overdue = factories.invoice(customer, number="INV-V1", issued=date(2026, 1, 5))
    not_due = factories.invoice(customer, number="INV-V2", issued=today - timedelta(days=3))
    visit = activity_record(customer=customer, kind=ActivityKind.VISIT, outcome="reached", actor=collector,
                            note="上门催收，对方签收催款通知", attachment_name="签收单.jpg",
                            attachment_bytes=b"\xff\xd8\xff signed")
    activity_record(customer=customer, kind=ActivityKind.VISIT, outcome="reached", actor=collector,
                    note="没有凭证的拜访")
    first = limitation_refresh(company=company_ensure())
    second = limitation_refresh(company=company_ensure())
    assert _facts() == [("INV-V1", "demand_delivered", today, f"cases.activity:{visit.pk}")]
    assert (first["interruptions_added"], second["interruptions_added"]) == (1, 0)
    assert not LimitationInterruption.objects.filter(invoice=not_due).exists()
    assert overdue.limitation_clock.last_interruption == today
