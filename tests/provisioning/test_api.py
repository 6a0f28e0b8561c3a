"""/api/v1/provisioning through HTTP with a bearer token: matrices, loss rates, assessments, preview, post, the
report; refusals name the field and write nothing; roles without the permission get 403."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arms.audit.models import AuditEvent
from arms.ledger.models import JournalEntry
from arms.provisioning.models import IndividualAssessment, ProvisionMatrix, ProvisionRun
from tests.api.conftest import Api, assert_error

pytestmark = pytest.mark.django_db


def _counts():
    return {m.__name__: m.objects.count() for m in (ProvisionRun, ProvisionMatrix, IndividualAssessment,
                                                     JournalEntry, AuditEvent)}


def test_preview_post_and_report(book):
    api = Api(book.finmgr)
    preview = api.post("/provisioning/runs/preview", {"as_of": book.e1.isoformat()})
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert (body["total_required_minor"], body["true_up_minor"], body["customer_count"]) == (68_930, 68_930, 1)
    assert [b["required_minor"] for b in body["band_totals"]] == [1_130, 0, 67_800, 0]
    assert ProvisionRun.objects.count() == 0
    posted = api.post("/provisioning/runs", {"as_of": book.e1.isoformat()})
    assert posted.status_code == 201, posted.content
    run = posted.json()
    assert (run["total_required_minor"], run["total_booked_before_minor"], run["true_up_minor"]) == (
        68_930, 0, 68_930)
    lines = api.get(f"/provisioning/runs/{run['id']}/lines").json()
    assert lines["items"][0]["required_by_band"] == [1_130, 0, 67_800, 0]
    assert api.get(f"/provisioning/runs/{run['id']}/verify").json()["ok"] is True
    report = api.get(f"/provisioning/runs/{run['id']}/report", {"format": "csv"})
    assert report.status_code == 200
    text = report.content.decode("utf-8-sig")
    assert "P1" in text and "678.00" in text and "689.30" in text
    listed = api.get("/provisioning/runs").json()
    assert listed["count"] == 1


def test_a_second_post_is_409_naming_the_period_and_writes_nothing(book):
    api = Api(book.finmgr)
    assert api.post("/provisioning/runs", {"as_of": book.e1.isoformat()}).status_code == 201
    before = _counts()
    response = api.post("/provisioning/runs", {"as_of": book.e1.isoformat()})
    error = assert_error(response, 409, "provision_period_posted", field="as_of")
    assert f"{book.e1:%Y-%m}" in error["message"]
    assert _counts() == before


@pytest.mark.parametrize(("bands", "field"), [
    ([{"label": "a", "low": 0, "high": 30, "rate_bp": 100}, {"label": "b", "low": 31, "rate_bp": 12_000}],
     "bands[1].rate_bp"),
    ([{"label": "a", "low": 0, "high": 30, "rate_bp": 100}, {"label": "b", "low": 20, "rate_bp": 100}],
     "bands[1].low"),
    ([{"label": "a", "low": 0, "high": 30, "rate_bp": -5}, {"label": "b", "low": 31, "rate_bp": 100}],
     "bands[0].rate_bp"),
])
def test_a_bad_matrix_is_422_naming_the_band(book, bands, field):
    api = Api(book.finmgr)
    api.get("/provisioning/matrices")  # the default version exists
    before = _counts()
    assert_error(api.post("/provisioning/matrices", {"name": "新", "bands": bands}), 422, "invalid", field=field)
    assert _counts() == before


def test_a_matrix_version_and_industry_rates(book):
    api = Api(book.finmgr)
    response = api.post("/provisioning/matrices", {"name": "账龄分析法", "bands": [
        {"label": "1年以内", "low": 0, "high": 365, "rate_bp": 500},
        {"label": "1年以上", "low": 366, "high": None, "rate_bp": 10_000}],
        "group_rates": {"construction": [800, 10_000]}})
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 2
    before = _counts()
    assert_error(api.post("/provisioning/matrices", {"name": "x", "bands": [
        {"label": "全部", "low": 0, "high": None, "rate_bp": 500}], "group_rates": {"nowhere": [1]}}),
        422, "invalid", field="group_rates.nowhere")
    assert _counts() == before


def test_loss_rates_beside_the_matrix(book):
    body = Api(book.clerk).get("/provisioning/loss-rates", {"months": 3}).json()
    assert body["periods"] == 3 and len(body["month_ends"]) == 4
    assert [band["rate_bp"] for band in body["bands"]] == [100, 500, 3_000, 10_000]
    assert body["buckets"][-1]["loss_bp"] == 10_000


def test_assessments_with_evidence(book):
    api = Api(book.finmgr)
    response = api.upload("/provisioning/assessments", {
        "customer_id": book.customer.pk, "amount_minor": 50_000, "reason": "破产重整",
        "valid_from": book.e1.isoformat(),
        "file": SimpleUploadedFile("破产裁定.pdf", b"%PDF-1.4 ruling", content_type="application/pdf")})
    assert response.status_code == 201, response.content
    made = IndividualAssessment.objects.get()
    assert (made.amount_minor, made.evidence_name, bytes(made.evidence.content)) == (50_000, "破产裁定.pdf",
                                                                                     b"%PDF-1.4 ruling")
    before = _counts()
    assert_error(api.upload("/provisioning/assessments", {
        "customer_id": book.customer.pk, "rate_bp": 10_001, "reason": "x", "valid_from": book.e2.isoformat()}),
        422, "invalid", field="rate_bp")
    assert _counts() == before
    ended = api.post(f"/provisioning/assessments/{made.pk}/end", {"ended_on": book.e3.isoformat()})
    assert ended.json()["ended_on"] == book.e3.isoformat()


def test_roles(book):
    assert Api(book.clerk).post("/provisioning/runs", {"as_of": book.e1.isoformat()}).status_code == 403
    assert Api(book.auditor).get("/provisioning/runs").status_code == 200
    assert Api(book.auditor).post("/provisioning/matrices", {"name": "x", "bands": []}).status_code == 403


def test_a_large_run_is_posted_by_a_background_job(book, monkeypatch, django_capture_on_commit_callbacks):
    from arms.provisioning import services

    monkeypatch.setattr(services, "INLINE_LIMIT", 0)
    api = Api(book.finmgr)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/provisioning/runs", {"as_of": book.e1.isoformat()})
    assert response.status_code == 202, response.content
    job = api.get(f"/jobs/{response.json()['id']}").json()
    assert job["status"] == "done", job
    run = ProvisionRun.objects.get()
    assert (run.as_of, run.true_up_minor, run.posted_by) == (book.e1, 68_930, book.finmgr)
