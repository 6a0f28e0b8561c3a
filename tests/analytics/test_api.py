"""/api/v1/analytics through HTTP with bearer tokens: filters, visibility, budgets CRUD, errors naming fields."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from arms.accounts.services import token_create
from arms.analytics.models import Budget
from arms.audit.models import AuditEvent
from tests import factories
from tests.analytics.conftest import ON_BOOK_DAY

pytestmark = ON_BOOK_DAY

BASE = "/api/v1/analytics"


class Api:
    def __init__(self, user):
        _token, secret = token_create(username=user.username, name="tests")
        self.headers = {"Authorization": f"Bearer {secret}"}
        self.client = Client(enforce_csrf_checks=True)

    def get(self, path, params=None):
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def send(self, method, path, body=None):
        return getattr(self.client, method)(BASE + path, json.dumps(body) if body is not None else "",
                                            content_type="application/json", headers=self.headers)


@pytest.fixture
def manager(db):
    return Api(factories.user("fm", role="finance_manager"))


def test_aging_summary_and_drill_down(book, manager):
    response = manager.get("/aging", {"as_of": "2026-04-30", "group_by": "customer"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [b["key"] for b in body["buckets"]][:3] == ["current", "1-30", "31-60"]
    assert body["buckets"][0]["label"] == "Not yet due"
    rows = {r["currency"]: r for r in body["rows"]}
    assert rows["CNY"]["buckets_minor"] == [0, 0, 56_500_00, 21_700_00, 0, 0, 0, 0]
    assert rows["CNY"]["total"] == "78,200.00"
    assert body["base_total"]["total_minor"] == 78_200_00 + 4_473_00

    drill = manager.get("/aging/invoices", {"as_of": "2026-04-30", "group_by": "customer",
                                            "key": rows["CNY"]["key"], "bucket": 3})
    assert drill.status_code == 200, drill.content
    assert [(i["number"], i["open_minor"], i["days_overdue"]) for i in drill.json()["items"]] == [
        ("INV-A1", 21_700_00, 80)]


def test_sales_see_only_their_own_customers(book):
    sam = Api(book["sam"])
    body = sam.get("/aging", {"as_of": "2026-04-30"}).json()
    assert [r["key"] for r in body["rows"]] == [str(book["a"].pk)]
    kpis = {k["code"]: k["value"] for k in sam.get("/kpis", {"start": "2026-02-01", "end": "2026-04-30"})
            .json()["kpis"]}
    assert kpis["receivables_closing"] == 78_200_00
    assert sam.get("/team", {"start": "2026-02-01", "end": "2026-04-30"}).status_code == 403


def test_kpis_trend_and_team(book, manager):
    body = manager.get("/kpis", {"start": "2026-02-01", "end": "2026-04-30"}).json()
    kpis = {k["code"]: k for k in body["kpis"]}
    assert kpis["cei"]["value"] == "53.43"
    assert kpis["cei"]["unit"] == "percent"
    assert kpis["collections"]["value"] == 140_100_00
    trend = manager.get("/kpis/trend", {"months": 2, "end_month": "2026-04-01", "codes": "dso,collections"}).json()
    assert [(row["month"], row["collections"]) for row in trend] == [("2026-03-01", 56_500_00 + 3_600_00),
                                                                     ("2026-04-01", 30_000_00)]
    team = manager.get("/team", {"start": "2026-02-01", "end": "2026-04-30"})
    assert team.status_code == 200, team.content
    people = {(r["role"], r["name"]) for r in team.json()}
    assert people == {("salesperson", "sam"), ("salesperson", "sally"), ("collector", "cole")}


@pytest.mark.parametrize(("params", "field"), [
    ({"as_of": "2026-04-30", "group_by": "planet"}, "group_by"),
    ({"as_of": "2026-04-30", "buckets": "90,30"}, "buckets"),
    ({"as_of": "not-a-date"}, "as_of"),
    ({"as_of": "2026-04-30", "basis": "moon"}, "basis"),
])
def test_bad_aging_queries_are_422_naming_the_field(book, manager, params, field):
    response = manager.get("/aging", params)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_kpi_period_errors(book, manager):
    response = manager.get("/kpis", {"start": "2026-04-30", "end": "2026-02-01"})
    assert (response.status_code, response.json()["error"]["field"]) == (422, "start")
    response = manager.get("/team", {"start": "2026-02-01", "end": "2026-04-30", "weights": "luck=100"})
    assert (response.status_code, response.json()["error"]["field"]) == (422, "weights")


def test_budget_crud_with_actuals(book, manager):
    created = manager.send("post", "/budgets", {"period": "2026-03-01", "collections_target_minor": 50_000_00,
                                                "dso_target_days": "45", "overdue_ratio_target_bp": 5000})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["actual_collections_minor"], body["collections_met"]) == (60_100_00, True)
    assert (body["actual_overdue_ratio_bp"], body["overdue_ratio_met"]) == (10_000, False)
    assert body["actual_dso_days"] is None and body["dso_met"] is None  # no sales in March

    duplicate = manager.send("post", "/budgets", {"period": "2026-03-01", "collections_target_minor": 1})
    assert (duplicate.status_code, duplicate.json()["error"]["code"]) == (409, "budget_exists")

    person = manager.send("post", "/budgets", {"period": "2026-03-01", "scope": "salesperson",
                                               "user_id": book["sam"].pk, "collections_target_minor": 60_000_00})
    assert person.status_code == 201, person.content
    assert (person.json()["actual_collections_minor"], person.json()["collections_met"]) == (56_500_00, False)

    updated = manager.send("put", f"/budgets/{body['id']}", {"collections_target_minor": 70_000_00})
    assert updated.status_code == 200, updated.content
    assert (updated.json()["collections_target_minor"], updated.json()["collections_met"]) == (70_000_00, False)

    listed = manager.get("/budgets", {"period_from": "2026-03-01"}).json()
    assert listed["count"] == 2
    sam_sees = Api(book["sam"]).get("/budgets").json()
    assert [b["scope"] for b in sam_sees["items"]] == ["salesperson"]

    assert manager.send("delete", f"/budgets/{body['id']}").status_code == 204
    assert Budget.objects.count() == 1
    actions = list(AuditEvent.objects.filter(action__startswith="budget_").values_list("action", flat=True)
                   .order_by("seq"))
    assert actions == ["budget_created", "budget_created", "budget_updated", "budget_deleted"]


@pytest.mark.parametrize(("body", "field"), [
    ({"period": "2026-03-02", "collections_target_minor": 1}, "period"),
    ({"period": "2026-03-01"}, "collections_target_minor"),
    ({"period": "2026-03-01", "collections_target_minor": 1.5}, "collections_target_minor"),
    ({"period": "2026-03-01", "collections_target_minor": -1}, "collections_target_minor"),
    ({"period": "2026-03-01", "overdue_ratio_target_bp": 10_001}, "overdue_ratio_target_bp"),
    ({"period": "2026-03-01", "scope": "salesperson", "collections_target_minor": 1}, "user_id"),
    ({"period": "2026-03-01", "scope": "galaxy", "collections_target_minor": 1}, "scope"),
    ({"period": "2026-03-01", "collections_target_minor": 1, "colour": "red"}, "colour"),
])
def test_bad_budgets_are_refused_and_write_nothing(book, manager, body, field):
    events = AuditEvent.objects.count()
    response = manager.send("post", "/budgets", body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["field"] == field
    assert (Budget.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_only_the_finance_manager_sets_budgets(book):
    clerk = Api(factories.user("clerk2", role="finance_clerk"))
    response = clerk.send("post", "/budgets", {"period": "2026-03-01", "collections_target_minor": 1})
    assert response.status_code == 403
    assert clerk.get("/budgets").status_code == 200


def test_collection_rates_in_kpis_team_and_budgets(recovery_book, manager):
    body = manager.get("/kpis", {"start": "2026-10-01", "end": "2026-10-31"}).json()
    kpis = {k["code"]: k for k in body["kpis"]}
    assert (kpis["recovery_rate"]["value"], kpis["recovery_rate"]["unit"]) == ("80.51", "percent")
    assert kpis["recovery_rate"]["label"] == "Recovery rate by due date (回收率)"
    assert (kpis["dunning_success_rate"]["value"], kpis["collection_rate"]["value"]) == ("62.18", "70.45")
    assert (kpis["recovery_expected"]["value"], kpis["overdue_at_start"]["value"]) == (172_100_00, 132_200_00)
    team = {(r["role"], r["name"]): r for r in manager.get("/team", {"start": "2026-10-01",
                                                                      "end": "2026-10-31"}).json()}
    sam, cora = team["salesperson", "sam"], team["collector", "cora"]
    assert (sam["recovery_rate"], sam["dunning_success_rate"]) == ("81.82", "57.63")
    assert (cora["dunning_success_rate"], cora["scores"]["collection"]) == ("100.00", "100.00")

    created = manager.send("post", "/budgets", {"period": "2026-10-01", "recovery_rate_target_bp": 9500})
    assert created.status_code == 201, created.content
    budget = created.json()
    assert (budget["recovery_rate_target_bp"], budget["actual_recovery_rate_bp"]) == (9500, 8051)
    assert budget["recovery_rate_met"] is False
    lowered = manager.send("put", f"/budgets/{budget['id']}", {"recovery_rate_target_bp": 8000})
    assert (lowered.json()["recovery_rate_target_bp"], lowered.json()["recovery_rate_met"]) == (8000, True)


@pytest.mark.parametrize("target", [10_001, -1])
def test_a_recovery_rate_target_beyond_100_percent_is_refused(book, manager, target):
    events = AuditEvent.objects.count()
    response = manager.send("post", "/budgets", {"period": "2026-03-01", "recovery_rate_target_bp": target})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["field"] == "recovery_rate_target_bp"
    assert (Budget.objects.count(), AuditEvent.objects.count()) == (0, events)
