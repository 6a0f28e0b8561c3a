"""The issue's story, by hand figures: invoices age → provision runs at three month ends post the right true-ups →
a write-off request is refused for self-approval, then approved by finance, legal and audit → later money is
applied as a recovery → ``arms ledger check`` is clean and aging, the provision run and the journal tie
(1231 = runs − write-offs + recoveries).

The clock moves (time-machine) from just after the first month end E1 to E2, to a write-off five days after E2, to
E3, and to money ten days after E3. Customer ST1 has invoice A (1,130.00, due 10 days before E1) and B (2,260.00,
due 200 days before E1). The matrix is the seeds' (0-30 days past due 1%, 31-180 5%, 181-365 30%, over 365 100%).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Sum

from arms.audit.models import AuditEvent
from arms.common.errors import ArmsError
from arms.ledger.models import Invoice, JournalLine
from arms.ledger.services.writeoffs import payment_apply_to_written_off
from arms.provisioning.services import provision_run_post
from arms.writeoffs.models import WriteOffSignOff
from arms.writeoffs.services import EvidenceIn, ItemIn, write_off_request_create, write_off_request_sign
from tests import clock, factories
from tests.conftest import ledger_problems

pytestmark = pytest.mark.django_db


def month_end_before(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


def balance(code: str, customer) -> int:
    """Debit minus credit of ``code`` for the customer, CNY fen."""
    rows = JournalLine.objects.filter(account__code=code, customer=customer).aggregate(
        d=Sum("debit_minor"), c=Sum("credit_minor"))
    return (rows["d"] or 0) - (rows["c"] or 0)


def test_age_provide_write_off_recover_and_tie(people, company, today, time_machine):
    e3 = month_end_before(today)
    e2 = month_end_before(e3)
    e1 = month_end_before(e2)
    customer = factories.customer("ST1", name="长江重工有限公司")
    due_a, due_b = e1 - timedelta(days=10), e1 - timedelta(days=200)
    inv_a = factories.invoice(customer, number="INV-A", net=100_000, tax=13_000, issued=due_a - timedelta(days=30),
                              due_date=due_a)
    inv_b = factories.invoice(customer, number="INV-B", net=200_000, tax=26_000, issued=due_b - timedelta(days=30),
                              due_date=due_b)

    # E1: A 10 days past due, 113,000 x 1% = 1,130; B 200 days, 226,000 x 30% = 67,800; nothing booked yet
    time_machine.move_to(clock.moment(e1 + timedelta(days=2)), tick=False)
    first = provision_run_post(actor=people["finance"], company=company, as_of=e1)
    assert (first.total_required_minor, first.total_booked_before_minor, first.true_up_minor) == (68_930, 0, 68_930)

    # E2: A 38-41 days past due, 5% = 5,650; B still 30% = 67,800: 73,450 against 68,930, raise 4,520
    time_machine.move_to(clock.moment(e2 + timedelta(days=2)), tick=False)
    second = provision_run_post(actor=people["finance"], company=company, as_of=e2)
    assert (second.total_required_minor, second.total_booked_before_minor, second.true_up_minor) == (
        73_450, 68_930, 4_520)
    assert balance("1231", customer) == -73_450

    # B's debtor is bankrupt: a finance manager asks to write it off and may not approve it himself
    written_on = e2 + timedelta(days=5)
    time_machine.move_to(clock.moment(written_on), tick=False)
    request = write_off_request_create(
        actor=people["finance"], customer=customer, reason="bankruptcy", note="破产程序终结",
        items=[ItemIn(inv_b.pk, 226_000)], evidence=[EvidenceIn("bankruptcy", "裁定书.pdf", b"%PDF-1.4 ruling")])
    events = AuditEvent.objects.count()
    with pytest.raises(ArmsError) as refused:
        write_off_request_sign(actor=people["finance"], request=request, role="finance")
    assert refused.value.code == "four_eyes"
    assert (WriteOffSignOff.objects.count(), AuditEvent.objects.count()) == (0, events)
    for who in ("finance2", "legal", "auditor"):
        write_off_request_sign(actor=people[who], request=request, note="同意")
    request.refresh_from_db()
    assert (request.status, request.posted_on) == ("posted", written_on)
    assert Invoice.objects.get(pk=inv_b.pk).amount_open_minor == 0
    assert balance("1231", customer) == -73_450 + 226_000  # the write-off takes 226,000 out of the allowance

    # E3: only A is open, 71-ish days past due, 5% = 5,650; booked -152,550 after the write-off: raise 158,200
    time_machine.move_to(clock.moment(e3 + timedelta(days=2)), tick=False)
    third = provision_run_post(actor=people["finance"], company=company, as_of=e3)
    assert (third.total_required_minor, third.total_booked_before_minor, third.true_up_minor) == (
        5_650, -152_550, 158_200)
    assert balance("1231", customer) == -5_650  # the allowance is what the run requires
    assert balance("6702", customer) == 68_930 + 4_520 + 158_200

    # the estate pays 500.00 for B: recovered (Dr 1122 / Cr 1231), then the payment settles it (Dr 2203 / Cr 1122)
    paid_on = e3 + timedelta(days=10)
    time_machine.move_to(clock.moment(paid_on), tick=False)
    payment = factories.payment(customer, amount=50_000, received=paid_on, payer_name="破产管理人")
    recoveries, allocations = payment_apply_to_written_off(actor=people["clerk"], payment=payment, invoice=inv_b,
                                                           amount_minor=50_000)
    assert [(r.amount_minor, r.receivable_base_minor) for r in recoveries] == [(-50_000, -50_000)]
    assert [a.amount_minor for a in allocations] == [50_000]

    # everything ties
    assert ledger_problems() == {}
    runs = first.true_up_minor + second.true_up_minor + third.true_up_minor
    assert -balance("1231", customer) == runs - 226_000 + 50_000 == 55_650
    open_items = Invoice.objects.filter(customer=customer).aggregate(total=Sum("amount_open_minor"))["total"]
    assert open_items == balance("1122", customer) == 113_000  # aging: only A is open
    assert balance("2203", customer) == 0  # the payment went to B in full
    assert (Invoice.objects.get(pk=inv_a.pk).amount_open_minor, Invoice.objects.get(pk=inv_b.pk).amount_open_minor) \
        == (113_000, 0)
