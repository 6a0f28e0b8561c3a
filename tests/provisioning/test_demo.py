"""The demo hook: the default matrix, one individual assessment, the last three month ends posted; twice adds
nothing; the ledger check stays clean."""

from __future__ import annotations

import pytest

from arms.provisioning.demo import seed_demo
from arms.provisioning.models import IndividualAssessment, ProvisionMatrix, ProvisionRun
from tests.conftest import ledger_problems

pytestmark = pytest.mark.django_db


def test_seed_demo(book, today):
    assert seed_demo(today=today, seed=7) == {"provision runs": 3, "individual bad-debt assessments": 1}
    assert seed_demo(today=today, seed=7) == {"provision runs": 0, "individual bad-debt assessments": 0}
    assert ProvisionMatrix.objects.get().version == 1
    assert IndividualAssessment.objects.get().customer == book.customer
    runs = list(ProvisionRun.objects.order_by("as_of"))
    assert [r.as_of for r in runs] == [book.e1, book.e2, book.e3]
    # P1 assessed at 50% from E1: 339,000 open at E1 and E2 -> 169,500 both times
    assert [r.total_required_minor for r in runs] == [169_500, 169_500, 169_500]
    assert [r.true_up_minor for r in runs] == [169_500, 0, 0]
    assert ledger_problems() == {}
