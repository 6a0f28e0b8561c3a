"""/api/v1/limitation: claims, a claim's chain, recording interruptions (JSON and multipart), settings."""

import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arms.audit.models import AuditEvent
from arms.common.models import Attachment
from arms.customers.services import company_ensure
from arms.limitation.models import LimitationClock, LimitationInterruption, LimitationSettings
from arms.limitation.services import limitation_refresh
from tests import factories
from tests.api.conftest import BASE, Api, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, today):
    collector = factories.user("liujing", role="collector")
    customer = factories.customer("HD001", collector=collector)
    old = factories.invoice(customer, number="INV-1", issued=today - timedelta(days=400))
    new = factories.invoice(customer, number="INV-2", issued=today - timedelta(days=40))
    other = factories.invoice(factories.customer("XN001"), number="INV-X", issued=today - timedelta(days=400))
    limitation_refresh(company=company_ensure())
    return {"collector": collector, "customer": customer, "old": old, "new": new, "other": other}


def _written() -> tuple:
    return (LimitationInterruption.objects.count(), Attachment.objects.count(),
            AuditEvent.objects.filter(action="limitation_interrupted").count(),
            list(LimitationClock.objects.order_by("pk").values_list("expires_on", flat=True)))


def test_claims_and_a_claim_with_its_chain(world, today):
    api = Api(factories.user("wuyan", role="auditor"))
    body = api.get("/limitation/claims", {"customer_id": world["customer"].pk}).json()
    assert [c["invoice_number"] for c in body["items"]] == ["INV-1", "INV-2"]
    first = body["items"][0]
    assert (first["status"], first["amount_open_minor"], first["amount_open"], first["currency"]) == (
        "running", 113_000, "1,130.00", "CNY")
    assert api.get("/limitation/claims", {"status": "expired"}).json()["count"] == 0
    assert api.get("/limitation/claims", {"within_days": 10}).json()["count"] == 0
    detail = api.get(f"/limitation/claims/{world['old'].pk}").json()
    assert detail["chain"] == [] and detail["write_off_link"] == ""
    assert detail["expires_on"] == first["expires_on"]
    assert api.get("/limitation/claims", {"status": "nonsense"}).status_code == 422


def test_record_with_json_and_with_a_file(world, today):
    api = Api(world["collector"])
    response = api.post("/limitation/interruptions", {
        "customer_id": world["customer"].pk, "invoice_ids": [world["old"].pk], "kind": "promise",
        "date": str(today - timedelta(days=1)), "note": "电话承诺"})
    assert response.status_code == 201, response.content
    [row] = response.json()
    assert (row["invoice_id"], row["kind"], row["date"], row["evidence_name"]) == (
        world["old"].pk, "promise", str(today - timedelta(days=1)), "")
    upload = api.upload("/limitation/interruptions/upload", {
        "customer_id": world["customer"].pk, "invoice_ids": "", "kind": "demand_delivered", "date": str(today),
        "file": SimpleUploadedFile("EMS回执.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")})
    assert upload.status_code == 201, upload.content
    rows = upload.json()
    assert sorted(r["invoice_id"] for r in rows) == sorted([world["old"].pk, world["new"].pk])
    assert {r["evidence_name"] for r in rows} == {"EMS回执.pdf"} and len(rows[0]["evidence_sha256"]) == 64
    detail = api.get(f"/limitation/claims/{world['old'].pk}").json()
    assert [(c["kind"], c["date"]) for c in detail["chain"]] == [
        ("promise", str(today - timedelta(days=1))), ("demand_delivered", str(today))]
    assert detail["last_interruption"] == str(today)
    evidence = api.get(f"/limitation/interruptions/{rows[0]['id']}/evidence")
    assert evidence.status_code == 200 and evidence.content == b"%PDF-1.4 receipt"
    assert "attachment" in evidence["Content-Disposition"]


@pytest.mark.parametrize(("change", "field"), [
    ({"date": "future"}, "on"),
    ({"kind": "phone_call"}, "kind"),
    ({"invoice_ids": "other"}, "invoice_ids"),
    ({"invoice_ids": "9" * 20_000}, "invoice_ids"),  # an id of 20,000 digits: refused, not a 500
    ({"invoice_ids": "0"}, "invoice_ids"),
])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(world, today, change, field):
    api = Api(world["collector"])
    data = {"customer_id": world["customer"].pk, "invoice_ids": str(world["old"].pk), "kind": "demand_delivered",
            "date": str(today)}
    data.update(change)
    if change.get("date") == "future":
        data["date"] = str(today + timedelta(days=1))
    if change.get("invoice_ids") == "other":
        data["invoice_ids"] = f"{world['old'].pk},{world['other'].pk}"
    before = _written()
    response = api.upload("/limitation/interruptions/upload", {
        **data, "file": SimpleUploadedFile("录音.mp3", b"ID3 recording", content_type="audio/mpeg")})
    if field == "kind":
        assert response.status_code == 422 and "kind" in response.content.decode()
    else:
        assert_error(response, 422, "invalid", field)
    assert _written() == before


def test_who_may_do_what(world, today):
    sales = Api(factories.user("wangwei", role="sales"))
    assert sales.get("/limitation/claims").status_code == 403
    auditor = Api(factories.user("wuyan", role="auditor"))
    assert auditor.post("/limitation/interruptions", {"customer_id": world["customer"].pk, "kind": "promise",
                                                      "date": str(today)}).status_code == 403
    assert auditor.client.put(BASE + "/limitation/settings", json.dumps({"period_years": 5, "alert_days": [30]}),
                              content_type="application/json", headers=auditor._headers(None)).status_code == 403
    assert LimitationInterruption.objects.count() == 0


def test_settings(world):
    legal = Api(factories.user("zhouyang", role="legal"))
    assert legal.get("/limitation/settings").json() == {"period_years": 3, "alert_days": [180, 90, 30]}

    def put(body):
        return legal.client.put(BASE + "/limitation/settings", json.dumps(body), content_type="application/json",
                                headers=legal._headers(None))

    assert put({"period_years": 5, "alert_days": [60, 120]}).json() == {"period_years": 5, "alert_days": [120, 60]}
    assert_error(put({"period_years": 0, "alert_days": [60]}), 422, "invalid", "period_years")
    assert_error(put({"period_years": 3, "alert_days": [60, 60]}), 422, "invalid", "alert_days")
    assert_error(put({"period_years": 3, "alert_days": [0]}), 422, "invalid", "alert_days")
    settings = LimitationSettings.objects.get()
    assert (settings.period_years, settings.alert_days) == (5, [120, 60])
    assert AuditEvent.objects.filter(action="limitation_settings_changed").count() == 1


def test_refresh_is_a_job(world, django_capture_on_commit_callbacks):
    api = Api(world["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/limitation/refresh")
    assert response.status_code == 202
    job = api.get(response["Location"].removeprefix("/api/v1")).json()
    assert job["status"] == "done", job
    assert job["result_data"] == {"interruptions_added": 0, "clocks": 3}
    assert date.fromisoformat(api.get("/limitation/claims").json()["items"][0]["expires_on"])
