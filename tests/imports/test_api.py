"""POST /api/v1/imports/{kind}: a multipart upload, checked by the same service as the CLI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from arms.accounts.services import token_create
from arms.customers.models import Customer
from arms.imports.models import ImportRun
from arms.imports.services import PROGRESS_EVERY
from tests import factories
from tests.imports.support import counts, csv_bytes

GOOD = csv_bytes([["客户编码", "客户名称"], ["C001", "上海甲公司"], ["C002", "北京乙公司"]])


def upload(token: str, kind: str, data: bytes, *, name: str = "customers.csv", query: str = ""):
    return Client().post(f"/api/v1/imports/{kind}{query}", {"file": SimpleUploadedFile(name, data)},
                         headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def poll(token: str, response) -> dict:
    """The job a 202 names, read back from its Location."""
    assert response["Location"] == f"/api/v1/jobs/{response.json()['id']}"
    return Client().get(response["Location"], headers={"Authorization": f"Bearer {token}"}).json()


@pytest.fixture
def clerk_token(clerk):
    return token_create(username=clerk.username)[1]


def test_a_finance_clerk_uploads_customers_and_the_import_runs_as_a_job(clerk_token,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(clerk_token, "customers", GOOD)

    assert response.status_code == 202
    job = poll(clerk_token, response)
    assert (job["kind"], job["status"]) == ("imports.file", "done")
    assert job["result_data"] == {"kind": "customers", "rows": 2, "created": 2, "skipped": 0, "dry_run": False,
                                  "import_run_id": ImportRun.objects.get().pk}
    assert list(Customer.objects.order_by("code").values_list("code", "name")) == [
        ("C001", "上海甲公司"), ("C002", "北京乙公司")]
    run = ImportRun.objects.get()
    assert (run.filename, run.user.username) == ("customers.csv", "clerk")


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(clerk_token):
    factories.customer("C001", name="上海甲公司", uscc="")
    before = counts()

    response = upload(clerk_token, "customers", GOOD, query="?dry_run=true")

    assert response.status_code == 200
    assert response.json() == {"kind": "customers", "rows": 2, "created": 1, "skipped": 1, "dry_run": True}
    assert counts() == before


def test_an_invalid_file_is_422_with_every_bad_row(clerk_token):
    data = csv_bytes([["发票号", "客户编码", "开票日期", "不含税金额"], ["INV-1", "C404", "2026-13-01", "100"]])
    before = counts()

    response = upload(clerk_token, "invoices", data, name="invoices.csv", query="?dry_run=true")

    assert response.status_code == 422
    assert response.json() == {"error": {
        "code": "import_invalid", "message": "1 line of the file is invalid; nothing was imported.",
        "details": {"rows": [
            {"line": 2, "column": "客户编码", "message": "unknown customer code 'C404'"},
            {"line": 2, "column": "开票日期", "message": "'2026-13-01' is not a date (write it as YYYY-MM-DD)"},
        ]},
    }}
    assert counts() == before


def test_an_unreadable_file_is_422_naming_the_problem(clerk_token):
    response = upload(clerk_token, "customers", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, name="old.xls")

    assert response.status_code == 422
    assert response.json() == {"error": {
        "code": "import_unreadable", "field": "file",
        "message": "This is an old Excel .xls file; save it as .xlsx or as CSV UTF-8."}}


def test_a_role_without_the_import_permission_is_refused(db):
    factories.user("collector1", role="collector")
    token = token_create(username="collector1")[1]
    before = counts()

    response = upload(token, "customers", GOOD)

    assert response.status_code == 403
    assert response.json() == {"error": {"code": "forbidden",
                                         "message": "Your role lacks the permission imports.run_import."}}
    assert counts() == before


def test_an_unknown_kind_is_422(clerk_token):
    response = upload(clerk_token, "suppliers", GOOD)

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "kind"


def test_messages_follow_the_language_of_the_request(clerk_token):
    data = csv_bytes([["发票号", "客户编码", "开票日期", "不含税金额"], ["INV-1", "C404", "2026-01-05", "100"]])
    response = Client().post("/api/v1/imports/invoices?dry_run=true", {"file": SimpleUploadedFile("i.csv", data)},
                             headers={"Authorization": f"Bearer {clerk_token}", "Accept-Language": "zh-hans"})

    assert response.status_code == 422
    assert response.json()["error"]["details"]["rows"] == [
        {"line": 2, "column": "客户编码", "message": "未知的客户编码“C404”"}]


def test_invoices_are_imported_by_a_background_job_with_progress(clerk_token, clerk,
                                                                      django_capture_on_commit_callbacks):
    from arms.common.models import Job
    from arms.ledger.models import Invoice

    factories.customer("C001")
    rows = [["发票号", "客户编码", "开票日期", "不含税金额", "税额"]] + [
        [f"INV-{n:05}", "C001", "2026-01-05", "100.00", "13.00"] for n in range(PROGRESS_EVERY + 50)]

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(clerk_token, "invoices", csv_bytes(rows), name="invoices.csv")

    assert response.status_code == 202
    job = poll(clerk_token, response)
    rows = PROGRESS_EVERY + 50
    assert (job["status"], job["result_data"]["created"], job["progress_total"]) == ("done", rows, rows)
    assert Invoice.objects.count() == PROGRESS_EVERY + 50
    assert Job.objects.get().started_by == clerk
    assert list((settings_media() / "imports" / "pending").iterdir()) == []  # the stored upload is gone


def test_a_file_with_bad_rows_fails_its_job_naming_them_and_writes_nothing(clerk_token,
                                                                           django_capture_on_commit_callbacks):
    data = csv_bytes([["发票号", "客户编码", "开票日期", "不含税金额"], ["INV-1", "C404", "2026-01-05", "100"]])
    before = counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(clerk_token, "invoices", data, name="invoices.csv")

    job = poll(clerk_token, response)
    assert (job["status"], job["error_code"]) == ("failed", "import_invalid")
    assert job["error"] == ("1 line of the file is invalid; nothing was imported. "
                            "line 2, 客户编码: unknown customer code 'C404'")
    assert counts() == before


def test_an_unreadable_file_is_refused_before_anything_is_queued(clerk_token):
    from arms.common.models import Job

    response = upload(clerk_token, "customers", csv_bytes([["code", "name"], ["C001", "Crée Brûlée"]], "latin-1"))

    assert (response.status_code, response.json()["error"]["code"]) == (422, "import_unreadable")
    assert Job.objects.count() == 0


def test_the_same_file_uploaded_twice_while_queued_is_one_job(clerk_token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = upload(clerk_token, "customers", GOOD)
        second = upload(clerk_token, "customers", GOOD)

    assert first.json()["id"] == second.json()["id"]
    assert len(list((settings_media() / "imports" / "pending").iterdir())) == 1


def settings_media():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.MEDIA_ROOT)
