"""Idempotency-Key: a retried create returns the first document and writes nothing more; the same key
with a different body is refused with 409 idempotency_key_reused."""

from __future__ import annotations

from tests.api.conftest import assert_error, counts


def creates(ids: dict) -> list[tuple[str, dict, dict]]:
    """(path, body, a different body) for every endpoint that takes an Idempotency-Key."""
    c, i, p = ids["customer"], ids["invoice"], ids["payment"]
    return [
        ("/customers", {"code": "C-IDEM", "name": "幂等客户"}, {"code": "C-IDEM", "name": "别的名字"}),
        (f"/customers/{c}/contacts", {"name": "张三"}, {"name": "李四"}),
        ("/contracts", {"customer_id": c, "number": "HT-IDEM", "signed_date": "2026-01-01", "amount_minor": 100},
         {"customer_id": c, "number": "HT-IDEM", "signed_date": "2026-01-01", "amount_minor": 200}),
        ("/invoices", {"customer_id": c, "issue_date": "2026-01-10", "net_minor": 100, "tax_minor": 0},
         {"customer_id": c, "issue_date": "2026-01-10", "net_minor": 101, "tax_minor": 0}),
        (f"/invoices/{i}/credit-notes", {"date": "2026-01-20", "net_minor": 100, "tax_minor": 0, "reason": "折让"},
         {"date": "2026-01-20", "net_minor": 200, "tax_minor": 0, "reason": "折让"}),
        ("/credit-notes", {"invoice_id": i, "date": "2026-01-21", "net_minor": 100, "tax_minor": 0, "reason": "折"},
         {"invoice_id": i, "date": "2026-01-21", "net_minor": 100, "tax_minor": 0, "reason": "另一个理由"}),
        ("/payments", {"customer_id": c, "received_date": "2026-02-01", "amount_minor": 100},
         {"customer_id": c, "received_date": "2026-02-02", "amount_minor": 100}),
        (f"/payments/{p}/allocations", {"date": "2026-02-01", "lines": [{"invoice_id": i, "amount_minor": 100}]},
         {"date": "2026-02-01", "lines": [{"invoice_id": i, "amount_minor": 99}]}),
    ]


def test_a_retried_invoice_post_returns_the_first_invoice(clerk_api, customer):
    body = {"customer_id": customer.pk, "issue_date": "2026-01-10", "net_minor": 100_000, "tax_minor": 13_000}
    key = {"Idempotency-Key": "erp-order-4711"}
    first = clerk_api.post("/invoices", body, headers=key)
    after_first = counts()

    retry = clerk_api.post("/invoices", body, headers=key)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert counts() == after_first
    assert after_first["Invoice"] == 1


def test_without_a_key_a_repeated_post_makes_a_second_invoice(clerk_api, customer):
    """The opposite of the test above, so that one cannot pass by accident."""
    body = {"customer_id": customer.pk, "issue_date": "2026-01-10", "net_minor": 100_000, "tax_minor": 13_000}

    first = clerk_api.post("/invoices", body)
    second = clerk_api.post("/invoices", body)

    assert (first.json()["number"], second.json()["number"]) == ("INV-000001", "INV-000002")


def test_every_create_endpoint_is_idempotent(admin_api, books):
    for n, (path, body, _other) in enumerate(creates(books)):
        key = {"Idempotency-Key": f"key-{n}"}
        first = admin_api.post(path, body, headers=key)
        after_first = counts()

        retry = admin_api.post(path, body, headers=key)

        assert first.status_code == 201, (path, first.content)
        assert (retry.status_code, retry.json()) == (201, first.json()), path
        assert counts() == after_first, path


def test_the_same_key_with_a_different_body_is_refused(admin_api, books):
    for n, (path, body, other) in enumerate(creates(books)):
        key = {"Idempotency-Key": f"reused-{n}"}
        assert admin_api.post(path, body, headers=key).status_code == 201, path
        before = counts()

        response = admin_api.post(path, other, headers=key)

        assert_error(response, 409, "idempotency_key_reused", "idempotency_key")
        assert counts() == before, path


def test_a_refused_first_attempt_does_not_burn_the_key(clerk_api, customer):
    key = {"Idempotency-Key": "retry-after-fix"}
    body = {"customer_id": customer.pk, "issue_date": "2026-01-10", "net_minor": 100, "tax_minor": 0,
            "due_date": "2026-01-01"}
    assert_error(clerk_api.post("/invoices", body, headers=key), 422, "invalid", "due_date")

    fixed = clerk_api.post("/invoices", {**body, "due_date": "2026-01-31"}, headers=key)

    assert fixed.status_code == 201, fixed.content
    assert fixed.json()["due_date"] == "2026-01-31"
