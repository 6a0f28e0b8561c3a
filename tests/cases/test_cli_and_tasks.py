"""`arms collections ...` and the daily Huey task: the same idempotent checks."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from arms.cases.models import PromiseToPay
from arms.cases.services import promise_record
from arms.cases.tasks import collections_daily_checks, daily_checks
from tests import factories


def _run(*args) -> str:
    out = io.StringIO()
    call_command("collections", *args, stdout=out)
    return out.getvalue()


def test_check_promises_decides_once(book):
    promise_record(customer=book.customer, amount_minor=10_000, promised_on=date(2026, 3, 20), actor=book.collector,
                   made_on=date(2026, 3, 10), invoices=[book.inv1])

    first = json.loads(_run("check-promises", "--date", "2026-03-21", "--json"))
    second = json.loads(_run("check-promises", "--date", "2026-03-21", "--json"))

    assert first == {"date": "2026-03-21", "promises": {"checked": 1, "kept": 0, "broken": 1, "open": 0}}
    assert second["promises"]["checked"] == 0
    assert PromiseToPay.objects.get().status == "broken"


def test_check_runs_everything_and_a_bad_date_is_refused(book):
    assert "promises: checked 0" in _run("check", "--date", "2026-03-21")
    with pytest.raises(CommandError):
        _run("check", "--date", "21.03.2026")


def test_worklist_and_bundle_from_the_command_line(book, tmp_path):
    lines = _run("worklist", "--user", "clerk", "--date", "2026-03-20").splitlines()
    assert len(lines) == 1 and "C1" in lines[0]
    target = tmp_path / "case.zip"
    _run("bundle", "--customer", "C1", "--to", "某律所", "--user", "legal", "--out", str(target))
    assert "00-index.pdf" in zipfile.ZipFile(target).namelist()
    with pytest.raises(CommandError):
        _run("bundle", "--customer", "C1", "--user", "legal")  # no recipient


def test_the_daily_task_runs_the_checks(book):
    factories.payment(book.customer, amount=1_000, received=date(2026, 3, 1), actor=book.clerk)
    result = daily_checks(as_of=date(2026, 3, 21))
    assert set(result) == {"date", "promises", "plans", "disputes"}
    assert collections_daily_checks.call_local()["promises"]["checked"] == 0
