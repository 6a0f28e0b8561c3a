"""arms incentives create / compute / show / list; the demo hook (last month's scheme computed with ratings, twice
adds nothing); the bench times a computation and stores nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from arms.incentives.bench import bench_measure
from arms.incentives.demo import seed_demo
from arms.incentives.models import IncentiveRating, IncentiveScheme, SchemeStatus
from tests import factories
from tests.incentives.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-05")]


def _call(*args) -> list[dict]:
    out = io.StringIO()
    call_command("incentives", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line]


def test_create_compute_show_and_list(book):
    [made] = _call("create", "--period", "2026-11", "--pool", "10,000.00", "--user", "fm1")
    assert IncentiveScheme.objects.get(pk=made["id"]).base_pool_minor == 1_000_000
    [computed] = _call("compute", "--period", "2026-11", "--user", "fm1")
    assert computed["lines"] == 2  # s1 and s2, the salespeople
    shown = {line["user"]: line for line in _call("show", "--period", "2026-11")}
    assert shown["s1"]["collections"] == "900.00" and shown["s2"]["collections"] == "600.00"
    assert _call("list")[0]["status"] == "computed"
    with pytest.raises(CommandError, match="2026-10"):
        _call("show", "--period", "2026-10")
    with pytest.raises(CommandError, match="period"):
        _call("create", "--period", "2026-11")


def test_seed_demo_twice_and_the_bench(book):
    factories.user("finmgr", role="finance_manager")
    factories.user("sales1", role="sales")
    factories.user("collector1", role="collector")
    counts = seed_demo(today=TODAY, seed=1)
    scheme = IncentiveScheme.objects.get()
    assert counts["incentive schemes"] == 1 and counts["mutual ratings"] == IncentiveRating.objects.count() > 0
    assert scheme.status == SchemeStatus.COMPUTED and scheme.lines.count() == scheme.members.count()
    assert seed_demo(today=TODAY, seed=1) == {"incentive schemes": 0, "mutual ratings": 0}
    IncentiveScheme.objects.all().delete()
    measured = bench_measure(today=TODAY, seed=1, repeat=1)
    assert measured["compute"]["runs"] == 1 and measured["collections_minor"] > 0
    assert not IncentiveScheme.objects.exists()
