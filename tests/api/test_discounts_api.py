"""The API takes an invoice's early-payment discount explicitly (bounded, the field named when refused, nothing
written) and shows it; a discount credit note carries its kind."""

from __future__ import annotations

from arms.ledger.models import Invoice
from tests.api.conftest import assert_error
from tests.ledger.helpers import ledger_state

INVOICE = {"issue_date": "2026-01-10", "net_minor": 1_000_000, "tax_minor": 130_000}


def test_bad_discount_terms_are_refused_naming_the_field(clerk_api, customer):
    before = ledger_state()
    too_much = clerk_api.post("/invoices", {**INVOICE, "customer_id": customer.pk, "discount_bp": 10_001,
                                            "discount_until": "2026-01-20"})
    assert_error(too_much, 422, "invalid", "discount_bp")
    after_due = clerk_api.post("/invoices", {**INVOICE, "customer_id": customer.pk, "discount_bp": 200,
                                             "discount_until": "2026-02-10"})
    assert_error(after_due, 422, "invalid", "discount_until")
    assert ledger_state() == before


def test_explicit_terms_are_kept_and_shown(clerk_api, customer):
    response = clerk_api.post("/invoices", {**INVOICE, "customer_id": customer.pk, "discount_bp": 200,
                                            "discount_until": "2026-01-20"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["discount_bp"], body["discount_until"], body["discount_minor"]) == (200, "2026-01-20", 22_600)
    assert Invoice.objects.get().discount_bp == 200
