"""The demo hook: two migrated receivables show an expiring and an expired claim, the clocks are refreshed, legal
records two interruptions with evidence, the alerts go out; twice is the same."""

from datetime import timedelta

import pytest

from arms.common.models import Notification
from arms.ledger.models import Invoice
from arms.limitation.demo import seed_demo
from arms.limitation.models import LimitationClock, LimitationInterruption
from tests import factories

pytestmark = pytest.mark.django_db


def test_seed_demo(today):
    factories.user("zhouyang", role="legal")
    collector = factories.user("liujing", role="collector")
    for n in range(3):
        customer = factories.customer(f"D{n}", collector=collector)
        factories.invoice(customer, number=f"INV-D{n}", issued=today - timedelta(days=200 + n))
    counts = seed_demo(today=today, seed=7)
    assert counts == {"limitation claims": 5, "limitation claims expiring": 1, "limitation claims expired": 1,
                      "limitation interruptions": 2, "limitation alerts sent": 1}
    expiring = LimitationClock.objects.get(status="expiring")
    assert expiring.invoice.number == "LS-D0" and 78 <= (expiring.expires_on - today).days <= 84
    assert LimitationClock.objects.get(status="expired").invoice.number == "LS-D1"
    names = set(LimitationInterruption.objects.values_list("evidence_name", flat=True))
    assert names == {"EMS回执.pdf", "通话录音.mp3"}
    assert Notification.objects.filter(kind="limitation.expiring").count() == 2
    assert seed_demo(today=today, seed=7) == {**counts, "limitation alerts sent": 0}
    assert Invoice.objects.filter(number__startswith="LS-").count() == 2
