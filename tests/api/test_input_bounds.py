"""Every input bounded in the schema, the service and the database (issue 10): free text that users type
and amounts, gross (net + tax) included. A refusal names the field and writes nothing; a write around
the services hits the named CHECK constraint on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from arms.common.bounds import MAX_LONG_TEXT, MAX_MINOR, MAX_NOTE
from arms.common.errors import ValidationFailed
from arms.contracts.models import Contract
from arms.customers.models import Customer
from arms.customers.services import customer_create, customer_update
from arms.ledger import services
from arms.ledger.models import Invoice, Payment
from tests import factories
from tests.api.conftest import assert_error, counts, make_contract


def test_customer_notes_over_the_bound_are_refused_by_the_api(manager_api, customer):
    before = counts()

    created = manager_api.post("/customers", {"code": "N1", "name": "n", "notes": "x" * (MAX_NOTE + 1)})
    patched = manager_api.patch(f"/customers/{customer.pk}", {"notes": "x" * (MAX_NOTE + 1)})

    assert_error(created, 422, "invalid", "notes")
    assert_error(patched, 422, "invalid", "notes")
    assert counts() == before
    assert manager_api.post("/customers", {"code": "N1", "name": "n", "notes": "x" * MAX_NOTE}).status_code == 201


def test_customer_notes_over_the_bound_are_refused_by_the_service(db, customer):
    before = counts()

    with pytest.raises(ValidationFailed) as created:
        customer_create(actor=None, code="N1", name="n", notes="x" * (MAX_NOTE + 1))
    with pytest.raises(ValidationFailed) as updated:
        customer_update(actor=None, customer=customer, notes="x" * (MAX_NOTE + 1))

    assert (created.value.field, updated.value.field) == ("notes", "notes")
    assert counts() == before


def test_contract_clauses_are_bounded(manager_api, customer):
    before = counts()

    response = manager_api.post("/contracts", {
        "customer_id": customer.pk, "number": "HT-X", "signed_date": "2026-01-05", "amount_minor": 100,
        "penalty_clause": "x" * (MAX_LONG_TEXT + 1)})

    assert_error(response, 422, "invalid", "penalty_clause")
    assert counts() == before


def test_a_gross_over_the_bound_is_refused_by_the_api_naming_the_field(manager_api, customer):
    before = counts()

    invoice = manager_api.post("/invoices", {"customer_id": customer.pk, "issue_date": "2026-01-10",
                                             "net_minor": MAX_MINOR, "tax_minor": MAX_MINOR})

    assert_error(invoice, 422, "invalid", "tax_minor")
    assert counts() == before


def test_a_gross_over_the_bound_is_refused_by_the_services(db, customer):
    invoice = factories.invoice(customer, number="INV-1")
    before = counts()

    with pytest.raises(ValidationFailed) as posted:
        services.invoice_post(actor=None, customer=customer, issue_date=date(2026, 1, 10), net_minor=MAX_MINOR,
                              tax_minor=1)
    with pytest.raises(ValidationFailed) as credited:
        services.credit_note_post(actor=None, invoice=invoice, on=date(2026, 1, 20), net_minor=MAX_MINOR,
                                  tax_minor=MAX_MINOR, reason="r")

    assert (posted.value.field, credited.value.field) == ("tax_minor", "tax_minor")
    assert counts() == before


TEXT_CONSTRAINTS = [
    (Customer, "notes", MAX_NOTE, "customer_notes_length"),
    (Contract, "penalty_clause", MAX_LONG_TEXT, "contract_penalty_clause_length"),
]


@pytest.mark.parametrize(("model", "field", "limit", "name"), TEXT_CONSTRAINTS, ids=[c[3] for c in TEXT_CONSTRAINTS])
def test_the_database_refuses_overlong_text_written_around_the_services(db, customer, model, field, limit, name):
    row = customer if model is Customer else make_contract(customer)
    model.objects.filter(pk=row.pk).update(**{field: "x" * limit})

    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: "x" * (limit + 1)})


@pytest.mark.parametrize(("model", "changes", "name"), [
    (Invoice, {"net_minor": MAX_MINOR + 1, "gross_minor": MAX_MINOR + 1 + 13_000,
               "amount_open_minor": MAX_MINOR + 1 + 13_000}, "invoice_amounts_within_bound"),
    (Payment, {"amount_minor": MAX_MINOR + 1, "amount_unallocated_minor": MAX_MINOR + 1},
     "payment_amount_within_bound"),
], ids=["invoice", "payment"])
def test_the_database_refuses_amounts_over_the_bound(db, customer, model, changes, name):
    row = factories.invoice(customer) if model is Invoice else factories.payment(customer)

    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**changes)


@pytest.mark.parametrize("target", ["contract", "import"])
def test_every_upload_endpoint_refuses_a_file_over_20_mb_with_413(manager_api, customer, target):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = f"/contracts/{make_contract(customer).pk}/attachments" if target == "contract" else "/imports/customers"
    before = counts()

    response = manager_api.upload(path, {"file": SimpleUploadedFile("big.pdf", b"\0" * (21 * 1024 * 1024))})

    error = assert_error(response, 413, "file_too_large", "file")
    assert error["details"] == {"limit": 20 * 1024 * 1024}
    assert counts() == before
