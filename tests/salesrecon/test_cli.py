"""The command line: open a month, list it, read the coverage; a bad month is refused and opens nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arms.salesrecon.models import SalesReconciliation

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("sales_reconciliations", *args, stdout=out)
    return out.getvalue()


def test_open_list_and_coverage(book, month):
    assert _run("open", "--month", f"{month[0]:%Y-%m}", "--user", "fin") == f"opened 2 reconciliations for " \
                                                                          f"{month[0]:%Y-%m}\n"
    listed = _run("list", "--month", f"{month[0]:%Y-%m}").splitlines()
    assert [line.split("\t")[:4] for line in listed] == [[f"{month[0]:%Y-%m}", "ann", "open", "2"],
                                                        [f"{month[0]:%Y-%m}", "bob", "open", "1"]]
    coverage = _run("coverage", "--period-end", month[1].isoformat()).splitlines()
    assert coverage[0].split("\t")[1:] == ["0/4", "0.00%", "0.00/2,090.00", "0.00%"]


@pytest.mark.parametrize("args", [("open",), ("open", "--month", "2026-13"), ("open", "--month", "2999-01"),
                                  ("open", "--month", "2026-01", "--user", "nobody")])
def test_bad_input_opens_nothing(book, args):
    with pytest.raises(CommandError):
        _run(*args)
    assert SalesReconciliation.objects.count() == 0
