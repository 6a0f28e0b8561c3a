"""Write-off requests: ask (with the collection record frozen and evidence attached), sign as finance, legal,
audit (and an executive above the company's amount), reject, withdraw; post through the ledger when the last
sign-off is in; record the tax filing afterwards.

Every service is one transaction. Those that can post lock in the ledger's order: the customer, its invoices by
primary key, then the request (the document being decided), then the counters. A refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record, canonical_text, sha256_hex
from arms.cases.models import Activity, Task
from arms.common.actors import user_or_none
from arms.common.approvals import FourEyes, require_second_person
from arms.common.attachments import attachment_store
from arms.common.bounds import MAX_MINOR, date_check, text_check
from arms.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from arms.common.locks import invoices_qs_for_update, lock_customer, lock_one
from arms.common.notify import notify
from arms.common.services import sequence_next
from arms.customers.models import Company, Customer
from arms.domain.money import format_money, proportional_part
from arms.dunning.models import DunningAction
from arms.ledger.enums import WriteOffKind
from arms.ledger.models import Invoice
from arms.ledger.services.writeoffs import write_off_locked
from arms.writeoffs.enums import (
    EVIDENCE_REQUIRED,
    SIGN_PERMISSIONS,
    EvidenceKind,
    RequestStatus,
    SignOffRole,
    WriteOffReason,
)
from arms.writeoffs.models import (
    EXECUTIVE_DEFAULT_MINOR,
    WriteOffEvidence,
    WriteOffItem,
    WriteOffRequest,
    WriteOffSettings,
    WriteOffSignOff,
)

if TYPE_CHECKING:
    from arms.common.typing import Actor

#: the most invoices one request may name (a customer's whole balance included)
MAX_ITEMS = 500
#: the most rows of each kind the frozen collection record keeps (the newest)
RECORD_ROWS = 1_000
#: an evidence file may be at most this big
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ItemIn:
    invoice_id: int
    amount_minor: int


@dataclass(frozen=True)
class EvidenceIn:
    kind: str
    name: str
    content: bytes
    description: str = ""


def _link(request: WriteOffRequest) -> str:
    return reverse("writeoffs:detail", args=[request.pk])


def _holders(permission: str, *, exclude: Iterable[int | None] = ()) -> QuerySet[Any]:
    app_label, codename = permission.split(".")
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
        | Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label))
    return users.exclude(pk__in=[pk for pk in exclude if pk is not None]).distinct()


# --- settings --------------------------------------------------------------------------------------------------


def write_off_settings(company: Company) -> WriteOffSettings:
    """The company's settings (the default amount when none were saved; nothing is written)."""
    found = WriteOffSettings.objects.filter(company=company).first()
    return found or WriteOffSettings(company=company, executive_above_minor=EXECUTIVE_DEFAULT_MINOR)


@transaction.atomic
def write_off_settings_set(*, actor: Actor, company: Company, executive_above_minor: int) -> WriteOffSettings:
    """Set the CNY amount above which a request also needs an executive's sign-off (new requests only)."""
    if isinstance(executive_above_minor, bool) or not isinstance(executive_above_minor, int):
        raise ValidationFailed(_("Amounts are whole minor units (分)."), field="executive_above_minor")
    if not 0 <= executive_above_minor <= MAX_MINOR:
        raise ValidationFailed(_("Must not be negative."), field="executive_above_minor")
    before = write_off_settings(company).executive_above_minor
    settings, _created = WriteOffSettings.objects.update_or_create(
        company=company, defaults={"executive_above_minor": executive_above_minor, "updated_by": user_or_none(actor)})
    audit_record(actor=actor, action=AuditAction.WRITE_OFF_SETTINGS_CHANGED, subject=settings,
                 before={"executive_above_minor": before}, after={"executive_above_minor": executive_above_minor})
    return settings


# --- the collection record -------------------------------------------------------------------------------------


