"""The database's last line of defence, tested around the services."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from arms.credit.models import CreditProfile, LimitChangeRequest, RatingProposal, ScorecardVersion
from arms.credit.services import rating_run, scorecard_active
from arms.domain.scorecard import DEFAULT_SCORECARD
from tests import factories

pytestmark = pytest.mark.django_db


def refused(**create):
    model = create.pop("model")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**create)


def test_the_maker_is_never_the_checker(customer):
    maker = factories.user("maker")
    base = {"model": LimitChangeRequest, "customer": customer, "currency": "CNY", "requested_limit_minor": 1,
            "justification": "x", "requested_by": maker}
    refused(**base, credit_approved_by=maker)
    refused(**base, finance_approved_by=maker)
    refused(**{**base, "requested_limit_minor": -1})
    LimitChangeRequest.objects.create(**{k: v for k, v in base.items() if k != "model"})
    refused(**base)  # a second pending request for the customer


def test_one_pending_proposal_and_one_active_scorecard(customer):
    first = rating_run(customer=customer, as_of=date(2026, 1, 31))
    rating_run(customer=customer, as_of=date(2026, 2, 28))  # supersedes the first proposal
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingProposal.objects.filter(pk=first.proposal.pk).update(status="pending")
    assert scorecard_active().version == 1
    refused(model=ScorecardVersion, version=99, name="second", definition=DEFAULT_SCORECARD, is_active=True)


def test_profile_bounds(customer):
    CreditProfile.objects.create(customer=customer)
    for change in ({"grade": "E"}, {"score": 101}, {"limit_minor": -1}, {"deposit_pct": 101},
                   {"discount_pct": -1}, {"overdue_block_min_minor": -1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CreditProfile.objects.filter(customer=customer).update(**change)
