"""Every response under /api/ is the documented JSON error, including those Ninja never sees (issue 10).

Each test asks for one kind of failure and checks status, ``{"error": {"code", "message"}}`` and that no
traceback or HTML leaks; refusals also check that nothing was written."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client, RequestFactory

from arms.common import api_errors
from tests.api.conftest import BASE, assert_error, counts

CUSTOMER = {"code": "C-SHAPE", "name": "形状测试有限公司"}


def _json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    text = response.content.decode()
    assert "Traceback" not in text and "<html" not in text.lower()
    return body["error"]


def test_a_body_over_the_limit_is_413_json_and_writes_nothing(clerk_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    before = counts()

    response = clerk_api.post("/customers", {**CUSTOMER, "notes": "长" * 2_000})

    error = _json_error(response, 413, "payload_too_large")
    assert error["field"] == "body"
    assert counts() == before


def test_an_unknown_api_path_is_404_json(clerk_api):
    _json_error(clerk_api.get("/no-such-thing"), 404, "not_found")
    _json_error(Client().get("/api/v2/customers"), 404, "not_found")
    _json_error(Client().post("/api/", "{}", content_type="application/json"), 404, "not_found")


def test_a_page_outside_the_api_still_gets_djangos_html_404(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_a_wrong_method_is_405_json_naming_the_allowed_ones(clerk_api):
    before = counts()

    response = clerk_api.client.delete(BASE + "/customers", headers=clerk_api._headers(None))

    error = _json_error(response, 405, "method_not_allowed")
    assert set(error["details"]["allowed"]) == {"GET", "POST"}
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert counts() == before


def test_a_session_write_without_the_csrf_token_is_403_json(clerk):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    before = counts()

    response = browser.post(BASE + "/customers", json.dumps(CUSTOMER), content_type="application/json")

    _json_error(response, 403, "forbidden")
    assert counts() == before


def test_djangos_csrf_failure_view_answers_json_under_the_api():
    request = RequestFactory().post("/api/v1/customers")

    _json_error(api_errors.csrf_failure(request, "CSRF cookie not set."), 403, "forbidden")


def test_permission_denied_and_validation_are_json(auditor_api, clerk_api):
    before = counts()

    assert_error(auditor_api.post("/customers", CUSTOMER), 403, "forbidden", None)
    assert_error(clerk_api.post("/customers", {"code": "C-X"}), 422, "invalid", "name")
    assert counts() == before


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_database_down_inside_an_operation_is_503_with_retry_after(clerk_api, error):
    """Every query fails as it does when PostgreSQL is stopped: the token lookup is the first to notice."""
    down = error("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = clerk_api.get("/customers")

    _json_error(response, 503, "unavailable")
    assert int(response["Retry-After"]) > 0
    assert "5432" not in response.content.decode()


def test_the_database_down_outside_ninja_is_503_with_retry_after(db, settings):
    """Raised where Ninja has no say (a middleware, the session store): Django's handler500 answers."""
    settings.ROOT_URLCONF = "tests.api.boom_urls"

    response = Client(raise_request_exception=False).get("/api/boom/db")

    _json_error(response, 503, "unavailable")
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("debug", [False, True])
def test_an_unhandled_exception_in_an_operation_is_500_json_without_the_traceback(clerk_api, settings, debug):
    settings.DEBUG = debug
    with mock.patch("arms.customers.api.customer_list", side_effect=RuntimeError("secret-detail")):
        response = clerk_api.get("/customers")

    _json_error(response, 500, "internal")
    assert "secret-detail" not in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_an_unhandled_exception_outside_ninja_is_500_json_without_the_traceback(db, settings, debug):
    settings.ROOT_URLCONF = "tests.api.boom_urls"
    settings.DEBUG = debug

    response = Client(raise_request_exception=False).get("/api/boom/bug")

    _json_error(response, 500, "internal")
    assert "secret-detail" not in response.content.decode()
