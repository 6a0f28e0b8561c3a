"""The backtest from the command line: on the IBM sample (figures finite, the three methods reported; whether the
model wins there is recorded in docs/benchmarks.md, not asserted) and on this ledger; bad input names its field."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from arms.common.errors import ValidationFailed
from arms.prediction import services
from arms.prediction.samples import ibm_sample_path

SAMPLE = ibm_sample_path()


@pytest.mark.skipif(SAMPLE is None, reason="the IBM sample is not beside the checkout (../shared/data)")
def test_the_ibm_sample_backtest_reports_the_three_methods():
    out = StringIO()
    call_command("prediction", "backtest", "--source", "ibm", "--max-iter", "30", "--json", stdout=out)
    report = json.loads(out.getvalue())

    assert report["source"] == "ibm" and report["items"] == 2466
    assert [s["method"] for s in report["scores"]] == ["model", "customer_average", "due_date"]
    for entry in report["scores"]:
        assert math.isfinite(entry["mae_days"]) and 0 <= entry["within_7"] <= 1
    assert report["test_rows"] > 100 and report["train_rows"] > 1000


@pytest.mark.skipif(SAMPLE is None, reason="the IBM sample is not beside the checkout (../shared/data)")
def test_a_cutoff_outside_the_history_or_an_unknown_source_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        services.backtest_run(source="ibm", cutoff=date(2030, 1, 1))
    assert refused.value.field == "cutoff"
    with pytest.raises(ValidationFailed) as refused:
        services.backtest_run(source="ibm", cutoff=date(2012, 1, 10))  # nothing settled before it
    assert refused.value.field == "cutoff"
    with pytest.raises(ValidationFailed) as refused:
        services.backtest_run(source="excel")
    assert refused.value.field == "source"
    with pytest.raises(CommandError, match=r"^source: "):
        call_command("prediction", "backtest", "--source", "excel", stdout=StringIO())
    with pytest.raises(CommandError, match="--cutoff"):
        call_command("prediction", "backtest", "--cutoff", "someday", stdout=StringIO())


@pytest.mark.django_db
def test_train_and_backtest_on_this_ledger_from_the_command_line(book, today):
    out = StringIO()
    call_command("prediction", "train", "--max-iter", "10", stdout=out)
    trained = json.loads(out.getvalue())
    assert trained["version"] == 1 and trained["predicted"] == 4
    out = StringIO()
    cutoff = today - timedelta(days=200)
    call_command("prediction", "backtest", "--cutoff", cutoff.isoformat(), "--max-iter", "10", stdout=out)
    text = out.getvalue()
    assert f"cutoff={cutoff.isoformat()}" in text and "customer_average" in text and "due_date" in text
    out = StringIO()
    call_command("prediction", "models", "--json", stdout=out)
    assert json.loads(out.getvalue())[0]["status"] == "active"
