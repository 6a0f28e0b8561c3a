"""A clerk's decision on a statement line is manual cash application: above the company's four-eyes amount the
receipt is recorded at once and its allocation waits for a second person, as on the payment page; below it, and for
automatic application, nothing waits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.bank.cash_selectors import pending_approval_ids
from arms.bank.enums import LineStatus
from arms.bank.models import CashSettings
from arms.bank.services.applying import Share, line_accept, line_apply
from arms.bank.services.matching import match_lines
from arms.cases.models import Task
from arms.common.approvals import FourEyes
from arms.ledger.models import Invoice, LedgerApproval, LedgerSettings, Payment
from arms.ledger.services.approvals import ledger_approval_approve
from tests import factories
from tests.bank.cash.conftest import statement_line
from tests.conftest import ledger_problems


@pytest.fixture
def threshold(company):
    """CNY 10,000.00."""
    return LedgerSettings.objects.create(company=company, four_eyes_minor=1_000_000).four_eyes_minor


@pytest.fixture
def manager(db):
    return factories.user("fm-cash", role="finance_manager")


def _invoice(customer, today, gross, number):
    return factories.invoice(customer, net=gross, tax=0, issued=today - timedelta(days=30), number=number)


def test_a_clerks_decision_above_the_amount_records_the_receipt_and_its_allocation_waits(
        threshold, account, clerk, manager, today):
    customer = factories.customer(name="常州新澄电子有限公司")
    invoice = _invoice(customer, today, 2_000_000, "INV-2026-0901")
    line = statement_line(account, amount=2_000_000, on=today - timedelta(days=1), payer="常州新澄电子有限公司")

    (payment,) = line_apply(actor=clerk, line=line,
                            shares=[Share(customer_id=customer.pk, allocations=((invoice.pk, 2_000_000),))])

    line.refresh_from_db()
    assert (line.status, line.payment_id) == (LineStatus.MANUAL, payment.pk)
    assert Payment.objects.get(pk=payment.pk).amount_unallocated_minor == 2_000_000
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 2_000_000
    (approval_id,) = pending_approval_ids(line)
    approval = LedgerApproval.objects.get(pk=approval_id)
    assert (approval.payment_id, approval.arguments["lines"]) == (payment.pk, [[invoice.pk, 2_000_000]])
    assert not Task.objects.filter(source="cash", source_ref=f"payment:{payment.pk}").exists()  # approval is the task

    with pytest.raises(FourEyes):
        ledger_approval_approve(approval=approval, actor=clerk)
    ledger_approval_approve(approval=approval, actor=manager)

    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
    assert pending_approval_ids(line) == []
    assert ledger_problems() == {}


def test_below_the_amount_a_clerks_decision_settles_at_once(threshold, account, clerk, today):
    customer = factories.customer(name="常州新澄电子有限公司")
    invoice = _invoice(customer, today, 900_000, "INV-2026-0902")
    line = statement_line(account, amount=900_000, on=today - timedelta(days=1), payer="常州新澄电子有限公司",
                          text="INV-2026-0902")
    match_lines(actor=None, auto=False)

    line_accept(actor=clerk, line=line)

    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
    assert pending_approval_ids(line) == [] and not LedgerApproval.objects.exists()


def test_automatic_application_above_the_amount_does_not_wait(threshold, company, account, today):
    CashSettings.objects.create(company=company, auto_threshold=85)
    customer = factories.customer(name="常州新澄电子有限公司")
    invoice = _invoice(customer, today, 2_000_000, "INV-2026-0903")
    statement_line(account, amount=2_000_000, on=today - timedelta(days=1), payer="常州新澄电子有限公司",
                   text="INV-2026-0903")

    run = match_lines(actor=None)

    assert run.auto_applied == 1
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 0
    assert not LedgerApproval.objects.exists()
