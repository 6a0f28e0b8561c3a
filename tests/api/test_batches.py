"""/api/v1/invoices/batch and /payments/batch: many documents in one call through the bulk path, all or none. A
refused item is named by its place in the request (``invoices[1].due_date``, ``details.index``) and nothing is
written; items are answered by their own idempotency keys; an item above the four-eyes amount is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from arms.ledger.models import Allocation, Invoice, Payment
from arms.ledger.services.approvals import ledger_four_eyes_minor
from tests import factories
from tests.api.conftest import assert_error, counts
from tests.conftest import ledger_problems


@pytest.fixture
def other(db):
    return factories.customer()


def _invoice(customer, today, n: int, **fields) -> dict:
    return {"customer_id": customer.pk, "issue_date": (today - timedelta(days=30 - n)).isoformat(),
            "net_minor": 100_000 + n, "tax_minor": 13_000, **fields}


def test_a_batch_of_invoices_posts_them_in_order_with_one_audit_sub_chain(clerk_api, auditor_api, customer, other,
                                                                          today):
    body = {"invoices": [_invoice(customer, today, 0), _invoice(other, today, 1, description="二号"),
                         _invoice(customer, today, 2, number="INV-EXT-7", idempotency_key="k-2")]}
    response = clerk_api.post("/invoices/batch", body)

    assert response.status_code == 201, response.content
    out = response.json()
    made = list(Invoice.objects.filter(pk__in=out["created_ids"]))
    by_id = {invoice.pk: invoice for invoice in made}
    assert [by_id[pk].net_minor for pk in out["created_ids"]] == [100_000, 100_001, 100_002]
    assert [by_id[pk].customer_id for pk in out["created_ids"]] == [customer.pk, other.pk, customer.pk]
    assert by_id[out["created_ids"][2]].number == "INV-EXT-7"
    assert (out["skipped"], out["allocations"]) == (0, 0)
    assert ledger_problems() == {}
    events = auditor_api.get("/audit/events", {"batch": out["audit_batch"]})
    assert events.status_code == 200, events.content
    assert sorted(item["action"] for item in events.json()["items"]) == ["invoice_posted"] * 3

    # the same item again under its key is answered, not posted twice
    again = clerk_api.post("/invoices/batch", {"invoices": [body["invoices"][2]]})
    assert again.status_code == 201, again.content
    assert (again.json()["created_ids"], again.json()["skipped"]) == ([], 1)
    assert Invoice.objects.count() == 3


@pytest.mark.parametrize(("item", "status", "code", "field"), [
    ({"due_date": "2000-01-01"}, 422, "invalid", "invoices[1].due_date"),
    ({"customer_id": 999_999}, 404, "not_found", "invoices[1].customer_id"),
    ({"contract_id": 999_999}, 404, "not_found", "invoices[1].contract_id"),
    ({"net_minor": 10**12}, 422, "needs_approval", "invoices[1].net_minor"),
])
def test_a_refused_invoice_is_named_and_nothing_is_written(clerk_api, customer, today, item, status, code, field):
    before = counts()
    response = clerk_api.post("/invoices/batch", {"invoices": [_invoice(customer, today, 0),
                                                               {**_invoice(customer, today, 1), **item}]})
    error = assert_error(response, status, code, field)
    if code == "invalid":
        assert error["details"]["index"] == 1
    assert counts() == before


def test_another_salespersons_customer_is_not_found(sales_api, customer, today):
    # the salesperson sees only their own customers
    response = sales_api.post("/invoices/batch", {"invoices": [_invoice(customer, today, 0)]})
    assert response.status_code in (403, 404), response.content
    assert Invoice.objects.count() == 0


def test_bounds_of_a_batch(clerk_api, customer, today):
    assert clerk_api.post("/invoices/batch", {"invoices": []}).status_code == 422
    too_many = {"invoices": [_invoice(customer, today, 0)] * 1001}
    assert clerk_api.post("/invoices/batch", too_many).status_code == 422
    assert clerk_api.post("/invoices/batch", {"invoices": [{**_invoice(customer, today, 0), "x": 1}]}).status_code \
        == 422
    assert Invoice.objects.count() == 0


def test_a_batch_of_payments_settles_invoices(clerk_api, customer, other, today):
    first = factories.invoice(customer, issued=today - timedelta(days=40))
    second = factories.invoice(customer, issued=today - timedelta(days=35))
    third = factories.invoice(other, issued=today - timedelta(days=35))
    received = (today - timedelta(days=3)).isoformat()
    response = clerk_api.post("/payments/batch", {"payments": [
        {"customer_id": customer.pk, "received_date": received, "amount_minor": 200_000,
         "allocations": [{"invoice_id": first.pk}, {"invoice_id": second.pk, "amount_minor": 50_000}]},
        {"customer_id": other.pk, "received_date": received, "amount_minor": 113_000, "bank_reference": "CMB-1",
         "allocations": [{"invoice_id": third.pk}], "idempotency_key": "p-1"},
        {"customer_id": other.pk, "received_date": received, "amount_minor": 5_000},
    ]})

    assert response.status_code == 201, response.content
    out = response.json()
    assert (len(out["created_ids"]), out["allocations"]) == (3, 3)
    for invoice, still_open in [(first, 0), (second, 63_000), (third, 0)]:
        invoice.refresh_from_db()
        assert invoice.amount_open_minor == still_open
    payments = {payment.pk: payment for payment in Payment.objects.all()}
    assert [payments[pk].amount_unallocated_minor for pk in out["created_ids"]] == [37_000, 0, 5_000]
    assert Allocation.objects.count() == 3
    assert ledger_problems() == {}


@pytest.mark.parametrize(("payment", "status", "code", "field"), [
    ({"allocations": [{"invoice_id": 999_999}]}, 404, "not_found", "payments[1].allocations[0].invoice_id"),
    ({"customer_id": 999_999}, 404, "not_found", "payments[1].customer_id"),
    ({"contract_id": 999_999}, 404, "not_found", "payments[1].contract_id"),
    ({"method": "bank_acceptance", "allocations": []}, 422, "invalid", None),  # a bill without its number
])
def test_a_refused_payment_is_named_and_nothing_is_written(clerk_api, customer, today, payment, status, code, field):
    invoice = factories.invoice(customer, issued=today - timedelta(days=40))
    before = counts()
    good = {"customer_id": customer.pk, "received_date": today.isoformat(), "amount_minor": 1_000,
            "allocations": [{"invoice_id": invoice.pk}]}
    response = clerk_api.post("/payments/batch", {"payments": [good, {**good, **payment}]})
    assert response.status_code == status, response.content
    if field is not None:
        assert_error(response, status, code, field)
    else:
        assert response.json()["error"]["field"].startswith("payments[1].")
    assert counts() == before


def test_an_allocation_above_the_four_eyes_amount_waits_for_no_batch(clerk_api, customer, today):
    big = ledger_four_eyes_minor() + 1
    invoice = factories.invoice(customer, net=big, tax=0, issued=today - timedelta(days=40))
    before = counts()
    response = clerk_api.post("/payments/batch", {"payments": [
        {"customer_id": customer.pk, "received_date": today.isoformat(), "amount_minor": big,
         "allocations": [{"invoice_id": invoice.pk}]}]})
    assert_error(response, 422, "needs_approval", "payments[0].allocations")
    assert counts() == before
    # without allocations the money is recorded (the four-eyes rule weighs allocations, not receipts)
    response = clerk_api.post("/payments/batch", {"payments": [
        {"customer_id": customer.pk, "received_date": today.isoformat(), "amount_minor": big}]})
    assert response.status_code == 201, response.content