def collection_record(customer: Customer, *, invoice_ids: Sequence[int]) -> dict[str, Any]:
    """The customer's collection history as it stands: contacts and notes (cases), dunning actions, collection
    tasks, newest first, and the invoices asked for. Frozen into the request as evidence of continued collection."""
    activities = [
        {"occurred_at": row["occurred_at"], "kind": row["kind"], "direction": row["direction"],
         "outcome": row["outcome"], "note": row["note"], "by": row["actor__username"] or "",
         "attachment": row["attachment_name"]}
        for row in Activity.objects.filter(customer=customer).order_by("-occurred_at", "-id").values(
            "occurred_at", "kind", "direction", "outcome", "note", "actor__username", "attachment_name")[:RECORD_ROWS]
    ]
    dunning = [
        {"as_of": row["as_of"], "stage": row["stage__name"], "level": row["level"], "status": row["status"],
         "currency": row["currency"], "open_minor": row["open_minor"], "deadline": row["deadline"]}
        for row in DunningAction.objects.filter(customer=customer).order_by("-as_of", "-id").values(
            "as_of", "stage__name", "level", "status", "currency", "open_minor", "deadline")[:RECORD_ROWS]
    ]
    tasks = [
        {"due_on": row["due_on"], "kind": row["kind"], "title": row["title"], "status": row["status"]}
        for row in Task.objects.filter(customer=customer).order_by("-due_on", "-id").values(
            "due_on", "kind", "title", "status")[:RECORD_ROWS]
    ]
    invoices = [
        {"number": row["number"], "issue_date": row["issue_date"], "due_date": row["due_date"],
         "currency": row["currency"], "gross_minor": row["gross_minor"], "open_minor": row["amount_open_minor"]}
        for row in Invoice.objects.filter(pk__in=list(invoice_ids)).order_by("due_date", "pk").values(
            "number", "issue_date", "due_date", "currency", "gross_minor", "amount_open_minor")
    ]
    return {"customer": {"code": customer.code, "name": customer.name}, "taken_at": timezone.now().isoformat(),
            "invoices": invoices, "activities": activities, "dunning_actions": dunning, "tasks": tasks}


# --- asking ----------------------------------------------------------------------------------------------------


def _evidence_clean(index: int, item: EvidenceIn) -> EvidenceIn:
    where = f"evidence[{index}]"
    if item.kind not in EvidenceKind.values or item.kind == EvidenceKind.COLLECTION_RECORD:
        raise ValidationFailed(_("Choose what kind of document it is."), field=f"{where}.kind")
    name = (item.name or "").strip()
    if not name or len(name) > 200:
        raise ValidationFailed(_("Give the file a name of at most 200 characters."), field=f"{where}.name")
    if not item.content:
        raise ValidationFailed(_("The file is empty."), field=f"{where}.content")
    if len(item.content) > MAX_FILE_BYTES:
        raise ValidationFailed(_("The file is larger than 20 MB."), field=f"{where}.content")
    text_check(item.description, field=f"{where}.description", limit=300)
    return EvidenceIn(item.kind, name, item.content, (item.description or "").strip())


def _evidence_store(*, actor: Actor, request: WriteOffRequest, item: EvidenceIn) -> WriteOffEvidence:
    stored = attachment_store(content=item.content, name=item.name)
    return WriteOffEvidence.objects.create(request=request, kind=item.kind, name=item.name, attachment=stored,
                                           description=item.description, uploaded_by=user_or_none(actor))


def _items_clean(customer: Customer, invoices: dict[int, Invoice], items: Sequence[ItemIn]) -> list[ItemIn]:
    if not items:
        raise ValidationFailed(_("Name at least one open invoice to write off."), field="items")
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(_("At most %(count)s invoices in one request.") % {"count": MAX_ITEMS}, field="items")
    seen: set[int] = set()
    for index, item in enumerate(items):
        where = f"items[{index}]"
        invoice = invoices.get(item.invoice_id)
        if invoice is None or invoice.customer_id != customer.pk:
            raise ValidationFailed(_("Invoice %(id)s is not one of this customer's.") % {"id": item.invoice_id},
                                   field=f"{where}.invoice_id")
        if item.invoice_id in seen:
            raise ValidationFailed(_("Invoice %(number)s is named twice.") % {"number": invoice.number},
                                   field=f"{where}.invoice_id")
        seen.add(item.invoice_id)
        amount = item.amount_minor
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ValidationFailed(_("Must be greater than zero."), field=f"{where}.amount_minor")
        if amount > invoice.amount_open_minor:
            raise ValidationFailed(
                _("Invoice %(number)s has only %(open)s open; %(amount)s was asked.")
                % {"number": invoice.number, "open": format_money(invoice.amount_open_minor, invoice.currency),
                   "amount": format_money(amount, invoice.currency)},
                field=f"{where}.amount_minor")
    return list(items)


