"""Builders for credit tests: pay an invoice on a given day, a year of monthly trade."""

from __future__ import annotations

from datetime import date, timedelta

from arms.ledger.services import payment_allocate, payment_record
from arms.ledger.services.allocations import AllocationRequest
from tests import factories


def pay(customer, invoice, *, on: date, amount: int | None = None):
    amount = amount or invoice.gross_minor
    payment = payment_record(actor=None, customer=customer, received_date=on, amount_minor=amount)
    payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, amount)], on=on)
    return payment


def monthly_trade(customer, *, first: date, months: int, days_late: int, net: int = 100_000_00,
                  until: date | None = None):
    """An invoice on the 1st of each month (due after the customer's terms), paid ``days_late`` after its due
    date, unless that day is after ``until`` (then it stays open)."""
    invoices = []
    year, month = first.year, first.month
    for _ in range(months):
        invoice = factories.invoice(customer, issued=date(year, month, 1), net=net, tax=net * 13 // 100)
        paid_on = invoice.due_date + timedelta(days=days_late)
        if until is None or paid_on <= until:
            pay(customer, invoice, on=paid_on)
        invoices.append(invoice)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return invoices
