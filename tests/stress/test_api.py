"""/api/v1/stress through HTTP with a bearer token: scenarios saved and run, the run's report, the cost of overdue,
the settings; bad input is refused with the field named and nothing written; reading roles cannot write."""

from __future__ import annotations

import json

import pytest

from arms.audit.models import AuditEvent
from arms.stress.models import Scenario, ScenarioRun, StressSettings
from tests.api.conftest import Api, assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-10-20")]


def _counts():
    return {m.__name__: m.objects.count() for m in (Scenario, ScenarioRun, StressSettings, AuditEvent)}


def test_save_run_and_read_a_scenario(book):
    api = Api(book.finmgr)
    made = api.post("/stress/scenarios", {"name": "最大客户违约", "default_top_n": 1})
    assert made.status_code == 201, made.content
    scenario = made.json()
    assert scenario["default_top_n"] == 1 and scenario["shocks"]
    ran = api.post(f"/stress/scenarios/{scenario['id']}/run", {"as_of": "2026-10-20"})
    assert ran.status_code == 201, ran.content
    run = ran.json()
    assert run["results"]["defaulted"][0][1] == "BIG"
    assert run["results"]["stressed"]["cash_in_minor"] == 190_000 and run["recommendations"]
    assert api.get("/stress/runs").json()["count"] == 1
    assert api.get(f"/stress/runs/{run['id']}").json()["allowance_delta_minor"] == 300_000 - 3_000
    for fmt in ("xlsx", "csv", "pdf"):
        report = api.get(f"/stress/runs/{run['id']}/report", {"format": fmt})
        assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    changed = api.client.put(f"/api/v1/stress/scenarios/{scenario['id']}",
                             json.dumps({"name": "最大两家客户违约", "default_top_n": 2}),
                             content_type="application/json", headers=api._headers(None))
    assert changed.status_code == 200 and changed.json()["default_top_n"] == 2
    deleted = api.client.delete(f"/api/v1/stress/scenarios/{scenario['id']}", headers=api._headers(None))
    assert deleted.status_code == 204 and not Scenario.objects.exists()
    assert ScenarioRun.objects.get().scenario_name == "最大客户违约"


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "x", "slip_share_bp": 10_001, "slip_days": 30}, "slip_share_bp"),
    ({"name": "x", "default_top_n": -1}, "default_top_n"),
    ({"name": "x", "default_top_n": 0}, "default_top_n"),
    ({"name": "x", "default_top_n": 51}, "default_top_n"),
    ({"name": "x", "default_grade": "E"}, "default_grade"),
    ({"name": "x", "migrate_grade": "D"}, "migrate_grade"),
    ({"name": "x", "slip_share_bp": 1_000, "slip_days": 45}, "slip_days"),
    ({"name": "x", "fx_currency": "USD", "fx_move_bp": -9_500}, "fx_move_bp"),
    ({"name": "x", "slip_share_bp": "ten", "slip_days": 30}, "slip_share_bp"),
    ({"name": "x"}, "slip_share_bp"),
    ({"name": " ", "default_top_n": 1}, "name"),
])
def test_bad_parameters_are_refused_with_the_field_named_and_nothing_written(book, body, field):
    api = Api(book.finmgr)
    before = _counts()
    response = api.post("/stress/scenarios", body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert field in (error.get("field") or "") or field in json.dumps(error), error
    assert _counts() == before


def test_settings_and_the_cost_of_overdue(book):
    api = Api(book.finmgr)
    before = _counts()
    refused = api.client.put("/api/v1/stress/settings", json.dumps({
        "opening_cash_minor": 0, "weekly_outflow_minor": 0, "financing_rate_bp": 10_001,
        "concentration_limit_bp": 2_000}), content_type="application/json", headers=api._headers(None))
    assert_error(refused, 422, "invalid", "financing_rate_bp")
    assert _counts() == before
    saved = api.client.put("/api/v1/stress/settings", json.dumps({
        "opening_cash_minor": 5_000_000, "weekly_outflow_minor": 100_000, "financing_rate_bp": 730,
        "concentration_limit_bp": 2_500}), content_type="application/json", headers=api._headers(None))
    assert saved.status_code == 200 and saved.json()["financing_rate_bp"] == 730
    # OTHER has 400.00 overdue 20 days: 40,000 × 20 × 730 / (10000 × 365) = 160.00 fen
    cost = api.get("/stress/cost-of-overdue", {"as_of": "2026-10-20"}).json()
    assert cost["items"] == [{"id": book.other.pk, "label": "OTH 南方电子科技有限公司", "customers": 1,
                              "overdue_minor": 40_000, "average_days": 20, "cost_minor": 160}]
    assert cost["total_cost_minor"] == 160


def test_reading_roles_read_but_cannot_write(book):
    api = Api(book.executive)
    assert api.get("/stress/scenarios").status_code == 200
    assert api.get("/stress/cost-of-overdue").status_code == 200
    assert api.post("/stress/scenarios", {"name": "x", "default_top_n": 1}).status_code == 403
    assert Api(book.sales).get("/stress/scenarios").status_code == 403