@transaction.atomic
def write_off_request_create(*, actor: Actor, customer: Customer, reason: str, note: str = "",
                             items: Sequence[ItemIn] = (), whole_balance: bool = False,
                             evidence: Sequence[EvidenceIn] = ()) -> WriteOffRequest:
    """Ask for invoices (``items``: each with the amount, at most its open amount) or the customer's whole open
    balance (``whole_balance``) to be written off, for ``reason``. The customer's collection record is frozen and
    attached; ``evidence`` files are attached. Finance, legal and audit (and an executive above the company's
    amount) are told."""
    if reason not in WriteOffReason.values:
        raise ValidationFailed(_("Choose a reason."), field="reason")
    note = (text_check(note, field="note") or "").strip()
    if reason == WriteOffReason.OTHER and not note:
        raise ValidationFailed(_("Say what the reason is."), field="note")
    if whole_balance and items:
        raise ValidationFailed(_("Ask for the whole balance or name invoices, not both."), field="items")
    cleaned_evidence = [_evidence_clean(i, e) for i, e in enumerate(evidence)]
    locked = lock_customer(customer.pk)
    if whole_balance:
        open_ids = list(Invoice.objects.filter(customer=locked, amount_open_minor__gt=0)
                        .order_by("pk").values_list("pk", flat=True)[: MAX_ITEMS + 1])
        invoices = {inv.pk: inv for inv in invoices_qs_for_update(open_ids)}
        items = [ItemIn(pk, invoices[pk].amount_open_minor) for pk in open_ids]
        if not items:
            raise ValidationFailed(_("The customer has nothing open."), field="whole_balance")
    else:
        ids = sorted({item.invoice_id for item in items if isinstance(item.invoice_id, int)})
        invoices = {inv.pk: inv for inv in invoices_qs_for_update(ids)}
    items = _items_clean(locked, invoices, items)
    bases = [proportional_part(invoices[i.invoice_id].gross_base_minor, invoices[i.invoice_id].gross_minor,
                               i.amount_minor) for i in items]
    total_base = sum(bases)
    threshold = write_off_settings(locked.company).executive_above_minor
    record = collection_record(locked, invoice_ids=[i.invoice_id for i in items])
    record_text = canonical_text(record)
    record_file = attachment_store(content=record_text.encode("utf-8"),
                                   name=f"collection-record-{locked.code}.json")
    request = WriteOffRequest.objects.create(
        company=locked.company, number=sequence_next(company=locked.company, series="WR"), customer=locked,
        reason=reason, note=note, whole_balance=whole_balance, total_base_minor=total_base,
        needs_executive=total_base > threshold, collection_record=record_file,
        collection_record_sha256=sha256_hex(record_text), requested_by=user_or_none(actor))
    WriteOffItem.objects.bulk_create(
        WriteOffItem(request=request, invoice=invoices[i.invoice_id], currency=invoices[i.invoice_id].currency,
                     amount_minor=i.amount_minor, open_minor=invoices[i.invoice_id].amount_open_minor, base_minor=base)
        for i, base in zip(items, bases, strict=True))
    files = [_evidence_store(actor=actor, request=request, item=e) for e in cleaned_evidence]
    audit_record(actor=actor, action=AuditAction.WRITE_OFF_REQUESTED, subject=request, after={
        "number": request.number, "customer": locked.pk, "reason": reason, "note": note,
        "whole_balance": whole_balance, "items": [[invoices[i.invoice_id].number, i.amount_minor] for i in items],
        "total_base_minor": total_base, "needs_executive": request.needs_executive,
        "collection_record_sha256": request.collection_record_sha256,
        "evidence": [[f.name, f.attachment.sha256] for f in files]})
    _tell_signers(request, exclude=[request.requested_by_id])
    return request


