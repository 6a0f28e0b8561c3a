"""An action is claimed before it is carried out: a second delivery of its task does nothing, and the claim of a
worker that died is taken again once it is older than the timeout."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from arms.cases.models import Activity
from arms.dunning.models import ActionStatus, DunningAction
from arms.dunning.services import action_process, dunning_run
from arms.dunning.services.actions import CLAIM_TIMEOUT, action_claim, actions_pending
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_customer

pytestmark = [pytest.mark.django_db, AFTER_THE_STORIES]


def _activities(action: DunningAction) -> int:
    return Activity.objects.filter(source="dunning", source_ref=f"action:{action.pk}").count()


def test_a_claimed_action_is_left_alone_until_its_claim_times_out(policy, people):
    factories.invoice(make_customer(people), issued=date(2026, 1, 20))  # +24 days on the run's day: a call
    run = dunning_run(as_of=date(2026, 3, 15), process=False)
    action = DunningAction.objects.get(run=run)
    now = timezone.now()

    assert action_claim(action.pk, now=now - CLAIM_TIMEOUT + timedelta(minutes=1)) is not None  # a worker has it
    assert action_claim(action.pk) is None  # the same task delivered again: not taken
    assert action_process(action_id=action.pk).status == ActionStatus.PROCESSING
    assert _activities(action) == 0 and list(actions_pending(run.pk)) == []

    # the worker died: its claim grows older than the timeout and the action is waiting again
    DunningAction.objects.filter(pk=action.pk).update(claimed_at=now - CLAIM_TIMEOUT - timedelta(seconds=1))
    assert list(actions_pending(run.pk)) == [action.pk]
    assert action_process(action_id=action.pk).status == ActionStatus.DONE
    assert action_process(action_id=action.pk).status == ActionStatus.DONE  # once more: nothing made twice
    assert _activities(action) == 1 and action_claim(action.pk) is None


def test_a_failed_action_is_claimed_again(policy, people):
    factories.invoice(make_customer(people), issued=date(2026, 1, 20))
    run = dunning_run(as_of=date(2026, 3, 15), process=False)
    action = DunningAction.objects.get(run=run)
    DunningAction.objects.filter(pk=action.pk).update(status=ActionStatus.FAILED, error="SMTP down")

    assert action_claim(action.pk) is not None
    assert DunningAction.objects.get(pk=action.pk).status == ActionStatus.PROCESSING


def test_a_failure_lets_go_of_the_claim(policy, people, monkeypatch):
    from arms.dunning import documents

    factories.invoice(make_customer(people), issued=date(2026, 1, 20))
    run = dunning_run(as_of=date(2026, 3, 15), process=False)
    action = DunningAction.objects.get(run=run)

    def broken(_action, **_options):
        raise RuntimeError("the template is broken")

    monkeypatch.setattr(documents, "letter_for", broken)
    with pytest.raises(RuntimeError):
        action_process(action_id=action.pk)
    assert DunningAction.objects.get(pk=action.pk).status == ActionStatus.PENDING  # waiting again, not claimed
    assert list(actions_pending(run.pk)) == [action.pk]
