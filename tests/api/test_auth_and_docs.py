"""Who may call the API at all, the session + CSRF path of the web UI, and the published OpenAPI docs."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders
from django.test import Client

from arms.accounts.models import ApiToken
from arms.accounts.services import token_revoke
from tests.api.conftest import Api, assert_error, counts

CUSTOMER = {"code": "C-SESSION", "name": "会话测试有限公司"}


def test_unauthenticated_read_is_401(db):
    response = Client().get("/api/v1/customers")

    assert_error(response, 401, "unauthenticated", None)


def test_unauthenticated_post_is_401_not_a_csrf_failure_and_writes_nothing(db):
    before = counts()

    response = Client(enforce_csrf_checks=True).post("/api/v1/customers", json.dumps(CUSTOMER),
                                                     content_type="application/json")

    assert_error(response, 401, "unauthenticated", None)
    assert counts() == before


def test_unknown_bearer_token_is_401(db):
    response = Client().get("/api/v1/customers", headers={"Authorization": "Bearer arms_not-a-real-token"})

    assert_error(response, 401, "unauthenticated", None)


def test_revoked_token_is_401(clerk_api):
    assert clerk_api.get("/customers").status_code == 200
    token_revoke(token=ApiToken.objects.get(user=clerk_api.user))

    response = clerk_api.get("/customers")

    assert_error(response, 401, "unauthenticated", None)


def test_bearer_token_of_an_inactive_user_is_401(clerk_api):
    clerk_api.user.is_active = False
    clerk_api.user.save(update_fields=["is_active"])

    assert_error(clerk_api.get("/customers"), 401, "unauthenticated", None)


def test_session_write_needs_the_csrf_token(clerk):
    """The web UI calls the API with its session cookie; an unsafe method must carry X-CSRFToken."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    browser.get("/api/docs")  # any page that uses the token sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    before = counts()

    refused = browser.post("/api/v1/customers", json.dumps(CUSTOMER), content_type="application/json")

    error = assert_error(refused, 403, "forbidden", None)
    assert error["message"] == "CSRF check Failed"
    assert counts() == before

    created = browser.post("/api/v1/customers", json.dumps(CUSTOMER), content_type="application/json",
                           headers={"X-CSRFToken": token})

    assert created.status_code == 201, created.content
    assert created.json()["code"] == "C-SESSION"
    listed = browser.get("/api/v1/customers")
    assert [c["code"] for c in listed.json()["items"]] == ["C-SESSION"]


def test_openapi_document_lists_every_path(clerk_api):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "ARMS API"
    expected = {
        "/api/v1/customers": {"get", "post"},
        "/api/v1/customers/{customer_id}": {"get", "patch"},
        "/api/v1/customers/{customer_id}/contacts": {"post"},
        "/api/v1/customers/{customer_id}/open-items": {"get"},
        "/api/v1/customers/{customer_id}/balances": {"get"},
        "/api/v1/customers/{customer_id}/statement": {"get"},
        "/api/v1/contracts": {"get", "post"},
        "/api/v1/contracts/{contract_id}": {"get"},
        "/api/v1/contracts/{contract_id}/amend": {"post"},
        "/api/v1/contracts/{contract_id}/attachments": {"post"},
        "/api/v1/invoices": {"get", "post"},
        "/api/v1/invoices/{invoice_id}": {"get"},
        "/api/v1/invoices/{invoice_id}/credit-notes": {"post"},
        "/api/v1/credit-notes": {"get", "post"},
        "/api/v1/payments": {"get", "post"},
        "/api/v1/payments/{payment_id}": {"get"},
        "/api/v1/payments/{payment_id}/allocations": {"post"},
        "/api/v1/payments/{payment_id}/auto-allocate": {"post"},
        "/api/v1/payments/{payment_id}/reverse": {"post"},
        "/api/v1/allocations": {"get"},
        "/api/v1/allocations/{allocation_id}/reverse": {"post"},
        "/api/v1/exchange-rates": {"get", "post"},
    }
    for path, methods in expected.items():
        assert set(document["paths"][path]) == methods, path
    invoice_in = document["components"]["schemas"]["InvoiceIn"]
    assert invoice_in["properties"]["net_minor"]["type"] == "integer"
    idempotency = [p for p in document["paths"]["/api/v1/invoices"]["post"]["parameters"]
                   if p["name"] == "Idempotency-Key"]
    assert idempotency[0]["in"] == "header"


def test_docs_page_renders_with_local_assets_only(db):
    response = Client().get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    assert [url for url in assets if re.match(r"^(https?:)?//", url)] == []
    assert "cdn." not in html
    assert finders.find("ninja/swagger-ui-bundle.js") is not None
    assert finders.find("ninja/swagger-ui.css") is not None


def test_api_client_helper_really_authenticates(api_for):
    """Guards the other tests: without the header the same client is refused."""
    api: Api = api_for("auditor")

    assert api.get("/customers").status_code == 200
    assert api.client.get("/api/v1/customers").status_code == 401
