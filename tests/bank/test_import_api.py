"""/api/v1/bank: accounts, statement upload (inline or queued), statements with their lines, profiles; and the
`arms bank` command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from arms.audit.models import AuditEvent
from arms.bank.models import BankAccount, BankStatement, StatementLine
from tests import factories
from tests.api.conftest import Api, assert_error
from tests.bank.builders import ACCOUNT_NUMBER, days_before, rows_for, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(db):
    from arms.accounts.roles import roles_present, roles_sync

    if not roles_present():
        roles_sync()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clerk_api(clerk):
    return Api(clerk)


@pytest.fixture
def manager_api(db):
    return Api(factories.user("manager", role="finance_manager"))


def _written() -> tuple[int, int, int]:
    return BankStatement.objects.count(), StatementLine.objects.count(), AuditEvent.objects.count()


def _upload(api: Api, data: bytes, name: str = "icbc.csv", **fields):
    return api.upload("/bank/statements", {"file": SimpleUploadedFile(name, data), **fields})


def test_a_manager_adds_an_account_and_a_clerk_may_not(manager_api, clerk_api, company):
    body = {"name": "工行基本户", "bank": "中国工商银行", "account_number": "1202 0012 0990 0123 456",
            "ledger_account": "100201"}

    refused = clerk_api.post("/bank/accounts", body)
    created = manager_api.post("/bank/accounts", body)
    again = manager_api.post("/bank/accounts", body)

    assert_error(refused, 403, "forbidden", None)
    assert created.status_code == 201, created.content
    assert created.json()["account_number"] == ACCOUNT_NUMBER
    assert_error(again, 409, "bank_account_duplicate", "account_number")
    listed = clerk_api.get("/bank/accounts").json()
    assert (listed["count"], listed["items"][0]["name"]) == (1, "工行基本户")


def test_bad_account_input_names_the_field_and_writes_nothing(manager_api, company):
    before = (BankAccount.objects.count(), AuditEvent.objects.count())

    assert_error(manager_api.post("/bank/accounts", {"name": "A", "bank": "B", "account_number": "12"}),
                 422, "invalid", "account_number")
    assert_error(manager_api.post("/bank/accounts", {"name": "A", "bank": "B", "account_number": "123456789",
                                                     "ledger_account": "1122"}), 422, "invalid", "ledger_account")
    assert_error(manager_api.post("/bank/accounts", {"name": "A", "bank": "B", "account_number": "123456789",
                                                     "profile_key": "nope"}), 422, "invalid", "profile_key")
    assert (BankAccount.objects.count(), AuditEvent.objects.count()) == before


def test_a_manager_maps_the_columns_of_an_own_layout(manager_api, bank_account):
    mapping = {"date": ["入账日"], "amount": ["收款金额"], "remittance": ["说明"]}

    changed = manager_api.patch(f"/bank/accounts/{bank_account.pk}", {"column_profile": mapping})
    bad = manager_api.patch(f"/bank/accounts/{bank_account.pk}", {"column_profile": {"date": ["入账日"]}})

    assert changed.status_code == 200, changed.content
    assert changed.json()["column_profile"] == mapping
    assert_error(bad, 422, "invalid", "amount")
    bank_account.refresh_from_db()
    assert bank_account.column_profile == mapping


def test_a_change_with_a_bad_mapping_changes_nothing(manager_api, bank_account):
    before = AuditEvent.objects.count()

    response = manager_api.patch(f"/bank/accounts/{bank_account.pk}", {"name": "新名称",
                                                                       "column_profile": {"date": ["入账日"]}})

    assert_error(response, 422, "invalid", "amount")
    bank_account.refresh_from_db()
    assert (bank_account.name, bank_account.column_profile) == ("工行基本户", None)
    assert AuditEvent.objects.count() == before


def test_a_small_file_is_imported_at_once_and_again_writes_nothing(clerk_api, bank_account, today):
    data = to_csv(rows_for(days_before(today, 5, 3)))

    first = _upload(clerk_api, data)
    second = _upload(clerk_api, data)

    assert first.status_code == 201, first.content
    assert (first.json()["lines_new"], first.json()["lines_seen"]) == (6, 0)
    (statement,) = first.json()["statements"]
    assert (statement["account_id"], statement["gap"]) == (bank_account.pk, None)
    assert (second.json()["lines_new"], second.json()["lines_seen"]) == (0, 6)
    assert StatementLine.objects.count() == 6

    listed = clerk_api.get("/bank/statements", {"account_id": bank_account.pk}).json()
    detail = clerk_api.get(f"/bank/statements/{statement['statement_id']}", {"limit": 4}).json()
    assert listed["count"] == 1
    assert clerk_api.get("/bank/statements", {"gaps_only": "true"}).json()["count"] == 0
    assert clerk_api.get("/bank/statements", {"date_from": today.isoformat()}).json()["count"] == 0
    assert_error(clerk_api.get("/bank/statements", {"date_from": "9999-01-01"}), 422, "invalid", "date_from")
    assert (detail["lines"]["count"], len(detail["lines"]["items"]), detail["currency"]) == (6, 4, "CNY")


def test_a_bad_file_is_422_with_file_line_and_column_and_nothing_is_written(clerk_api, bank_account, today):
    rows = rows_for(days_before(today, 5, 3))
    rows[6][6] = "12,3x4.00"
    before = _written()

    response = _upload(clerk_api, to_csv(rows), name="bad.csv")

    error = assert_error(response, 422, "statement_unreadable", "file")
    assert error["details"] == {"file": "bad.csv", "line": 7, "column": "贷方发生额", "reason": "amount"}
    assert _written() == before


def test_a_statement_of_another_account_and_an_unknown_profile_are_refused(clerk_api, bank_account, manager_api,
                                                                          today):
    other = manager_api.post("/bank/accounts", {"name": "建行", "bank": "建设银行",
                                                "account_number": "31050161373600001234"}).json()
    data = to_csv(rows_for(days_before(today, 5, 3)))
    before = _written()

    assert_error(_upload(clerk_api, data, account_id=other["id"]), 422, "statement_account_mismatch", "account")
    assert_error(_upload(clerk_api, data, profile="nope"), 422, "invalid", "profile")
    assert_error(_upload(clerk_api, data, account_id=999999), 404, "not_found", "account_id")
    assert _written() == before


def test_a_big_file_is_queued_and_the_job_imports_it(clerk_api, bank_account, today,
                                                     django_capture_on_commit_callbacks):
    data = to_csv(rows_for(days_before(today, 400, 1), per_day=6))
    assert len(data) > 256 * 1024

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(clerk_api, data, name="year.csv")

    assert response.status_code == 202, response.content
    assert response["Location"] == f"/api/v1/jobs/{response.json()['id']}"
    job = clerk_api.get(f"/jobs/{response.json()['id']}").json()
    assert (job["kind"], job["status"]) == ("bank.statement_import", "done"), job["error"]
    assert job["result_data"]["lines_new"] == 400 * 6 == StatementLine.objects.count()
    assert job["result_api_url"] == f"/api/v1/bank/statements/{BankStatement.objects.get().pk}"


def test_a_big_bad_file_fails_its_job_with_file_line_and_column_and_writes_nothing(
        clerk_api, bank_account, today, django_capture_on_commit_callbacks):
    rows = rows_for(days_before(today, 400, 1), per_day=6)
    rows[6][6] = "12,3x4.00"
    before = _written()

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(clerk_api, to_csv(rows), name="year.csv")

    job = clerk_api.get(f"/jobs/{response.json()['id']}").json()
    assert (response.status_code, job["status"], job["error_code"]) == (202, "failed", "statement_unreadable")
    assert "year.csv" in job["error"] and "7" in job["error"] and "贷方发生额" in job["error"]
    assert _written() == before


def test_the_built_in_profiles_are_listed(clerk_api):
    profiles = {p["key"]: p for p in clerk_api.get("/bank/profiles").json()}

    assert {"icbc", "ccb", "abc", "boc", "bocom", "cmb", "generic"} <= set(profiles)
    assert profiles["icbc"]["columns"]["date"] == ["交易日期"]


# --- arms bank ----------------------------------------------------------------------------------------------------


def _run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("bank", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_the_cli_imports_a_file_prints_what_it_did_and_twice_writes_once(bank_account, tmp_path, today):
    path = tmp_path / "icbc.csv"
    path.write_bytes(to_csv(rows_for(days_before(today, 5, 3))))

    status, out, _err = _run("import", str(path), "--account", ACCOUNT_NUMBER, "--no-match")
    again = _run("import", str(path))

    assert status == 0
    assert "icbc.csv" in out and "6 imported, 0 seen before" in out
    assert again[0] == 0 and "0 imported, 6 seen before (nothing new)" in again[1]
    assert StatementLine.objects.count() == 6


def test_the_cli_reports_a_gap(bank_account, tmp_path, today):
    first, later = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(to_csv(rows_for(days_before(today, 20, 18))))
    later.write_bytes(to_csv(rows_for(days_before(today, 10, 9), opening=1)))

    status, out, _err = _run("import", str(first), str(later), "--no-match")

    assert status == 0 and "gap:" in out


def test_the_cli_refuses_a_bad_file_with_status_1_naming_file_line_and_column(bank_account, tmp_path, today):
    rows = rows_for(days_before(today, 5, 3))
    rows[6][6] = "12,3x4.00"
    path = tmp_path / "bad.csv"
    path.write_bytes(to_csv(rows))

    status, _out, err = _run("import", str(path))

    assert status == 1
    assert "statement_unreadable" in err and "file=bad.csv, line=7, column=贷方发生额" in err
    assert StatementLine.objects.count() == 0


def test_the_cli_lists_and_adds_accounts(db, company):
    assert _run("account-add", "--name", "工行", "--bank", "工商银行", "--number", "6222021234567890")[0] == 0
    status, out, _err = _run("accounts")

    assert status == 0 and "6222021234567890" in out and "工行" in out
    assert _run("account-add", "--name", "x", "--bank", "y", "--number", "1")[0] == 1


def test_the_bench_imports_once_then_sees_every_line_then_half(db, company):
    from arms.bank.bench import PER_DAY, statement_import_bench

    figures = statement_import_bench(sizes=[4 * PER_DAY])["sizes"][str(4 * PER_DAY)]

    assert (figures["import"]["new"], figures["again"]["seen"]) == (4 * PER_DAY, 4 * PER_DAY)
    assert (figures["overlap"]["new"], figures["overlap"]["seen"]) == (2 * PER_DAY, 2 * PER_DAY)
