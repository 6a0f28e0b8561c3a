"""The lawyer's-letter stage drafts; legal reviews; only an approved letter is issued and sent, in the name of the
configured law firm (律师函) or of the company's own legal department (催告函)."""

from __future__ import annotations

from datetime import date

import pytest

from arms.audit.models import AuditEvent
from arms.cases.models import Activity, Task
from arms.common.approvals import FourEyes
from arms.common.errors import Conflict, Forbidden, ValidationFailed
from arms.dunning.models import ActionStatus, DunningAction, DunningEmail, ReviewStatus
from arms.dunning.services import dunning_run
from arms.dunning.services.reviews import letter_approve_and_send, letter_reject, letter_resubmit
from arms.legal import selectors
from tests import factories
from tests.dunning.conftest import AFTER_THE_STORIES, make_contract, make_customer, pdf_text
from tests.smtp import attachments, body_text

pytestmark = AFTER_THE_STORIES
LAWYER_DAY = date(2026, 5, 10)  # invoices issued 10 Jan, due 9 Feb: +90


def lawyer_stage_draft(people, capture, *, actor=None, name="上海宏达机械有限公司") -> DunningAction:
    buyer = make_customer(people, name=name)
    factories.invoice(buyer, net=10_000_000, tax=1_300_000, contract=make_contract(buyer))
    with capture(execute=True):
        run = dunning_run(as_of=LAWYER_DAY, actor=actor, trigger="ui" if actor else "cli")
    return run.actions.get(stage__code="lawyer_letter")


@pytest.mark.django_db
def test_the_draft_waits_for_legal_then_goes_out_as_a_law_firms_letter(
        policy, people, law_firm, lawyer, smtp_server, real_pdf, django_capture_on_commit_callbacks):
    # Given a customer 90 days overdue, the run reaches the lawyer's letter stage
    draft = lawyer_stage_draft(people, django_capture_on_commit_callbacks)
    draft.refresh_from_db()
    # Then: a draft awaiting review, nothing stored, recorded, held or sent; legal has a review task
    assert (draft.status, draft.review_status) == (ActionStatus.AWAITING_REVIEW, ReviewStatus.AWAITING)
    assert not draft.letter_pdf and draft.issuer == {}
    assert not Activity.objects.filter(source="dunning", source_ref=f"action:{draft.pk}").exists()
    assert not DunningEmail.objects.filter(action=draft).exists() and smtp_server.messages == []
    task = Task.objects.get(source="dunning", source_ref=f"action:{draft.pk}")
    assert (task.kind, task.level) == ("legal_review", "credit_legal")
    assert list(selectors.letter_queue(user=lawyer)) == [draft]
    assert AuditEvent.objects.filter(action="lawyer_letter_drafted").count() == 1

    # processing again (the schedule retrying) does nothing to a draft
    from arms.dunning.services import process_actions

    assert process_actions() == {"done": 0, "failed": 0}

    # When legal approves
    with django_capture_on_commit_callbacks(execute=True):
        sent = letter_approve_and_send(actor=lawyer, action_id=draft.pk, note="同意发送")
    # Then the letter is issued in the law firm's name, stored, recorded and e-mailed
    assert (sent.status, sent.review_status, sent.reviewed_by) == (ActionStatus.DONE, ReviewStatus.APPROVED, lawyer)
    assert sent.issuer["firm"] == "上海明理律师事务所" and sent.issuer["licence"] == "13101200910123456"
    text = pdf_text(sent.letter_pdf.read())
    assert "律师函" in text and "上海明理律师事务所" in text and "张明" in text and "13101200910123456" in text
    assert "催告函" not in text
    activity = Activity.objects.get(source="dunning", source_ref=f"action:{sent.pk}")
    assert activity.kind == "lawyer_letter" and activity.attachment.sha256 == sent.letter_sha256
    [msg] = smtp_server.messages
    assert msg["Subject"].strip().startswith("律师函") and "上海明理律师事务所" in body_text(msg)
    assert f"lawyer_letter-20260510-{sent.pk:06d}.pdf" in attachments(msg)
    # legal's review task was given with the draft; approval makes no second one
    assert Task.objects.filter(source="dunning", source_ref__startswith=f"action:{sent.pk}").count() == 1
    assert selectors.letter_queue(user=lawyer).count() == 0
    # a second approval is refused
    with pytest.raises(Conflict) as refused:
        letter_approve_and_send(actor=lawyer, action_id=draft.pk)
    assert refused.value.code == "letter_not_awaiting_review"


@pytest.mark.django_db
def test_without_a_law_firm_the_company_sends_a_cui_gao_han(
        policy, people, lawyer, smtp_server, real_pdf, django_capture_on_commit_callbacks):
    draft = lawyer_stage_draft(people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        sent = letter_approve_and_send(actor=lawyer, action_id=draft.pk)
    assert sent.issuer == {"mode": "own_legal"}
    text = pdf_text(sent.letter_pdf.read())
    assert "催告函" in text and "法务部" in text and "律师函" not in text
    [msg] = smtp_server.messages
    assert msg["Subject"].strip().startswith("催告函") and "律师函" not in body_text(msg)


@pytest.mark.django_db
def test_the_person_who_triggered_it_cannot_approve_and_rejection_sends_nothing(
        policy, people, lawyer, lawyer2, smtp_server, django_capture_on_commit_callbacks):
    draft = lawyer_stage_draft(people, django_capture_on_commit_callbacks, actor=lawyer)
    draft.refresh_from_db()
    assert draft.drafted_by == lawyer
    events = AuditEvent.objects.count()
    with pytest.raises(FourEyes):
        letter_approve_and_send(actor=lawyer, action_id=draft.pk)
    # a collector cannot review at all
    with pytest.raises(Forbidden):
        letter_reject(actor=people["collector"], action_id=draft.pk, note="no")
    # a rejection needs its reason
    with pytest.raises(ValidationFailed) as no_note:
        letter_reject(actor=lawyer2, action_id=draft.pk, note="  ")
    assert no_note.value.field == "note"
    draft.refresh_from_db()
    assert (draft.status, draft.review_status, draft.reviewed_by) == (
        ActionStatus.AWAITING_REVIEW, ReviewStatus.AWAITING, None)
    assert AuditEvent.objects.count() == events

    rejected = letter_reject(actor=lawyer2, action_id=draft.pk, note="合同编号有误，请核对后重新提交")
    assert (rejected.status, rejected.review_status) == (ActionStatus.AWAITING_REVIEW, ReviewStatus.REJECTED)
    follow_up = Task.objects.get(source="dunning", source_ref__startswith=f"action:{draft.pk}:rejected:")
    assert "合同编号有误" in follow_up.title and follow_up.level == "finance"
    assert smtp_server.messages == [] and not DunningEmail.objects.exists()
    with pytest.raises(Conflict):
        letter_approve_and_send(actor=lawyer2, action_id=draft.pk)

    # the collector resubmits; the collector's own resubmission is then approved by legal
    again = letter_resubmit(actor=people["collector"], action_id=draft.pk, note="已核对")
    assert (again.review_status, again.drafted_by) == (ReviewStatus.AWAITING, people["collector"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = letter_approve_and_send(actor=lawyer, action_id=draft.pk)
    assert sent.status == ActionStatus.DONE and len(smtp_server.messages) == 1
