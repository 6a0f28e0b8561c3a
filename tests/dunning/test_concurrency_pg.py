"""Real threads against PostgreSQL: runs started at the same moment for the same day queue on the policy rows
(and on the unique (company, as_of)), so all get the day's one run, every item's stage is acted on once and no
e-mail or letter is made twice."""

from __future__ import annotations

from datetime import date

import pytest

from arms.dunning.models import DunningAction, DunningItem, DunningRun
from arms.dunning.services import dunning_run
from tests import factories
from tests.conftest import postgres_available
from tests.dunning.conftest import AFTER_THE_STORIES, make_customer
from tests.ledger.concurrency import race

pytestmark = [
    pytest.mark.skipif(not postgres_available(), reason="row-lock concurrency needs PostgreSQL: set DATABASE_URL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    AFTER_THE_STORIES,
]


def test_concurrent_runs_for_one_day_act_once(policy, people):
    customers = [make_customer(people) for _n in range(3)]
    for cust in customers:
        factories.invoice(cust)
        factories.invoice(cust, issued=date(2026, 1, 20))

    results = race([lambda: dunning_run(as_of=date(2026, 3, 15), process=False)] * 4)

    assert all(isinstance(r, DunningRun) for r in results), results
    assert {r.pk for r in results} == {DunningRun.objects.get().pk}  # one run per company and day, for all four
    assert [r.actions_count for r in results] == [6] * 4  # per customer: a letter and a call
    assert DunningItem.objects.filter(outcome="actioned").count() == 6
    assert DunningAction.objects.count() == 6


def test_concurrent_runs_without_a_policy_still_make_one_run():
    """Nothing to queue on (no active policy): the unique (company, as_of) decides, and the losers read the
    winner's run."""
    results = race([lambda: dunning_run(as_of=date(2026, 3, 15), process=False)] * 8)

    assert all(isinstance(r, DunningRun) for r in results), results
    assert len({r.pk for r in results}) == 1 and DunningRun.objects.count() == 1
