"""Contract review before signing: submit a draft (a round with its steps, the credit check and the clause
checklist frozen), decide each step in turn (approve, return, reject), the review settings.

Signing an approved contract is ``arms.contracts.services.contract_sign`` (the one way a contract becomes active
after review)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.approvals import require_second_person
from arms.common.bounds import MAX_MINOR, MAX_NOTE
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import lock_customer, qs_for_update
from arms.common.models import Notification
from arms.common.notify import notify
from arms.contractreview.enums import STEP_PERMISSIONS, STEP_ROLES, Clause, Decision, RoundStatus, StepKind
from arms.contractreview.models import ContractReview, ContractReviewSettings, ReviewStep
from arms.contracts.models import Contract, ContractStatus, GuaranteeType
from arms.domain.money import BASE_CURRENCY
from arms.exposure.services import credit_check
from arms.ledger.errors import MissingExchangeRate
from arms.ledger.services.fx import exchange_rate_on, to_base

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor, JsonDict
    from arms.customers.models import Company


def _person(actor: Actor) -> User:
    """A review is submitted and decided by a person who is logged in, never by the system."""
    if actor is None or not actor.is_authenticated:
        raise Forbidden(_("Log in to take part in a contract review."))
    return actor


def review_settings(company: Company) -> ContractReviewSettings:
    """The company's review settings (the defaults until someone changes them)."""
    found = ContractReviewSettings.objects.filter(company=company).first()
    return found if found is not None else ContractReviewSettings(company=company)


@transaction.atomic
def review_settings_set(*, actor: Actor, company: Company, legal_from_minor: int, finance_from_minor: int,
                        guarantee_from_minor: int, reminder_days: int) -> ContractReviewSettings:
    for field, value in (("legal_from_minor", legal_from_minor), ("finance_from_minor", finance_from_minor),
                         ("guarantee_from_minor", guarantee_from_minor)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MINOR:
            raise ValidationFailed(_("An amount is 0 or more minor units."), field=field)
    if isinstance(reminder_days, bool) or not isinstance(reminder_days, int) or not 0 <= reminder_days <= 365:
        raise ValidationFailed(_("Reminder days are 0 to 365."), field="reminder_days")
    current = qs_for_update(ContractReviewSettings.objects.filter(company=company)).first()
    before = None if current is None else {"legal_from_minor": current.legal_from_minor,
                                           "finance_from_minor": current.finance_from_minor,
                                           "guarantee_from_minor": current.guarantee_from_minor,
                                           "reminder_days": current.reminder_days}
    after = {"legal_from_minor": legal_from_minor, "finance_from_minor": finance_from_minor,
             "guarantee_from_minor": guarantee_from_minor, "reminder_days": reminder_days}
    obj, _created = ContractReviewSettings.objects.update_or_create(
        company=company, defaults={**after, "updated_by": actor})
    audit_record(actor=actor, action=AuditAction.CONTRACT_REVIEW_SETTINGS_CHANGED, subject=obj, before=before,
                 after=after)
    return obj


def amount_in_base(contract: Contract) -> int:
    """The contract amount in CNY fen at today's rate (the thresholds are in CNY)."""
    if contract.currency == BASE_CURRENCY:
        return contract.amount_minor
    return to_base(contract.amount_minor, contract.currency, exchange_rate_on(contract.currency,
                                                                              timezone.localdate()))


def clause_checklist(contract: Contract) -> dict[str, bool]:
    """Each checklist clause: present in the contract's terms (True) or missing."""
    return {
        Clause.PAYMENT_TERMS: contract.payment_terms_days > 0,
        Clause.LATE_INTEREST: bool(contract.late_interest_rate_daily or contract.late_interest_tiers
                                   or contract.penalty_rate or contract.penalty_clause.strip()),
        Clause.GUARANTEE: contract.guarantee_type != GuaranteeType.NONE,
        Clause.ACCEPTANCE: bool(contract.acceptance_clause.strip()),
        Clause.DISPUTE_VENUE: bool(contract.dispute_venue.strip()),
        Clause.GOVERNING_LAW: bool(contract.governing_law.strip()),
    }


def required_clauses(settings: ContractReviewSettings, base_minor: int) -> list[str]:
    """Every clause but the guarantee; the guarantee from the company's amount on."""
    return [str(c) for c in Clause if c != Clause.GUARANTEE or base_minor >= settings.guarantee_from_minor]


def required_steps(settings: ContractReviewSettings, base_minor: int) -> list[StepKind]:
    """Sales management and credit always; legal and finance from the company's amounts on."""
    steps = [StepKind.SALES, StepKind.CREDIT]
    if base_minor >= settings.legal_from_minor:
        steps.append(StepKind.LEGAL)
    if base_minor >= settings.finance_from_minor:
        steps.append(StepKind.FINANCE)
    return steps


def credit_figures(contract: Contract, actor: Actor = None) -> JsonDict:
    """What the customer's credit check would decide for this contract now (nothing locked, nothing written)."""
    try:
        result = credit_check(customer=contract.customer, amount_minor=contract.amount_minor,
                              currency=contract.currency, document_kind="contract", document_ref=contract.number,
                              user=actor, lock=False)
    except MissingExchangeRate as exc:
        return {"decision": "unknown", "reasons": [{"message": exc.message}]}
    data: JsonDict = json.loads(json.dumps(result.details(), cls=DjangoJSONEncoder))
    return data


def _reviewers(kind: StepKind) -> Any:
    return get_user_model().objects.filter(groups__name=STEP_ROLES[kind], is_active=True)


def _notify_step(review: ContractReview, kind: StepKind) -> None:
    contract = review.contract
    notify(_reviewers(kind), kind="contractreview.step",
           subject=_("Contract %(number)s waits for your review (%(step)s)")
           % {"number": contract.number, "step": kind.label},
           body=_("%(customer)s, round %(round)s.") % {"customer": contract.customer.name, "round": review.round},
           link=reverse("contractreview:review", args=[contract.pk]))


@transaction.atomic
def review_submit(*, actor: Actor, contract: Contract) -> ContractReview:
    """Submit a draft for review: a new round with the steps its amount needs, the credit figures and the clause
    checklist frozen; the contract is in review and the first step's people are told."""
    person = _person(actor)
    lock_customer(contract.customer_id)  # lock order: customer first
    locked = qs_for_update(Contract.objects.select_related("customer", "company")).get(pk=contract.pk)
    if locked.status != ContractStatus.DRAFT:
        raise Conflict(_("Only a draft is submitted for review; this contract is %(status)s.")
                       % {"status": locked.get_status_display()}, field="status", code=ErrorCode.CONTRACT_STATUS)
    settings = review_settings(locked.company)
    base = amount_in_base(locked)
    last = ContractReview.objects.filter(contract=locked).order_by("-round").values_list("round", flat=True).first()
    review = ContractReview.objects.create(
        contract=locked, round=(last or 0) + 1, submitted_by=person, submitted_at=timezone.now(),
        amount_base_minor=base, credit_check=credit_figures(locked, actor),
        clauses={str(k): v for k, v in clause_checklist(locked).items()},
        required_clauses=required_clauses(settings, base))
    kinds = required_steps(settings, base)
    ReviewStep.objects.bulk_create(ReviewStep(review=review, sequence=i, kind=kind)
                                   for i, kind in enumerate(kinds, start=1))
    locked.status = ContractStatus.IN_REVIEW
    locked.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.CONTRACT_REVIEW_SUBMITTED, subject=locked,
                 after={"round": review.round, "steps": [str(k) for k in kinds],
                        "credit_decision": review.credit_check.get("decision"), "clauses": review.clauses})
    _notify_step(review, kinds[0])
    return review


