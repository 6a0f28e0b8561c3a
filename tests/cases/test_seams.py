"""The functions other apps build on: who holds a level, what dunning must skip, disputed amounts, tasks."""

from __future__ import annotations

from datetime import date

import pytest

from arms.cases import selectors
from arms.cases.models import Dispute, PromiseToPay, Task
from arms.cases.services import dispute_raise, dispute_resolve, plan_approve, plan_request, promise_record, task_create
from arms.common import hooks
from arms.common.errors import ValidationFailed
from arms.ledger.models import Invoice
from tests import factories


def test_person_for_level_walks_the_ladder(book):
    assert selectors.person_for_level(book.customer, "sales") == book.sales
    assert selectors.person_for_level(book.customer, "finance") == book.collector
    assert selectors.person_for_level(book.customer, "credit_legal") == book.legal

    orphan = factories.customer("C9")
    assert selectors.person_for_level(orphan, "sales") is None
    assert selectors.person_for_level(orphan, "finance") == book.finmgr  # no collector: a finance manager
    book.legal.is_active = False
    book.legal.save(update_fields=["is_active"])
    credit = factories.user("credit", role="credit_manager")
    assert selectors.person_for_level(orphan, "credit_legal") == credit


def test_task_create_assigns_the_levels_person_and_is_idempotent_on_its_source(book):
    first = task_create(customer=book.customer, kind="call", title="Call the CFO", level="sales",
                        due_on=date(2026, 3, 21), source="dunning", source_ref="stage:1:C1")
    again = task_create(customer=book.customer, kind="call", title="Call the CFO", level="sales",
                        due_on=date(2026, 3, 21), source="dunning", source_ref="stage:1:C1")

    assert first.pk == again.pk and first.assignee == book.sales and first.status == "open"
    assert Task.objects.count() == 1


def test_task_create_refuses_an_unknown_level(book):
    with pytest.raises(ValidationFailed) as caught:
        task_create(customer=book.customer, kind="call", title="x", level="ceo", due_on=date(2026, 3, 21))
    assert caught.value.field == "level"
    assert Task.objects.count() == 0


def test_held_from_dunning_open_disputes_good_promises_and_active_plans(book, settings):
    inv3 = factories.invoice(book.customer, number="INV-3", issued=date(2026, 2, 10), actor=book.clerk)
    other = factories.customer("C2")
    inv_other = factories.invoice(other, number="INV-O", issued=date(2026, 1, 5), actor=book.clerk)
    as_of = date(2026, 3, 20)

    def held(on=as_of):
        return set(Invoice.objects.filter(pk__in=selectors.invoice_ids_held_from_dunning(as_of=on))
                   .values_list("number", flat=True))

    assert held() == set()
    dispute = dispute_raise(invoice=book.inv1, amount_minor=10_000, reason_code="quality", actor=book.clerk,
                            raised_on=date(2026, 3, 1))
    promise_record(customer=book.customer, amount_minor=20_000, promised_on=date(2026, 3, 25), actor=book.collector,
                   made_on=date(2026, 3, 18), invoices=[book.inv2])
    plan = plan_request(customer=other, invoices=[inv_other], installments=2, first_due_on=date(2026, 4, 1),
                        actor=book.collector, starts_on=date(2026, 3, 1))
    assert held() == {"INV-1", "INV-2"}  # a plan awaiting approval holds nothing yet
    plan_approve(plan=plan, actor=book.finmgr)

    assert held() == {"INV-1", "INV-2", "INV-O"}
    assert held(date(2026, 3, 26)) == {"INV-1", "INV-O"}  # the promised date has passed
    assert held(date(2026, 2, 28)) == {"INV-O"}  # before the dispute was raised and the promise made
    dispute_resolve(dispute=dispute, resolution="rejected", actor=book.clerk, on=date(2026, 3, 20))
    assert held() == {"INV-2", "INV-O"}
    assert "INV-3" not in held()
    assert inv3.pk not in list(selectors.invoice_ids_held_from_dunning(as_of=as_of))


def test_a_promise_naming_no_invoice_holds_all_the_customers_invoices(book):
    promise_record(customer=book.customer, amount_minor=50_000, promised_on=date(2026, 3, 31), actor=book.collector,
                   made_on=date(2026, 3, 20))
    ids = set(selectors.invoice_ids_held_from_dunning(as_of=date(2026, 3, 20)))
    assert ids == {book.inv1.pk, book.inv2.pk}
    assert PromiseToPay.objects.get().invoices.count() == 0


def test_disputed_open_minor_as_of_a_date(book):
    dispute = dispute_raise(invoice=book.inv1, amount_minor=30_000, reason_code="price", actor=book.clerk,
                            raised_on=date(2026, 3, 2))
    dispute_resolve(dispute=dispute, resolution="corrected_invoice", corrected_invoice_ref="INV-1A",
                    actor=book.clerk, on=date(2026, 3, 10))
    dispute_raise(invoice=book.inv1, amount_minor=5_000, reason_code="quantity", actor=book.clerk,
                  raised_on=date(2026, 3, 12))

    assert list(selectors.disputed_open_minor(as_of=date(2026, 3, 1))) == []
    assert list(selectors.disputed_open_minor(as_of=date(2026, 3, 9))) == [(book.inv1.pk, 30_000)]
    assert list(selectors.disputed_open_minor(as_of=date(2026, 3, 11))) == []
    assert list(selectors.disputed_open_minor(as_of=date(2026, 3, 20))) == [(book.inv1.pk, 5_000)]
    assert Dispute.objects.count() == 2


def test_trade_history_counts_disputes_and_broken_promises_in_the_last_12_months(book):
    dispute_raise(invoice=book.inv1, amount_minor=1_000, reason_code="price", actor=book.clerk,
                  raised_on=date(2026, 3, 2))
    PromiseToPay.objects.create(customer=book.customer, currency="CNY", amount_minor=100, made_on=date(2025, 1, 1),
                                promised_on=date(2025, 1, 5), status="broken", closed_on=date(2025, 1, 6))
    PromiseToPay.objects.create(customer=book.customer, currency="CNY", amount_minor=100, made_on=date(2026, 1, 1),
                                promised_on=date(2026, 1, 5), status="broken", closed_on=date(2026, 1, 6))
    other = factories.customer("C2")

    facts = selectors.trade_history(customer_ids=[book.customer.pk, other.pk], as_of=date(2026, 3, 20))
    assert facts == {book.customer.pk: {"dispute_count": 1, "broken_promises": 1},
                     other.pk: {"dispute_count": 0, "broken_promises": 0}}


def test_the_trade_history_provider_is_registered_with_credit():
    assert hooks.registered(hooks.TRADE_HISTORY) == ["cases.trade_history"]
    assert hooks._registry[hooks.TRADE_HISTORY]["cases.trade_history"] is selectors.trade_history