def _tell_signers(request: WriteOffRequest, *, exclude: Iterable[int | None]) -> None:
    signed = set(request.sign_offs.values_list("role", flat=True))
    signers = set(request.sign_offs.values_list("user_id", flat=True))
    awaited = [role for role in request.required_roles if role not in signed]
    for role in awaited:
        notify(_holders(SIGN_PERMISSIONS[SignOffRole(role)], exclude=[*exclude, *signers]),
               kind="writeoffs.sign",
               subject=_("Write-off %(number)s waits for your sign-off (%(role)s)")
               % {"number": request.number, "role": SignOffRole(role).label},
               body=_("%(customer)s: %(total)s, %(reason)s.")
               % {"customer": request.customer.name, "total": format_money(request.total_base_minor, "CNY"),
                  "reason": WriteOffReason(request.reason).label},
               link=_link(request))


def _pending(request: WriteOffRequest) -> None:
    if request.status != RequestStatus.PENDING:
        raise Conflict(_("Write-off %(number)s is %(status)s already.")
                       % {"number": request.number, "status": RequestStatus(request.status).label}, field="status")


def _lock_request(request_id: int) -> WriteOffRequest:
    try:
        return lock_one(WriteOffRequest.objects.select_related("customer"), pk=request_id)
    except WriteOffRequest.DoesNotExist as exc:
        raise NotFound(_("No such write-off request."), field="request_id") from exc


@transaction.atomic
def write_off_evidence_add(*, actor: Actor, request: WriteOffRequest, kind: str, name: str, content: bytes,
                           description: str = "") -> WriteOffEvidence:
    """Attach an evidence file to a request still waiting for sign-offs."""
    item = _evidence_clean(0, EvidenceIn(kind, name, content, description))
    locked = _lock_request(request.pk)
    _pending(locked)
    made = _evidence_store(actor=actor, request=locked, item=item)
    audit_record(actor=actor, action=AuditAction.WRITE_OFF_EVIDENCE_ADDED, subject=locked, after={
        "kind": made.kind, "name": made.name, "sha256": made.attachment.sha256, "description": made.description})
    return made


# --- deciding --------------------------------------------------------------------------------------------------


def signable_roles(request: WriteOffRequest, user: Any) -> list[str]:
    """The roles ``user`` may still sign ``request`` in (none for the requester or someone who signed already)."""
    if request.status != RequestStatus.PENDING or not getattr(user, "is_authenticated", False):
        return []
    if user.pk == request.requested_by_id:
        return []
    sign_offs = list(request.sign_offs.all())
    if any(s.user_id == user.pk for s in sign_offs):
        return []
    signed = {s.role for s in sign_offs}
    return [role for role in request.required_roles
            if role not in signed and user.has_perm(SIGN_PERMISSIONS[SignOffRole(role)])]


