"""A dunning run selects and records its work in a number of queries that does not grow with the customers
it acts on (actions, items and e-mails are written in bulk); each action's letter and e-mail are made after
the run commits, by the processing step, which costs a pinned number of queries per action."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from arms.dunning.models import DunningAction, DunningItem
from arms.dunning.services import dunning_run, process_actions, runs
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_customer
from tests.queries import assert_flat, count_queries, rolled_back, shape

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


#: queries to carry out one more action of a run, by the days overdue of its stage (reminder: the e-mail; letter:
#: the e-mail and the finance task; stop-supply: the task and the hold). Every one is the action's own: its claim,
#: locks, letter's figures, activity, task, hold, e-mail, audit events. Fewer is better: lower the number.
QUERIES_PER_ACTION = {1: 27, 30: 34, 60: 43}


def process_over(people, customers: int, overdue_days: int) -> tuple[int, list[str]]:
    from arms.customers.models import Customer

    with rolled_back():
        for _ in range(customers):
            cust = make_customer(people)
            Customer.objects.filter(pk=cust.pk).update(collector=None)  # finance falls to a finance manager
            factories.invoice(cust)
        run = dunning_run(as_of=DUE + timedelta(days=overdue_days), process=False)
        measured = count_queries(lambda: process_actions(run.pk, queue_email=False, documents_wanted=()))
        assert DunningAction.objects.filter(run=run, status="done").count() == customers
    return measured


@pytest.mark.parametrize("overdue_days", sorted(QUERIES_PER_ACTION))
def test_each_action_costs_its_own_queries_and_the_shared_rows_are_read_once_a_call(policy, people, overdue_days):
    """Carrying out the actions of a run costs a fixed number of queries per action, and who holds a group's level
    and the company's letter issuer are read once for the whole call (``SharedReads``), not once per action."""
    process_over(people, 1, overdue_days)  # warm the caches
    small, large = process_over(people, 2, overdue_days), process_over(people, 6, overdue_days)

    grown = Counter(map(shape, large[1]))
    grown.subtract(Counter(map(shape, small[1])))
    assert (large[0] - small[0]) / 4 == QUERIES_PER_ACTION[overdue_days]
    assert [sql for sql, more in grown.items() if more and ("auth_group" in sql or "legal_legalsettings" in sql)] == []
