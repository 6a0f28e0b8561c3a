"""The OpenAPI document tells the truth (issue 10): one schema per name, every status an operation answers
declared with the error shape, and the limits and formats of every query parameter written down."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from arms.api import api
from tests.api.openapi_walk import collisions, operations

ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _schema(param: dict) -> dict:
    schema = param.get("schema", {})
    for option in schema.get("anyOf", []):  # "x | None": the non-null branch carries the constraints
        if option.get("type") != "null":
            return {**option, **{k: v for k, v in schema.items() if k != "anyOf"}}
    return schema


def test_no_two_schemas_share_a_name():
    """Ninja silently keeps one of two classes of the same name: every class an operation uses has its own."""
    assert collisions() == {}


def test_the_walk_sees_every_operation(document):
    assert len(list(_operations(document))) == len(list(operations())) > 100


@pytest.mark.parametrize(("path", "schema"), [
    ("/api/v1/credit/policies", "CreditPolicyOut"),
    ("/api/v1/dunning/policies", "DunningPolicyOut"),
])
def test_each_policy_list_is_described_by_its_own_schema(document, path, schema):
    ok = document["paths"][path]["get"]["responses"][200]["content"]["application/json"]["schema"]
    assert ok["items"]["$ref"] == f"#/components/schemas/{schema}"


def test_open_items_are_the_ledgers_and_the_case_page_the_collections(document):
    schemas = document["components"]["schemas"]
    ok = document["paths"]["/api/v1/customers/{customer_id}/open-items"]["get"]["responses"][200]
    page = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schemas[page]["properties"]["items"]["items"]["$ref"] == "#/components/schemas/LedgerOpenItemOut"
    case = document["paths"]["/api/v1/collections/customers/{customer_id}/case"]["get"]["responses"][200]
    case_schema = case["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "CaseOpenItemOut" in str(schemas[case_schema])


def test_every_operation_declares_its_errors_with_the_error_shape(document):
    missing = []
    for path, method, operation in _operations(document):
        wanted = {401, 403, 422} | ({404} if "{" in path else set())
        if method in ("post", "put", "patch", "delete"):
            wanted.add(409)
        responses = operation["responses"]
        for status in sorted(wanted):
            if responses.get(status, {}).get("content", {}).get("application/json", {}).get("schema") != \
                    {"$ref": ERROR_REF}:
                missing.append(f"{method.upper()} {path} {status}")
    assert missing == []
    assert "Retry-After" in operation["responses"][503]["headers"]


def test_the_served_document_is_the_same(db):
    served = Client().get("/api/openapi.json").json()
    assert "401" in served["paths"]["/api/v1/customers"]["get"]["responses"]
    assert "ErrorOut" in served["components"]["schemas"]


DATE_NAME = re.compile(r"^(as_of|from|to|start|end|end_month|due_on|due_before|overdue_on|period|date)$"
                       r"|_(from|to|date|before|after)$")


def test_every_query_parameter_declares_its_limits_and_format(document):
    """Page sizes are bounded, ids are positive, text has a length (or a pattern, or choices), dates are dates."""
    problems = []
    for path, method, operation in _operations(document):
        for param in operation.get("parameters", []):
            if param["in"] != "query":
                continue
            name, schema = param["name"], _schema(param)
            where = f"{method.upper()} {path} {name}"
            kind = schema.get("type")
            if name == "limit":
                if (schema.get("minimum"), schema.get("maximum")) != (1, 500):
                    problems.append(f"{where}: limit not 1..500")
            elif name == "offset":
                if schema.get("minimum") != 0 or "maximum" not in schema:
                    problems.append(f"{where}: offset not bounded")
            elif kind == "integer":
                if "minimum" not in schema or "maximum" not in schema:
                    problems.append(f"{where}: integer without minimum/maximum")
            elif kind == "string" and schema.get("format") not in ("date", "date-time"):
                if DATE_NAME.search(name):
                    problems.append(f"{where}: a date without format date")
                elif not ({"maxLength", "pattern", "enum"} & set(schema)):
                    problems.append(f"{where}: text without maxLength, pattern or choices")
    assert problems == []


def test_an_id_beyond_any_key_in_a_query_is_a_422_not_a_500(admin_api):
    """Before the bound, an id over 64 bits reached the database driver and was a 500 (OverflowError)."""
    from tests.api.conftest import assert_error

    assert_error(admin_api.get("/customers", {"salesperson_id": "99999999999999999999999"}), 422, "invalid",
                 "salesperson_id")
    assert_error(admin_api.get("/invoices", {"limit": "501"}), 422, "invalid", "limit")