def open_round(contract: Contract) -> ContractReview | None:
    return ContractReview.objects.filter(contract=contract, status=RoundStatus.OPEN).first()


def _close(review: ContractReview, contract: Contract, round_status: str, contract_status: str) -> None:
    review.status, review.closed_at = round_status, timezone.now()
    review.save(update_fields=["status", "closed_at"])
    contract.status = contract_status
    contract.save(update_fields=["status"])


@transaction.atomic
def review_decide(*, actor: Actor, contract: Contract, kind: str, decision: str, comment: str = "",
                  confirmed: list[str] | None = None) -> ReviewStep:
    """Decide the next step of the contract's open round as ``kind``: approve (every required clause present and
    confirmed), return (back to draft, the comment says what to fix) or reject (final). The submitter never
    decides; the last approval makes the contract approved, ready to sign."""
    if kind not in StepKind.values:
        raise ValidationFailed(_("Unknown review step."), field="kind")
    if decision not in (Decision.APPROVED, Decision.RETURNED, Decision.REJECTED):
        raise ValidationFailed(_("Approve, return or reject."), field="decision")
    comment = (comment or "").strip()
    if len(comment) > MAX_NOTE:
        raise ValidationFailed(_("The comment is too long."), field="comment")
    if decision != Decision.APPROVED and not comment:
        raise ValidationFailed(_("Say why the contract is returned or rejected."), field="comment")
    confirmed = [str(c) for c in confirmed or []]
    unknown = [c for c in confirmed if c not in Clause.values]
    if unknown:
        raise ValidationFailed(_("Unknown clause %(clause)s.") % {"clause": unknown[0]}, field="confirmed")
    step_kind = StepKind(kind)
    person = _person(actor)
    if not getattr(actor, "has_perm", lambda _p: False)(STEP_PERMISSIONS[step_kind]):
        raise Forbidden(_("Your role does not sign off the %(step)s step.") % {"step": step_kind.label})
    lock_customer(contract.customer_id)
    locked = qs_for_update(Contract.objects.select_related("customer")).get(pk=contract.pk)
    review = open_round(locked)
    if locked.status != ContractStatus.IN_REVIEW or review is None:
        raise Conflict(_("The contract is not in review."), field="status", code=ErrorCode.CONTRACT_STATUS)
    require_second_person(review.submitted_by, actor)
    steps = list(review.steps.order_by("sequence"))
    step = next((s for s in steps if s.decision == Decision.PENDING), None)
    if step is None or step.kind != step_kind:
        mine = next((s for s in steps if s.kind == step_kind), None)
        if mine is None:
            raise ValidationFailed(_("This round has no %(step)s step.") % {"step": step_kind.label}, field="kind")
        raise Conflict(_("The %(step)s step is not next.") % {"step": step_kind.label}, field="kind",
                       code=ErrorCode.STEP_NOT_NEXT)
    if decision == Decision.APPROVED:
        present = clause_checklist(locked)
        for clause in review.required_clauses:
            if not present.get(clause, False):
                raise ValidationFailed(
                    _("The %(clause)s clause is missing: return the contract instead of approving it.")
                    % {"clause": Clause(clause).label}, field="confirmed")
            if clause not in confirmed:
                raise ValidationFailed(_("Confirm the %(clause)s clause before approving.")
                                       % {"clause": Clause(clause).label}, field="confirmed")
    step.decision, step.comment, step.clauses_confirmed = decision, comment, confirmed
    step.decided_by, step.decided_at = person, timezone.now()
    step.save(update_fields=["decision", "comment", "clauses_confirmed", "decided_by", "decided_at"])
    following = next((s for s in steps if s.sequence > step.sequence), None)
    if decision == Decision.RETURNED:
        _close(review, locked, RoundStatus.RETURNED, ContractStatus.DRAFT)
    elif decision == Decision.REJECTED:
        _close(review, locked, RoundStatus.REJECTED, ContractStatus.REJECTED)
    elif following is None:
        _close(review, locked, RoundStatus.APPROVED, ContractStatus.APPROVED)
    audit_record(actor=actor, action=AuditAction.CONTRACT_REVIEW_DECIDED, subject=locked,
                 after={"round": review.round, "step": str(step_kind), "decision": decision, "comment": comment,
                        "confirmed": confirmed, "contract_status": locked.status})
    if decision == Decision.APPROVED and following is not None:
        _notify_step(review, StepKind(following.kind))
    else:
        notify([review.submitted_by], kind="contractreview.decided",
               subject=_("Contract %(number)s: %(step)s %(decision)s")
               % {"number": locked.number, "step": step_kind.label, "decision": Decision(decision).label},
               body=comment, link=reverse("contractreview:review", args=[locked.pk]))
    return step


