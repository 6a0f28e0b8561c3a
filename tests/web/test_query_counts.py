"""Every list page runs as many queries on a world three times as large: no N+1 hides in a page.

The pages are not named here one by one: every parameter-less GET route of the site is measured (a list page
added later is measured without anyone remembering to), except those in ``NOT_A_LIST`` with the reason.
"""

from __future__ import annotations

from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.queries import assert_flat, count_queries, seeded_world

#: Parameter-less routes that are not pages listing rows, and why.
NOT_A_LIST = {
    "healthz": "the health check: one fixed query",
    "i18n/setlang/": "sets the language (POST)",
    "login/": "the login form",
    "logout/": "logs out (POST)",
    "credit/holds/place/": "a form posted to (POST)",
    "credit/holds/overrides/request/": "a form posted to (POST)",
    "dunning/runs/": "starts a run (POST)",
    "dunning/emails/retry/": "queues the retries (POST)",
    "reports/monthly/generate/": "queues a report (POST)",
    "notifications/read-all/": "marks read (POST)",
    "approvals/settings/": "changes the four-eyes amount (POST)",
    "invoices/undelivered/record/": "records one delivery for the ticked invoices (POST)",
    "analytics/": "redirects to analytics/aging/",
    "confirmations/start/": "starts a confirmation run (POST)",
    "confirmations/settings/": "the confirmation settings form, not a list",
    "limitation/refresh/": "queues a refresh of the limitation clocks (POST)",
    "limitation/settings/": "the limitation settings form, not a list",
    "legal/": "redirects to legal/cases/",
    "legal/settings/": "the legal settings form, not a list",
    "provisioning/post/": "posts a month end's provision run (POST)",
    "warnings/evaluate/": "queues an evaluation of the risk indicators (POST)",
    "warnings/indicators/new/": "the new-indicator form, not a list",
    "warnings/signals/new/": "the risk-signal form, not a list",
    "stress/scenarios/new/": "the stress scenario form, not a list",
    "stress/settings/": "the stress-test settings form, not a list",
    "forecast/run/": "queues a cash-in forecast (POST)",
    "prediction/train/": "starts the training of a prediction model (POST)",
    "handovers/new/": "the open-a-hand-over form, not a list",
    "handovers/key-accounts/route/": "routes the key accounts to senior collectors (POST)",
    # the customer portal answers a contact's session, not a staff login (403 here): tests/portal/test_query_counts.py
    # measures its lists for a contact
    **{f"portal/{page}": "the customer portal (a contact's session)" for page in (
        "", "logout/", "language/", "statement/", "invoices/", "payments/", "letters/", "disputes/", "promises/",
        "remittances/", "confirmations/", "login/", "password/")},
    "contracts/new/": "the new draft contract form, not a list",
    "contracts/settings/": "the contract review settings form, not a list",
    "credit/holds/settings/": "the credit-control settings form, not a list",
    "collection-plans/new/": "the forms that draft a collection plan, not a list",
    "incentives/new/": "the incentive scheme form, not a list",
}
#: Pages whose count is known to grow with the rows, and why (each is a follow-up, not a licence).
KNOWN_GROWTH: dict[str, str] = {}
#: Pages that are forms read on GET: a query string would submit them.
GET_FORMS = {"credit/holds/check/"}
SMALL, LARGE = 5, 15


def list_routes() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    return [route for route in walk(get_resolver().url_patterns)
            if "<" not in route and not route.startswith(("admin/", "api/")) and route not in NOT_A_LIST]


def test_the_list_routes_are_found_and_every_exclusion_still_exists():
    routes = list_routes()
    assert {"customers/", "invoices/", "payments/", "collections/", "dunning/runs/all/", "credit/holds/"} <= set(routes)
    every = set(routes) | set(NOT_A_LIST)
    assert len(every) == len(routes) + len(NOT_A_LIST)
    stale = [route for route in [*NOT_A_LIST, *KNOWN_GROWTH, *GET_FORMS] if route not in every]
    assert not stale, f"no longer routes: {stale}"


def measure(routes: list[str]) -> dict[str, tuple[int, list[str]]]:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    client.get("/")  # the session and the language settle on the first request
    counts = {}
    for route in routes:
        # every row of both worlds on one page, so that a query per row shows
        url = f"/{route}" if route in GET_FORMS else f"/{route}?per_page=100"
        response = None

        def get(url=url):
            nonlocal response
            response = client.get(url, headers={"accept-language": "zh-hans"})

        counts[route] = count_queries(get)
        assert response.status_code == 200, (url, response.status_code)
    return counts


def test_every_list_page_runs_the_same_number_of_queries_on_three_times_the_rows(db, today):
    routes = list_routes()
    with seeded_world(SMALL, today=today):
        small = measure(routes)
    with seeded_world(LARGE, today=today):
        large = measure(routes)
    failures = []
    for route in routes:
        if route in KNOWN_GROWTH:
            continue
        try:
            assert_flat(f"/{route}", small[route], large[route])
        except AssertionError as grown:
            failures.append(str(grown))
    assert not failures, "\n\n".join(failures)
