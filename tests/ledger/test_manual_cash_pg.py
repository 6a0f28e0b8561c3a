"""Real threads against PostgreSQL: a four-eyes approval is decided once. Several approvers at the same moment, or
an approver and a rejecter, queue on the approval's row lock; one wins, the others get ``approval_not_pending``,
and the money moves once."""

from datetime import timedelta

import pytest

from arms.audit.services import audit_verify
from arms.ledger.models import Allocation, Invoice, LedgerApproval, LedgerSettings
from arms.ledger.services.allocations import AllocationRequest
from arms.ledger.services.approvals import ledger_approval_approve, ledger_approval_reject, manual_allocate
from tests import factories
from tests.conftest import ledger_problems, postgres_available
from tests.ledger.concurrency import outcomes, race

pytestmark = [
    pytest.mark.skipif(not postgres_available(),
                       reason="row-lock concurrency needs PostgreSQL: set DATABASE_URL=postgres://..."),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 6


def test_many_approvers_at_once_move_the_money_once(company, today):
    LedgerSettings.objects.create(company=company, four_eyes_minor=10_000)
    clerk = factories.user("clerk-pg", role="finance_clerk")
    managers = [factories.user(f"fm-pg-{i}", role="finance_manager") for i in range(THREADS)]
    customer = factories.customer()
    invoice = factories.invoice(customer, net=100_000, tax=0, issued=today - timedelta(days=20))
    payment = factories.payment(customer, amount=100_000, received=today)
    approval = manual_allocate(actor=clerk, payment=payment,
                               lines=[AllocationRequest(invoice.pk, 100_000)]).approval

    def decide(manager, index):
        def call():
            found = LedgerApproval.objects.get(pk=approval.pk)
            if index % 2:
                return ledger_approval_reject(approval=found, actor=manager, note="不同意")
            return ledger_approval_approve(approval=found, actor=manager)
        return call

    results = race([decide(manager, i) for i, manager in enumerate(managers)])

    assert outcomes(results) == {"ok": 1, "approval_not_pending": THREADS - 1}
    decided = LedgerApproval.objects.get(pk=approval.pk)
    moved = Allocation.objects.filter(invoice=invoice).count()
    assert (decided.status, moved) in (("approved", 1), ("rejected", 0))
    assert Invoice.objects.get(pk=invoice.pk).amount_open_minor == 100_000 - 100_000 * moved
    assert ledger_problems() == {}
    assert audit_verify().ok