def _already_told(user_ids: set[int], *, kind: str, link: str, today: date) -> set[int]:
    return set(Notification.objects.filter(user_id__in=user_ids, kind=kind, link=link,
                                           created_at__date__gte=today).values_list("user_id", flat=True))


@transaction.atomic
def contract_reminders(*, company: Company, today: date | None = None) -> dict[str, int]:
    """Tell each salesperson of the contracts in force that end in the company's reminder days (on that day)
    and of those whose review date is today; once per contract, person and day (a second run the same day tells
    nobody again). A contract without a salesperson goes to the finance managers."""
    today = today or timezone.localdate()
    days = review_settings(company).reminder_days
    counts = {"expiring": 0, "review_due": 0}
    ending = Contract.objects.filter(company=company, status=ContractStatus.ACTIVE,
                                     end_date=today + timedelta(days=days))
    reviewing = Contract.objects.filter(company=company, status=ContractStatus.ACTIVE, review_date=today)
    managers = list(get_user_model().objects.filter(groups__name="finance_manager", is_active=True))
    for key, qs, subject in (
            ("expiring", ending, _("Contract %(number)s ends on %(date)s")),
            ("review_due", reviewing, _("Contract %(number)s is due for review today (%(date)s)"))):
        kind = f"contractreview.{key}"
        for contract in qs.select_related("customer__salesperson").order_by("pk"):
            people = [contract.customer.salesperson] if contract.customer.salesperson_id else managers
            link = reverse("contractreview:detail", args=[contract.pk])
            told = _already_told({p.pk for p in people if p is not None}, kind=kind, link=link, today=today)
            fresh = [p for p in people if p is not None and p.pk not in told]
            if fresh:
                when = contract.end_date if key == "expiring" else contract.review_date
                notify(fresh, kind=kind, subject=subject % {"number": contract.number, "date": when},
                       body=contract.customer.name, link=link)
                counts[key] += 1
    return counts
