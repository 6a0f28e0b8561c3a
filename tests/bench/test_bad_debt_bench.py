"""`arms bench --also provisioning,limitation`: the two measurements run and report what they measured."""

from datetime import timedelta

import pytest

from arms.limitation.bench import bench_measure as limitation_measure
from arms.provisioning.bench import bench_measure as provisioning_measure
from arms.provisioning.models import ProvisionRun
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_allowance_and_the_clocks_are_timed_on_the_loaded_book(today):
    customer = factories.customer("B001")
    factories.invoice(customer, issued=today - timedelta(days=200), net=100_000, tax=0)
    allowance = provisioning_measure(today=today, seed=1, repeat=2)
    assert allowance["customers"] == 1 and allowance["preview"]["runs"] == 2
    run = ProvisionRun.objects.get()
    assert allowance["true_up_minor"] == run.true_up_minor > 0
    clocks = limitation_measure(today=today, seed=1, repeat=1)
    assert clocks["first_refresh"]["clocks"] == 1 and clocks["next_refresh"]["runs"] == 1
