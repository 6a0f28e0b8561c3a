"""/api/v1/confirmations through HTTP with a bearer token: runs, letters, post, replies with a scan, differences,
settings; refusals name the field and write nothing; another salesperson's customer is 404."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arms.audit.models import AuditEvent
from arms.confirmations.models import Confirmation, ConfirmationDifference, ConfirmationDispatch, ConfirmationRun
from tests import factories
from tests.api.conftest import BASE, Api, assert_error

pytestmark = pytest.mark.django_db


def put(api: Api, path: str, body: dict):
    return api.client.put(BASE + path, json.dumps(body), content_type="application/json",
                          headers=api._headers(None))


def _counts():
    return {m.__name__: m.objects.count() for m in (Confirmation, ConfirmationDispatch, ConfirmationDifference,
                                                     AuditEvent)}


@pytest.fixture
def started(book):
    api = Api(book.clerk)
    response = api.post("/confirmations/runs", {"period": book.period_end.strftime("%Y-%m")})
    assert response.status_code == 201, response.content
    return api, response.json(), Confirmation.objects.get(customer=book.customer)


def test_run_is_idempotent_and_listed(book, started):
    api, run, confirmation = started
    assert (run["customer_count"], run["prepared_count"], run["period_end"]) == (1, 1, book.period_end.isoformat())
    again = api.post("/confirmations/runs", {"period": book.period_end.strftime("%Y-%m")})
    assert again.status_code == 200 and again.json()["id"] == run["id"]
    listed = api.get("/confirmations", {"run_id": run["id"], "status": "prepared"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == confirmation.pk
    assert listed["items"][0]["closing"] == "1,195.00"
    detail = api.get(f"/confirmations/{confirmation.pk}").json()
    assert detail["sha256"] == confirmation.sha256 and detail["snapshot"]["customer"]["code"] == "C1"
    assert_error(api.post("/confirmations/runs", {"period": "2026-13"}), 422, "invalid", "period")
    assert_error(api.get("/confirmations", {"bogus": 1}), 422, "unknown_parameter", "bogus")


def test_letter_downloads(book, started):
    api, _run, confirmation = started
    xlsx = api.get(f"/confirmations/{confirmation.pk}/xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx["Content-Disposition"]
    pdf = api.get(f"/confirmations/{confirmation.pk}/pdf")
    assert pdf.status_code in (200, 503)
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF")


def test_post_dispatch_then_reply_with_scan_then_resolve(book, started, today):
    api, _run, confirmation = started
    before = _counts()
    assert_error(api.post(f"/confirmations/{confirmation.pk}/dispatches",
                          {"carrier": "", "tracking_no": "EA1", "sent_on": today.isoformat()}), 422, "invalid",
                 "carrier")
    assert_error(api.post(f"/confirmations/{confirmation.pk}/dispatches",
                          {"carrier": "EMS", "tracking_no": "EA1", "sent_on": "2999-01-01"}), 422, "invalid",
                 "sent_on")
    assert _counts() == before
    posted = api.post(f"/confirmations/{confirmation.pk}/dispatches",
                      {"carrier": "EMS", "tracking_no": "EA123456789CN", "sent_on": today.isoformat()})
    assert posted.status_code == 201, posted.content
    delivered = api.post(f"/confirmations/dispatches/{posted.json()['id']}/delivered",
                         {"delivered_on": today.isoformat()})
    assert delivered.status_code == 200 and delivered.json()["delivered_on"] == today.isoformat()

    differences = [{"invoice_id": book.inv_new.pk, "kind": "amount_differs", "amount_minor": 6_500,
                    "description": "单价"}]
    bad = api.upload(f"/confirmations/{confirmation.pk}/reply/scan", {
        "answer": "disputed", "differences": json.dumps([{**differences[0], "amount_minor": -5}]),
        "file": SimpleUploadedFile("回执.pdf", b"%PDF-1.4 sealed")})
    assert_error(bad, 422, "invalid", "differences[0].amount_minor")
    before = _counts()
    reply = api.upload(f"/confirmations/{confirmation.pk}/reply/scan", {
        "answer": "disputed", "differences": json.dumps(differences), "contact_id": book.contact.pk,
        "file": SimpleUploadedFile("回执.pdf", b"%PDF-1.4 sealed")})
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert (body["status"], body["answer_channel"], body["scan_name"]) == ("disputed", "scan", "回执.pdf")
    assert body["differences"][0]["amount"] == "65.00"
    assert api.get(f"/confirmations/{confirmation.pk}/scan").content == b"%PDF-1.4 sealed"
    again = api.post(f"/confirmations/{confirmation.pk}/reply", {"answer": "confirmed", "channel": "email"})
    assert_error(again, 409, "confirmation_answered", "confirmation")

    difference_id = body["differences"][0]["id"]
    open_list = api.get("/confirmations/differences", {"status": "open"}).json()
    assert [d["id"] for d in open_list["items"]] == [difference_id]
    assert_error(api.post(f"/confirmations/differences/{difference_id}/resolve", {"resolution": "rejected"}),
                 422, "invalid", "explanation")
    resolved = api.post(f"/confirmations/differences/{difference_id}/resolve",
                        {"resolution": "rejected", "explanation": "合同单价为 500 元，见合同第 3 条"})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert _counts()["ConfirmationDifference"] == before["ConfirmationDifference"] + 1


def test_visibility_and_roles(book, started):
    _api, _run, confirmation = started
    stranger = factories.user("other_sales", role="sales")
    assert Api(stranger).get(f"/confirmations/{confirmation.pk}").status_code == 404
    assert Api(stranger).get("/confirmations").json()["count"] == 0
    assert Api(book.sales).get(f"/confirmations/{confirmation.pk}").status_code == 200
    auditor = Api(book.auditor)
    assert auditor.get("/confirmations").json()["count"] == 1
    assert_error(auditor.post("/confirmations/runs", {"period": book.period_end.strftime("%Y-%m")}), 403,
                 "forbidden", None)
    assert_error(auditor.post(f"/confirmations/{confirmation.pk}/reply",
                              {"answer": "confirmed", "channel": "email"}), 403, "forbidden", None)


def test_settings(book):
    clerk, manager = Api(book.clerk), Api(book.finmgr)
    current = clerk.get("/confirmations/settings").json()
    assert current["default_frequency"] == "monthly" and current["difference_working_days"] == 5
    assert current["rules"] == [{"grade": "A", "industry": "", "region": "", "frequency": "quarterly",
                                 "active": False}]
    body = {"default_frequency": "monthly", "reminder_working_days": 5, "task_working_days": 10,
            "difference_working_days": 5, "rules": [{"grade": "A", "frequency": "quarterly", "active": True}]}
    assert_error(put(clerk, "/confirmations/settings", body), 403, "forbidden", None)
    bad = {**body, "rules": [{"grade": "Z", "frequency": "quarterly"}]}
    assert_error(put(manager, "/confirmations/settings", bad), 422, "invalid", "rules[0].grade")
    assert_error(put(manager, "/confirmations/settings", {**body, "task_working_days": 3}), 422, "invalid",
                 "task_working_days")
    saved = put(manager, "/confirmations/settings", body)
    assert saved.status_code == 200 and saved.json()["rules"][0]["active"] is True


def test_a_large_run_is_prepared_by_a_background_job(book, monkeypatch, django_capture_on_commit_callbacks):
    from arms.confirmations.services import runs

    monkeypatch.setattr(runs, "INLINE_LIMIT", 0)
    api = Api(book.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/confirmations/runs", {"period": book.period_end.strftime("%Y-%m")})
    assert response.status_code == 202, response.content
    job = api.get(f"/jobs/{response.json()['id']}").json()
    assert job["status"] == "done", job
    run = ConfirmationRun.objects.get()
    assert (run.status, run.customer_count, run.job_id) == ("ready", 1, response.json()["id"])


def test_many_letters_are_emailed_by_a_background_job(book, monkeypatch, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    from arms.confirmations import api as confirmations_api

    monkeypatch.setattr(confirmations_api, "SEND_INLINE", 0)
    api = Api(book.clerk)
    run = api.post("/confirmations/runs", {"period": book.period_end.strftime("%Y-%m")}).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/confirmations/runs/{run['id']}/send")
    assert response.status_code == 202, response.content
    assert api.get(f"/jobs/{response.json()['id']}").json()["result_data"] == {"sent": 1, "no_email": 0}
    assert [m.to for m in mailoutbox] == [["wang@example.cn"]]
    assert api.get(f"/confirmations/runs/{run['id']}").json()["sent_count"] == 1


def test_bounded_inputs(book):
    api = Api(book.clerk)
    assert_error(api.post("/confirmations/runs", {"period": "0000-01"}), 422, "invalid", "period")
    assert_error(api.post("/confirmations/runs", {"period": "2026-10", "extra": 1}), 422, "invalid", "extra")
    run = api.post("/confirmations/runs", {"period": book.period_end.strftime("%Y-%m")})
    confirmation = Confirmation.objects.get(run_id=run.json()["id"])
    deep = api.upload(f"/confirmations/{confirmation.pk}/reply/scan", {
        "answer": "disputed", "differences": "[" * 50_000 + "]" * 50_000,
        "file": SimpleUploadedFile("r.pdf", b"%PDF")})
    assert_error(deep, 422, "invalid", "differences")
    assert_error(api.get("/confirmations", {"customer_id": 2**64}), 422, "invalid", "customer_id")
