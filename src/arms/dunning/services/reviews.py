"""Legal's review of a lawyer's letter draft: approve (then it is issued and sent), reject with a comment (it stays
unsent), resubmit a rejected draft.

The draft is made by ``actions.letter_draft`` when a run reaches the lawyer's-letter stage. Approving freezes who
issues the letter (``documents.letter_issuer``: the configured law firm, or the company's own legal department,
whose letter is a 催告函) and hands the action back to processing, which stores the PDF, records the activity
and queues the e-mail. The reviewer is never the person who triggered or resubmitted the draft (four eyes).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.cases.services.tasks import task_create
from arms.common.approvals import require_second_person
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.domain.money import format_money
from arms.dunning import documents
from arms.dunning.models import ActionStatus, DunningAction, ReviewStatus
from arms.dunning.services.actions import SOURCE, action_process, review_task

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PERMISSION = "dunning.review_lawyer_letter"
MAX_REVIEW_NOTE = 1000


def _locked(action_id: int) -> DunningAction:
    action = DunningAction.objects.select_related("customer__company").filter(pk=action_id).first()
    if action is None:
        raise ValidationFailed(_("No such letter."), field="action")
    lock_customer(action.customer_id)
    locked: DunningAction = (qs_for_update(DunningAction.objects.all(), own_rows_only=True)
                             .select_related("customer__company", "stage", "policy").get(pk=action_id))
    return locked


def _may_review(actor: User) -> None:
    if not actor.has_perm(PERMISSION):
        raise Forbidden(_("Only legal reviews lawyer's letters."))


def _note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationFailed(_("Say why the draft is rejected."), field="note")
    if len(note) > MAX_REVIEW_NOTE:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": MAX_REVIEW_NOTE}, field="note")
    return note


def _awaiting(action: DunningAction) -> None:
    if action.review_status != ReviewStatus.AWAITING:
        raise Conflict(_("This letter is not awaiting review."), code=ErrorCode.LETTER_NOT_AWAITING_REVIEW)


@transaction.atomic
def letter_approve(*, actor: User, action_id: int, note: str = "") -> DunningAction:
    """Approve the draft: who issues it is frozen and the action goes back to processing (pending)."""
    _may_review(actor)
    note = _note(note, required=False)
    action = _locked(action_id)
    _awaiting(action)
    require_second_person(action.drafted_by_id, actor)
    issuer = documents.letter_issuer(action)
    if issuer.get("mode") == "law_firm" and not all(issuer.get(k) for k in ("firm", "lawyer", "licence")):
        raise ValidationFailed(_("The law firm's name, lawyer and licence number must be set before a lawyer's "
                                 "letter is issued in its name."), field="issuer")
    action.review_status, action.status = ReviewStatus.APPROVED, ActionStatus.PENDING
    action.reviewed_by, action.reviewed_at, action.review_note, action.issuer = actor, timezone.now(), note, issuer
    action.save(update_fields=["review_status", "status", "reviewed_by", "reviewed_at", "review_note", "issuer"])
    audit_record(actor=actor, action="lawyer_letter_approved", subject=action,
                 before={"review_status": ReviewStatus.AWAITING.value},
                 after={"review_status": action.review_status, "issuer": issuer, "note": note})
    return action


def letter_approve_and_send(*, actor: User, action_id: int, note: str = "") -> DunningAction:
    """Approve (one transaction), then carry the action out (its own transaction, as the runs do: a failure there
    leaves it pending and approved, and the next processing retries it)."""
    letter_approve(actor=actor, action_id=action_id, note=note)
    return action_process(action_id=action_id)


@transaction.atomic
def letter_reject(*, actor: User, action_id: int, note: str) -> DunningAction:
    """Reject the draft with a comment: nothing is sent; the finance level gets a task with the comment."""
    _may_review(actor)
    note = _note(note, required=True)
    action = _locked(action_id)
    _awaiting(action)
    require_second_person(action.drafted_by_id, actor)
    now = timezone.now()
    action.review_status, action.reviewed_by, action.reviewed_at, action.review_note = (
        ReviewStatus.REJECTED, actor, now, note)
    action.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note"])
    task_create(customer=action.customer, kind="follow_up", level="finance", due_on=timezone.localdate()
                + timedelta(days=3), source=SOURCE, source_ref=f"action:{action.pk}:rejected:{now:%Y%m%d%H%M%S%f}",
                title=(_("Lawyer's letter for %(customer)s (%(amount)s) rejected by legal: %(note)s") % {
                    "customer": action.customer.name, "amount": format_money(action.open_minor, action.currency),
                    "note": note})[:200])
    audit_record(actor=actor, action="lawyer_letter_rejected", subject=action,
                 before={"review_status": ReviewStatus.AWAITING.value},
                 after={"review_status": action.review_status, "note": note})
    return action


@transaction.atomic
def letter_resubmit(*, actor: User, action_id: int, note: str = "") -> DunningAction:
    """Put a rejected draft before legal again (after the reason was dealt with); the resubmitter cannot approve it."""
    note = _note(note, required=False)
    action = _locked(action_id)
    if action.review_status != ReviewStatus.REJECTED:
        raise Conflict(_("Only a rejected draft can be resubmitted."), code=ErrorCode.LETTER_NOT_AWAITING_REVIEW)
    action.review_status, action.drafted_by = ReviewStatus.AWAITING, actor
    action.save(update_fields=["review_status", "drafted_by"])
    review_task(action, source_ref=f"action:{action.pk}:resubmitted:{timezone.now():%Y%m%d%H%M%S%f}")
    audit_record(actor=actor, action="lawyer_letter_resubmitted", subject=action,
                 before={"review_status": ReviewStatus.REJECTED.value},
                 after={"review_status": action.review_status, "note": note})
    return action
