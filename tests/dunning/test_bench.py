"""`arms bench --also dunning` times the dunning run on the loaded book and proves the rerun acts on nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from arms.bench.management.commands.bench import DEFAULT_TODAY
from arms.dunning.models import DunningAction, DunningItem


@pytest.mark.django_db
@pytest.mark.clock(DEFAULT_TODAY + timedelta(days=1))  # the bench runs dunning on its day and on the day after
def test_bench_also_dunning():
    out = StringIO()
    call_command("bench", invoices=200, customers=8, samples=2, repeat=2, also="dunning", stdout=out,
                 stderr=StringIO())
    figures = json.loads(out.getvalue())["dunning"]
    assert figures["open_items"] > 0 and figures["first_run"]["actions"] > 0
    first_items = DunningItem.objects.filter(run__as_of=figures_day(figures))
    assert figures["first_run"]["items"] == first_items.count()  # one row per item, none per stage skipped
    assert figures["first_run"]["skipped"] == sum(first_items.values_list("stages_skipped", flat=True)) > 0
    assert figures["rerun_same_day"]["runs"] == 2
    processed = figures["process_no_pdf"]["actions"] + figures["process_with_pdf"]["actions"]
    # a lawyer's letter is only drafted (awaiting legal's review) when processed
    carried_out = DunningAction.objects.filter(status__in=["done", "awaiting_review"]).count()
    assert processed == carried_out == min(105, DunningAction.objects.count())


def figures_day(figures):
    from arms.dunning.models import DunningRun

    return DunningRun.objects.order_by("pk").first().as_of
