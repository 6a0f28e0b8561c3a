"""Each metric's reading equals a hand computation on a small book (dates derived from the test day)."""

from datetime import timedelta

import pytest

from arms.cases.services import promise_record
from arms.cases.services.promises import promises_check
from arms.credit.models import CreditProfile
from arms.credit.services import credit_file_update
from arms.credit.services.profiles import credit_profile_ensure
from arms.earlywarning import metrics
from arms.earlywarning.models import Indicator
from tests import factories

pytestmark = pytest.mark.django_db


def read(metric: str, today, **fields) -> dict:
    indicator = Indicator(name="x", metric=metric, scope=fields.pop("scope", "company"), threshold=1, **fields)
    return {r.subject: (r.value, r.inputs) for r in metrics.readings(indicator, today)}


@pytest.fixture
def book(today):
    a, b = factories.customer("A001", region="south"), factories.customer("B001")
    day = timedelta(days=1)
    factories.invoice(a, net=100_000, tax=13_000, issued=today - 70 * day, due_date=today - 40 * day)
    factories.invoice(b, net=200_000, tax=26_000, issued=today - 20 * day, due_date=today + 10 * day)
    return a, b


def test_overdue_ratio_concentration_and_the_oldest_item(book, today):
    a, b = book
    assert read("overdue_ratio", today)["scope"][0] == 3333  # 113,000 / 339,000
    assert read("concentration_largest", today)["scope"][0] == 6667  # 226,000 / 339,000
    assert read("concentration_top10", today)["scope"][0] == 10000
    oldest = read("oldest_overdue_days", today)
    assert oldest == {f"customer:{a.pk}": (40, {"oldest_due_date": (today - timedelta(days=40)).isoformat(),
                                                 "overdue_minor": 113_000, "items": 1})}
    assert read("overdue_amount", today)[f"customer:{a.pk}"][0] == 113_000
    # a customer-group scope reads only its customers
    assert read("overdue_ratio", today, scope="region", scope_value="south")["scope"][0] == 10000
    assert read("overdue_ratio", today, scope="customer", scope_customer=b)["scope"][0] == 0


def test_credit_utilisation_is_exposure_over_the_limit(book, today):
    a, _b = book
    credit_profile_ensure(a)
    CreditProfile.objects.filter(customer=a).update(limit_minor=100_000, currency="CNY")
    assert read("credit_utilisation", today) == {
        f"customer:{a.pk}": (11300, {"exposure_minor": 113_000, "limit_minor": 100_000, "currency": "CNY"})}


def test_days_late_rising_compares_the_window_with_the_one_before(today):
    customer = factories.customer("D001")
    earlier = factories.invoice(customer, net=10_000, tax=0, issued=today - timedelta(days=180),
                                due_date=today - timedelta(days=150))
    recent = factories.invoice(customer, net=20_000, tax=0, issued=today - timedelta(days=80),
                               due_date=today - timedelta(days=50))
    factories.payment(customer, amount=10_000, received=today - timedelta(days=145), auto_allocate=True)
    factories.payment(customer, amount=20_000, received=today - timedelta(days=25), auto_allocate=True)
    earlier.refresh_from_db()
    recent.refresh_from_db()
    assert earlier.amount_open_minor == recent.amount_open_minor == 0
    value, inputs = read("days_late_rising", today, window=90)[f"customer:{customer.pk}"]
    assert value == 20
    assert (inputs["average_days_late"], inputs["average_days_late_before"]) == (25, 5)


def test_volume_drop_against_the_trailing_year(today):
    customer = factories.customer("E001")
    factories.invoice(customer, net=365_000, tax=0, issued=today - timedelta(days=200))
    factories.invoice(customer, net=45_000, tax=0, issued=today - timedelta(days=10))
    value, inputs = read("volume_drop", today, window=90)[f"customer:{customer.pk}"]
    # trailing year 365,000 → 90,000 expected in 90 days; 45,000 invoiced: down 50%
    assert (inputs["expected_minor"], inputs["invoiced_minor"], value) == (90_000, 45_000, 5000)


def test_broken_promises_and_external_facts(today):
    customer = factories.customer("F001")
    collector = factories.user("col", role="collector")
    invoice = factories.invoice(customer, net=100_000, tax=0, issued=today - timedelta(days=60),
                                due_date=today - timedelta(days=30))
    promise_record(customer=customer, amount_minor=50_000, promised_on=today - timedelta(days=20), actor=collector,
                   made_on=today - timedelta(days=25), invoices=[invoice])
    promises_check(as_of=today - timedelta(days=10))
    assert read("broken_promises", today, window=90)[f"customer:{customer.pk}"][0] == 1
    assert read("broken_promises", today, window=5) == {}
    credit_file_update(customer=customer, actor=None, dishonest_debtor=True, lawsuits_count=2)
    value, inputs = read("external_facts", today)[f"customer:{customer.pk}"]
    assert value == 2 and inputs["dishonest_debtor"] == 1 and inputs["lawsuits"] == 2
