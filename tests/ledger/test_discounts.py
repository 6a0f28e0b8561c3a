"""Early-payment discounts (2/10, net 30): fixed on the invoice at posting from the contract, the credit profile or
explicitly; granted as a discount credit note when money received inside the window settles the invoice but for its
discount; not after the window, not for a part payment; journal Dr 6603 / Cr 1122, VAT as invoiced."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command

from arms.audit.models import AuditEvent
from arms.common.errors import ValidationFailed
from arms.contracts.models import Contract
from arms.contracts.services import contract_create
from arms.credit.models import CreditProfile
from arms.ledger.errors import DiscountGranted
from arms.ledger.models import CreditNote, CreditNoteKind, Invoice, JournalEntry
from arms.ledger.services import allocation_reverse, payment_allocate, payment_auto_allocate, payment_reverse
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems
from tests.ledger.helpers import account_balances, entry_lines, ledger_state

GROSS = 1_130_000  # 11,300.00: 10,000.00 net + 1,300.00 VAT
DISCOUNT = 22_600  # 2% of the gross


def _post(customer, issued, **kw) -> Invoice:
    return factories.invoice(customer, net=1_000_000, tax=130_000, issued=issued, **kw)


def _profile(customer, pct="2", days=10):
    CreditProfile.objects.create(customer=customer, grade="B", score=70, currency="CNY",
                                 discount_pct=Decimal(pct), discount_days=days)


def test_posting_takes_the_discount_from_the_credit_profile(customer, today):
    _profile(customer)
    issued = today - timedelta(days=5)
    invoice = _post(customer, issued)
    assert (invoice.discount_bp, invoice.discount_until) == (200, issued + timedelta(days=10))
    assert AuditEvent.objects.get(action="invoice_posted").after["discount_bp"] == 200


def test_posting_takes_the_contracts_discount_before_the_profiles(customer, clerk, today):
    _profile(customer, pct="1", days=5)
    issued = today - timedelta(days=5)
    contract = contract_create(actor=clerk, customer=customer, number="HT-D-1", signed_date=issued,
                               amount_minor=5_000_000, status="active", payment_terms_days=30)
    Contract.objects.filter(pk=contract.pk).update(discount_pct=Decimal("3"), discount_days=15)
    contract.refresh_from_db()
    invoice = _post(customer, issued, contract=contract)
    assert (invoice.discount_bp, invoice.discount_until) == (300, issued + timedelta(days=15))


def test_without_a_contract_or_profile_discount_there_is_none(customer, today):
    invoice = _post(customer, today)
    assert (invoice.discount_bp, invoice.discount_until) == (0, None)
    other = factories.customer()
    _profile(other, pct="0")
    assert _post(other, today).discount_bp == 0


def test_the_window_never_runs_past_the_due_date(customer, today):
    _profile(customer, days=60)
    invoice = _post(customer, today)
    assert invoice.discount_until == invoice.due_date == today + timedelta(days=30)


def test_explicit_terms_are_bounded_and_a_refusal_writes_nothing(customer, today):
    before = ledger_state()
    with pytest.raises(ValidationFailed) as bad_bp:
        _post(customer, today, discount_bp=10_001, discount_until=today)
    assert bad_bp.value.field == "discount_bp"
    with pytest.raises(ValidationFailed) as after_due:
        _post(customer, today, discount_bp=200, discount_until=today + timedelta(days=31))
    assert after_due.value.field == "discount_until"
    with pytest.raises(ValidationFailed) as before_issue:
        _post(customer, today, discount_bp=200, discount_until=today - timedelta(days=1))
    assert before_issue.value.field == "discount_until"
    assert ledger_state() == before
    invoice = _post(customer, today, discount_bp=150, discount_until=today + timedelta(days=7))
    assert (invoice.discount_bp, invoice.discount_until) == (150, today + timedelta(days=7))


@pytest.mark.parametrize("late", [0, 1])
def test_paid_on_the_last_day_earns_it_the_day_after_does_not(customer, clerk, today, late):
    _profile(customer)
    issued = today - timedelta(days=20)
    invoice = _post(customer, issued)
    paid_on = invoice.discount_until + timedelta(days=late)
    payment = factories.payment(customer, amount=GROSS - DISCOUNT, received=paid_on)

    payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, GROSS - DISCOUNT)])

    invoice.refresh_from_db()
    notes = CreditNote.objects.filter(invoice=invoice)
    if late:
        assert invoice.amount_open_minor == DISCOUNT and not notes.exists()
    else:
        note = notes.get()
        assert (note.kind, note.gross_minor, note.tax_minor, note.gross_base_minor) == (
            CreditNoteKind.DISCOUNT, DISCOUNT, 0, DISCOUNT)
        assert invoice.amount_open_minor == 0
        assert entry_lines(JournalEntry.objects.get(credit_note=note)) == [("1122", 0, DISCOUNT),
                                                                          ("6603", DISCOUNT, 0)]
        # revenue and output VAT stay as invoiced: a cash discount is a finance cost
        assert account_balances(customer) == {"1002": GROSS - DISCOUNT, "6603": DISCOUNT, "6001": -1_000_000,
                                              "22210106": -130_000}
        event = AuditEvent.objects.get(action="discount_granted")
        assert event.after["amount_minor"] == DISCOUNT and event.after["payment"] == payment.number
    assert ledger_problems() == {}
    call_command("ledger", "check")


def test_a_part_payment_inside_the_window_earns_nothing_until_one_settles(customer, clerk, today):
    _profile(customer)
    issued = today - timedelta(days=8)
    invoice = _post(customer, issued)
    first = factories.payment(customer, amount=500_000, received=issued + timedelta(days=2))
    payment_allocate(actor=clerk, payment=first, lines=[AllocationRequest(invoice.pk, 500_000)])
    assert not CreditNote.objects.exists()

    second = factories.payment(customer, amount=GROSS - DISCOUNT - 500_000, received=issued + timedelta(days=9))
    payment_allocate(actor=clerk, payment=second, lines=[AllocationRequest(invoice.pk, second.amount_minor)])

    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0
    assert CreditNote.objects.get().gross_minor == DISCOUNT
    assert ledger_problems() == {}


def test_paying_the_gross_earns_no_discount(customer, clerk, today):
    _profile(customer)
    invoice = _post(customer, today - timedelta(days=3))
    payment = factories.payment(customer, amount=GROSS, received=today)
    payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, GROSS)])
    assert not CreditNote.objects.exists()


def test_auto_allocation_takes_gross_less_discount_as_exact(customer, clerk, today):
    _profile(customer)
    older = _post(customer, today - timedelta(days=40), discount_bp=0)  # older, no discount, would come first
    invoice = _post(customer, today - timedelta(days=3))
    payment = factories.payment(customer, amount=GROSS - DISCOUNT, received=today)

    made = payment_auto_allocate(actor=clerk, payment=payment)

    assert [(a.invoice_id, a.amount_minor) for a in made] == [(invoice.pk, GROSS - DISCOUNT)]
    invoice.refresh_from_db()
    older.refresh_from_db()
    assert invoice.amount_open_minor == 0 and older.amount_open_minor == GROSS
    assert CreditNote.objects.get().kind == CreditNoteKind.DISCOUNT
    assert ledger_problems() == {}


def test_undoing_the_money_that_earned_a_discount_is_refused_and_writes_nothing(customer, clerk, today):
    _profile(customer)
    invoice = _post(customer, today - timedelta(days=3))
    payment = factories.payment(customer, amount=GROSS - DISCOUNT, received=today)
    [allocation] = payment_allocate(actor=clerk, payment=payment,
                                    lines=[AllocationRequest(invoice.pk, GROSS - DISCOUNT)])
    before = ledger_state()
    with pytest.raises(DiscountGranted) as refused:
        allocation_reverse(actor=clerk, allocation=allocation, reason="wrong customer")
    assert refused.value.field == "allocation"
    with pytest.raises(DiscountGranted):
        payment_reverse(actor=clerk, payment=payment, reason="bounced")
    assert ledger_state() == before


def test_two_lines_for_one_invoice_are_judged_together(customer, clerk, today):
    _profile(customer)
    invoice = _post(customer, today - timedelta(days=3))
    payment = factories.payment(customer, amount=GROSS, received=today)
    payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, GROSS - DISCOUNT),
                                                          AllocationRequest(invoice.pk, DISCOUNT)])
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0 and not CreditNote.objects.exists()
    assert ledger_problems() == {}
