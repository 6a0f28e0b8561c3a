"""/api/v1/prediction with a bearer token: an invoice's predicted dates and the method with its measured error, the
open items paginated, model versions, train (202 with a job), activate, the backtest; refusals name the field and
write nothing."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.common.models import Job
from arms.prediction import services
from arms.prediction.models import ModelVersion
from tests import factories as f
from tests.api.conftest import Api, assert_error

pytestmark = pytest.mark.django_db


def _counts():
    return {m.__name__: m.objects.count() for m in (ModelVersion, Job, AuditEvent)}


def test_predictions_models_and_backtest(book, today):
    customers, open_items = book
    api = Api(f.user(role="finance_manager"))
    before = api.get(f"/prediction/invoices/{open_items[0].pk}").json()
    assert before["method"] in {"customer_history", "due_date"} and before["mae_days"] is None
    assert_error(api.get("/prediction/backtest"), 404, "not_found", "version_id")

    version = services.model_train(actor=None, max_iter=10)
    services.predictions_refresh(actor=None)
    one = api.get(f"/prediction/invoices/{open_items[0].pk}").json()
    assert one["method"] == "model" and one["method_label"] and one["mae_days"] is not None
    assert one["p10"] <= one["p50"] <= one["p90"] and one["p10"] >= today.isoformat()
    listed = api.get("/prediction/invoices", {"limit": 2}).json()
    assert listed["count"] == len(open_items) and len(listed["items"]) == 2
    assert api.get("/prediction/invoices", {"customer_id": customers[1].pk}).json()["items"][0]["invoice_id"] == \
        open_items[1].pk
    models = api.get("/prediction/models").json()
    assert [m["version"] for m in models["items"]] == [1] and models["items"][0]["status"] == "active"
    detail = api.get(f"/prediction/models/{version.pk}").json()
    assert {s["method"] for s in detail["backtest"]["scores"]} == {"model", "customer_average", "due_date"}
    assert api.get("/prediction/backtest").json()["test_rows"] == version.metrics["test_rows"]

    accepted = api.post("/prediction/models/train", {"window_months": 12})
    assert accepted.status_code == 202 and accepted.json()["kind"] == "prediction.train"
    assert_error(api.post(f"/prediction/models/{version.pk}/activate", {}), 409, "conflict", "version_id")
    settled = f.invoice(customers[0], issued=today)
    assert_error(api.get(f"/prediction/invoices/{settled.pk + 1000}"), 404, "not_found", "invoice_id")


def test_bad_input_is_refused_with_the_field_named_and_nothing_written(book):
    api = Api(f.user(role="credit_manager"))
    before = _counts()
    assert_error(api.post("/prediction/models/train", {"window_months": "twelve"}), 422, "invalid", "window_months")
    assert_error(api.post("/prediction/models/train", {"window_months": 500}), 422, "invalid", "window_months")
    assert_error(api.post("/prediction/models/train", {"months": 6}), 422, "invalid", "months")
    assert_error(api.get("/prediction/models/999999"), 404, "not_found", "version_id")
    assert _counts() == before


def test_roles(book):
    sales = Api(f.user(role="sales"))
    assert sales.get("/prediction/models").status_code == 403
    assert sales.post("/prediction/models/train", {}).status_code == 403
    clerk = Api(f.user(role="finance_clerk"))
    assert clerk.get("/prediction/models").status_code == 200
    assert clerk.post("/prediction/models/train", {}).status_code == 403
    assert not Job.objects.exists()
