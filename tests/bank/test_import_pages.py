"""The /bank/ pages: accounts, the column mapping, the upload (inline and queued), statements with their gap."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arms.bank.models import BankAccount, BankStatement, StatementLine
from tests import factories
from tests.bank.builders import days_before, rows_for, to_csv

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
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def manager_client(client, db):
    client.force_login(factories.user("manager", role="finance_manager"))
    return client


def test_a_manager_adds_an_account_and_a_bad_number_is_shown_beside_its_field(manager_client, company):
    url = reverse("bank:account_create")
    good = {"name": "工行基本户", "bank": "中国工商银行", "account_number": "1202001209900123456", "currency": "CNY",
            "ledger_account": "100201", "profile_key": "icbc", "active": "on"}

    bad = manager_client.post(url, {**good, "account_number": "12"})
    saved = manager_client.post(url, good)

    assert bad.status_code == 400 and "error-account_number" in bad.content.decode()
    assert saved.status_code == 302
    account = BankAccount.objects.get()
    assert (account.profile_key, account.ledger_account) == ("icbc", "100201")
    page = manager_client.get(reverse("bank:accounts"))
    assert page.status_code == 200 and "1202001209900123456" in page.content.decode()


def test_a_clerk_may_not_add_an_account(clerk_client, company):
    assert clerk_client.get(reverse("bank:account_create")).status_code == 403


def test_the_column_mapping_is_saved_and_a_missing_amount_named(manager_client, bank_account):
    url = reverse("bank:account_columns", args=[bank_account.pk])

    bad = manager_client.post(url, {"date": "入账日"})
    good = manager_client.post(url, {"date": "入账日", "amount": "收款金额, 金额", "remittance": "说明"})

    assert bad.status_code == 400 and "error-amount" in bad.content.decode()
    assert good.status_code == 302
    bank_account.refresh_from_db()
    assert bank_account.column_profile == {"date": ["入账日"], "amount": ["收款金额", "金额"], "remittance": ["说明"]}


def test_an_upload_imports_and_shows_what_it_did_and_the_statement_shows_its_lines(clerk_client, bank_account,
                                                                                  today):
    data = to_csv(rows_for(days_before(today, 5, 3)))

    response = clerk_client.post(reverse("bank:upload"), {"file": SimpleUploadedFile("工行.csv", data)})

    assert response.status_code == 200, response.content.decode()[:2000]
    assert 'id="upload-result"' in response.content.decode()
    statement = BankStatement.objects.get()
    detail = clerk_client.get(reverse("bank:statement", args=[statement.pk]))
    assert detail.status_code == 200 and detail.content.decode().count("data-line=") == 6
    listed = clerk_client.get(reverse("bank:statements"))
    assert f'data-statement="{statement.pk}"' in listed.content.decode()
    export = clerk_client.get(reverse("bank:statement", args=[statement.pk]), {"export": "csv"})
    assert export["Content-Disposition"].startswith("attachment")
    assert len(b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()) == 7


def test_a_bad_file_shows_file_line_and_column_beside_the_file_field_and_writes_nothing(clerk_client, bank_account,
                                                                                       today):
    rows = rows_for(days_before(today, 5, 3))
    rows[6][6] = "12,3x4.00"

    response = clerk_client.post(reverse("bank:upload"), {"file": SimpleUploadedFile("bad.csv", to_csv(rows))})

    assert response.status_code == 400
    text = response.content.decode()
    assert "error-file" in text and "bad.csv" in text and "贷方发生额" in text
    assert StatementLine.objects.count() == 0


def test_a_gap_is_shown_on_the_statement(clerk_client, bank_account, today):
    from arms.bank.services.importing import statement_import

    statement_import(actor=None, data=to_csv(rows_for(days_before(today, 20, 18))), filename="a.csv", match=False)
    statement_import(actor=None, data=to_csv(rows_for(days_before(today, 10, 9), opening=1)), filename="b.csv",
                     match=False)
    later = BankStatement.objects.get(filename="b.csv")

    page = clerk_client.get(reverse("bank:statement", args=[later.pk]))
    gaps = clerk_client.get(reverse("bank:statements"), {"gaps": "1"})

    assert 'id="statement-gap"' in page.content.decode()
    assert gaps.content.decode().count("data-statement=") == 1


def test_a_big_upload_is_queued_and_its_job_shown(clerk_client, bank_account, today,
                                                  django_capture_on_commit_callbacks):
    data = to_csv(rows_for(days_before(today, 400, 1), per_day=6))

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(reverse("bank:upload"), {"file": SimpleUploadedFile("全年.csv", data)})

    assert response.status_code == 302
    page = clerk_client.get(reverse("bank:upload"))
    assert 'id="upload-jobs"' in page.content.decode()
    assert StatementLine.objects.count() == 2400


def test_an_unknown_layout_offers_the_column_mapping_of_the_chosen_account(client, bank_account, today):
    client.force_login(factories.user("manager", role="finance_manager"))
    rows = [["入账日", "收款金额", "说明"], [today.isoformat(), "1,130.00", "3月货款"]]

    response = client.post(reverse("bank:upload"), {"file": SimpleUploadedFile("x.csv", to_csv(rows)),
                                                    "account": bank_account.pk})

    assert response.status_code == 400
    assert reverse("bank:account_columns", args=[bank_account.pk]) in response.content.decode()
