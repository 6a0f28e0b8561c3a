"""A customer's open items, balances and statement of account (对账单), read through the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from tests import factories


def test_open_items_oldest_due_first(clerk_api, customer):
    late = factories.invoice(customer, net=10_000, tax=0, issued=date(2026, 1, 1), number="INV-1")
    factories.invoice(customer, net=20_000, tax=0, issued=date(2026, 1, 2), number="INV-2", due_date=date(2026, 1, 3))
    paid = factories.invoice(customer, net=5_000, tax=0, issued=date(2026, 1, 1), number="INV-3")
    factories.invoice(factories.customer(), net=7_000, tax=0, number="OTHER")
    pay = factories.payment(customer, amount=5_000, received=date(2026, 1, 5))
    services.payment_allocate(actor=None, payment=pay, lines=[AllocationRequest(paid.pk, 5_000)], on=date(2026, 1, 5))

    response = clerk_api.get(f"/customers/{customer.pk}/open-items")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 50, 0)
    assert [(i["number"], i["due_date"], i["amount_open_minor"], i["amount_open"]) for i in body["items"]] == [
        ("INV-2", "2026-01-03", 20_000, "200.00"),
        ("INV-1", "2026-01-31", 10_000, "100.00"),
    ]
    assert body["items"][1]["id"] == late.pk


def test_balances_per_currency(clerk_api, customer):
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1"))
    factories.invoice(customer, net=100_000, tax=13_000, number="INV-CNY")
    factories.invoice(customer, net=5_000, tax=0, number="INV-USD", currency="USD")
    factories.payment(customer, amount=13_000, number="RCV-CNY")

    response = clerk_api.get(f"/customers/{customer.pk}/balances")

    assert response.status_code == 200
    assert response.json() == {"customer_id": customer.pk, "balances": [
        {"currency": "CNY", "open_minor": 113_000, "unapplied_minor": 13_000, "balance_minor": 100_000,
         "open": "1,130.00", "unapplied": "130.00", "balance": "1,000.00"},
        {"currency": "USD", "open_minor": 5_000, "unapplied_minor": 0, "balance_minor": 5_000,
         "open": "50.00", "unapplied": "0.00", "balance": "50.00"},
    ]}


def test_statement_opening_movements_running_balance_closing(clerk_api, customer):
    before = factories.invoice(customer, net=50_000, tax=0, issued=date(2025, 12, 15), number="INV-DEC")
    inv = factories.invoice(customer, net=100_000, tax=13_000, issued=date(2026, 1, 10), number="INV-JAN",
                            description="一月货款")
    services.credit_note_post(actor=None, invoice=inv, on=date(2026, 1, 20), net_minor=10_000, tax_minor=1_300,
                              reason="折让", number="CN-JAN")
    pay = factories.payment(customer, amount=60_000, received=date(2026, 1, 25), number="RCV-JAN",
                            bank_reference="CMB-0125")
    services.payment_allocate(actor=None, payment=pay, lines=[AllocationRequest(before.pk, 50_000)],
                              on=date(2026, 1, 25))
    factories.invoice(customer, net=9_900, tax=0, issued=date(2026, 2, 3), number="INV-FEB")

    response = clerk_api.get(f"/customers/{customer.pk}/statement", {"from": "2026-01-01", "to": "2026-01-31"})

    assert response.status_code == 200, response.content
    assert response.json() == {
        "customer_id": customer.pk, "date_from": "2026-01-01", "date_to": "2026-01-31",
        "statements": [{
            "currency": "CNY",
            "opening_minor": 50_000, "debit_total_minor": 113_000, "credit_total_minor": 71_300,
            "closing_minor": 91_700,
            "opening": "500.00", "debit_total": "1,130.00", "credit_total": "713.00", "closing": "917.00",
            "lines": [
                {"date": "2026-01-10", "kind": "invoice", "number": "INV-JAN", "description": "一月货款",
                 "debit_minor": 113_000, "credit_minor": 0, "balance_minor": 163_000,
                 "debit": "1,130.00", "credit": "0.00", "balance": "1,630.00"},
                {"date": "2026-01-20", "kind": "credit_note", "number": "CN-JAN", "description": "折让",
                 "debit_minor": 0, "credit_minor": 11_300, "balance_minor": 151_700,
                 "debit": "0.00", "credit": "113.00", "balance": "1,517.00"},
                {"date": "2026-01-25", "kind": "payment", "number": "RCV-JAN", "description": "CMB-0125",
                 "debit_minor": 0, "credit_minor": 60_000, "balance_minor": 91_700,
                 "debit": "0.00", "credit": "600.00", "balance": "917.00"},
            ],
        }],
    }


def test_statement_of_a_quiet_customer_is_empty(clerk_api, customer):
    response = clerk_api.get(f"/customers/{customer.pk}/statement", {"from": "2026-01-01", "to": "2026-01-31"})

    assert response.status_code == 200
    assert response.json()["statements"] == []
