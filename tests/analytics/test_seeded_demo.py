"""On the seeded demo (every payment behaviour, credit notes, bounced bills, a USD customer): the open items of
every month-end tie to the 1122 journal, and the demo budgets are there."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from arms.analytics.aging import aging_report
from arms.analytics.models import Budget
from arms.analytics.selectors import journal_receivables_as_of, open_totals_as_of

SEED_DAY = date(2026, 11, 20)


@pytest.mark.clock(SEED_DAY.isoformat())  # the demo's world ends on its "today"
def test_seeded_demo_ties_at_every_month_end(db):
    call_command("seed", customers=4, seed=3, months=4, today=SEED_DAY, stdout=StringIO())
    day = SEED_DAY
    month_ends = []
    for _n in range(5):
        day = day.replace(day=1) - timedelta(days=1)
        month_ends.append(day)
    for as_of in [SEED_DAY, *month_ends]:
        fast, slow = open_totals_as_of(as_of), open_totals_as_of(as_of, reconstructed=True)
        assert fast == slow, as_of
        assert {cur: t["base"] for cur, t in fast.items()} == journal_receivables_as_of(as_of), as_of
        assert aging_report(as_of=as_of).base_total.total_minor == sum(journal_receivables_as_of(as_of).values())
    assert Budget.objects.filter(scope="company").count() == 7
