"""A dunning run selects and records its work in a number of queries that does not grow with the customers
it acts on (actions, items and e-mails are written in bulk); each action's letter and e-mail are made after
the run commits, by the processing step, which is not measured here."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arms.dunning.models import DunningAction, DunningItem
from arms.dunning.services import dunning_run, runs
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_customer
from tests.queries import assert_flat, count_queries, rolled_back

pytestmark = [AFTER_THE_STORIES, pytest.mark.django_db]
DUE = date(2026, 2, 9)  # invoices issued 10 Jan on 30 days


def run_over(people, customers: int) -> tuple[int, list[str]]:
    with rolled_back():
        for _ in range(customers):
            cust = make_customer(people)
            factories.invoice(cust)
            factories.invoice(cust, issued=date(2026, 1, 12))
        measured = count_queries(lambda: dunning_run(as_of=DUE + timedelta(days=1), process=False))
        assert DunningAction.objects.count() >= customers  # the run acted on every customer
    return measured


def test_a_dunning_run_costs_the_same_queries_for_three_times_the_customers(policy, people):
    run_over(people, 1)  # warm the caches
    assert_flat("dunning_run", run_over(people, 2), run_over(people, 6), per_shape=0)


def test_a_run_read_a_few_rows_at_a_time_writes_what_a_run_read_at_once_writes(policy, people, monkeypatch):
    """The selection is streamed (a server-side cursor on PostgreSQL) and written a chunk of customers at a time:
    with chunks of two rows the run writes the same actions and items as with one chunk."""
    for n in range(7):
        cust = make_customer(people)
        for day in range(n % 3 + 1):
            factories.invoice(cust, issued=date(2026, 1, 10 + day))

    def written(chunk: int) -> tuple[list, list]:
        monkeypatch.setattr(runs, "CHUNK", chunk)
        with rolled_back():
            run = dunning_run(as_of=DUE + timedelta(days=1), process=False)
            actions = {a.pk: a for a in DunningAction.objects.filter(run=run)}
            found = (sorted((a.customer_id, a.currency, a.stage_id, a.open_minor, a.interest_minor)
                            for a in actions.values()),
                     sorted((actions[i.action_id].customer_id, actions[i.action_id].stage_id, i.invoice_id,
                             i.amount_open_minor, i.stages_skipped) for i in DunningItem.objects.filter(run=run)))
        return found

    at_once, streamed = written(10_000), written(2)

    assert len(at_once[0]) >= 7 and len(at_once[1]) >= 7  # every customer acted on
    assert streamed == at_once
