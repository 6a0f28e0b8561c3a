"""Collection plans: draft (from a contract's schedule, from a customer's open invoices, or by hand), change the
lines of a draft, submit, approve or return (a finance manager who did not submit), cancel, close; hand a
customer's open plans to a successor (the hand-over); tell owners of lines that fell behind (the daily task).

Every service is one transaction that locks the customer first, then the plan; a refusal writes nothing.

How a draft is made from a contract (docs/collection-plans.md, "Drafting"): the contract amount is split over its
milestones by their shares (largest remainder); the gross of the contract's invoices is taken off the milestones in
sequence (an invoice settles the earliest milestone first). Each open invoice of the contract becomes an *invoice*
line of its open amount on its due date; each milestone with an uninvoiced rest becomes a *milestone* line of that
rest on the contract's start (or signing) date plus the milestone's due days. A contract without milestones has
one line for its uninvoiced rest, due after its payment terms. A date before today becomes today: what is overdue
is expected now. From a customer: one line per open invoice in the plan's currency, on its due date (or today).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.collectionplans.enums import OPEN_STATUSES, LineKind, PlanStatus
from arms.collectionplans.models import MAX_LINE_TEXT, CollectionPlan, CollectionPlanLine
from arms.collectionplans.selectors import behind_lines
from arms.common.actors import user_or_none
from arms.common.approvals import require_second_person
from arms.common.bounds import MAX_MINOR, MAX_NOTE, date_check, text_check
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import customer_qs_for_update, lock_customer, lock_one, qs_for_update
from arms.common.notify import notify
from arms.contracts.models import Contract, ContractMilestone
from arms.customers.models import Customer
from arms.domain.money import format_money, split_largest_remainder
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor, JsonDict

APPROVE = "collectionplans.approve_collectionplan"
#: the most lines a plan holds
MAX_LINES = 200
#: how far after the day receipts count from a line may expect money
HORIZON_DAYS = 10 * 366


@dataclass(frozen=True)
class LineIn:
    """One line as given by a form, the API or a draft. ``currency``, when given, must be the plan's."""

    expected_date: date
    amount_minor: int
    description: str = ""
    kind: str = LineKind.OTHER
    milestone_id: int | None = None
    invoice_id: int | None = None
    currency: str | None = None


def plan_link(plan: CollectionPlan) -> str:
    return reverse("collectionplans:detail", args=[plan.pk])


def month_start(day: date) -> date:
    return day.replace(day=1)


def _holders(permission: str, *, exclude: Iterable[int | None] = ()) -> QuerySet[Any]:
    app_label, codename = permission.split(".")
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
        | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label))
    return users.exclude(pk__in=[pk for pk in exclude if pk is not None]).distinct()


def plan_snapshot(plan: CollectionPlan) -> JsonDict:
    lines = list(plan.lines.order_by("expected_date", "pk"))
    return {"status": plan.status, "owner_id": plan.owner_id, "currency": plan.currency,
            "contract_id": plan.contract_id, "counts_from": plan.counts_from.isoformat(),
            "total_minor": sum(line.amount_minor for line in lines),
            "lines": [{"date": line.expected_date.isoformat(), "amount_minor": line.amount_minor, "kind": line.kind,
                       "milestone_id": line.milestone_id, "invoice_id": line.invoice_id,
                       "description": line.description} for line in lines]}


# --- checking lines ----------------------------------------------------------------------------------------------


