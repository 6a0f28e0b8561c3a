"""The ledger's story: an invoice is posted, partly paid, credited, paid by bill, and the books tie."""

from datetime import date

import pytest

from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems
from tests.ledger.helpers import account_balances


@pytest.mark.django_db
def test_invoice_payment_credit_note_story(clerk, customer):
    inv = factories.invoice(customer, net=100_000, tax=13_000, issued=date(2026, 1, 10), actor=clerk)
    assert inv.due_date == date(2026, 2, 9)
    assert inv.amount_open_minor == 113_000

    pay = factories.payment(customer, amount=50_000, received=date(2026, 2, 1), actor=clerk)
    services.payment_allocate(actor=clerk, payment=pay, lines=[AllocationRequest(inv.pk, 30_000)], on=date(2026, 2, 1))
    inv.refresh_from_db()
    pay.refresh_from_db()
    assert (inv.amount_open_minor, pay.amount_unallocated_minor) == (83_000, 20_000)

    services.credit_note_post(actor=clerk, invoice=inv, on=date(2026, 2, 5), net_minor=10_000, tax_minor=1_300,
                              reason="质量折让")
    inv.refresh_from_db()
    assert inv.amount_open_minor == 71_700

    bill = services.payment_record(actor=clerk, customer=customer, received_date=date(2026, 3, 1),
                                   amount_minor=71_700, method="bank_acceptance", bill_number="BA-1",
                                   bill_maturity_date=date(2026, 9, 1), auto_allocate=True)
    inv.refresh_from_db()
    bill.refresh_from_db()
    assert (inv.amount_open_minor, bill.amount_unallocated_minor) == (0, 0)
    assert ledger_problems() == {}

    services.payment_reverse(actor=clerk, payment=bill, reason="票据退回", on=date(2026, 3, 5))
    inv.refresh_from_db()
    assert inv.amount_open_minor == 71_700
    assert ledger_problems() == {}
    # the worked example in docs/domain/ledger.md: 1122 = the open invoice, 2203 = the unapplied 200.00
    assert account_balances(customer) == {"1122": 71_700, "2203": -20_000, "1002": 50_000, "6001": -90_000,
                                          "22210106": -11_700}
