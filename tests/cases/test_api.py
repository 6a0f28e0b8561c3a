"""/api/v1/collections through HTTP with a bearer token: create, list, refuse with the field, visibility, roles."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arms.audit.models import AuditEvent
from arms.cases.models import Activity, Dispute, InstallmentPlan, PromiseToPay, Task
from tests import factories
from tests.api.conftest import Api


def _counts():
    return {m.__name__: m.objects.count() for m in (Activity, Task, PromiseToPay, InstallmentPlan, Dispute,
                                                     AuditEvent)}


def test_log_a_call_with_an_attachment_and_read_it_back(book):
    api = Api(book.collector)
    content = "通话录音摘要".encode()

    response = api.upload("/collections/activities/upload", {
        "customer_id": book.customer.pk, "kind": "call", "outcome": "promised", "note": "下周三付款",
        "invoice_ids": [book.inv1.pk], "file": SimpleUploadedFile("summary.txt", content)})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["outcome"], body["actor"], body["invoice_ids"]) == (
        "call", "promised", "collector", [book.inv1.pk])
    assert body["attachment_sha256"] == hashlib.sha256(content).hexdigest()
    listed = api.get("/collections/activities", {"customer_id": book.customer.pk}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    download = api.get(f"/collections/activities/{body['id']}/attachment")
    assert download.status_code == 200 and download.content == content


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "fax"}, "kind"),
    ({"kind": "call", "outcome": "Bad Code"}, "outcome"),
    ({"kind": "call", "colour": "red"}, "colour"),
    ({"kind": "call", "attachment_base64": "KioqCg=="}, "attachment_base64"),  # files come as multipart
])
def test_bad_activities_are_422_naming_the_field(book, body, field):
    api = Api(book.collector)
    before = _counts()
    response = api.post("/collections/activities", {"customer_id": book.customer.pk, **body})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["field"] == field
    assert _counts() == before


def test_a_5_mb_attachment_is_uploaded_as_multipart_and_a_21_mb_one_is_413(book, settings):
    api = Api(book.collector)
    five = bytes(range(256)) * (5 * 1024 * 1024 // 256)

    made = api.upload("/collections/activities/upload", {
        "customer_id": book.customer.pk, "kind": "letter", "file": SimpleUploadedFile("scan.pdf", five)})

    assert made.status_code == 201, made.content
    assert made.json()["attachment_sha256"] == hashlib.sha256(five).hexdigest()
    before = _counts()
    too_big = api.upload("/collections/activities/upload", {
        "customer_id": book.customer.pk, "kind": "letter",
        "file": SimpleUploadedFile("big.pdf", b"\0" * (21 * 1024 * 1024))})
    assert too_big.status_code == 413
    assert too_big.json()["error"] == {
        "code": "file_too_large", "field": "file", "details": {"limit": 20 * 1024 * 1024},
        "message": "The file is larger than 20 MB; ARMS accepts files of at most 20 MB."}
    assert _counts() == before


def test_another_salespersons_customer_is_not_found_and_the_auditor_cannot_write(book):
    other_sales = factories.user("sales2", role="sales")
    response = Api(other_sales).post("/collections/activities", {"customer_id": book.customer.pk, "kind": "call"})
    assert response.status_code == 404
    assert Api(other_sales).get("/collections/worklist").json()["count"] == 0
    assert Api(book.sales).get("/collections/worklist", {"as_of": "2026-03-20"}).json()["count"] == 1

    auditor = Api(book.auditor)
    before = _counts()
    for path, body in (("/collections/activities", {"customer_id": book.customer.pk, "kind": "call"}),
                       ("/collections/disputes", {"invoice_id": book.inv1.pk, "amount_minor": 100,
                                                  "reason_code": "price"}),
                       ("/collections/promises", {"customer_id": book.customer.pk, "amount_minor": 100,
                                                  "promised_on": "2026-12-31"})):
        refused = auditor.post(path, body)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert _counts() == before
    assert auditor.get(f"/collections/customers/{book.customer.pk}/case").status_code == 200


@pytest.mark.clock("2026-10-09")
def test_promise_dispute_plan_and_task_through_the_api(book):
    """On Friday 9 October 2026, after National Day: the dispute raised on 30 September (its SLA runs over the
    holiday to 20 October), a promise for the year's end and a plan from December."""
    collector, finmgr2 = Api(book.collector), Api(book.finmgr2)

    promise = collector.post("/collections/promises", {
        "customer_id": book.customer.pk, "amount_minor": 50_000, "promised_on": "2026-12-31",
        "invoice_ids": [book.inv1.pk]}, headers={"Idempotency-Key": "p-1"})
    assert promise.status_code == 201, promise.content
    assert promise.json()["amount"] == "500.00"
    again = collector.post("/collections/promises", {
        "customer_id": book.customer.pk, "amount_minor": 50_000, "promised_on": "2026-12-31",
        "invoice_ids": [book.inv1.pk]}, headers={"Idempotency-Key": "p-1"})
    assert again.json()["id"] == promise.json()["id"]

    too_much = collector.post("/collections/disputes", {"invoice_id": book.inv2.pk, "amount_minor": 56_501,
                                                        "reason_code": "quantity"})
    assert too_much.status_code == 422
    assert (too_much.json()["error"]["field"], too_much.json()["error"]["code"]) == ("amount_minor",
                                                                                     "exceeds_open_amount")
    dispute = collector.post("/collections/disputes", {"invoice_id": book.inv2.pk, "amount_minor": 6_500,
                                                       "reason_code": "quantity", "raised_on": "2026-09-30"})
    assert dispute.status_code == 201 and dispute.json()["sla_due_on"] == "2026-10-13"

    plan = collector.post("/collections/plans", {"customer_id": book.customer.pk, "invoice_ids": [book.inv2.pk],
                                                 "installments": 2, "first_due_on": "2026-12-01"})
    assert plan.status_code == 201, plan.content
    assert [line["amount_minor"] for line in plan.json()["lines"]] == [28_250, 28_250]
    assert collector.post(f"/collections/plans/{plan.json()['id']}/approve", {}).status_code == 403
    approved = finmgr2.post(f"/collections/plans/{plan.json()['id']}/approve", {"note": "ok"})
    assert approved.status_code == 200 and approved.json()["status"] == "active"

    task = collector.post("/collections/tasks", {"customer_id": book.customer.pk, "kind": "visit",
                                                 "title": "上门拜访", "level": "sales", "due_on": "2026-12-01"})
    assert task.status_code == 201 and task.json()["assignee"] == "sales"
    done = collector.post(f"/collections/tasks/{task.json()['id']}/complete",
                          {"outcome": "reached", "note": "见到财务"})
    assert done.json()["status"] == "done" and done.json()["activity_id"]
    twice = collector.post(f"/collections/tasks/{task.json()['id']}/complete", {})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_closed"

    case = collector.get(f"/collections/customers/{book.customer.pk}/case").json()
    held = {item["number"]: (item["held_from_dunning"], item["disputed_minor"]) for item in case["open_items"]}
    assert held == {"INV-1": (True, 0), "INV-2": (True, 6_500)}
    assert {a["outcome"] for a in case["activities"]} >= {"promised", "disputed", "reached", "approved"}

    worklist = collector.get("/collections/worklist", {"as_of": "2026-03-20"}).json()
    assert worklist["items"][0]["customer_code"] == "C1" and worklist["items"][0]["open_promises"] == 1


