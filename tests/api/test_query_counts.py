"""Every list endpoint of the API runs as many queries on a world three times as large: no N+1 in a list.

The endpoints come from the API's own OpenAPI document (every GET without a path parameter), so an endpoint
added later is measured without anyone remembering to; ``NOT_A_LIST`` names the others and why.
"""

from __future__ import annotations

from functools import cache

from django.test import Client

from arms.api import api
from tests.queries import assert_flat, count_queries, seeded_world

#: GET operations without a path parameter that do not list rows, and why.
NOT_A_LIST = {
    "/api/v1/dunning/interest": "a calculation on one invoice (needs invoice_id)",
    "/api/v1/reports/monthly": "downloads or queues one report",
    "/api/v1/credit/scorecards/active": "one scorecard",
    "/api/v1/cash/reconciliation": "one bank account's reconciliation on one day (needs account)",
    "/api/v1/stress/settings": "the one stress-test settings row",
    "/api/v1/prediction/backtest": "the active model's one backtest (404 until a model is trained)",
    # a contact's portal session only (401 to staff): tests/portal/test_api.py measures the portal's lists
    "/api/v1/portal/me": "the customer portal (a contact's session)",
    "/api/v1/portal/invoices": "the customer portal (a contact's session)",
    "/api/v1/portal/payments": "the customer portal (a contact's session)",
    "/api/v1/portal/confirmations": "the customer portal (a contact's session)",
}
#: Endpoints whose count is known to grow with the rows, and why (each is a follow-up, not a licence).
KNOWN_GROWTH: dict[str, str] = {}
SMALL, LARGE = 5, 15


@cache
def openapi_paths() -> dict:
    """The OpenAPI document's paths, built once (building it takes a while)."""
    return api.get_openapi_schema()["paths"]


def list_endpoints() -> list[str]:
    paths = openapi_paths()
    return [path for path, operations in paths.items()
            if "get" in operations and "{" not in path and path not in NOT_A_LIST]


def test_the_list_endpoints_are_found_and_every_exclusion_still_exists():
    endpoints = list_endpoints()
    assert {"/api/v1/invoices", "/api/v1/payments", "/api/v1/collections/worklist"} <= set(endpoints)
    every = set(openapi_paths())
    stale = [path for path in [*NOT_A_LIST, *KNOWN_GROWTH] if path not in every]
    assert not stale, f"no longer endpoints: {stale}"


def measure(endpoints: list[str]) -> dict[str, tuple[int, list[str]]]:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    client.get("/api/v1/me")  # the session settles on the first request
    counts = {}
    for path in endpoints:
        response = None

        def get(path=path):
            nonlocal response
            response = client.get(path, _query(path))

        counts[path] = count_queries(get)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
    return counts


def _query(path: str) -> dict[str, str]:
    """The largest page, and a period (the demo's three months) where the endpoint requires one."""
    from django.utils import timezone

    today = timezone.localdate()
    query = {}
    for parameter in openapi_paths()[path]["get"].get("parameters", []):
        name = parameter["name"]
        if name == "limit":
            query["limit"] = "100"
        elif parameter.get("required") and name in ("start", "end"):
            query[name] = (today.replace(day=1) if name == "end" else today.replace(day=1, month=1)).isoformat()
        elif parameter.get("required"):
            raise AssertionError(f"{path} requires {name}: give it a value here")
    return query


def test_every_list_endpoint_runs_the_same_number_of_queries_on_three_times_the_rows(db, today):
    endpoints = list_endpoints()
    with seeded_world(SMALL, today=today):
        small = measure(endpoints)
    with seeded_world(LARGE, today=today):
        large = measure(endpoints)
    failures = []
    for path in endpoints:
        if path in KNOWN_GROWTH:
            continue
        try:
            assert_flat(path, small[path], large[path])
        except AssertionError as grown:
            failures.append(str(grown))
    assert not failures, "\n\n".join(failures)
