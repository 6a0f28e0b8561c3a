"""/api/v1/invoices and credit notes: post, list with filters, read with settlements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from arms.audit.models import AuditEvent
from arms.ledger import services
from arms.ledger.models import CreditNote, Invoice
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.conftest import ledger_problems


def test_post_invoice(clerk_api, customer):
    response = clerk_api.post("/invoices", {
        "customer_id": customer.pk, "issue_date": "2026-01-10", "net_minor": 100_000, "tax_minor": 13_000,
        "vat_invoice_number": "31002600001", "description": "数控机床配件",
    })

    assert response.status_code == 201, response.content
    body = response.json()
    invoice = Invoice.objects.get()
    assert body == {
        "id": invoice.pk, "number": "INV-000001", "customer_id": customer.pk, "customer_code": customer.code,
        "customer_name": customer.name, "contract_id": None, "vat_invoice_number": "31002600001",
        "issue_date": "2026-01-10", "due_date": "2026-02-09", "currency": "CNY",
        "net_minor": 100_000, "tax_minor": 13_000, "gross_minor": 113_000, "amount_open_minor": 113_000,
        "net": "1,000.00", "tax": "130.00", "gross": "1,130.00", "amount_open": "1,130.00",
        "fx_rate": "1.00000000", "gross_base_minor": 113_000, "description": "数控机床配件",
        "discount_bp": 0, "discount_until": None, "discount_minor": 0,
        "posted_at": body["posted_at"], "posted_by": "clerk", "allocations": [], "credit_notes": [],
    }
    assert AuditEvent.objects.filter(action="invoice_posted", subject_id=str(invoice.pk)).count() == 1
    assert ledger_problems() == {}


def test_post_invoice_under_a_contract_in_dollars(clerk_api, customer):
    from tests.api.conftest import make_contract

    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1000"))
    contract = make_contract(customer, "HT-USD", currency="USD", payment_terms_days=45)

    response = clerk_api.post("/invoices", {
        "customer_id": customer.pk, "contract_id": contract.pk, "number": "INV-USD-1", "issue_date": "2026-01-10",
        "net_minor": 10_000, "tax_minor": 0,
    })

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["contract_id"], body["currency"], body["due_date"]) == (
        "INV-USD-1", contract.pk, "USD", "2026-02-24")
    assert (body["gross"], body["fx_rate"], body["gross_base_minor"]) == ("100.00", "7.10000000", 71_000)


def test_list_invoices_with_filters(clerk_api, customer):
    other = factories.customer(name="华南贸易有限公司")
    factories.invoice(customer, issued=date(2026, 1, 10), number="INV-A")  # due 2026-02-09
    b = factories.invoice(customer, issued=date(2026, 3, 1), number="INV-B", vat_invoice_number="44001")
    factories.invoice(other, issued=date(2026, 2, 1), number="INV-C")
    pay = factories.payment(customer, amount=113_000, received=date(2026, 3, 2))
    services.payment_allocate(actor=None, payment=pay, lines=[AllocationRequest(b.pk, 113_000)], on=date(2026, 3, 2))

    everything = clerk_api.get("/invoices").json()
    assert (everything["count"], [i["number"] for i in everything["items"]]) == (3, ["INV-B", "INV-C", "INV-A"])

    def numbers(**params):
        response = clerk_api.get("/invoices", params)
        assert response.status_code == 200, response.content
        return [i["number"] for i in response.json()["items"]]

    assert numbers(customer_id=customer.pk) == ["INV-B", "INV-A"]
    assert numbers(open_only="true") == ["INV-C", "INV-A"]
    assert numbers(overdue_on="2026-02-10") == ["INV-A"]
    assert numbers(issued_from="2026-01-15", issued_to="2026-02-28") == ["INV-C"]
    assert numbers(search="华南") == ["INV-C"]
    assert numbers(search="44001") == ["INV-B"]
    assert numbers(limit=1, offset=2) == ["INV-A"]


def test_get_invoice_with_allocations_and_credit_notes(clerk_api, customer, invoice, payment):
    services.payment_allocate(actor=None, payment=payment, lines=[AllocationRequest(invoice.pk, 30_000)],
                              on=date(2026, 2, 1))
    services.credit_note_post(actor=None, invoice=invoice, on=date(2026, 2, 5), net_minor=10_000, tax_minor=1_300,
                              reason="质量折让", number="CN-T-1")

    response = clerk_api.get(f"/invoices/{invoice.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["amount_open_minor"], body["amount_open"]) == (71_700, "717.00")
    assert [(a["payment_number"], a["credit_note_number"], a["amount_minor"], a["amount"], a["date"])
            for a in body["allocations"]] == [
        ("RCV-T-1", None, 30_000, "300.00", "2026-02-01"),
        (None, "CN-T-1", 11_300, "113.00", "2026-02-05"),
    ]
    assert [(c["number"], c["gross_minor"], c["reason"]) for c in body["credit_notes"]] == [
        ("CN-T-1", 11_300, "质量折让")]


def test_post_credit_note_on_an_invoice(clerk_api, invoice):
    response = clerk_api.post(f"/invoices/{invoice.pk}/credit-notes", {
        "date": "2026-01-20", "net_minor": 10_000, "tax_minor": 1_300, "reason": "质量折让",
    })

    assert response.status_code == 201, response.content
    body = response.json()
    note = CreditNote.objects.get()
    assert body == {
        "id": note.pk, "number": "CN-000001", "invoice_id": invoice.pk, "invoice_number": "INV-T-1",
        "customer_id": invoice.customer_id, "date": "2026-01-20", "currency": "CNY", "net_minor": 10_000,
        "tax_minor": 1_300, "gross_minor": 11_300, "net": "100.00", "tax": "13.00", "gross": "113.00",
        "reason": "质量折让", "kind": "standard", "posted_at": body["posted_at"],
    }
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 101_700
    assert ledger_problems() == {}


def test_post_credit_note_naming_its_invoice(clerk_api, invoice):
    response = clerk_api.post("/credit-notes", {
        "invoice_id": invoice.pk, "number": "HZ-1", "date": "2026-01-20", "net_minor": 100_000, "tax_minor": 13_000,
        "reason": "整单退货",
    })

    assert response.status_code == 201, response.content
    assert (response.json()["number"], response.json()["gross"]) == ("HZ-1", "1,130.00")
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0


def test_list_credit_notes(clerk_api, customer, invoice):
    other_invoice = factories.invoice(factories.customer(), number="INV-O")
    services.credit_note_post(actor=None, invoice=invoice, on=date(2026, 1, 20), net_minor=1_000, tax_minor=0,
                              reason="折让", number="CN-A")
    services.credit_note_post(actor=None, invoice=other_invoice, on=date(2026, 1, 25), net_minor=2_000, tax_minor=0,
                              reason="折让", number="CN-B")

    everything = clerk_api.get("/credit-notes").json()
    mine = clerk_api.get("/credit-notes", {"customer_id": customer.pk}).json()

    assert (everything["count"], [c["number"] for c in everything["items"]]) == (2, ["CN-B", "CN-A"])
    assert [(c["number"], c["gross"]) for c in mine["items"]] == [("CN-A", "10.00")]
