"""Cash application and early-payment discounts: a receipt of the gross less the discount, inside the window, is an
exact match for the invoice (the reason says so), is applied automatically and the ledger grants the discount credit
note; after the window the same amount is no discount."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command

from arms.bank.enums import LineStatus
from arms.bank.services.applying import line_accept
from arms.bank.services.matching import match_lines
from arms.credit.models import CreditProfile
from arms.ledger.models import CreditNote, CreditNoteKind, JournalEntry
from tests import factories
from tests.bank.cash.conftest import statement_line
from tests.conftest import ledger_problems
from tests.ledger.helpers import entry_lines

GROSS = 1_130_000
DISCOUNT = 22_600


def _customer_with_invoice(issued, name="宁波海通电子有限公司"):
    customer = factories.customer(name=name)
    CreditProfile.objects.create(customer=customer, grade="B", score=70, currency="CNY",
                                 discount_pct=Decimal("2"), discount_days=10)
    invoice = factories.invoice(customer, net=1_000_000, tax=130_000, issued=issued, number="INV-2026-0909")
    return customer, invoice


def test_a_98_percent_line_inside_the_window_is_applied_with_the_discount_credit_note(account, today):
    customer, invoice = _customer_with_invoice(today - timedelta(days=6))
    line = statement_line(account, amount=GROSS - DISCOUNT, on=today - timedelta(days=1), payer=customer.name,
                          text="付INV-2026-0909货款")

    run = match_lines(actor=None)

    line.refresh_from_db()
    assert run.auto_applied == 1 and line.status == LineStatus.AUTO
    assert line.match["discount"] == DISCOUNT and line.match["charge"] == 0
    assert line.match["allocations"] == [[invoice.pk, GROSS - DISCOUNT]]
    assert {"code": "discount", "points": 0, "detail": "INV-2026-0909 2%"} in line.reasons
    payment = line.payment
    assert (payment.amount_minor, payment.charge_minor) == (GROSS - DISCOUNT, 0)
    note = CreditNote.objects.get(invoice=invoice)
    assert (note.kind, note.gross_minor) == (CreditNoteKind.DISCOUNT, DISCOUNT)
    assert entry_lines(JournalEntry.objects.get(credit_note=note)) == [("1122", 0, DISCOUNT), ("6603", DISCOUNT, 0)]
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0
    assert ledger_problems() == {}
    call_command("ledger", "check")


def test_the_same_amount_after_the_window_is_no_discount(account, today):
    customer, _invoice = _customer_with_invoice(today - timedelta(days=20), name="温州瑞丰五金有限公司")
    line = statement_line(account, amount=GROSS - DISCOUNT, on=today - timedelta(days=1), payer=customer.name,
                          text="INV-2026-0909")

    match_lines(actor=None)

    line.refresh_from_db()
    assert line.match["discount"] == 0
    assert not any(r["code"] == "discount" for r in line.reasons)
    assert not CreditNote.objects.exists()


def test_a_clerk_accepting_the_suggestion_gets_the_discount_too(account, today, clerk, company):
    from arms.bank.models import CashSettings

    CashSettings.objects.create(company=company, auto_threshold=100)
    customer, invoice = _customer_with_invoice(today - timedelta(days=3), name="无锡华光仪表有限公司")
    line = statement_line(account, amount=GROSS - DISCOUNT, on=today, payer=customer.name)
    match_lines(actor=None)
    line.refresh_from_db()
    assert line.status == LineStatus.SUGGESTED and line.match["discount"] == DISCOUNT

    line_accept(actor=clerk, line=line)

    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0
    assert CreditNote.objects.get().kind == CreditNoteKind.DISCOUNT
    assert ledger_problems() == {}
