"""/api/v1/warnings: indicators (bad input names its field and writes nothing), evaluate as a job, the warning log,
acknowledging, risk signals from the field with four eyes on their acknowledgement."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from arms.audit.models import AuditEvent
from arms.common.jobs import Job
from arms.credit.models import Rating
from arms.earlywarning.models import Indicator, RiskSignal, Warning
from arms.earlywarning.services import IndicatorFields, indicator_create, warnings_evaluate
from tests import factories
from tests.api.conftest import BASE, Api, assert_error

pytestmark = pytest.mark.django_db

GOOD = {"name": "逾期比例超过25%", "metric": "overdue_ratio", "threshold": 2500, "severity": "warning",
        "responsible_role": "finance_manager", "notify_roles": ["finance_manager"]}


def _written() -> tuple:
    return Indicator.objects.count(), AuditEvent.objects.filter(action__startswith="indicator_").count()


def put(api: Api, path: str, body: dict):
    return api.client.put(BASE + path, json.dumps(body), content_type="application/json",
                          headers=api._headers(None))


def test_a_finance_manager_creates_and_changes_an_indicator():
    api = Api(factories.user("fm", role="finance_manager"))
    response = api.post("/warnings/indicators", GOOD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["metric"], body["threshold"], body["unit"], body["window"]) == ("overdue_ratio", 2500, "bp", None)
    changed = put(api, f"/warnings/indicators/{body['id']}", {**GOOD, "threshold": 3000, "severity": "critical"})
    assert changed.status_code == 200 and changed.json()["threshold"] == 3000
    event = AuditEvent.objects.get(action="indicator_updated")
    assert (event.before["threshold"], event.after["threshold"]) == (2500, 3000)
    # a metric with a window gets its default when none is given
    assert api.post("/warnings/indicators", {**GOOD, "metric": "dso_rise", "threshold": 10}).json()["window"] == 3


@pytest.mark.parametrize(("change", "field"), [
    ({"threshold": "abc"}, "threshold"),
    ({"threshold": 12.5}, "threshold"),
    ({"threshold": True}, "threshold"),
    ({"threshold": 10_001}, "threshold"),  # a ratio above 100%
    ({"threshold": 0}, "threshold"),
    ({"window": 3}, "window"),  # the overdue ratio has no window
    ({"metric": "dso_rise", "window": 99}, "window"),
    ({"metric": "volume"}, "metric"),
    ({"scope": "salesperson"}, "scope_user_id"),
    ({"scope": "region", "scope_value": "mars"}, "scope_value"),
    ({"name": "  "}, "name"),
    ({"responsible_role": "boss"}, "responsible_role"),
    ({"notify_roles": ["boss"]}, "notify_roles"),
])
def test_bad_indicator_input_is_refused_with_the_field_named_and_nothing_written(change, field):
    api = Api(factories.user("fm", role="finance_manager"))
    before = _written()
    assert_error(api.post("/warnings/indicators", {**GOOD, **change}), 422, "invalid", field)
    assert _written() == before


def test_only_finance_managers_change_indicators():
    api = Api(factories.user("col", role="collector"))
    assert api.post("/warnings/indicators", GOOD).status_code == 403
    assert api.get("/warnings/indicators").status_code == 200


def test_evaluate_is_a_job():
    api = Api(factories.user("fm", role="finance_manager"))
    response = api.post("/warnings/evaluate", {})
    assert response.status_code == 202
    assert Job.objects.get().kind == "earlywarning.evaluate"


@pytest.fixture
def warned(today):
    manager = factories.user("fm", role="finance_manager")
    collector = factories.user("col", role="collector")
    sales = factories.user("sales1", role="sales")
    mine = factories.customer("HD001", collector=collector, salesperson=sales)
    other = factories.customer("XN001", collector=collector)
    for customer in (mine, other):
        factories.invoice(customer, issued=today - timedelta(days=130), due_date=today - timedelta(days=100))
    indicator = indicator_create(actor=manager, fields=IndicatorFields(
        name="最早逾期超过90天", metric="oldest_overdue_days", threshold=90, responsible_role="collector",
        notify_roles=("collector",)))
    warnings_evaluate(as_of=today, indicator_ids=[indicator.pk])
    return {"manager": manager, "collector": collector, "sales": sales, "mine": mine, "other": other,
            "indicator": indicator}


def test_the_warning_log_and_acknowledging(warned):
    api = Api(warned["collector"])
    body = api.get("/warnings/warnings").json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["value"] == 100 and "100" in first["figures_text"]
    # a salesperson sees only the warnings of their own customers
    sales = Api(warned["sales"])
    assert [w["customer_id"] for w in sales.get("/warnings/warnings").json()["items"]] == [warned["mine"].pk]
    hidden = Warning.objects.get(customer=warned["other"])
    assert sales.get(f"/warnings/warnings/{hidden.pk}").status_code == 404
    # a note is needed; the collector (the responsible role) acknowledges; twice is a conflict
    assert_error(api.post(f"/warnings/warnings/{first['id']}/acknowledge", {"note": " "}), 422, "invalid", "note")
    done = api.post(f"/warnings/warnings/{first['id']}/acknowledge", {"note": "已电话联系客户财务"})
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    assert_error(api.post(f"/warnings/warnings/{first['id']}/acknowledge", {"note": "再次"}), 409,
                 "already_acknowledged", None)
    # a finance clerk holds the permission but is not the responsible role
    clerk = Api(factories.user("clerk", role="finance_clerk"))
    second = body["items"][1]["id"]
    assert clerk.post(f"/warnings/warnings/{second}/acknowledge", {"note": "看过"}).status_code == 403
    assert Warning.objects.get(pk=second).status == "open"


def test_a_risk_signal_from_the_field_and_its_acknowledgement(warned, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sales = Api(warned["sales"])
    now = timezone.now()
    body = {"customer_id": warned["mine"].pk, "category": "operating_trouble", "description": "客户工厂停工",
            "observed_at": (now - timedelta(hours=30)).isoformat()}
    response = sales.post("/warnings/signals", body)
    assert response.status_code == 201, response.content
    signal = response.json()
    assert signal["late"] is True and signal["status"] == "raised"
    # another salesperson's customer is not found; a moment in the future is refused
    assert sales.post("/warnings/signals", {**body, "customer_id": warned["other"].pk}).status_code == 404
    assert_error(sales.post("/warnings/signals", {**body, "observed_at": (now + timedelta(hours=2)).isoformat()}),
                 422, "invalid", "observed_at")
    assert RiskSignal.objects.count() == 1
    # with its evidence file, on time
    upload = sales.upload("/warnings/signals/upload", {
        "customer_id": warned["mine"].pk, "category": "orders_down", "description": "订单减少",
        "observed_at": (now - timedelta(hours=1)).isoformat(),
        "file": SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")})
    assert upload.status_code == 201, upload.content
    assert upload.json()["late"] is False and upload.json()["evidence_name"] == "照片.jpg"
    # four eyes: a credit manager who raised it may not acknowledge it; another one re-rates the customer
    manager = factories.user("cm", role="credit_manager")
    own = Api(manager).post("/warnings/signals", {**body, "observed_at": (now - timedelta(hours=1)).isoformat()})
    assert_error(Api(manager).post(f"/warnings/signals/{own.json()['id']}/acknowledge", {"note": "x"}), 403,
                 "four_eyes", None)
    done = Api(manager).post(f"/warnings/signals/{signal['id']}/acknowledge", {"note": "核实属实", "rerate": True})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "acknowledged"
    rating = Rating.objects.get(pk=done.json()["rating_id"])
    assert (rating.customer_id, rating.trigger) == (warned["mine"].pk, "new_facts")
    assert sales.post(f"/warnings/signals/{signal['id']}/acknowledge", {"note": "x"}).status_code == 403
