"""Credit limit change requests: the maker asks with a justification, checkers approve, never the maker.

A credit manager approves every manual request; a limit above ``ARMS_CREDIT_LIMIT_FM_THRESHOLD`` (CNY) also
needs a finance manager, in either order, and one person never fills both approvals. When every approval it
needs is in, the limit changes (audited). A refusal changes nothing: no approval, no limit, no audit event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import audit_record
from arms.common.api_types import MAX_MINOR
from arms.common.approvals import require_second_person
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.common.notify import notify
from arms.common.services import idempotent
from arms.credit.enums import LimitRequestStatus
from arms.credit.models import CreditProfile, LimitChangeRequest
from arms.credit.services.approvers import notify_approvers
from arms.credit.services.profiles import credit_profile_ensure
from arms.credit.services.ratings import credit_file_link, limit_fm_threshold_minor, to_cny_minor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.customers.models import Customer

PENDING = LimitRequestStatus.PENDING


def _locked(request: LimitChangeRequest) -> LimitChangeRequest:
    lock_customer(request.customer_id)
    locked = qs_for_update(LimitChangeRequest.objects.all()).select_related("customer").get(pk=request.pk)
    if locked.status != PENDING:
        raise Conflict(_("This request was already decided (%(status)s).") % {"status": locked.get_status_display()},
                       field="request", code=ErrorCode.LIMIT_REQUEST_NOT_PENDING)
    return locked


@transaction.atomic
def limit_request_create(*, customer: Customer, actor: User, requested_limit_minor: int, justification: str,
                         currency: str | None = None, idempotency_key: str | None = None) -> LimitChangeRequest:
    """Ask for a new credit limit (in the limit's currency); one pending request per customer.

    With an ``idempotency_key`` a retry returns the first request instead of being refused as a duplicate.
    """
    payload = {"customer": customer.pk, "limit": requested_limit_minor, "justification": justification,
               "currency": currency, "actor": getattr(actor, "pk", None)}
    request, _created = idempotent(
        scope="credit.limit_request", key=idempotency_key, payload=payload, model=LimitChangeRequest,
        create=lambda: _limit_request_create(customer=customer, actor=actor, currency=currency,
                                             requested_limit_minor=requested_limit_minor, justification=justification),
    )
    return request


def _limit_request_create(*, customer: Customer, actor: User, requested_limit_minor: int, justification: str,
                          currency: str | None) -> LimitChangeRequest:
    if isinstance(requested_limit_minor, bool) or not isinstance(requested_limit_minor, int):
        raise ValidationFailed(_("A limit is a whole number of minor units."), field="requested_limit_minor")
    if not 0 <= requested_limit_minor <= MAX_MINOR:
        raise ValidationFailed(_("A limit is between 0 and 10^15 minor units."), field="requested_limit_minor")
    if not (justification or "").strip():
        raise ValidationFailed(_("Say why the limit should change."), field="justification")
    locked_customer = lock_customer(customer.pk)
    profile = credit_profile_ensure(locked_customer)
    currency = (currency or profile.currency).upper()
    if profile.limit_minor is not None and currency != profile.currency:
        raise ValidationFailed(_("The limit is kept in %(currency)s.") % {"currency": profile.currency},
                               field="currency")
    if LimitChangeRequest.objects.filter(customer=locked_customer, status=PENDING).exists():
        raise Conflict(_("A limit change request for this customer is already waiting."), field="customer",
                       code=ErrorCode.LIMIT_REQUEST_PENDING)
    if requested_limit_minor == profile.limit_minor and currency == profile.currency:
        raise ValidationFailed(_("That is the limit in force already."), field="requested_limit_minor")
    in_cny = to_cny_minor(requested_limit_minor, currency, timezone.localdate())
    request = LimitChangeRequest.objects.create(
        customer=locked_customer, currency=currency, current_limit_minor=profile.limit_minor,
        requested_limit_minor=requested_limit_minor, justification=justification.strip(), requested_by=actor,
        needs_finance_manager=in_cny is None or in_cny > limit_fm_threshold_minor(),
    )
    audit_record(actor=actor, action="credit_limit_requested", subject=request, before=None,
                 after={"current_limit_minor": request.current_limit_minor,
                        "requested_limit_minor": requested_limit_minor, "currency": currency,
                        "needs_finance_manager": request.needs_finance_manager,
                        "justification": request.justification})
    notify_approvers(request)
    return request


def _profile_locked(customer_id: int) -> CreditProfile:
    return qs_for_update(CreditProfile.objects.all()).get(customer_id=customer_id)


def _apply(request: LimitChangeRequest, *, actor: User, note: str) -> None:
    profile = _profile_locked(request.customer_id)
    before = {"limit_minor": profile.limit_minor, "currency": profile.currency}
    profile.limit_minor = request.requested_limit_minor
    profile.currency = request.currency
    profile.updated_by = actor
    profile.save(update_fields=["limit_minor", "currency", "updated_by", "updated_at"])
    request.status = LimitRequestStatus.APPROVED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note[:500]
    audit_record(actor=actor, action="credit_limit_changed", subject=profile, before=before,
                 after={"limit_minor": profile.limit_minor, "currency": profile.currency, "request": request.pk})


@transaction.atomic
def limit_request_approve(*, request: LimitChangeRequest, actor: User, note: str = "") -> LimitChangeRequest:
    """Give the approval the actor's role allows; when the last one needed is in, the limit changes.

    Refused (nothing changed): the requester approving their own request (``four_eyes``), an approver
    who already approved (``already_approved``), a role that may approve nothing still missing (403).
    """
    locked = _locked(request)
    require_second_person(locked.requested_by_id, actor)
    if actor.pk in (locked.credit_approved_by_id, locked.finance_approved_by_id):
        raise Conflict(_("You have approved this request already; another person must approve too."),
                       field="request", code=ErrorCode.ALREADY_APPROVED)
    now = timezone.now()
    if (locked.needs_credit_manager and locked.credit_approved_by_id is None
            and actor.has_perm("credit.approve_limitchange")):
        locked.credit_approved_by, locked.credit_approved_at, slot = actor, now, "credit_manager"
    elif (locked.needs_finance_manager and locked.finance_approved_by_id is None
          and actor.has_perm("credit.approve_limitchange_large")):
        locked.finance_approved_by, locked.finance_approved_at, slot = actor, now, "finance_manager"
    else:
        raise Forbidden(_("Your role cannot give the approval this request still needs."), field="request",
                        code=ErrorCode.CANNOT_APPROVE)
    complete = ((not locked.needs_credit_manager or locked.credit_approved_by_id is not None)
                and (not locked.needs_finance_manager or locked.finance_approved_by_id is not None))
    if complete:  # the profile before the audit chain's head: the lock order of ADR 0003
        _profile_locked(locked.customer_id)
    audit_record(actor=actor, action="credit_limit_approved", subject=locked, before=None,
                 after={"as": slot, "note": note})
    if complete:
        _apply(locked, actor=actor, note=note)
    locked.save()
    if not complete:
        notify_approvers(locked)
    return locked


@transaction.atomic
def limit_request_reject(*, request: LimitChangeRequest, actor: User, note: str) -> LimitChangeRequest:
    """An approver refuses the request (with a reason); the limit stays as it is."""
    if not (actor.has_perm("credit.approve_limitchange") or actor.has_perm("credit.approve_limitchange_large")):
        raise Forbidden(_("Your role may not decide limit requests."), field="request")
    if not (note or "").strip():
        raise ValidationFailed(_("Say why you reject the request."), field="note")
    locked = _locked(request)
    require_second_person(locked.requested_by_id, actor)
    locked.status = LimitRequestStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note[:500]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="credit_limit_rejected", subject=locked, before={"status": "pending"},
                 after={"status": "rejected", "note": note})
    notify([locked.requested_by], kind="credit.limit_request",
           subject=_("Credit limit request for %(customer)s rejected") % {"customer": locked.customer.name},
           body=note, link=credit_file_link(locked.customer))
    return locked


@transaction.atomic
def limit_request_cancel(*, request: LimitChangeRequest, actor: User, note: str = "") -> LimitChangeRequest:
    """The requester withdraws a pending request."""
    locked = _locked(request)
    if actor.pk != locked.requested_by_id:
        raise Forbidden(_("Only the requester can cancel a request."), field="request", code=ErrorCode.NOT_REQUESTER)
    locked.status = LimitRequestStatus.CANCELLED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note[:500]
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="credit_limit_request_cancelled", subject=locked, before={"status": "pending"},
                 after={"status": "cancelled", "note": note})
    return locked