def _clean_lines(lines: Sequence[LineIn], *, currency: str, customer: Customer, contract: Contract | None,
                 counts_from: date) -> list[LineIn]:
    """The lines checked, each refusal naming ``lines[i].<field>``; nothing is written here."""
    if len(lines) > MAX_LINES:
        raise ValidationFailed(_("A plan holds at most %(max)s lines.") % {"max": MAX_LINES}, field="lines")
    last = counts_from + timedelta(days=HORIZON_DAYS)
    for index, line in enumerate(lines):
        where = f"lines[{index}]"
        row = {"row": index + 1}
        if line.currency is not None and line.currency != currency:
            raise ValidationFailed(_("Line %(row)s is in %(given)s; every line of this plan is in %(currency)s.")
                                   % {**row, "given": line.currency, "currency": currency}, field=f"{where}.currency")
        if line.amount_minor <= 0:
            raise ValidationFailed(_("Line %(row)s: the expected amount must be more than zero.") % row,
                                   field=f"{where}.amount_minor")
        if line.amount_minor > MAX_MINOR:
            raise ValidationFailed(_("Line %(row)s: the expected amount is larger than any amount ARMS accepts.")
                                   % row, field=f"{where}.amount_minor")
        date_check(line.expected_date, field=f"{where}.expected_date")
        if not counts_from <= line.expected_date <= last:
            raise ValidationFailed(
                _("Line %(row)s: the expected date must fall between %(first)s and %(last)s.")
                % {**row, "first": counts_from.isoformat(), "last": last.isoformat()}, field=f"{where}.expected_date")
        text_check(line.description, field=f"{where}.description", limit=MAX_LINE_TEXT)
        if line.kind not in LineKind.values:
            raise ValidationFailed(_("Line %(row)s: unknown kind.") % row, field=f"{where}.kind")
        if line.kind == LineKind.MILESTONE and (contract is None or line.milestone_id is None or not
                                                ContractMilestone.objects.filter(pk=line.milestone_id,
                                                                                 contract=contract).exists()):
            raise ValidationFailed(_("Line %(row)s: name a milestone of the plan's contract.") % row,
                                   field=f"{where}.milestone_id")
        if line.kind == LineKind.INVOICE:
            invoices = Invoice.objects.filter(customer=customer, currency=currency)
            if contract is not None:
                invoices = invoices.filter(contract=contract)
            if line.invoice_id is None or not invoices.filter(pk=line.invoice_id).exists():
                raise ValidationFailed(
                    _("Line %(row)s: name an invoice of the plan's customer (and contract) in the plan's currency.")
                    % row, field=f"{where}.invoice_id")
        if line.kind == LineKind.OTHER and not line.description.strip():
            raise ValidationFailed(_("Line %(row)s: say what the payment is for.") % row,
                                   field=f"{where}.description")
    return list(lines)


def _write_lines(plan: CollectionPlan, lines: Sequence[LineIn]) -> None:
    CollectionPlanLine.objects.bulk_create(CollectionPlanLine(
        plan=plan, expected_date=line.expected_date, amount_minor=line.amount_minor, kind=line.kind,
        milestone_id=line.milestone_id if line.kind == LineKind.MILESTONE else None,
        invoice_id=line.invoice_id if line.kind == LineKind.INVOICE else None,
        description=line.description.strip()) for line in lines)


# --- drafting ----------------------------------------------------------------------------------------------------


def _open_plan_refusal(*, customer: Customer, contract: Contract | None) -> None:
    existing = CollectionPlan.objects.filter(status__in=OPEN_STATUSES, customer=customer,
                                             contract=contract).first()
    if existing is not None:
        message = (_("Contract %(contract)s already has an open collection plan (%(plan)s).")
                   % {"contract": contract.number, "plan": existing.number} if contract is not None else
                   _("This customer already has an open collection plan (%(plan)s).") % {"plan": existing.number})
        raise Conflict(message, field="contract_id" if contract is not None else "customer_id",
                       code=ErrorCode.COLLECTION_PLAN_EXISTS, plan=existing.pk)


@transaction.atomic
def collection_plan_create(*, actor: Actor, customer: Customer, contract: Contract | None = None,
                           owner: User | None = None, currency: str | None = None, note: str = "",
                           lines: Sequence[LineIn] = (), counts_from: date | None = None) -> CollectionPlan:
    """A draft plan for ``customer`` (or its ``contract``) with ``lines``; the owner is the customer's salesperson
    unless given; the currency the contract's, else the customer's. Receipts count from ``counts_from`` (the first
    day of this month unless given)."""
    locked = lock_customer(customer.pk)
    if contract is not None and contract.customer_id != locked.pk:
        raise ValidationFailed(_("The contract is another customer's."), field="contract_id")
    plan_currency = contract.currency if contract is not None else (currency or locked.currency)
    if contract is not None and currency and currency != contract.currency:
        raise ValidationFailed(_("A contract's plan is in the contract's currency, %(currency)s.")
                               % {"currency": contract.currency}, field="currency")
    plan_owner = owner or locked.salesperson
    if plan_owner is None:
        raise ValidationFailed(_("The customer has no salesperson; name the plan's owner."), field="owner_id")
    text_check(note, field="note", limit=MAX_NOTE)
    start = counts_from or month_start(timezone.localdate())
    date_check(start, field="counts_from")
    cleaned = _clean_lines(lines, currency=plan_currency, customer=locked, contract=contract, counts_from=start)
    _open_plan_refusal(customer=locked, contract=contract)
    plan = CollectionPlan.objects.create(customer=locked, contract=contract, owner=plan_owner,
                                         currency=plan_currency, counts_from=start, note=note,
                                         created_by=user_or_none(actor))
    _write_lines(plan, cleaned)
    audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_DRAFTED, subject=plan, after=plan_snapshot(plan))
    return plan


