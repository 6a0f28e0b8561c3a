"""Roles through the API: the auditor reads everything and changes nothing; sales staff see only their
own customers (another's is 404, never listed); collectors cannot post invoices; admins may do anything."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.api.conftest import assert_error, counts, make_contract


def writes(ids: dict) -> list[tuple[str, str, object]]:
    """Every write endpoint with a body that would succeed for a user allowed to make it."""
    c, i, p, a, k = ids["customer"], ids["invoice"], ids["payment"], ids["allocation"], ids["contract"]
    return [
        ("post", "/customers", {"code": "NEW", "name": "新客户"}),
        ("patch", f"/customers/{c}", {"name": "改名"}),
        ("post", f"/customers/{c}/contacts", {"name": "张三"}),
        ("post", "/contracts", {"customer_id": c, "number": "HT-NEW", "signed_date": "2026-01-01",
                                "amount_minor": 100}),
        ("post", f"/contracts/{k}/amend", {"reason": "改", "title": "新标题"}),
        ("upload", f"/contracts/{k}/attachments", {"file": SimpleUploadedFile("a.pdf", b"%PDF")}),
        ("post", "/invoices", {"customer_id": c, "issue_date": "2026-01-10", "net_minor": 100, "tax_minor": 0}),
        ("post", f"/invoices/{i}/credit-notes", {"date": "2026-01-20", "net_minor": 100, "tax_minor": 0,
                                                 "reason": "折让"}),
        ("post", "/credit-notes", {"invoice_id": i, "date": "2026-01-20", "net_minor": 100, "tax_minor": 0,
                                   "reason": "折让"}),
        ("post", "/payments", {"customer_id": c, "received_date": "2026-02-01", "amount_minor": 100}),
        ("post", f"/payments/{p}/allocations", {"lines": [{"invoice_id": i, "amount_minor": 100}]}),
        ("post", f"/payments/{p}/auto-allocate", {}),
        ("post", f"/allocations/{a}/reverse", {"reason": "重复"}),
        ("post", f"/payments/{p}/reverse", {"reason": "退票"}),
        ("post", "/exchange-rates", {"currency": "USD", "date": "2026-01-01", "rate": "7.1"}),
    ]


def reads(ids: dict) -> list[str]:
    c, i, p, k = ids["customer"], ids["invoice"], ids["payment"], ids["contract"]
    return [
        "/customers", f"/customers/{c}", f"/customers/{c}/open-items", f"/customers/{c}/balances",
        f"/customers/{c}/statement?from=2026-01-01&to=2026-12-31", "/contracts", f"/contracts/{k}", "/invoices",
        f"/invoices/{i}", "/credit-notes", "/payments", f"/payments/{p}", "/allocations", "/exchange-rates",
    ]


def call(api, method: str, path: str, body):
    return getattr(api, method)(path, body)


def test_auditor_cannot_write_anything(auditor_api, books):
    before = counts()

    for method, path, body in writes(books):
        response = call(auditor_api, method, path, body)
        assert_error(response, 403, "forbidden", None)

    assert counts() == before


def test_the_same_writes_succeed_for_an_admin(admin_api, books):
    """Guards the test above: every body in ``writes`` is one an allowed user gets through with."""
    for method, path, body in writes(books):
        response = call(admin_api, method, path, body)
        assert response.status_code in (200, 201), (path, response.content)


def test_auditor_reads_everything(auditor_api, books):
    for path in reads(books):
        response = auditor_api.get(path)
        assert response.status_code == 200, (path, response.content)


def test_a_user_without_a_role_reads_nothing(api_for, books):
    nobody = api_for(None)

    for path in reads(books):
        assert_error(nobody.get(path), 403, "forbidden", None)


def test_salesperson_sees_only_their_own_customers(sales_api, clerk):
    mine = factories.customer("MINE", salesperson=sales_api.user)
    other_sales = factories.user("sales_wu", role="sales")
    theirs = factories.customer("THEIRS", salesperson=other_sales)
    nobodys = factories.customer("NOBODY")
    my_invoice = factories.invoice(mine, number="INV-MINE", actor=clerk)
    their_invoice = factories.invoice(theirs, number="INV-THEIRS", actor=clerk)
    their_payment = factories.payment(theirs, number="RCV-THEIRS", actor=clerk)
    their_contract = make_contract(theirs, "HT-THEIRS")

    assert [c["code"] for c in sales_api.get("/customers").json()["items"]] == ["MINE"]
    assert [i["number"] for i in sales_api.get("/invoices").json()["items"]] == ["INV-MINE"]
    assert sales_api.get("/payments").json()["count"] == 0
    assert sales_api.get("/contracts").json()["count"] == 0
    assert sales_api.get(f"/customers/{mine.pk}").status_code == 200
    assert sales_api.get(f"/invoices/{my_invoice.pk}").status_code == 200
    for customer in (theirs, nobodys):
        assert_error(sales_api.get(f"/customers/{customer.pk}"), 404, "not_found", "customer_id")
        assert_error(sales_api.get(f"/customers/{customer.pk}/open-items"), 404, "not_found", "customer_id")
        assert_error(sales_api.get(f"/customers/{customer.pk}/balances"), 404, "not_found", "customer_id")
        assert_error(sales_api.get(f"/customers/{customer.pk}/statement", {"from": "2026-01-01", "to": "2026-12-31"}),
                     404, "not_found", "customer_id")
    assert_error(sales_api.get(f"/invoices/{their_invoice.pk}"), 404, "not_found", "invoice_id")
    assert_error(sales_api.get(f"/payments/{their_payment.pk}"), 404, "not_found", "payment_id")
    assert_error(sales_api.get(f"/contracts/{their_contract.pk}"), 404, "not_found", "contract_id")
    assert sales_api.get("/invoices", {"customer_id": theirs.pk}).json()["count"] == 0


def test_salesperson_cannot_change_another_salespersons_customer(sales_api):
    theirs = factories.customer("THEIRS", salesperson=factories.user("sales_wu", role="sales"))
    before = counts()

    assert_error(sales_api.patch(f"/customers/{theirs.pk}", {"name": "抢客户"}), 404, "not_found", "customer_id")
    assert_error(sales_api.post(f"/customers/{theirs.pk}/contacts", {"name": "张三"}), 404, "not_found",
                 "customer_id")
    assert_error(sales_api.post("/contracts", {"customer_id": theirs.pk, "number": "HT-X",
                                               "signed_date": "2026-01-01", "amount_minor": 100}),
                 404, "not_found", "customer_id")
    assert counts() == before


def test_collector_cannot_post_invoices(collector_api, customer):
    before = counts()

    response = collector_api.post("/invoices", {"customer_id": customer.pk, "issue_date": "2026-01-10",
                                                "net_minor": 100, "tax_minor": 0})

    error = assert_error(response, 403, "forbidden", None)
    assert "ledger.add_invoice" in error["message"]
    assert counts() == before


def test_finance_clerk_cannot_reverse_a_payment(clerk_api, payment):
    before = counts()

    assert_error(clerk_api.post(f"/payments/{payment.pk}/reverse", {"reason": "退票"}), 403, "forbidden", None)

    assert counts() == before
    payment.refresh_from_db()
    assert payment.status == "posted"


def test_salesperson_cannot_post_invoices_even_for_their_own_customer(sales_api):
    mine = factories.customer("MINE", salesperson=sales_api.user)
    before = counts()

    response = sales_api.post("/invoices", {"customer_id": mine.pk, "issue_date": "2026-01-10",
                                            "net_minor": 100, "tax_minor": 0})

    assert_error(response, 403, "forbidden", None)
    assert counts() == before