@transaction.atomic
def write_off_request_sign(*, actor: Actor, request: WriteOffRequest, role: str | None = None, note: str = "",
                           on: date | None = None) -> WriteOffRequest:
    """Sign ``request`` as ``role`` (finance, legal, audit, executive; the one role the signer may still sign in
    when not given). The last required sign-off posts the write-offs through the ledger on ``on`` (today), after
    checking every invoice still has the amount open: if one was paid meanwhile, nothing is signed or posted."""
    note = (text_check(note, field="note") or "").strip()
    customer = lock_customer(request.customer_id)
    invoice_ids = list(WriteOffItem.objects.filter(request_id=request.pk).order_by("invoice_id")
                       .values_list("invoice_id", flat=True))
    invoices = {inv.pk: inv for inv in invoices_qs_for_update(invoice_ids)}
    locked = _lock_request(request.pk)
    _pending(locked)
    require_second_person(locked.requested_by_id, actor)
    for earlier in locked.sign_offs.all():
        if earlier.user_id == getattr(actor, "pk", None):
            raise FourEyes(_("You signed this request already (%(role)s); each sign-off is by a different person.")
                           % {"role": SignOffRole(earlier.role).label})
    signed = set(locked.sign_offs.values_list("role", flat=True))
    if role is None:
        open_roles = signable_roles(locked, actor)
        if len(open_roles) != 1:
            raise ValidationFailed(_("Choose the role you sign in."), field="role")
        role = open_roles[0]
    if role not in SignOffRole.values or role not in locked.required_roles:
        raise ValidationFailed(_("This request is not signed in that role."), field="role")
    if role in signed:
        raise Conflict(_("Someone has signed for %(role)s already.") % {"role": SignOffRole(role).label},
                       field="role")
    if not getattr(actor, "has_perm", lambda _p: False)(SIGN_PERMISSIONS[SignOffRole(role)]):
        raise Forbidden(_("You may not sign for %(role)s.") % {"role": SignOffRole(role).label}, field="role")
    if locked.reason in EVIDENCE_REQUIRED and not locked.evidence.exists():
        raise ValidationFailed(_("A write-off for this reason needs evidence (a judgment, a bankruptcy or "
                                 "deregistration record …): attach it before signing."), field="evidence")
    signer = user_or_none(actor)
    if signer is None:
        raise Forbidden(_("Only a person signs a write-off."), field="role")
    WriteOffSignOff.objects.create(request=locked, role=role, user=signer, note=note)
    audit_record(actor=actor, action=AuditAction.WRITE_OFF_SIGNED, subject=locked,
                 after={"role": role, "note": note, "signed": sorted({*signed, role})})
    if set(locked.required_roles) <= {*signed, role}:
        _post(actor=actor, request=locked, customer=customer, invoices=invoices,
              on=date_check(on or timezone.localdate(), field="date"))
    else:
        _tell_signers(locked, exclude=[locked.requested_by_id])
    return locked


def _post(*, actor: Actor, request: WriteOffRequest, customer: Customer, invoices: dict[int, Invoice],
          on: date) -> None:
    items = list(request.items.order_by("invoice_id"))
    for index, item in enumerate(items):
        invoice = invoices[item.invoice_id]
        if item.amount_minor > invoice.amount_open_minor:
            raise Conflict(
                _("Invoice %(number)s has only %(open)s open now, less than the %(amount)s to write off: it was paid "
                  "or credited meanwhile. Withdraw this request and ask again.")
                % {"number": invoice.number, "open": format_money(invoice.amount_open_minor, invoice.currency),
                   "amount": format_money(item.amount_minor, invoice.currency)},
                field=f"items[{index}].invoice_id")
        if on < invoice.issue_date:
            raise ValidationFailed(_("A write-off cannot predate invoice %(number)s.") % {"number": invoice.number},
                                   field="date")
    reason = WriteOffReason(request.reason).label
    text = f"{reason}: {request.note}" if request.note else str(reason)
    for item in items:
        item.write_off = write_off_locked(
            actor=actor, customer=customer, invoice=invoices[item.invoice_id], amount_minor=item.amount_minor,
            on=on, kind=WriteOffKind.BAD_DEBT, account="1231", reason=text[:500], reference=request.number)
        item.save(update_fields=["write_off"])
    request.status = RequestStatus.POSTED
    request.posted_on = on
    request.posted_at = request.decided_at = timezone.now()
    request.decided_by = user_or_none(actor)
    request.save(update_fields=["status", "posted_on", "posted_at", "decided_at", "decided_by"])
    audit_record(actor=actor, action=AuditAction.WRITE_OFF_APPROVED, subject=request, after={
        "posted_on": on, "write_offs": [item.write_off_id for item in items],
        "sign_offs": sorted(request.sign_offs.values_list("role", "user_id"))})
    notify([request.requested_by], kind="writeoffs.posted",
           subject=_("Write-off %(number)s is approved and posted") % {"number": request.number},
           body=_("Record the filing with the tax office once it is made."), link=_link(request))


