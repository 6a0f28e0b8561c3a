"""Every bad input is a 4xx JSON error naming the field, and nothing is written: no row, no audit event.

Each case is sent by a user who is allowed to make the call, so the refusal is about the input alone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from arms.domain.uscc import make_uscc
from arms.ledger import services
from arms.ledger.services.allocations import AllocationRequest
from tests import factories
from tests.api.conftest import assert_error, counts, make_contract

BAD_USCC = make_uscc("91310000MA1FL0000")[:-1] + "0"
INVOICE = {"issue_date": "2026-01-10", "net_minor": 100_000, "tax_minor": 13_000}
PAYMENT = {"received_date": "2026-02-01", "amount_minor": 50_000}


def invoice_with(ids, **changes):
    return {"customer_id": ids["customer"], **INVOICE, **changes}


def payment_with(ids, **changes):
    return {"customer_id": ids["customer"], **PAYMENT, **changes}


def without(body: dict, name: str) -> dict:
    return {k: v for k, v in body.items() if k != name}


# (id, method, path, body -> (status, code, field)); paths and bodies may use the ids of ``books``.
CASES = [
    # customers
    ("customer-missing-name", "post", "/customers", lambda ids: {"code": "N1"}, (422, "invalid", "name")),
    ("customer-blank-name", "post", "/customers", lambda ids: {"code": "N1", "name": "  "}, (422, "invalid", "name")),
    ("customer-bad-uscc", "post", "/customers", lambda ids: {"code": "N1", "name": "n", "uscc": BAD_USCC},
     (422, "invalid", "uscc")),
    ("customer-short-uscc", "post", "/customers", lambda ids: {"code": "N1", "name": "n", "uscc": "12345"},
     (422, "invalid", "uscc")),
    ("customer-duplicate-code", "post", "/customers", lambda ids: {"code": "C-BOOKS", "name": "n"},
     (409, "duplicate_code", "code")),
    ("customer-unknown-region", "post", "/customers", lambda ids: {"code": "N1", "name": "n", "region": "mars"},
     (422, "invalid", "region")),
    ("customer-unknown-collector", "post", "/customers",
     lambda ids: {"code": "N1", "name": "n", "collector_id": 999_999}, (422, "invalid", "collector_id")),
    ("customer-terms-too-long", "post", "/customers",
     lambda ids: {"code": "N1", "name": "n", "payment_terms_days": 5000}, (422, "invalid", "payment_terms_days")),
    ("customer-bad-currency", "post", "/customers", lambda ids: {"code": "N1", "name": "n", "currency": "1$"},
     (422, "invalid", "currency")),
    ("customer-unknown-field", "post", "/customers", lambda ids: {"code": "N1", "name": "n", "vip": True},
     (422, "invalid", "vip")),
    ("customer-code-too-long", "post", "/customers", lambda ids: {"code": "X" * 41, "name": "n"},
     (422, "invalid", "code")),
    ("customer-nul-character", "post", "/customers", lambda ids: {"code": "N1", "name": "a\x00b"},
     (422, "invalid", "name")),
    ("patch-bad-uscc", "patch", "/customers/{customer}", lambda ids: {"uscc": BAD_USCC}, (422, "invalid", "uscc")),
    ("patch-null-name", "patch", "/customers/{customer}", lambda ids: {"name": None}, (422, "invalid", "name")),
    ("patch-code-is-not-editable", "patch", "/customers/{customer}", lambda ids: {"code": "NEW"},
     (422, "invalid", "code")),
    ("patch-unknown-customer", "patch", "/customers/999999", lambda ids: {"name": "n"},
     (404, "not_found", "customer_id")),
    ("customer-id-not-a-number", "get", "/customers/abc", None, (422, "invalid", "customer_id")),
    ("contact-bad-email", "post", "/customers/{customer}/contacts", lambda ids: {"name": "张", "email": "not-mail"},
     (422, "invalid", "email")),
    ("contact-blank-name", "post", "/customers/{customer}/contacts", lambda ids: {"name": " "},
     (422, "invalid", "name")),
    ("list-limit-zero", "get", "/customers?limit=0", None, (422, "invalid", "limit")),
    ("list-limit-not-a-number", "get", "/customers?limit=ten", None, (422, "invalid", "limit")),
    ("list-negative-offset", "get", "/customers?offset=-1", None, (422, "invalid", "offset")),
    ("list-unknown-status", "get", "/customers?status=happy", None, (422, "invalid", "status")),
    # contracts
    ("contract-unknown-customer", "post", "/contracts",
     lambda ids: {"customer_id": 999_999, "number": "N", "signed_date": "2026-01-01", "amount_minor": 100},
     (404, "not_found", "customer_id")),
    ("contract-zero-amount", "post", "/contracts",
     lambda ids: {"customer_id": ids["customer"], "number": "N", "signed_date": "2026-01-01", "amount_minor": 0},
     (422, "invalid", "amount_minor")),
    ("contract-float-amount", "post", "/contracts",
     lambda ids: {"customer_id": ids["customer"], "number": "N", "signed_date": "2026-01-01", "amount_minor": 1.5},
     (422, "invalid", "amount_minor")),
    ("contract-milestones-not-100-percent", "post", "/contracts",
     lambda ids: {"customer_id": ids["customer"], "number": "N", "signed_date": "2026-01-01", "amount_minor": 100,
                  "milestones": [{"name": "a", "share_bp": 3000}, {"name": "b", "share_bp": 3000}]},
     (422, "invalid", "milestones")),
    ("contract-milestone-negative-days", "post", "/contracts",
     lambda ids: {"customer_id": ids["customer"], "number": "N", "signed_date": "2026-01-01", "amount_minor": 100,
                  "milestones": [{"name": "a", "share_bp": 10000, "due_days": -1}]},
     (422, "invalid", "milestones[0].due_days")),
    ("contract-ends-before-start", "post", "/contracts",
     lambda ids: {"customer_id": ids["customer"], "number": "N", "signed_date": "2026-01-01", "amount_minor": 100,
                  "start_date": "2026-03-01", "end_date": "2026-02-01"}, (422, "invalid", "end_date")),
    ("contract-rate-above-one", "post", "/contracts",
     lambda ids: {"customer_id": ids["customer"], "number": "N", "signed_date": "2026-01-01", "amount_minor": 100,
                  "penalty_rate": "1.5"}, (422, "invalid", "penalty_rate")),
    ("contract-duplicate-number", "post", "/contracts",
     lambda ids: {"customer_id": ids["customer"], "number": "HT-P", "signed_date": "2026-01-01",
                  "amount_minor": 100}, (409, "duplicate_number", "number")),
    ("contract-bad-date", "post", "/contracts",
     lambda ids: {"customer_id": ids["customer"], "number": "N", "signed_date": "2026-13-01", "amount_minor": 100},
     (422, "invalid", "signed_date")),
    ("amend-without-reason", "post", "/contracts/{contract}/amend", lambda ids: {"title": "t"},
     (422, "invalid", "reason")),
    ("amend-blank-reason", "post", "/contracts/{contract}/amend", lambda ids: {"reason": " ", "title": "t"},
     (422, "invalid", "reason")),
    ("amend-below-invoiced", "post", "/contracts/{invoiced_contract}/amend",
     lambda ids: {"reason": "降价", "amount_minor": 100}, (422, "invalid", "amount_minor")),
    ("amend-null-signed-date", "post", "/contracts/{contract}/amend",
     lambda ids: {"reason": "r", "signed_date": None}, (422, "invalid", "signed_date")),
    ("amend-unknown-contract", "post", "/contracts/999999/amend", lambda ids: {"reason": "r"},
     (404, "not_found", "contract_id")),
    ("attach-empty-file", "upload", "/contracts/{contract}/attachments",
     lambda ids: {"file": SimpleUploadedFile("a.pdf", b"")}, (422, "invalid", "file")),
    ("attach-description-too-long", "upload", "/contracts/{contract}/attachments",
     lambda ids: {"file": SimpleUploadedFile("a.pdf", b"%PDF"), "description": "x" * 201},
     (422, "invalid", "description")),
    ("attach-no-file", "upload", "/contracts/{contract}/attachments", lambda ids: {"description": "x"},
     (422, "invalid", "file")),
    # invoices
    ("invoice-missing-net", "post", "/invoices", lambda ids: without(invoice_with(ids), "net_minor"),
     (422, "invalid", "net_minor")),
    ("invoice-string-amount", "post", "/invoices", lambda ids: invoice_with(ids, net_minor="100000"),
     (422, "invalid", "net_minor")),
    ("invoice-float-amount", "post", "/invoices", lambda ids: invoice_with(ids, net_minor=1000.5),
     (422, "invalid", "net_minor")),
    ("invoice-whole-float-amount", "post", "/invoices", lambda ids: invoice_with(ids, net_minor=100000.0),
     (422, "invalid", "net_minor")),
    ("invoice-boolean-amount", "post", "/invoices", lambda ids: invoice_with(ids, tax_minor=True),
     (422, "invalid", "tax_minor")),
    ("invoice-negative-amount", "post", "/invoices", lambda ids: invoice_with(ids, net_minor=-1),
     (422, "invalid", "net_minor")),
    ("invoice-zero-amount", "post", "/invoices", lambda ids: invoice_with(ids, net_minor=0, tax_minor=0),
     (422, "invalid", "net_minor")),
    ("invoice-huge-amount", "post", "/invoices", lambda ids: invoice_with(ids, net_minor=10**19),
     (422, "invalid", "net_minor")),
    ("invoice-unknown-customer", "post", "/invoices", lambda ids: {**invoice_with(ids), "customer_id": 999_999},
     (404, "not_found", "customer_id")),
    ("invoice-unknown-contract", "post", "/invoices", lambda ids: invoice_with(ids, contract_id=999_999),
     (404, "not_found", "contract_id")),
    ("invoice-impossible-date", "post", "/invoices", lambda ids: invoice_with(ids, issue_date="2026-02-30"),
     (422, "invalid", "issue_date")),
    ("invoice-year-9999", "post", "/invoices", lambda ids: invoice_with(ids, issue_date="9999-12-31"),
     (422, "invalid", "issue_date")),
    ("invoice-due-before-issue", "post", "/invoices", lambda ids: invoice_with(ids, due_date="2026-01-01"),
     (422, "invalid", "due_date")),
    ("invoice-duplicate-number", "post", "/invoices", lambda ids: invoice_with(ids, number="INV-T-1"),
     (409, "duplicate_number", "number")),
    ("invoice-bad-currency", "post", "/invoices", lambda ids: invoice_with(ids, currency="1$"),
     (422, "invalid", "currency")),
    ("invoice-no-exchange-rate", "post", "/invoices", lambda ids: invoice_with(ids, currency="GBP"),
     (422, "missing_exchange_rate", "currency")),
    ("invoice-currency-differs-from-contract", "post", "/invoices",
     lambda ids: invoice_with(ids, contract_id=ids["contract"], currency="USD"),
     (422, "currency_mismatch", "currency")),
    ("invoice-inactive-customer", "post", "/invoices",
     lambda ids: {**invoice_with(ids), "customer_id": ids["inactive_customer"]}, (422, "invalid", "customer")),
    ("invoice-body-is-a-list", "post", "/invoices", lambda ids: [invoice_with(ids)], (422, "invalid", "body")),
    ("invoice-empty-body", "post", "/invoices", None, (422, "invalid", "body")),
    ("invoice-unknown", "get", "/invoices/999999", None, (404, "not_found", "invoice_id")),
    ("invoice-range-backwards", "get", "/invoices?issued_from=2026-02-01&issued_to=2026-01-01", None,
     (422, "invalid", "issued_to")),
    ("invoice-search-with-nul", "get", "/invoices?search=a%00b", None, (422, "invalid", "search")),
    ("invoice-id-out-of-range", "get", "/invoices/100000000000000000000", None, (404, "not_found", "invoice_id")),
    ("invoice-overdue-on-not-a-date", "get", "/invoices?overdue_on=tomorrow", None, (422, "invalid", "overdue_on")),
    # credit notes
    ("credit-note-over-open-amount", "post", "/invoices/{invoice}/credit-notes",
     lambda ids: {"date": "2026-02-05", "net_minor": 200_000, "tax_minor": 0, "reason": "r"},
     (409, "over_allocation", "net_minor")),
    ("credit-note-before-invoice", "post", "/invoices/{invoice}/credit-notes",
     lambda ids: {"date": "2026-01-01", "net_minor": 100, "tax_minor": 0, "reason": "r"}, (422, "invalid", "date")),
    ("credit-note-blank-reason", "post", "/invoices/{invoice}/credit-notes",
     lambda ids: {"date": "2026-02-05", "net_minor": 100, "tax_minor": 0, "reason": " "}, (422, "invalid", "reason")),
    ("credit-note-unknown-invoice-in-path", "post", "/invoices/999999/credit-notes",
     lambda ids: {"date": "2026-02-05", "net_minor": 100, "tax_minor": 0, "reason": "r"},
     (404, "not_found", "invoice_id")),
    ("credit-note-unknown-invoice-in-body", "post", "/credit-notes",
     lambda ids: {"invoice_id": 999_999, "date": "2026-02-05", "net_minor": 100, "tax_minor": 0, "reason": "r"},
     (404, "not_found", "invoice_id")),
    ("credit-note-duplicate-number", "post", "/credit-notes",
     lambda ids: {"invoice_id": ids["invoice"], "number": "CN-BOOKS", "date": "2026-02-05", "net_minor": 100,
                  "tax_minor": 0, "reason": "r"}, (409, "duplicate_number", "number")),
    # payments
    ("payment-zero-amount", "post", "/payments", lambda ids: payment_with(ids, amount_minor=0),
     (422, "invalid", "amount_minor")),
    ("payment-negative-amount", "post", "/payments", lambda ids: payment_with(ids, amount_minor=-5),
     (422, "invalid", "amount_minor")),
    ("payment-float-amount", "post", "/payments", lambda ids: payment_with(ids, amount_minor=500.25),
     (422, "invalid", "amount_minor")),
    ("payment-unknown-method", "post", "/payments", lambda ids: payment_with(ids, method="bitcoin"),
     (422, "invalid", "method")),
    ("payment-bill-without-maturity", "post", "/payments",
     lambda ids: payment_with(ids, method="bank_acceptance", bill_number="BA-1"),
     (422, "invalid", "bill_maturity_date")),
    ("payment-duplicate-number", "post", "/payments", lambda ids: payment_with(ids, number="RCV-T-1"),
     (409, "duplicate_number", "number")),
    ("payment-unknown-customer", "post", "/payments", lambda ids: {**payment_with(ids), "customer_id": 999_999},
     (404, "not_found", "customer_id")),
    ("payment-bad-date", "post", "/payments", lambda ids: payment_with(ids, received_date="2026/02/01"),
     (422, "invalid", "received_date")),
    ("payment-year-9999", "post", "/payments", lambda ids: payment_with(ids, received_date="9999-12-31"),
     (422, "invalid", "received_date")),
    ("payment-year-1", "post", "/payments", lambda ids: payment_with(ids, received_date="0001-01-01"),
     (422, "invalid", "received_date")),
    ("invoice-year-1", "post", "/invoices", lambda ids: invoice_with(ids, issue_date="0001-01-01"),
     (422, "invalid", "issue_date")),
    ("auto-allocate-year-9999", "post", "/payments/{payment}/auto-allocate", lambda ids: {"date": "9999-12-31"},
     (422, "invalid", "date")),
    ("payment-unknown", "get", "/payments/999999", None, (404, "not_found", "payment_id")),
    # allocations
    ("allocate-more-than-invoice-open", "post", "/payments/{big_payment}/allocations",
     lambda ids: {"lines": [{"invoice_id": ids["invoice"], "amount_minor": 200_000}]},
     (409, "over_allocation", "lines[0].amount_minor")),
    ("allocate-more-than-payment-left", "post", "/payments/{payment}/allocations",
     lambda ids: {"lines": [{"invoice_id": ids["invoice"], "amount_minor": 30_000},
                            {"invoice_id": ids["second_invoice"], "amount_minor": 20_000}]},
     (409, "over_allocation", "lines")),
    ("allocate-to-unknown-invoice", "post", "/payments/{payment}/allocations",
     lambda ids: {"lines": [{"invoice_id": 999_999, "amount_minor": 100}]}, (422, "invalid", "lines[0].invoice_id")),
    ("allocate-to-another-customers-invoice", "post", "/payments/{payment}/allocations",
     lambda ids: {"lines": [{"invoice_id": ids["other_invoice"], "amount_minor": 100}]},
     (422, "invalid", "lines[0].invoice_id")),
    ("allocate-across-currencies", "post", "/payments/{payment}/allocations",
     lambda ids: {"lines": [{"invoice_id": ids["usd_invoice"], "amount_minor": 100}]},
     (422, "currency_mismatch", "lines[0].invoice_id")),
    ("allocate-zero", "post", "/payments/{payment}/allocations",
     lambda ids: {"lines": [{"invoice_id": ids["invoice"], "amount_minor": 0}]},
     (422, "invalid", "lines[0].amount_minor")),
    ("allocate-float", "post", "/payments/{payment}/allocations",
     lambda ids: {"lines": [{"invoice_id": ids["invoice"], "amount_minor": 10.5}]},
     (422, "invalid", "lines[0].amount_minor")),
    ("allocate-no-lines", "post", "/payments/{payment}/allocations", lambda ids: {"lines": []},
     (422, "invalid", "lines")),
    ("allocate-before-payment", "post", "/payments/{payment}/allocations",
     lambda ids: {"date": "2026-01-15", "lines": [{"invoice_id": ids["invoice"], "amount_minor": 100}]},
     (422, "invalid", "date")),
    ("allocate-unknown-payment", "post", "/payments/999999/allocations",
     lambda ids: {"lines": [{"invoice_id": ids["invoice"], "amount_minor": 100}]}, (404, "not_found", "payment_id")),
    ("allocate-reversed-payment", "post", "/payments/{reversed_payment}/allocations",
     lambda ids: {"lines": [{"invoice_id": ids["invoice"], "amount_minor": 100}]},
     (409, "already_reversed", "payment")),
    ("reverse-payment-twice", "post", "/payments/{reversed_payment}/reverse", lambda ids: {"reason": "再退"},
     (409, "already_reversed", "payment")),
    ("reverse-payment-without-reason", "post", "/payments/{payment}/reverse", lambda ids: {},
     (422, "invalid", "reason")),
    ("reverse-allocation-twice", "post", "/allocations/{reversed_allocation}/reverse", lambda ids: {"reason": "重复"},
     (409, "already_reversed", "allocation")),
    ("reverse-allocation-without-reason", "post", "/allocations/{reversed_allocation}/reverse",
     lambda ids: {"reason": ""}, (422, "invalid", "reason")),
    ("reverse-unknown-allocation", "post", "/allocations/999999/reverse", lambda ids: {"reason": "重复"},
     (404, "not_found", "allocation_id")),
    # a customer's statement
    ("statement-from-after-to", "get", "/customers/{customer}/statement?from=2026-02-01&to=2026-01-01", None,
     (422, "invalid", "to")),
    ("statement-without-from", "get", "/customers/{customer}/statement?to=2026-01-01", None,
     (422, "invalid", "from")),
    ("statement-bad-date", "get", "/customers/{customer}/statement?from=2026-1-32&to=2026-02-01", None,
     (422, "invalid", "from")),
    ("statement-unknown-customer", "get", "/customers/999999/statement?from=2026-01-01&to=2026-02-01", None,
     (404, "not_found", "customer_id")),
    # exchange rates
    ("rate-zero", "post", "/exchange-rates", lambda ids: {"currency": "USD", "date": "2026-01-01", "rate": "0"},
     (422, "invalid", "rate")),
    ("rate-not-a-number", "post", "/exchange-rates",
     lambda ids: {"currency": "USD", "date": "2026-01-01", "rate": "seven"}, (422, "invalid", "rate")),
    ("rate-too-many-decimals", "post", "/exchange-rates",
     lambda ids: {"currency": "USD", "date": "2026-01-01", "rate": "7.123456789"}, (422, "invalid", "rate")),
    ("rate-for-the-base-currency", "post", "/exchange-rates",
     lambda ids: {"currency": "CNY", "date": "2026-01-01", "rate": "1"}, (422, "invalid", "currency")),
]


@pytest.fixture
def ids(books, customer, payment, clerk):
    """``books`` plus the odd documents some refusals need."""
    customer.code = "C-BOOKS"
    customer.save(update_fields=["code"])
    services.exchange_rate_set(actor=None, currency="USD", on=date(2026, 1, 1), rate=Decimal("7.1"))
    services.credit_note_post(actor=None, invoice=payment.customer.invoices.get(number="INV-T-1"),
                              on=date(2026, 1, 15), net_minor=100, tax_minor=0, reason="r", number="CN-BOOKS")
    second = factories.invoice(customer, net=30_000, tax=0, number="INV-T-2")
    usd = factories.invoice(customer, net=10_000, tax=0, number="INV-USD", currency="USD")
    other = factories.invoice(factories.customer(), number="INV-OTHER")
    big = factories.payment(customer, amount=500_000, number="RCV-BIG")
    reversed_payment = factories.payment(customer, amount=1_000, number="RCV-REV")
    [undone] = services.payment_allocate(actor=None, payment=big, lines=[AllocationRequest(second.pk, 100)],
                                         on=date(2026, 2, 1))
    services.allocation_reverse(reason="重复", actor=None, allocation=undone, on=date(2026, 2, 2))
    services.payment_reverse(actor=None, payment=reversed_payment, reason="退票", on=date(2026, 2, 3))
    invoiced = make_contract(customer, "HT-INVOICED", amount=50_000)
    factories.invoice(customer, net=40_000, tax=0, number="INV-HT", contract=invoiced)
    inactive = factories.customer(status="inactive")
    return {**books, "second_invoice": second.pk, "usd_invoice": usd.pk, "other_invoice": other.pk,
            "big_payment": big.pk, "reversed_payment": reversed_payment.pk, "reversed_allocation": undone.pk,
            "invoiced_contract": invoiced.pk, "inactive_customer": inactive.pk}


@pytest.mark.parametrize(("method", "path", "body", "expected"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(manager_api, ids, method, path, body, expected):
    status, code, field = expected
    before = counts()

    response = getattr(manager_api, method)(path.format(**ids), body(ids) if body else None)

    assert_error(response, status, code, field)
    assert response["Content-Type"].startswith("application/json")
    assert counts() == before


def test_malformed_json_is_400_naming_the_body(manager_api, customer):
    before = counts()

    response = manager_api.client.post("/api/v1/invoices", "{not json", content_type="application/json",
                                       headers={"Authorization": f"Bearer {manager_api.secret}"})

    assert_error(response, 400, "invalid", "body")
    assert counts() == before


def test_an_overlong_idempotency_key_is_refused(manager_api, customer):
    before = counts()

    response = manager_api.post("/invoices", {"customer_id": customer.pk, **INVOICE},
                                headers={"Idempotency-Key": "k" * 201})

    assert_error(response, 422, "invalid", "Idempotency-Key")
    assert counts() == before


def test_every_refusal_lists_all_bad_fields(manager_api, customer):
    response = manager_api.post("/invoices", {"customer_id": customer.pk, "issue_date": "nope", "net_minor": 1.5})

    error = assert_error(response, 422, "invalid", "issue_date")
    assert {f["field"] for f in error["fields"]} == {"issue_date", "net_minor", "tax_minor"}


def test_session_client_without_login_cannot_reach_a_write(db):
    response = Client(enforce_csrf_checks=True).post("/api/v1/payments", "{}", content_type="application/json")

    assert_error(response, 401, "unauthenticated", None)
