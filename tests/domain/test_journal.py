"""Double-entry postings: every document's entry balances, whatever the amounts and rates."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.journal import (
    AccountCode,
    Line,
    UnbalancedEntry,
    allocation_lines,
    balanced,
    credit_note_lines,
    invoice_lines,
    payment_lines,
    reversed_lines,
)

A = AccountCode
amounts = st.integers(min_value=0, max_value=10**13)


def totals(lines):
    return sum(line.debit for line in lines), sum(line.credit for line in lines)


def test_invoice_debits_receivables_and_credits_revenue_and_vat():
    assert invoice_lines(gross=113_000, net=100_000, tax=13_000) == [
        Line(A.RECEIVABLES, debit=113_000), Line(A.REVENUE, credit=100_000), Line(A.OUTPUT_VAT, credit=13_000),
    ]


def test_payment_goes_to_bank_or_notes_receivable_against_unapplied_cash():
    assert payment_lines(amount=500, to_notes=False) == [Line(A.BANK, debit=500), Line(A.UNAPPLIED_CASH, credit=500)]
    assert payment_lines(amount=500, to_notes=True) == [
        Line(A.NOTES_RECEIVABLE, debit=500), Line(A.UNAPPLIED_CASH, credit=500),
    ]


def test_a_bank_charge_the_payer_deducted_is_a_finance_cost_on_its_own_line():
    assert payment_lines(amount=500, to_notes=False, charge=20) == [
        Line(A.BANK, debit=480), Line(A.FINANCE_COSTS, debit=20), Line(A.UNAPPLIED_CASH, credit=500),
    ]
    with pytest.raises(UnbalancedEntry):
        payment_lines(amount=500, to_notes=False, charge=500)


def test_allocation_puts_the_rate_difference_in_6603():
    assert allocation_lines(cash=700, receivable=700) == [
        Line(A.UNAPPLIED_CASH, debit=700), Line(A.RECEIVABLES, credit=700),
    ]
    # cash came in at a higher rate than the invoice was booked: an exchange gain (credit 6603)
    assert allocation_lines(cash=720, receivable=700) == [
        Line(A.UNAPPLIED_CASH, debit=720), Line(A.FX_DIFFERENCE, credit=20), Line(A.RECEIVABLES, credit=700),
    ]
    assert allocation_lines(cash=690, receivable=700) == [
        Line(A.UNAPPLIED_CASH, debit=690), Line(A.FX_DIFFERENCE, debit=10), Line(A.RECEIVABLES, credit=700),
    ]


def test_credit_note_reverses_revenue_and_vat():
    assert credit_note_lines(gross=11_300, net=10_000, tax=1_300, receivable=11_300) == [
        Line(A.REVENUE, debit=10_000), Line(A.OUTPUT_VAT, debit=1_300), Line(A.RECEIVABLES, credit=11_300),
    ]


def test_a_line_is_a_debit_or_a_credit_never_both_never_negative():
    with pytest.raises(UnbalancedEntry):
        Line(A.BANK, debit=1, credit=1)
    with pytest.raises(UnbalancedEntry):
        Line(A.BANK, debit=-1)


def test_balanced_refuses_unequal_sides_and_empty_entries():
    with pytest.raises(UnbalancedEntry, match="debits 10 != credits 9"):
        balanced([Line(A.BANK, debit=10), Line(A.UNAPPLIED_CASH, credit=9)])
    with pytest.raises(UnbalancedEntry, match="at least one"):
        balanced([Line(A.BANK), Line(A.UNAPPLIED_CASH)])


@given(net=amounts, tax=amounts)
def test_invoice_entries_balance(net, tax):
    if net + tax == 0:
        return
    lines = invoice_lines(gross=net + tax, net=net, tax=tax)
    assert totals(lines) == (net + tax, net + tax)


@given(net=amounts, tax=amounts, receivable=amounts)
def test_credit_note_entries_balance_with_any_rate_difference(net, tax, receivable):
    if net + tax == 0 and receivable == 0:
        return
    lines = credit_note_lines(gross=net + tax, net=net, tax=tax, receivable=receivable)
    debit, credit = totals(lines)
    assert debit == credit
    assert sum(line.credit for line in lines if line.account == A.RECEIVABLES) == receivable


@given(cash=amounts, receivable=amounts)
def test_allocation_entries_balance(cash, receivable):
    if cash == 0 and receivable == 0:
        return
    lines = allocation_lines(cash=cash, receivable=receivable)
    debit, credit = totals(lines)
    assert debit == credit == max(cash, receivable)


@given(cash=amounts, receivable=amounts)
def test_a_reversal_mirrors_its_entry_and_together_they_cancel(cash, receivable):
    if cash == 0 and receivable == 0:
        return
    lines = allocation_lines(cash=cash, receivable=receivable)
    mirror = reversed_lines(lines)
    net: dict[str, int] = {}
    for line in lines + mirror:
        net[line.account] = net.get(line.account, 0) + line.debit - line.credit
    assert set(net.values()) == {0}
    assert totals(mirror) == totals(lines)
