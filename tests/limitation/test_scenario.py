"""The issue's limitation story, with the clock moved: an invoice falls due; a dunning letter with delivery proof
and later a part payment restart the period (expiry three years after each); the 180- and 90-day alerts fire
once each; expiry marks the claim and suggests a write-off; refreshing twice adds nothing.

Dates are a fixed calendar (``@pytest.mark.clock``), checked by hand:
- the invoice is issued Monday 5 January 2026, due Wednesday 4 February 2026 (a working day): the claim can be
  enforced from Thursday 5 February 2026; three years later is Monday 5 February 2029.
- the letter arrives Wednesday 10 June 2026: 10 June 2029 is a Sunday, so the period ends Monday 11 June 2029.
- 300.00 is paid on Friday 15 January 2027: the period ends Tuesday 15 January 2030.
- 180 days before that is 19 July 2029, 90 days before is 17 October 2029.
"""

from datetime import date

import pytest

from arms.cases.enums import ActivityKind
from arms.cases.models import Task
from arms.cases.services import activity_record
from arms.common.models import Notification
from arms.customers.services import company_ensure
from arms.ledger.services.allocations import AllocationRequest, payment_allocate
from arms.limitation.models import LimitationAlert, LimitationClock, LimitationInterruption
from arms.limitation.services import interruption_record
from arms.limitation.services.alerts import limitation_alerts
from arms.limitation.services.refresh import limitation_refresh
from tests import clock, factories

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-03-02")]


def _clock(invoice) -> tuple:
    row = LimitationClock.objects.get(invoice=invoice)
    return row.start, row.last_interruption, row.last_kind, row.expires_on, row.status


def test_letter_and_part_payment_restart_the_period_and_the_alerts_fire_once(client):
    company = company_ensure()
    clerk = factories.user("zhaoli", role="finance_clerk")
    collector = factories.user("liujing", role="collector")
    legal = factories.user("zhouyang", role="legal")
    customer = factories.customer("HD001", collector=collector)
    invoice = factories.invoice(customer, number="INV-2601", net=100_000, tax=13_000, issued=date(2026, 1, 5),
                                due_date=date(2026, 2, 4), actor=clerk)

    # falls due: the clock starts the day after the due date and runs three years
    limitation_refresh(company=company)
    assert _clock(invoice) == (date(2026, 2, 5), None, "", date(2029, 2, 5), "running")

    # a dunning letter with its EMS receipt, delivered on 10 June 2026
    with clock.travel("2026-06-10"):
        letter = activity_record(customer=customer, kind=ActivityKind.LETTER, outcome="delivered", actor=collector,
                                 invoices=[invoice], note="催款函 EMS 1234567890 已签收",
                                 attachment_name="EMS回执.pdf", attachment_bytes=b"%PDF-1.4 EMS receipt")
        # a letter returned undelivered, and a call, interrupt nothing
        activity_record(customer=customer, kind=ActivityKind.LETTER, outcome="returned", actor=collector,
                        invoices=[invoice], attachment_name="退件.pdf", attachment_bytes=b"%PDF-1.4 returned")
        activity_record(customer=customer, kind=ActivityKind.CALL, outcome="reached", actor=collector,
                        invoices=[invoice])
        limitation_refresh(company=company)
    assert _clock(invoice) == (date(2026, 2, 5), date(2026, 6, 10), "demand_delivered", date(2029, 6, 11),
                               "running")
    row = LimitationInterruption.objects.get()
    assert (row.source, row.evidence_id, row.evidence_name) == (f"cases.activity:{letter.pk}",
                                                                letter.attachment_id, "EMS回执.pdf")

    # a part payment of 300.00 on 15 January 2027
    with clock.travel("2027-01-15"):
        payment = factories.payment(customer, amount=30_000, received=date(2027, 1, 15), actor=clerk)
        [allocation] = payment_allocate(actor=clerk, payment=payment, lines=[AllocationRequest(invoice.pk, 30_000)])
        limitation_refresh(company=company)
        again = limitation_refresh(company=company)
    assert again["interruptions_added"] == 0
    assert _clock(invoice) == (date(2026, 2, 5), date(2027, 1, 15), "part_payment", date(2030, 1, 15), "running")
    assert list(LimitationInterruption.objects.order_by("date").values_list("kind", "source")) == [
        ("demand_delivered", f"cases.activity:{letter.pk}"), ("part_payment", f"ledger.allocation:{allocation.pk}")]

    # the alerts: nothing the day before 180 days, the 180-day alert once, nothing until 90 days, then once
    with clock.travel("2029-07-18"):
        limitation_refresh(company=company)
        assert limitation_alerts(company=company)["claims"] == 0
    with clock.travel("2029-07-19"):
        limitation_refresh(company=company)
        assert _clock(invoice)[4] == "expiring"
        assert limitation_alerts(company=company) == {"claims": 1, "customers": 1}
        assert limitation_alerts(company=company) == {"claims": 0, "customers": 0}
    with clock.travel("2029-10-16"):
        assert limitation_alerts(company=company)["claims"] == 0
    with clock.travel("2029-10-17"):
        assert limitation_alerts(company=company) == {"claims": 1, "customers": 1}
        assert limitation_alerts(company=company) == {"claims": 0, "customers": 0}
    assert sorted(LimitationAlert.objects.values_list("days", "expires_on")) == [
        (90, date(2030, 1, 15)), (180, date(2030, 1, 15))]
    told = Notification.objects.filter(kind="limitation.expiring")
    assert sorted(told.values_list("user__username", flat=True)) == ["liujing", "liujing", "zhouyang", "zhouyang"]
    assert "90" in told.order_by("-pk").first().subject
    tasks = Task.objects.filter(source="limitation", customer=customer)
    assert tasks.count() == 2 and {t.assignee_id for t in tasks} == {collector.pk}

    # the day after expiry: marked expired, and the claim's page suggests the write-off
    with clock.travel("2030-01-16"):
        limitation_refresh(company=company)
        assert _clock(invoice)[4] == "expired"
        assert limitation_alerts(company=company)["claims"] == 0
        client.force_login(legal)
        page = client.get(f"/limitation/invoices/{invoice.pk}/")
        assert page.status_code == 200
        link = f"/write-offs/new/?customer={customer.pk}&amp;invoice={invoice.pk}&amp;reason=limitation_expired"
        assert link in page.content.decode()
        listed = client.get("/limitation/?status=expired")
        assert f'data-claim="{invoice.pk}"' in listed.content.decode()


def test_an_interruption_re_arms_the_alerts(client):
    company = company_ensure()
    legal = factories.user("zhouyang", role="legal")
    customer = factories.customer("HD002")
    invoice = factories.invoice(customer, issued=date(2026, 1, 5), due_date=date(2026, 2, 4))
    limitation_refresh(company=company)
    with clock.travel("2028-11-01"):  # 96 days before 5 February 2029: the 180-day alert
        limitation_refresh(company=company)
        assert limitation_alerts(company=company)["claims"] == 1
        interruption_record(actor=legal, invoices=[invoice], kind="promise", on=date(2028, 11, 1), note="口头承诺")
        assert _clock(invoice)[3] == date(2031, 11, 3)  # 1 November 2031 is a Saturday
    with clock.travel("2031-05-06"):  # 181 days before: not yet
        limitation_refresh(company=company)
        assert limitation_alerts(company=company)["claims"] == 0
    with clock.travel("2031-05-07"):  # 180 days before the new expiry: the threshold fires again
        assert limitation_alerts(company=company)["claims"] == 1
    assert LimitationAlert.objects.filter(days=180).count() == 2
