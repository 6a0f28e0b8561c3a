from datetime import date, timedelta

import pytest

from arms.dunning.models import DunningAction, DunningItem
from arms.dunning.services import dunning_run
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_contract

pytestmark = AFTER_THE_STORIES


@pytest.mark.django_db
def test_smoke(policy, buyer, django_capture_on_commit_callbacks):
    contract = make_contract(buyer)
    inv = factories.invoice(buyer, issued=date(2026, 1, 10), contract=contract)
    with django_capture_on_commit_callbacks(execute=True):
        run = dunning_run(as_of=inv.due_date + timedelta(days=20))
    print(run.__dict__)
    for a in DunningAction.objects.all():
        print(a.__dict__)
    print(list(DunningItem.objects.values()))