def test_the_bundle_is_made_by_a_background_job_whose_file_is_the_zip(book, django_capture_on_commit_callbacks):
    api = Api(book.legal)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/collections/customers/{book.customer.pk}/bundle", {"recipient": "某律所"})

    assert response.status_code == 202 and response["Location"] == f"/api/v1/jobs/{response.json()['id']}"
    job = api.get(response["Location"].removeprefix("/api/v1")).json()
    assert (job["kind"], job["status"]) == ("cases.bundle", "done")
    handoff = Activity.objects.get(kind="handoff")
    assert (job["result_data"]["activity_id"], handoff.actor) == (handoff.pk, book.legal)
    download = api.get(f"/jobs/{job['id']}/file")
    assert download["Content-Type"] == "application/zip"
    content = b"".join(download.streaming_content)
    assert hashlib.sha256(content).hexdigest() == job["result_data"]["sha256"]
    assert "00-index.pdf" in zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_a_bundle_for_nobody_is_refused_before_it_is_queued_and_roles_without_it_are_403(book):
    from arms.common.models import Job

    blank = Api(book.legal).post(f"/collections/customers/{book.customer.pk}/bundle", {"recipient": "  "})

    assert (blank.status_code, blank.json()["error"]["field"]) == (422, "recipient")
    assert Api(book.collector).post(f"/collections/customers/{book.customer.pk}/bundle",
                                    {"recipient": "x"}).status_code == 403
    assert Job.objects.count() == 0


def test_the_checks_run_on_demand_as_a_background_job(book, django_capture_on_commit_callbacks):
    api = Api(book.collector)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/collections/check", {"date": "2026-03-20"})

    assert response.status_code == 202
    job = api.get(response["Location"].removeprefix("/api/v1")).json()
    assert (job["kind"], job["status"]) == ("cases.check", "done")
    assert job["result_data"]["promises"] == {"checked": 0, "kept": 0, "broken": 0, "open": 0}
    assert date.fromisoformat(job["result_data"]["date"]) == date(2026, 3, 20)


def test_a_bundle_note_fits_the_job_parameters_in_chinese_and_a_longer_one_is_refused(book):
    from arms.common.models import Job

    api = Api(book.legal)
    path = f"/collections/customers/{book.customer.pk}/bundle"

    too_long = api.post(path, {"recipient": "某律所", "note": "备" * 1_001})
    longest = api.post(path, {"recipient": "某" * 200, "note": "备" * 1_000})

    assert (too_long.status_code, too_long.json()["error"]["field"]) == (422, "note")
    assert longest.status_code == 202
    assert Job.objects.get().params["note"] == "备" * 1_000
