"""arms stress list / run / cost; the demo hook (settings, the standard scenario, one run, twice adds nothing); the
bench measures a run and the cost of overdue."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from arms.stress.bench import bench_measure
from arms.stress.demo import seed_demo
from arms.stress.models import Scenario, ScenarioRun, StressSettings
from tests.stress.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-10-20")]


def _call(*args) -> list[dict]:
    out = io.StringIO()
    call_command("stress", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line]


def test_list_run_and_cost(book):
    [standard] = _call("list")
    assert standard["standard"] is True and standard["default_top_n"] == 1
    [run] = _call("run", str(standard["id"]), "--as-of", TODAY.isoformat(), "--user", "finmgr")
    stored = ScenarioRun.objects.get()
    assert run["run"] == stored.pk and stored.created_by == book.finmgr
    assert run["cash_in_13_weeks"]["base"] == "4,900.00"
    [cost] = _call("cost", "--as-of", TODAY.isoformat())
    assert (cost["id"], cost["overdue"], cost["average_days"]) == (book.other.pk, "400.00", 20)
    with pytest.raises(CommandError, match="scenario"):
        _call("run", "999")


def test_seed_demo_twice_and_the_bench(book):
    StressSettings.objects.all().delete()
    assert seed_demo(today=TODAY, seed=1) == {"stress scenarios": 2, "stress runs": 1}
    assert seed_demo(today=TODAY, seed=1) == {"stress scenarios": 0, "stress runs": 0}
    settings = StressSettings.objects.get()
    assert settings.weekly_outflow_minor == 490_000 * 7 // 100 and settings.opening_cash_minor == 2 * 34_300
    assert Scenario.objects.count() == 2 and ScenarioRun.objects.count() == 1
    measured = bench_measure(today=TODAY, seed=1, repeat=1)
    assert measured["compute"]["runs"] == 1 and measured["customers_with_overdue"] == 1
    assert measured["defaulted"] == 1
