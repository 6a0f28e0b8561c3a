"""Dunning services: selection, idempotency, exclusions, policies by grade, e-mail failures and retries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from arms.audit.models import AuditEvent
from arms.cases.models import Activity, Task
from arms.common.errors import Conflict, ValidationFailed
from arms.dunning.models import (
    ActionStatus,
    DunningAction,
    DunningEmail,
    DunningItem,
    DunningPolicy,
    DunningRun,
    EmailStatus,
)
from arms.dunning.services import (
    dunning_run,
    email_send,
    emails_retry,
    exclusion_add,
    exclusion_lift,
    policy_create,
    policy_update,
    profile_set,
)
from arms.dunning.services.policies import default_ladder
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_contract, make_customer, pdf_text
from tests.smtp import attachments, body_text

pytestmark = AFTER_THE_STORIES
DUE = date(2026, 2, 9)  # invoices issued 10 Jan on 30 days


def run(day: date, capture) -> DunningRun:
    with capture(execute=True):
        result = dunning_run(as_of=day)
    result.refresh_from_db()
    return result


@pytest.mark.django_db
def test_rerunning_the_same_day_acts_once(policy, buyer, django_capture_on_commit_callbacks):
    factories.invoice(buyer)
    first = run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    events = AuditEvent.objects.count()
    second = run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    assert (first.actions_count, first.items_count, first.skipped_count) == (1, 1, 1)  # -7 skipped, +1 acted
    assert second.pk == first.pk and DunningRun.objects.count() == 1  # one run per company and day
    assert DunningAction.objects.count() == 1 and DunningEmail.objects.count() == 1
    assert AuditEvent.objects.count() == events  # nothing was written the second time


@pytest.mark.django_db
def test_the_database_refuses_a_second_run_for_a_day(policy, company, django_capture_on_commit_callbacks):
    first = run(DUE, django_capture_on_commit_callbacks)
    assert first.company == company
    with pytest.raises(IntegrityError), transaction.atomic():
        DunningRun.objects.create(company=company, as_of=DUE, trigger="cli")
    assert DunningRun.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_stage_twice_for_one_invoice(policy, buyer, django_capture_on_commit_callbacks):
    inv = factories.invoice(buyer)
    first = run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    item = DunningItem.objects.get(invoice=inv, outcome="actioned")
    with pytest.raises(IntegrityError), transaction.atomic():
        DunningItem.objects.create(run=first, action=item.action, invoice=inv, customer=buyer, stage=item.stage,
                                   stage_offset=item.stage_offset, outcome="actioned", days_past_due=1,
                                   currency="CNY", amount_open_minor=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DunningItem.objects.create(run=first, action=None, invoice=inv, customer=buyer, stage=item.stage,
                                   stage_offset=99, outcome="actioned", days_past_due=1, currency="CNY",
                                   amount_open_minor=1)


@pytest.mark.django_db
def test_items_are_grouped_per_customer_and_stage(policy, people, django_capture_on_commit_callbacks):
    one, two = make_customer(people), make_customer(people)
    a1 = factories.invoice(one, issued=date(2026, 1, 10))
    a2 = factories.invoice(one, issued=date(2026, 1, 12))
    factories.invoice(two, issued=date(2026, 1, 10))
    factories.invoice(two, issued=date(2026, 3, 1))  # not due for anything yet
    result = run(date(2026, 3, 12), django_capture_on_commit_callbacks)  # a1 at +31, a2 at +29
    actions = {(a.customer_id, a.stage.code): sorted(a.items.values_list("invoice_id", flat=True))
               for a in DunningAction.objects.all()}
    assert actions == {(one.pk, "letter"): [a1.pk], (one.pk, "call"): [a2.pk], (two.pk, "letter"): [
        DunningItem.objects.get(customer=two, outcome="actioned").invoice_id]}
    assert result.actions_count == 3 and result.skipped_count == 3 + 2 + 3  # below +30: 3 stages, below +15: 2


@pytest.mark.django_db
def test_excluded_customers_and_settled_items_are_skipped(policy, people, clerk, django_capture_on_commit_callbacks):
    excluded, paid = make_customer(people), make_customer(people)
    factories.invoice(excluded)
    inv = factories.invoice(paid)
    factories.payment(paid, amount=inv.gross_minor, auto_allocate=True)
    exclusion = exclusion_add(customer=excluded, reason="重组谈判中", actor=people["manager"])
    with pytest.raises(Conflict):
        exclusion_add(customer=excluded, reason="again", actor=people["manager"])
    result = run(DUE + timedelta(days=20), django_capture_on_commit_callbacks)
    assert (result.actions_count, result.excluded_count) == (0, 1)
    exclusion_lift(exclusion=exclusion, actor=people["manager"], note="谈判破裂")
    result = run(DUE + timedelta(days=21), django_capture_on_commit_callbacks)  # the next day's run
    assert [a.customer_id for a in DunningAction.objects.filter(run=result)] == [excluded.pk]


@pytest.mark.django_db
def test_an_exclusion_needs_a_reason(buyer, people):
    with pytest.raises(ValidationFailed) as err:
        exclusion_add(customer=buyer, reason="  ", actor=people["manager"])
    assert err.value.field == "reason"


@pytest.mark.django_db
def test_policies_differ_by_grade_and_a_customer_can_have_its_own(policy, people, django_capture_on_commit_callbacks):
    from arms.credit.models import CreditProfile

    strict = policy_create(actor=None, code="grade-d", name="D 级客户", grade="D", priority=10, stages=[
        {"code": "early", "name": "提前催收", "offset_days": -15, "level": "finance", "send_email": True,
         "email_template": "overdue", "attach_statement": False},
        {"code": "stop", "name": "停止供货", "offset_days": 1, "level": "finance", "stop_supply": True},
    ])
    risky, normal, special = make_customer(people), make_customer(people), make_customer(people)
    CreditProfile.objects.create(customer=risky, grade="D")
    CreditProfile.objects.create(customer=normal, grade="B")
    profile_set(customer=special, actor=None, policy=strict, language="en")
    for cust in (risky, normal, special):
        factories.invoice(cust)
    run(DUE - timedelta(days=10), django_capture_on_commit_callbacks)
    stages = dict(DunningAction.objects.values_list("customer_id", "stage__code"))
    assert stages == {risky.pk: "early", special.pk: "early"}  # the standard ladder starts only at -7
    run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    assert set(DunningAction.objects.filter(stage__code="stop").values_list("customer_id", flat=True)) == {
        risky.pk, special.pk}
    assert DunningEmail.objects.get(customer=special).language == "en"


@pytest.mark.django_db
def test_a_ladder_that_steps_down_is_refused(policy):
    ladder = default_ladder()
    ladder[-1]["level"] = "sales"
    with pytest.raises(ValidationFailed) as err:
        policy_update(actor=None, policy=policy, stages=ladder)
    assert (err.value.field, err.value.code) == ("stages", "ladder_level_steps_down")
    assert policy.stages.get(code="handoff").level == "credit_legal"


@pytest.mark.django_db
def test_policy_fields_are_typed_and_an_unknown_one_is_refused_by_name(policy):
    events = AuditEvent.objects.count()
    with pytest.raises(TypeError, match="'colour'"):
        policy_update(actor=None, policy=policy, priority=5, colour="red")
    with pytest.raises(TypeError, match="'colour'"):
        policy_create(actor=None, code="vip", stages=default_ladder(), colour="red")
    with pytest.raises(ValidationFailed) as err:
        policy_update(actor=None, policy=policy, priority=5, name="  ")
    assert err.value.field == "name"
    policy.refresh_from_db()
    assert policy.priority == 100 and policy.name and not DunningPolicy.objects.filter(code="vip").exists()
    assert AuditEvent.objects.count() == events
    made = policy_create(actor=None, code="vip", stages=default_ladder(), grade="A", priority=5)
    assert (made.name, made.grade, made.priority, made.is_active) == ("vip", "A", 5, True)
    policy_update(actor=None, policy=made, is_active=False)
    made.refresh_from_db()
    assert (made.name, made.priority, made.is_active) == ("vip", 5, False)


@pytest.mark.django_db
def test_a_stage_that_was_acted_on_cannot_be_removed(policy, buyer, django_capture_on_commit_callbacks):
    factories.invoice(buyer)
    run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    with pytest.raises(Conflict) as err:
        policy_update(actor=None, policy=policy, stages=[s for s in default_ladder() if s["code"] != "reminder"])
    assert err.value.code == "stage_in_use"
    moved = [{**s, "offset_days": 2} if s["code"] == "reminder" else s for s in default_ladder()]
    policy_update(actor=None, policy=policy, stages=moved)
    assert policy.stages.get(code="reminder").offset_days == 2


@pytest.mark.django_db
def test_no_address_is_recorded_and_the_salesperson_asked_for_one(policy, people, django_capture_on_commit_callbacks):
    mute = make_customer(people, email=None)
    factories.invoice(mute)
    run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    email = DunningEmail.objects.get(customer=mute)
    assert (email.status, email.to_address, email.last_error) == (EmailStatus.NO_ADDRESS, "", "no_address")
    task = Task.objects.get(source="dunning", source_ref=f"action:{email.action_id}:no_address")
    assert (task.assignee, task.level) == (people["sales"], "sales")
    assert emails_retry(manual=True) == {}  # nothing to send


@pytest.mark.django_db
def test_late_interest_follows_each_invoices_contract(policy, buyer, django_capture_on_commit_callbacks):
    with_clause = factories.invoice(buyer, contract=make_contract(buyer, daily=Decimal("0.001"), penalty=Decimal(0)))
    without = factories.invoice(buyer)
    run(DUE + timedelta(days=31), django_capture_on_commit_callbacks)
    charged = dict(DunningItem.objects.filter(outcome="actioned").values_list("invoice_id", "interest_minor"))
    assert charged == {with_clause.pk: 113_000 * 31 // 1000, without.pk: 0}
    action = DunningAction.objects.get()
    assert action.interest_minor == 3_503 and action.penalty_minor == 0


@pytest.mark.django_db
def test_a_failing_action_is_marked_and_can_be_carried_out_later(policy, buyer, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    from arms.dunning import documents
    from arms.dunning.services import process_actions

    factories.invoice(buyer)
    real = documents.render_statement_pdf
    monkeypatch.setattr(documents, "render_statement_pdf", lambda letter: (_ for _ in ()).throw(OSError("disk")))
    run(DUE + timedelta(days=1), django_capture_on_commit_callbacks)
    action = DunningAction.objects.get()
    assert (action.status, action.error) == (ActionStatus.FAILED, "OSError: disk")
    assert not Activity.objects.filter(source="dunning").exists() and not DunningEmail.objects.exists()
    monkeypatch.setattr(documents, "render_statement_pdf", real)
    with django_capture_on_commit_callbacks(execute=False):
        assert process_actions() == {"done": 1, "failed": 0}
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and Activity.objects.filter(source="dunning").count() == 1


@pytest.mark.django_db
def test_a_run_in_the_future_is_refused(policy):
    with pytest.raises(ValidationFailed) as err:
        dunning_run(as_of=date.today() + timedelta(days=30))
    assert err.value.field == "as_of" and not DunningRun.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_smtp_failure_is_recorded_and_retried_without_sending_twice(flushable, policy, buyer, smtp_server):
    factories.invoice(buyer)
    smtp_server.refuse_next(1)
    dunning_run(as_of=DUE + timedelta(days=1))
    email = DunningEmail.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    assert "451" in email.last_error and email.next_attempt_at is not None
    assert smtp_server.messages == []
    assert emails_retry() == {}  # not due yet: the backoff holds the automatic retry
    assert emails_retry(manual=True) == {EmailStatus.SENT: 1}
    assert emails_retry(manual=True) == {}
    assert email_send(email_id=email.pk) == EmailStatus.SENT  # an explicit resend of a sent row does nothing
    [msg] = smtp_server.messages
    email.refresh_from_db()
    assert (email.status, email.attempts, msg["Message-ID"].strip()) == (EmailStatus.SENT, 2, email.message_id)
    assert Activity.objects.filter(source="dunning", source_ref=f"email:{email.pk}", outcome="sent").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_english_customer_gets_english_mail_and_letters(flushable, real_pdf, policy, people, smtp_server):
    overseas = make_customer(people, name="Pacific Trading Ltd", region="overseas")
    factories.invoice(overseas, contract=make_contract(overseas))
    dunning_run(as_of=DUE + timedelta(days=30))
    [msg] = smtp_server.messages
    assert msg["Subject"].startswith("Payment demand") and "Pacific Trading Ltd" in body_text(msg)
    letter = next(v for k, v in attachments(msg).items() if k.startswith("letter-"))
    text = pdf_text(letter)
    assert "Payment Demand" in text and "Civil Code" not in text and "liquidated damages" in text


@pytest.mark.django_db
@pytest.mark.parametrize(("region", "asked"), [("east", "请于5个工作日内书面告知"),
                                               ("overseas", "in writing within 5 working days")])
def test_the_letter_mail_asks_for_differences_within_5_working_days(policy, people, region, asked):
    from arms.dunning.documents import letter_for, render_email

    customer = make_customer(people, region=region)
    factories.invoice(customer, contract=make_contract(customer))
    dunning_run(as_of=DUE + timedelta(days=30), process=False)
    action = DunningAction.objects.get(customer=customer, stage__letter_kind="letter")

    _subject, body = render_email(letter_for(action))

    assert asked in body and "五日" not in body and "five days" not in body


@pytest.mark.django_db
def test_the_contract_clause_is_worded_in_the_letters_language_not_the_callers(policy, people):
    from django.template.loader import render_to_string
    from django.utils import translation

    from arms.dunning.documents import letter_for

    customer = make_customer(people)
    factories.invoice(customer, contract=make_contract(customer))
    dunning_run(as_of=DUE + timedelta(days=30), process=False)
    with translation.override("en"):  # a run from the English UI
        letter = letter_for(DunningAction.objects.get(customer=customer, stage__letter_kind="letter"))

    with translation.override(letter.language):
        clauses = render_to_string("dunning/pdf/_clauses.html", letter.as_context())

    assert "争议解决方式：诉讼" in clauses and "Litigation" not in clauses


@pytest.mark.django_db
def test_the_stage_reached_is_what_the_worklist_sees(policy, buyer, django_capture_on_commit_callbacks):
    from arms.dunning.selectors import dunning_stage_of, dunning_stages_for

    assert dunning_stage_of(buyer) is None
    inv = factories.invoice(buyer)
    run(DUE + timedelta(days=16), django_capture_on_commit_callbacks)
    reached = dunning_stage_of(buyer)
    assert (reached.offset_days, reached.code, reached.level) == (15, "call", "sales")
    assert dunning_stages_for([buyer.pk]) == {buyer.pk: 15}
    factories.payment(buyer, amount=inv.gross_minor, auto_allocate=True)
    assert dunning_stage_of(buyer) is None  # nothing open: nothing reached


@pytest.mark.django_db
def test_the_scheduled_tasks_call_the_services(policy, buyer, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from arms.dunning.tasks import daily_run, retry_emails

    with django_capture_on_commit_callbacks(execute=True):
        run_id = daily_run.call_local()
    scheduled = DunningRun.objects.get(pk=run_id)
    assert (scheduled.as_of, scheduled.trigger, scheduled.started_by) == (timezone.localdate(), "schedule", None)
    assert retry_emails.call_local() == {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_action_carried_out_without_its_pdfs_still_mails_letter_and_statement(flushable, policy, buyer,
                                                                                  smtp_server):
    """The demo carries actions out without rendering every PDF; the e-mail renders what is missing when it
    leaves, so a letter that says 'statement attached' has it attached."""
    from arms.dunning.services.actions import action_process

    factories.invoice(buyer)
    run = dunning_run(as_of=DUE + timedelta(days=30), process=False)
    action = DunningAction.objects.get(run=run)
    action_process(action_id=action.pk, queue_email=False, documents_wanted=())
    action.refresh_from_db()
    assert not action.letter_pdf and not action.statement_pdf

    assert emails_retry(manual=True) == {EmailStatus.SENT: 1}
    [msg] = smtp_server.messages
    names = sorted(attachments(msg))
    assert [n.split("-")[0] for n in names] == ["letter", "statement"]
    assert all(body.startswith(b"%PDF") for body in attachments(msg).values())
