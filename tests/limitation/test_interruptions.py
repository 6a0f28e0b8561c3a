"""Interface B: interruption_record and limitation_state (legal calls them when a case is filed)."""

from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.common.attachments import attachment_store
from arms.common.errors import ValidationFailed
from arms.domain.limitation import add_years, claim_start, next_working_day
from arms.limitation.models import LimitationClock, LimitationInterruption
from arms.limitation.selectors import limitation_state
from arms.limitation.services import interruption_record
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def legal(db):
    return factories.user("zhouyang", role="legal")


def _invoice(customer, today, *, days_ago=400, **kw):
    issued = today - timedelta(days=days_ago)
    return factories.invoice(customer, issued=issued, due_date=issued + timedelta(days=30), **kw)


def test_a_lawsuit_restarts_the_period_from_the_filing_day(customer, legal, today):
    inv = _invoice(customer, today)
    before = limitation_state(inv)
    assert before.start == claim_start(inv.due_date)
    assert before.expires_on == next_working_day(add_years(before.start, 3))
    assert before.last_interruption is None
    assert before.status == "running"

    filed = today - timedelta(days=10)
    scan = attachment_store(content=b"%PDF-1.4 court receipt", name="受理通知书.pdf")
    rows = interruption_record(actor=legal, invoices=[inv], kind="lawsuit", on=filed, source="legal.case:4",
                               note="起诉", evidence=scan)

    assert [(r.invoice_id, r.kind, r.date, r.source, r.evidence_id) for r in rows] == [
        (inv.pk, "lawsuit", filed, "legal.case:4", scan.pk)]
    after = limitation_state(inv)
    assert after.last_interruption == filed
    assert after.expires_on == next_working_day(add_years(filed, 3))
    clock = LimitationClock.objects.get(invoice=inv)
    assert (clock.start, clock.last_interruption, clock.last_kind, clock.expires_on, clock.status) == (
        before.start, filed, "lawsuit", after.expires_on, "running")
    event = AuditEvent.objects.get(action="limitation_interrupted")
    assert event.subject_id == str(rows[0].pk)


def test_recording_the_same_source_twice_adds_nothing(customer, legal, today):
    a, b = _invoice(customer, today), _invoice(customer, today, days_ago=300)
    first = interruption_record(actor=legal, invoices=[a], kind="lawsuit", on=today, source="legal.case:4")
    again = interruption_record(actor=legal, invoices=[b, a], kind="lawsuit", on=today, source="legal.case:4")
    assert [r.pk for r in again if r.invoice_id == a.pk] == [first[0].pk]
    assert LimitationInterruption.objects.count() == 2
    assert AuditEvent.objects.filter(action="limitation_interrupted").count() == 2
    # by hand (no source): once per invoice, kind and day; another day is another interruption
    interruption_record(actor=legal, invoices=[a], kind="demand_delivered", on=today)
    interruption_record(actor=legal, invoices=[a], kind="demand_delivered", on=today)
    interruption_record(actor=legal, invoices=[a], kind="demand_delivered", on=today - timedelta(days=1))
    assert LimitationInterruption.objects.filter(kind="demand_delivered").count() == 2


def test_a_settled_invoice_is_stopped(customer, legal, today):
    inv = _invoice(customer, today)
    interruption_record(actor=legal, invoices=[inv], kind="promise", on=today, source="cases.promise:1")
    factories.payment(customer, amount=inv.gross_minor, received=today, auto_allocate=True)
    inv.refresh_from_db()
    assert inv.amount_open_minor == 0
    assert limitation_state(inv).status == "stopped"


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "phone_call"}, "kind"),
    ({"on": "future"}, "on"),
    ({"on": "before_issue"}, "on"),
    ({"invoices": "other_customer"}, "invoices"),
    ({"invoices": []}, "invoices"),
    ({"note": "x" * 5001}, "note"),
    ({"source": "s" * 61}, "source"),
])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(customer, legal, today, change, field):
    inv = _invoice(customer, today)
    other = _invoice(factories.customer(), today)
    args = {"actor": legal, "invoices": [inv], "kind": "demand_delivered", "on": today, "source": "", "note": ""}
    args.update(change)
    if change.get("on") == "future":
        args["on"] = today + timedelta(days=1)
    if change.get("on") == "before_issue":
        args["on"] = inv.issue_date - timedelta(days=1)
    if change.get("invoices") == "other_customer":
        args["invoices"] = [inv, other]
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        interruption_record(**args)
    assert refused.value.field == field
    assert LimitationInterruption.objects.count() == 0
    assert LimitationClock.objects.count() == 0
    assert AuditEvent.objects.count() == events
