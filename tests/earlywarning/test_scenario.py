"""The issue's early-warning story with a frozen clock: a customer that slows down crosses its indicator once, is
warned once (evaluating on successive days adds no warning, no notification, no task), the warning closes when the
customer pays, and a later crossing raises a new warning. Dates are derived from the test day."""

from datetime import timedelta

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import Task
from arms.common.models import Notification
from arms.earlywarning.models import Warning
from arms.earlywarning.services import IndicatorFields, indicator_create, warnings_evaluate
from tests import factories

pytestmark = pytest.mark.django_db


def _oldest_overdue_indicator(manager, *, threshold: int = 90):
    return indicator_create(actor=manager, fields=IndicatorFields(
        name="最早逾期超过90天", metric="oldest_overdue_days", threshold=threshold, severity="critical",
        responsible_role="collector", notify_roles=("collector",)))


def test_a_slowing_customer_is_warned_once_and_the_warning_closes_when_it_recovers(today):
    manager = factories.user("fm", role="finance_manager")
    collector = factories.user("liujing", role="collector")
    customer = factories.customer("HD001", collector=collector)
    indicator = _oldest_overdue_indicator(manager)
    due = today - timedelta(days=100)
    invoice = factories.invoice(customer, net=100_000, tax=13_000, issued=due - timedelta(days=30), due_date=due)

    def evaluate(day):
        return warnings_evaluate(as_of=day, indicator_ids=[indicator.pk])

    # 80 days overdue: below the threshold, nothing happens
    assert evaluate(due + timedelta(days=80))["raised"] == 0
    assert not Warning.objects.exists()

    # 90 days overdue: it crosses, one warning with its figures, one notification, one follow-up task
    assert evaluate(due + timedelta(days=90)) == {"indicators": 1, "raised": 1, "closed": 0, "standing": 1}
    warning = Warning.objects.get()
    assert (warning.customer_id, warning.status, warning.value, warning.threshold, warning.severity) == (
        customer.pk, "open", 90, 90, "critical")
    assert warning.figures["inputs"] == {"oldest_due_date": due.isoformat(), "overdue_minor": 113_000, "items": 1}
    assert warning.raised_on == due + timedelta(days=90)
    assert Notification.objects.filter(user=collector, kind="earlywarning.raised").count() == 1
    task = Task.objects.get(source="earlywarning")
    assert (task.customer_id, task.assignee_id, task.source_ref) == (customer.pk, collector.pk, f"warning:{warning.pk}")
    assert AuditEvent.objects.filter(action="warning_raised").count() == 1

    # evaluated again the next days: still one warning, one notification, one task; the day it was last seen
    # follows, its latest value when it moved by a tenth of the threshold (9 days)
    evaluate(due + timedelta(days=91))
    evaluate(due + timedelta(days=92))
    warning.refresh_from_db()
    assert Warning.objects.count() == 1 and warning.status == "open"
    assert (warning.value, warning.last_value, warning.last_evaluated_on) == (90, 90, due + timedelta(days=92))
    evaluate(due + timedelta(days=93))
    assert Notification.objects.filter(kind="earlywarning.raised").count() == 1
    assert Task.objects.filter(source="earlywarning").count() == 1

    # the customer pays: the next evaluation closes the warning itself, audited
    paid_on = due + timedelta(days=99)
    evaluate(due + timedelta(days=99))
    warning.refresh_from_db()
    assert warning.last_value == 99
    factories.payment(customer, amount=113_000, received=paid_on, auto_allocate=True)
    invoice.refresh_from_db()
    assert invoice.amount_open_minor == 0
    assert evaluate(paid_on) == {"indicators": 1, "raised": 0, "closed": 1, "standing": 0}
    warning.refresh_from_db()
    assert (warning.status, warning.closed_on) == ("closed", paid_on)
    assert AuditEvent.objects.filter(action="warning_closed").count() == 1
    assert evaluate(paid_on + timedelta(days=1))["closed"] == 0

    # it slows down again later: a new crossing is a new warning
    later_due = paid_on - timedelta(days=5)
    factories.invoice(customer, net=50_000, tax=0, issued=later_due - timedelta(days=30), due_date=later_due)
    evaluate(later_due + timedelta(days=90))
    assert Warning.objects.filter(status="open").count() == 1
    assert Warning.objects.count() == 2
    assert Notification.objects.filter(kind="earlywarning.raised").count() == 2


