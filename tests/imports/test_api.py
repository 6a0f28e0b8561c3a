"""POST /api/v1/imports/{kind}: a multipart upload, checked by the same service as the CLI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from arms.accounts.services import token_create
from arms.customers.models import Customer
from arms.imports.models import ImportRun
from tests import factories
from tests.imports.support import counts, csv_bytes

GOOD = csv_bytes([["客户编码", "客户名称"], ["C001", "上海甲公司"], ["C002", "北京乙公司"]])


def upload(token: str, kind: str, data: bytes, *, name: str = "customers.csv", query: str = ""):
    return Client().post(f"/api/v1/imports/{kind}{query}", {"file": SimpleUploadedFile(name, data)},
                         headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


@pytest.fixture
def clerk_token(clerk):
    return token_create(username=clerk.username)[1]


def test_a_finance_clerk_uploads_customers(clerk_token):
    response = upload(clerk_token, "customers", GOOD)

    assert response.status_code == 200
    assert response.json() == {"kind": "customers", "rows": 2, "created": 2, "skipped": 0, "dry_run": False}
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

    response = upload(clerk_token, "invoices", data, name="invoices.csv")

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
    response = Client().post("/api/v1/imports/invoices", {"file": SimpleUploadedFile("i.csv", data)},
                             headers={"Authorization": f"Bearer {clerk_token}", "Accept-Language": "zh-hans"})

    assert response.status_code == 422
    assert response.json()["error"]["details"]["rows"] == [
        {"line": 2, "column": "客户编码", "message": "未知的客户编码“C404”"}]