def _expected_on(day: date, today: date) -> date:
    return max(day, today)


def contract_schedule_lines(contract: Contract, *, today: date) -> list[LineIn]:
    """The lines a plan of ``contract`` is drafted with (the rule in this module's docstring)."""
    invoices = list(Invoice.objects.filter(contract=contract, currency=contract.currency).order_by("issue_date", "pk"))
    lines = [LineIn(_expected_on(inv.due_date, today), inv.amount_open_minor, inv.description[:MAX_LINE_TEXT] or
                    _("Invoice %(number)s") % {"number": inv.number}, LineKind.INVOICE, invoice_id=inv.pk)
             for inv in invoices if inv.amount_open_minor > 0]
    invoiced = sum(inv.gross_minor for inv in invoices)
    base = contract.start_date or contract.signed_date
    milestones = list(contract.milestones.order_by("sequence"))
    if not milestones:
        rest = contract.amount_minor - invoiced
        if rest > 0:
            lines.append(LineIn(_expected_on(base + timedelta(days=contract.payment_terms_days), today), rest,
                                _("Uninvoiced rest of the contract")))
        return sorted(lines, key=lambda line: line.expected_date)
    amounts = split_largest_remainder(contract.amount_minor, [m.share_bp for m in milestones])
    for milestone, amount in zip(milestones, amounts, strict=True):
        taken = min(amount, invoiced)
        invoiced -= taken
        if amount - taken > 0:
            lines.append(LineIn(_expected_on(base + timedelta(days=milestone.due_days), today), amount - taken,
                                milestone.name, LineKind.MILESTONE, milestone_id=milestone.pk))
    return sorted(lines, key=lambda line: line.expected_date)


def customer_open_item_lines(customer: Customer, *, currency: str, today: date) -> list[LineIn]:
    """One line per open invoice of ``customer`` in ``currency``, on its due date (or today when overdue)."""
    invoices = (Invoice.objects.filter(customer=customer, currency=currency, amount_open_minor__gt=0)
                .order_by("due_date", "pk")[:MAX_LINES])
    return [LineIn(_expected_on(inv.due_date, today), inv.amount_open_minor,
                   _("Invoice %(number)s") % {"number": inv.number}, LineKind.INVOICE, invoice_id=inv.pk)
            for inv in invoices]


def collection_plan_draft_from_contract(*, actor: Actor, contract: Contract, owner: User | None = None,
                                        note: str = "") -> CollectionPlan:
    """A draft plan of ``contract`` from its schedule: its open invoices and uninvoiced milestones."""
    today = timezone.localdate()
    return collection_plan_create(actor=actor, customer=contract.customer, contract=contract, owner=owner,
                                  note=note, lines=contract_schedule_lines(contract, today=today))


def collection_plan_draft_from_customer(*, actor: Actor, customer: Customer, owner: User | None = None,
                                        currency: str | None = None, note: str = "") -> CollectionPlan:
    """A draft plan of ``customer`` from its open invoices' due dates."""
    plan_currency = currency or customer.currency
    return collection_plan_create(
        actor=actor, customer=customer, owner=owner, currency=plan_currency, note=note,
        lines=customer_open_item_lines(customer, currency=plan_currency, today=timezone.localdate()))


# --- the workflow ------------------------------------------------------------------------------------------------


def _lock_plan(plan: CollectionPlan) -> CollectionPlan:
    lock_customer(plan.customer_id)
    return lock_one(CollectionPlan.objects.select_related("customer", "contract"), pk=plan.pk)