@transaction.atomic
def write_off_request_reject(*, actor: Actor, request: WriteOffRequest, reason: str) -> WriteOffRequest:
    """Any of the signers (never the requester) may reject, with a reason: nothing is written off."""
    reason = (text_check(reason, field="reason") or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the request is rejected."), field="reason")
    locked = _lock_request(request.pk)
    _pending(locked)
    require_second_person(locked.requested_by_id, actor)
    if not any(getattr(actor, "has_perm", lambda _p: False)(SIGN_PERMISSIONS[SignOffRole(role)])
               for role in locked.required_roles):
        raise Forbidden(_("Only a person who may sign the request may reject it."))
    locked.status = RequestStatus.REJECTED
    locked.decision_note = reason
    locked.decided_at = timezone.now()
    locked.decided_by = user_or_none(actor)
    locked.save(update_fields=["status", "decision_note", "decided_at", "decided_by"])
    audit_record(actor=actor, action=AuditAction.WRITE_OFF_REJECTED, subject=locked,
                 before={"status": RequestStatus.PENDING}, after={"status": locked.status, "reason": reason})
    notify([locked.requested_by], kind="writeoffs.rejected",
           subject=_("Write-off %(number)s was rejected") % {"number": locked.number}, body=reason,
           link=_link(locked))
    return locked


@transaction.atomic
def write_off_request_withdraw(*, actor: Actor, request: WriteOffRequest, reason: str = "") -> WriteOffRequest:
    """The requester takes back a request still waiting for sign-offs."""
    reason = (text_check(reason, field="reason") or "").strip()
    locked = _lock_request(request.pk)
    _pending(locked)
    if locked.requested_by_id is None or locked.requested_by_id != getattr(actor, "pk", None):
        raise Forbidden(_("Only the person who asked may withdraw the request."))
    locked.status = RequestStatus.WITHDRAWN
    locked.decision_note = reason
    locked.decided_at = timezone.now()
    locked.decided_by = user_or_none(actor)
    locked.save(update_fields=["status", "decision_note", "decided_at", "decided_by"])
    audit_record(actor=actor, action=AuditAction.WRITE_OFF_WITHDRAWN, subject=locked,
                 before={"status": RequestStatus.PENDING}, after={"status": locked.status, "reason": reason})
    return locked


@transaction.atomic
def write_off_tax_filing_record(*, actor: Actor, request: WriteOffRequest, filed_on: date, reference: str,
                                note: str = "", file_name: str = "", content: bytes | None = None) -> WriteOffRequest:
    """Record that the posted write-off was filed with the tax authority (核销后向税务机关备案), once."""
    date_check(filed_on, field="filed_on")
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed(_("Give the filing's reference."), field="reference")
    if len(reference) > 100:
        raise ValidationFailed(_("Keep it within %(limit)s characters.") % {"limit": 100}, field="reference")
    note = (text_check(note, field="note") or "").strip()
    if content is not None and len(content) > MAX_FILE_BYTES:
        raise ValidationFailed(_("The file is larger than 20 MB."), field="file")
    locked = _lock_request(request.pk)
    if locked.status != RequestStatus.POSTED:
        raise Conflict(_("Only a posted write-off is filed with the tax office."), field="status")
    if locked.tax_filed_on is not None:
        raise Conflict(_("The tax filing is recorded already."), field="filed_on")
    assert locked.posted_on is not None  # posted requests have it (writeoffs_posted_has_time)
    if filed_on < locked.posted_on:
        raise ValidationFailed(_("The filing cannot predate the write-off (%(date)s).") % {"date": locked.posted_on},
                               field="filed_on")
    if filed_on > timezone.localdate():
        raise ValidationFailed(_("The filing date cannot be in the future."), field="filed_on")
    stored = attachment_store(content=content, name=file_name or "tax-filing") if content else None
    locked.tax_filed_on = filed_on
    locked.tax_reference = reference
    locked.tax_note = note
    locked.tax_file = stored
    locked.tax_file_name = (file_name or "")[:200] if stored else ""
    locked.tax_recorded_by = user_or_none(actor)
    locked.save(update_fields=["tax_filed_on", "tax_reference", "tax_note", "tax_file", "tax_file_name",
                               "tax_recorded_by"])
    audit_record(actor=actor, action=AuditAction.WRITE_OFF_TAX_FILED, subject=locked, after={
        "filed_on": filed_on, "reference": reference, "note": note, "file_sha256": stored.sha256 if stored else ""})
    return locked