def test_evaluating_creates_the_shipped_indicators_once_and_a_quiet_book_raises_nothing(today):
    result = warnings_evaluate(as_of=today)
    assert result["indicators"] == 13 and result["raised"] == 0
    assert warnings_evaluate(as_of=today)["indicators"] == 13
    assert not Warning.objects.exists()


def test_the_database_holds_one_standing_warning_per_indicator_and_subject(today):
    from django.db import IntegrityError, transaction

    indicator = _oldest_overdue_indicator(factories.user("fm", role="finance_manager"))
    row = {"indicator": indicator, "subject": "customer:1", "severity": "info", "value": 99, "threshold": 90,
           "raised_on": today}
    Warning.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Warning.objects.create(**row, status="acknowledged")
    Warning.objects.create(**row, status="closed", closed_on=today)  # a closed one does not stand
    assert Warning.objects.count() == 2


def test_the_morning_schedule_queues_one_evaluation(today):
    from arms.common.jobs import Job
    from arms.earlywarning.tasks import earlywarning_daily

    earlywarning_daily.call_local()
    earlywarning_daily.call_local()
    job = Job.objects.get()
    assert (job.kind, job.params) == ("earlywarning.evaluate", {"as_of": today.isoformat()})


def test_deactivating_an_indicator_closes_its_standing_warnings(today):
    from arms.earlywarning.services import indicator_update

    manager = factories.user("fm", role="finance_manager")
    customer = factories.customer("HD001")
    factories.invoice(customer, issued=today - timedelta(days=130), due_date=today - timedelta(days=100))
    indicator = _oldest_overdue_indicator(manager)
    warnings_evaluate(as_of=today, indicator_ids=[indicator.pk])
    assert Warning.objects.get().status == "open"
    indicator_update(actor=manager, indicator=indicator, fields=IndicatorFields(
        name=indicator.name, metric=indicator.metric, threshold=indicator.threshold, severity="critical",
        responsible_role="collector", notify_roles=("collector",), active=False))
    assert (Warning.objects.get().status, Warning.objects.get().closed_on) == ("closed", today)
    assert AuditEvent.objects.get(action="warning_closed").after["reason"] == "indicator_deactivated"
    warnings_evaluate(as_of=today)  # an inactive indicator is not evaluated: nothing raised again
    assert not Warning.objects.filter(indicator=indicator, status="open").exists()


def test_a_first_evaluation_raises_in_short_transactions_and_a_cut_short_run_is_finished_by_the_next(
        today, monkeypatch):
    """Many new crossings are written CHUNK at a time, each chunk committed on its own (the audit chain's head is
    never held for the whole book); if a chunk fails, the chunks before it stand and the next evaluation raises
    the rest, once each."""
    from arms.earlywarning.services import evaluation

    monkeypatch.setattr(evaluation, "CHUNK", 2)
    manager = factories.user("fm", role="finance_manager")
    collector = factories.user("liujing", role="collector")
    due = today - timedelta(days=100)
    for i in range(5):
        factories.invoice(factories.customer(f"HD{i:03d}", collector=collector), issued=due - timedelta(days=30),
                          due_date=due)
    indicator = _oldest_overdue_indicator(manager)
    real = evaluation._raise_chunk
    calls = []

    def failing_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the machine stopped")
        return real(*args, **kwargs)

    monkeypatch.setattr(evaluation, "_raise_chunk", failing_third)
    with pytest.raises(RuntimeError):
        warnings_evaluate(as_of=today, indicator_ids=[indicator.pk])
    assert Warning.objects.count() == 4  # two chunks of two committed, the third rolled back
    assert Task.objects.filter(source="earlywarning").count() == 4
    assert AuditEvent.objects.filter(action="warning_raised").count() == 4

    monkeypatch.setattr(evaluation, "_raise_chunk", real)
    assert warnings_evaluate(as_of=today, indicator_ids=[indicator.pk])["raised"] == 1
    assert Warning.objects.count() == 5 == Warning.objects.values("subject").distinct().count()
    assert Task.objects.filter(source="earlywarning").count() == 5
    assert AuditEvent.objects.filter(action="warning_raised").count() == 5