def _require_draft(plan: CollectionPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(_("Plan %(plan)s is %(status)s: only a draft can be changed or submitted.")
                       % {"plan": plan.number, "status": plan.get_status_display()},
                       field="status", code=ErrorCode.COLLECTION_PLAN_NOT_DRAFT)


@transaction.atomic
def collection_plan_lines_set(*, actor: Actor, plan: CollectionPlan, lines: Sequence[LineIn],
                              note: str | None = None) -> CollectionPlan:
    """Replace the lines of a draft plan (and its note when given)."""
    locked = _lock_plan(plan)
    _require_draft(locked)
    cleaned = _clean_lines(lines, currency=locked.currency, customer=locked.customer, contract=locked.contract,
                           counts_from=locked.counts_from)
    if note is not None:
        text_check(note, field="note", limit=MAX_NOTE)
    before = plan_snapshot(locked)
    locked.lines.all().delete()
    _write_lines(locked, cleaned)
    if note is not None:
        locked.note = note
        locked.save(update_fields=["note"])
    audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_LINES_CHANGED, subject=locked, before=before,
                 after=plan_snapshot(locked))
    return locked


@transaction.atomic
def collection_plan_submit(*, actor: Actor, plan: CollectionPlan) -> CollectionPlan:
    """Send a draft to the finance managers for approval (they are told)."""
    locked = _lock_plan(plan)
    _require_draft(locked)
    lines = list(locked.lines.all())
    if not lines:
        raise ValidationFailed(_("A plan needs at least one line before it is submitted."), field="lines")
    user = user_or_none(actor)
    locked.status = PlanStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_SUBMITTED, subject=locked,
                 before={"status": PlanStatus.DRAFT}, after={"status": locked.status})
    total = sum(line.amount_minor for line in lines)
    notify(_holders(APPROVE, exclude=[getattr(user, "pk", None)]), kind="collectionplans.submitted",
           subject=_("Collection plan %(plan)s of %(customer)s waits for your approval")
           % {"plan": locked.number, "customer": locked.customer.name},
           body=_("%(count)s lines, %(total)s in all.") % {"count": len(lines),
                                                            "total": format_money(total, locked.currency)},
           link=plan_link(locked))
    return locked


def _lock_submitted(plan: CollectionPlan, actor: Actor) -> CollectionPlan:
    if actor is not None and not actor.has_perm(APPROVE):
        raise Forbidden(_("Only a finance manager approves or returns a collection plan."))
    locked = _lock_plan(plan)
    if locked.status != PlanStatus.SUBMITTED:
        raise Conflict(_("Plan %(plan)s is %(status)s, not waiting for approval.")
                       % {"plan": locked.number, "status": locked.get_status_display()},
                       field="status", code=ErrorCode.COLLECTION_PLAN_NOT_SUBMITTED)
    require_second_person(locked.submitted_by_id, actor)
    return locked


def _decide(locked: CollectionPlan, *, actor: Actor, status: str, comment: str) -> CollectionPlan:
    """Record the decision on the locked plan; the caller audits it."""
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = user_or_none(actor)
    locked.decision_note = comment
    locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    return locked


@transaction.atomic
def collection_plan_approve(*, actor: Actor, plan: CollectionPlan, comment: str = "") -> CollectionPlan:
    """A finance manager other than the submitter approves; the owner is told. Tracking starts."""
    text_check(comment, field="comment", limit=MAX_NOTE)
    locked = _decide(_lock_submitted(plan, actor), actor=actor, status=PlanStatus.APPROVED, comment=comment)
    audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_APPROVED, subject=locked,
                 before={"status": PlanStatus.SUBMITTED}, after={"status": locked.status, "comment": comment})
    notify([locked.owner, locked.submitted_by], kind="collectionplans.approved",
           subject=_("Collection plan %(plan)s of %(customer)s was approved")
           % {"plan": locked.number, "customer": locked.customer.name}, body=comment, link=plan_link(locked))
    return locked


@transaction.atomic
def collection_plan_return(*, actor: Actor, plan: CollectionPlan, comment: str) -> CollectionPlan:
    """A finance manager other than the submitter sends it back to draft, saying why; the owner is told."""
    if not comment.strip():
        raise ValidationFailed(_("Say why the plan is returned."), field="comment")
    text_check(comment, field="comment", limit=MAX_NOTE)
    locked = _decide(_lock_submitted(plan, actor), actor=actor, status=PlanStatus.DRAFT, comment=comment.strip())
    audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_RETURNED, subject=locked,
                 before={"status": PlanStatus.SUBMITTED}, after={"status": locked.status, "comment": comment.strip()})
    notify([locked.owner, locked.submitted_by], kind="collectionplans.returned",
           subject=_("Collection plan %(plan)s of %(customer)s was returned")
           % {"plan": locked.number, "customer": locked.customer.name}, body=comment, link=plan_link(locked))
    return locked


