"""arms import KIND FILE: prints what it did, or every bad row on stderr and exits non-zero."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from arms.customers.models import Customer
from arms.imports.models import ImportRun
from tests.imports.support import counts, write_csv

ROWS = [["客户编码", "客户名称"], ["C001", "上海甲公司"]]


def arms_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_as_the_named_user(clerk, tmp_path):
    path = write_csv(tmp_path / "customers.csv", ROWS)

    out, _err = arms_import("customers", str(path), "--user", "clerk")

    assert out == "customers: 1 rows, 1 created, 0 already in ARMS (skipped)\n"
    assert Customer.objects.get().code == "C001"
    assert ImportRun.objects.get().user == clerk


def test_a_dry_run_writes_nothing(db, tmp_path):
    path = write_csv(tmp_path / "customers.csv", ROWS)
    before = counts()

    out, _err = arms_import("customers", str(path), "--dry-run")

    assert out == "Dry run, nothing written. customers: 1 rows, 1 created, 0 already in ARMS (skipped)\n"
    assert counts() == before


def test_bad_rows_go_to_stderr_and_the_command_fails(db, tmp_path):
    path = write_csv(tmp_path / "customers.csv", [*ROWS, ["C001", ""]])
    err = io.StringIO()
    before = counts()

    with pytest.raises(CommandError) as info:
        call_command("import", "customers", str(path), stdout=io.StringIO(), stderr=err)

    assert str(info.value) == "1 line of the file is invalid; nothing was imported."
    assert err.getvalue() == ("line 3, 客户编码: 'C001' is already on line 2 of this file\n"
                              "line 3, 客户名称: a value is required\n")
    assert counts() == before


def test_an_unknown_user_or_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match=r"--user: no active user 'ghost'"):
        arms_import("customers", str(write_csv(tmp_path / "c.csv", ROWS)), "--user", "ghost")
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.csv: No such file or directory"):
        arms_import("customers", str(tmp_path / "missing.csv"))


def test_the_progress_bar_goes_to_stderr_when_asked_for(db, tmp_path, capsys):
    path = write_csv(tmp_path / "customers.csv", ROWS)

    arms_import("customers", str(path), "--progress")

    assert "Writing rows" in capsys.readouterr().err
