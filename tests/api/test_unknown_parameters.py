"""A query parameter an endpoint does not declare is refused with 422 naming it, on every GET of the API.

Before, ``GET /invoices?overdue=true`` (the parameter is ``overdue_on``) returned every invoice: a misspelt
filter silently became no filter at all.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from arms.ledger.models import Invoice
from tests.api.conftest import assert_error


def get_operations() -> list[tuple[str, list[str]]]:
    """(path with its parameters filled with 1, declared query parameter names) of every GET in the OpenAPI
    document, so an endpoint added later is covered too."""
    document = Client().get("/api/openapi.json").json()
    operations = []
    for path, methods in document["paths"].items():
        if "get" in methods:
            query = [p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"]
            operations.append((re.sub(r"\{\w+\}", "1", path), query))
    return operations


def _portal_client() -> Client:
    """A client in the customer portal (entered with a contact's link)."""
    from arms.customers.portal_access import portal_link_issue
    from arms.customers.services import contact_create
    from tests import factories

    contact = contact_create(actor=None, customer=factories.customer(), name="门户联系人")
    client = Client()
    assert client.get(urlsplit(portal_link_issue(contact=contact, actor=None)).path).status_code == 302
    return client


@pytest.mark.django_db
def test_every_get_refuses_an_unknown_query_parameter_naming_it(admin_api):
    operations = get_operations()
    assert len(operations) > 40  # the whole API, not an empty document

    portal = _portal_client()
    for path, declared in operations:
        if path.startswith("/api/v1/portal/"):  # a contact's portal session, not a staff token (arms.portal.api)
            response = portal.get(path, {"bogus": "1"})
        else:
            response = admin_api.client.get(path, {"bogus": "1"}, headers=admin_api._headers(None))

        assert (response.status_code, response.json()["error"]["code"]) == (422, "unknown_parameter"), path
        error = response.json()["error"]
        assert error["field"] == "bogus", path
        assert "bogus" in error["message"], path
        assert all(name in error["message"] for name in declared), (path, error["message"])


@pytest.mark.django_db
def test_a_misspelt_filter_is_refused_instead_of_returning_everything(clerk_api, invoice):
    response = clerk_api.get("/invoices", {"overdue": "true"})

    error = assert_error(response, 422, "unknown_parameter", "overdue")
    assert "overdue_on" in error["message"]
    assert Invoice.objects.count() == 1


@pytest.mark.django_db
def test_declared_parameters_and_paging_still_work(clerk_api, invoice):
    response = clerk_api.get("/invoices", {"overdue_on": "2026-03-01", "limit": "1", "offset": "0"})

    assert response.status_code == 200, response.content
    assert [item["number"] for item in response.json()["items"]] == ["INV-T-1"]


@pytest.mark.django_db
def test_the_message_is_in_the_callers_language(clerk_api):
    response = clerk_api.get("/customers", {"bogus": "1"}, headers={"Accept-Language": "zh-hans"})

    assert_error(response, 422, "unknown_parameter", "bogus")
    assert "未知的查询参数 bogus" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_an_anonymous_caller_is_told_to_authenticate_first():
    response = Client().get("/api/v1/invoices", {"bogus": "1"})

    assert_error(response, 401, "unauthenticated", None)