@transaction.atomic
def collection_plan_cancel(*, actor: Actor, plan: CollectionPlan, reason: str = "") -> CollectionPlan:
    """Cancel a draft, submitted or approved plan (the contract was terminated, the plan is replaced)."""
    text_check(reason, field="reason", limit=MAX_NOTE)
    if plan.status == PlanStatus.APPROVED and actor is not None and not actor.has_perm(APPROVE):
        raise Forbidden(_("Only a finance manager cancels an approved collection plan."))
    locked, before = _end(plan, status=PlanStatus.CANCELLED, allowed=OPEN_STATUSES)
    audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_CANCELLED, subject=locked,
                 before={"status": before}, after={"status": locked.status, "reason": reason})
    return locked


@transaction.atomic
def collection_plan_close(*, actor: Actor, plan: CollectionPlan, reason: str = "") -> CollectionPlan:
    """Close an approved plan: it is done (collected, or superseded by a new plan); it stays in the reports."""
    text_check(reason, field="reason", limit=MAX_NOTE)
    locked, before = _end(plan, status=PlanStatus.CLOSED, allowed=(PlanStatus.APPROVED,))
    audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_CLOSED, subject=locked,
                 before={"status": before}, after={"status": locked.status, "reason": reason})
    return locked


def _end(plan: CollectionPlan, *, status: str, allowed: Iterable[str]) -> tuple[CollectionPlan, str]:
    """Move the locked plan to ``status`` (closed or cancelled) if its status is ``allowed``; the caller audits it.
    Returns the plan and the status it had."""
    locked = _lock_plan(plan)
    if locked.status not in allowed:
        raise Conflict(_("Plan %(plan)s is %(status)s.") % {"plan": locked.number,
                                                             "status": locked.get_status_display()},
                       field="status", code=ErrorCode.COLLECTION_PLAN_NOT_OPEN)
    before = locked.status
    locked.status = status
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return locked, before


# --- the hand-over -----------------------------------------------------------------------------------------------


@transaction.atomic
def collection_plans_reassign(*, actor: Actor, customer_ids: list[int], from_user: User, to_user: User,
                              source: str) -> int:
    """Make ``to_user`` the owner of the open plans (draft, submitted, approved) of ``customer_ids`` that
    ``from_user`` owns; each move is audited with ``source`` (e.g. the hand-over's number). Returns how many moved.
    Customers are locked first, in primary-key order, then their plans."""
    list(customer_qs_for_update().filter(pk__in=customer_ids).order_by("pk"))
    plans = list(qs_for_update(CollectionPlan.objects.filter(
        customer_id__in=customer_ids, owner=from_user, status__in=OPEN_STATUSES)).order_by("pk"))
    for plan in plans:
        plan.owner = to_user
        plan.save(update_fields=["owner"])
        audit_record(actor=actor, action=AuditAction.COLLECTION_PLAN_REASSIGNED, subject=plan,
                     before={"owner": from_user.get_username()},
                     after={"owner": to_user.get_username(), "source": source[:200]})
    return len(plans)


# --- the daily task ----------------------------------------------------------------------------------------------


@transaction.atomic
def collection_plans_notify_behind(*, today: date | None = None) -> int:
    """Tell each owner, once per line, of the lines of approved plans that fell behind (past their date and not
    covered by the receipts). Returns how many lines were told of."""
    day = today or timezone.localdate()
    told = 0
    for plan, lines in behind_lines(today=day):
        fresh = list(qs_for_update(CollectionPlanLine.objects.filter(
            pk__in=[line.pk for line in lines], behind_notified_on__isnull=True)).order_by("pk"))
        if not fresh:
            continue
        CollectionPlanLine.objects.filter(pk__in=[line.pk for line in fresh]).update(behind_notified_on=day)
        total = sum(line.amount_minor for line in fresh)
        notify([plan.owner], kind="collectionplans.behind",
               subject=_("Collection plan %(plan)s of %(customer)s is behind")
               % {"plan": plan.number, "customer": plan.customer.name},
               body=_("%(count)s lines past their date are not covered by receipts (%(total)s expected).")
               % {"count": len(fresh), "total": format_money(total, plan.currency)}, link=plan_link(plan))
        told += len(fresh)
    return told


def plan_total(plan: CollectionPlan) -> int:
    return int(plan.lines.aggregate(total=Sum("amount_minor"))["total"] or 0)
