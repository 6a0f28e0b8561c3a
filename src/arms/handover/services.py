"""Hand-overs (逾期账款交接表): open one (the list frozen with its SHA-256), each side acknowledges, the second
acknowledgement completes it (customers, tasks, disputes and collection plans move to the successor, with the
assignment history and the audit), or cancel it before that. And routing key accounts to senior collectors.

Locks: the customers first (by primary key), then the hand-over row (ADR 0003). Every service is one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.accounts.roles import is_senior_collector
from arms.audit.actions import AuditAction
from arms.audit.services import audit_record, canonical_text, sha256_hex
from arms.cases.enums import DisputeStatus, TaskStatus
from arms.cases.models import Dispute, Task
from arms.collectionplans.services import collection_plans_reassign
from arms.common.approvals import require_second_person
from arms.common.bounds import text_check
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import customer_qs_for_update, qs_for_update
from arms.common.notify import notify
from arms.customers.models import Customer
from arms.customers.services import assignments_record, customer_snapshot
from arms.handover.enums import HandoverRole, HandoverStatus, Side
from arms.handover.models import Handover
from arms.handover.selectors import (
    ROLE_GROUPS,
    awaiting_customer_ids,
    customers_of,
    handover_list_build,
    senior_collector_loads,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import User

    from arms.common.typing import Actor, JsonDict

ASSIGN_OWNER = "customers.assign_owner"
ACKNOWLEDGE_FOR_OUTGOING = "handover.acknowledge_for_outgoing"
ROUTE_KEY_ACCOUNTS = "handover.route_key_accounts"
#: the assignment-history source of a routing (a hand-over writes its reference, HO-000012)
ROUTING_SOURCE = "route-key-accounts"


def handover_snapshot(handover: Handover) -> JsonDict:
    return {"reference": handover.reference, "role": handover.role, "from_user": handover.from_user_id,
            "to_user": handover.to_user_id, "status": handover.status, "effective_on": handover.effective_on,
            "customers": handover.customer_count, "sha256": handover.sha256}


def _user(value: Any, *, field: str) -> User:
    User = get_user_model()
    user = value if isinstance(value, User) else User.objects.filter(pk=value).first() if isinstance(
        value, int) else User.objects.filter(username=value).first() if isinstance(value, str) and value else None
    if user is None:
        raise ValidationFailed(_("No such user."), field=field)
    return user


def _holds_role(user: User, role: str) -> bool:
    return user.groups.filter(name__in=ROLE_GROUPS[role]).exists()


def _key_account_check(customers: Iterable[Customer], to_user: User, *, field: str) -> None:
    for customer in customers:
        if customer.key_account and not is_senior_collector(to_user):
            raise ValidationFailed(
                _("%(code)s %(name)s is a key account: its collector must be a senior collector, and %(user)s is "
                  "not.") % {"code": customer.code, "name": customer.name, "user": person_name(to_user)},
                field=field, code=ErrorCode.KEY_ACCOUNT_NEEDS_SENIOR)


@transaction.atomic
def handover_open(*, actor: Actor, role: str, from_user: Any, to_user: Any, customer_ids: list[int] | None = None,
                  reason: str = "", effective_on: date | None = None) -> Handover:
    """Open a hand-over of ``from_user``'s customers in ``role`` (all of them, or the ``customer_ids`` chosen) to
    ``to_user``: the list of what moves is built and frozen now; nothing moves until both have acknowledged."""
    if actor is None or not actor.is_authenticated or not actor.has_perm(ASSIGN_OWNER):
        raise Forbidden(_("Only finance may hand customers over (salesperson, collector)."))
    if role not in HandoverRole.values:
        raise ValidationFailed(_("Choose salesperson or collector."), field="role")
    source, successor = _user(from_user, field="from_user"), _user(to_user, field="to_user")
    if source.pk == successor.pk:
        raise ValidationFailed(_("The successor must be someone else than the person handing over."),
                               field="to_user")
    if not successor.is_active or not _holds_role(successor, role):
        raise ValidationFailed(_("%(name)s is not an active %(role)s.")
                               % {"name": person_name(successor), "role": HandoverRole(role).label}, field="to_user")
    text_check(reason, field="reason")
    day = effective_on or timezone.localdate()
    owned = customers_of(role=role, user_id=source.pk)
    if customer_ids:
        wanted = sorted(set(customer_ids))
        chosen = list(Customer.objects.filter(pk__in=wanted).order_by("code"))
        if len(chosen) != len(wanted):
            raise ValidationFailed(_("A chosen customer does not exist."), field="customer_ids")
        for customer in chosen:
            if getattr(customer, f"{role}_id") != source.pk:
                raise ValidationFailed(_("%(code)s %(name)s is not %(user)s's customer as %(role)s.")
                                       % {"code": customer.code, "name": customer.name,
                                          "user": person_name(source), "role": HandoverRole(role).label},
                                       field="customer_ids")
    else:
        chosen = list(owned)
        if not chosen:
            raise ValidationFailed(_("%(user)s has no customers as %(role)s.")
                                   % {"user": person_name(source), "role": HandoverRole(role).label},
                                   field="from_user")
    locked = list(customer_qs_for_update().filter(pk__in=[c.pk for c in chosen]).order_by("pk"))
    if role == HandoverRole.COLLECTOR:
        _key_account_check(sorted(locked, key=lambda c: c.code), successor, field="to_user")
    busy = awaiting_customer_ids(role=role, customer_ids=[c.pk for c in locked])
    if busy:
        customer = next(c for c in sorted(locked, key=lambda c: c.code) if c.pk in busy)
        raise Conflict(_("%(code)s is already in hand-over %(ref)s, awaiting acknowledgement.")
                       % {"code": customer.code, "ref": busy[customer.pk].reference}, field="customer_ids",
                       code=ErrorCode.CUSTOMER_IN_OPEN_HANDOVER)
    data = handover_list_build(customer_ids=[c.pk for c in locked], as_of=timezone.localdate())
    text = canonical_text(data)
    handover = Handover.objects.create(
        role=role, from_user=source, to_user=successor, reason=reason or "", effective_on=day, snapshot=text,
        sha256=sha256_hex(text), customer_count=len(locked), item_count=len(data["open_items"]),
        task_count=len(data["tasks"]), opened_by=actor)
    handover.customers.set(locked)
    audit_record(actor=actor, action=AuditAction.HANDOVER_OPENED, subject=handover,
                 after={**handover_snapshot(handover), "customer_codes": [c["code"] for c in data["customers"]]})
    link = reverse("handover:detail", args=[handover.pk])
    notify([source, successor], subject=_("Hand-over %(ref)s awaits your acknowledgement")
           % {"ref": handover.reference}, body=_("%(n)s customers move from %(from)s to %(to)s.")
           % {"n": len(locked), "from": person_name(source), "to": person_name(successor)}, link=link,
           kind="handover")
    return handover


def _locked(handover: Handover) -> Handover:
    """The customers of the hand-over locked (by primary key), then the hand-over row."""
    ids = list(handover.customers.order_by("pk").values_list("pk", flat=True))
    list(customer_qs_for_update().filter(pk__in=ids).order_by("pk"))
    locked: Handover = qs_for_update(Handover.objects.select_related("from_user", "to_user")).get(pk=handover.pk)
    return locked


def _refuse_unless_awaiting(handover: Handover) -> None:
    if handover.status != HandoverStatus.AWAITING:
        raise Conflict(_("Hand-over %(ref)s is %(status)s: it is not changed any more.")
                       % {"ref": handover.reference, "status": handover.get_status_display()},
                       code=ErrorCode.HANDOVER_NOT_OPEN)


def _side_of(handover: Handover, actor: User) -> str:
    if actor.pk == handover.to_user_id:
        return Side.INCOMING
    if actor.pk == handover.from_user_id:
        return Side.OUTGOING
    if not handover.from_user.is_active and actor.has_perm(ACKNOWLEDGE_FOR_OUTGOING):
        require_second_person(handover.opened_by_id, actor)
        return Side.OUTGOING
    raise Forbidden(_("Only the two people of the hand-over acknowledge it, each their own side (a finance manager "
                      "for an outgoing person who has left)."))


@transaction.atomic
def handover_acknowledge(*, actor: Actor, handover: Handover, note: str = "") -> Handover:
    """``actor`` acknowledges their side (the successor the incoming, the outgoing person — or, once they have
    left, a finance manager other than the opener — the outgoing). The second acknowledgement completes it."""
    if actor is None or not actor.is_authenticated:
        raise Forbidden(_("Sign in to acknowledge a hand-over."))
    text_check(note, field="note")
    locked = _locked(handover)
    _refuse_unless_awaiting(locked)
    user = get_user_model().objects.get(pk=actor.pk)
    side = _side_of(locked, user)
    if getattr(locked, f"{side}_ack_at") is not None:
        raise Conflict(_("The %(side)s side of %(ref)s was acknowledged already.")
                       % {"side": Side(side).label, "ref": locked.reference}, code=ErrorCode.ALREADY_ACKNOWLEDGED)
    now = timezone.now()
    setattr(locked, f"{side}_ack_by", user)
    setattr(locked, f"{side}_ack_at", now)
    setattr(locked, f"{side}_note", note or "")
    locked.save(update_fields=[f"{side}_ack_by", f"{side}_ack_at", f"{side}_note"])
    audit_record(actor=actor, action=AuditAction.HANDOVER_ACKNOWLEDGED, subject=locked,
                 after={"reference": locked.reference, "side": side, "note": note or "",
                        "for_user": locked.from_user_id if side == Side.OUTGOING else locked.to_user_id})
    if locked.outgoing_ack_at is not None and locked.incoming_ack_at is not None:
        _complete(actor=user, handover=locked)
    return locked


def work_move(*, actor: Actor, customer_ids: list[int], from_user: User, to_user: User, source: str) -> JsonDict:
    """Move the open work of ``from_user`` on the customers to ``to_user``: open tasks assigned to them, open
    disputes they own, and collection plans (h4's ``collection_plans_reassign``). Promises to pay have no owner of
    their own: they follow the customer, and the tasks made for them move with the tasks. The worklist follows the
    customer's collector by itself. The caller holds the customers' locks."""
    tasks = list(Task.objects.filter(customer_id__in=customer_ids, status=TaskStatus.OPEN, assignee=from_user)
                 .order_by("pk").values_list("pk", flat=True))
    Task.objects.filter(pk__in=tasks).update(assignee=to_user)
    disputes = list(Dispute.objects.filter(customer_id__in=customer_ids, status=DisputeStatus.OPEN, owner=from_user)
                    .order_by("pk").values_list("pk", flat=True))
    Dispute.objects.filter(pk__in=disputes).update(owner=to_user)
    plans = collection_plans_reassign(actor=actor, customer_ids=customer_ids, from_user=from_user, to_user=to_user,
                                      source=source)
    return {"tasks": tasks, "disputes": disputes, "collection_plans": plans}


def _assign(*, actor: Actor, customer: Customer, role: str, to_user: User, source: str, on: date,
            routed: bool = False) -> None:
    """Give the locked ``customer`` to ``to_user`` in ``role``, with its assignment history and audit event
    (``key_account_routed`` when routing key accounts)."""
    before = customer_snapshot(customer)
    setattr(customer, role, to_user)
    customer.save(update_fields=[role])
    assignments_record(customer, roles=[role], source=source, on=on)
    audit_record(actor=actor, action="key_account_routed" if routed else "customer_updated", subject=customer,
                 before={role: before[role]}, after={role: to_user.pk, "source": source})


def _complete(*, actor: User, handover: Handover) -> None:
    role = handover.role
    if not handover.to_user.is_active:
        raise Conflict(_("%(name)s has left: cancel this hand-over and open one to someone else.")
                       % {"name": person_name(handover.to_user)}, field="to_user",
                       code=ErrorCode.HANDOVER_NOT_OPEN)
    customers = list(handover.customers.order_by("code"))
    for customer in customers:
        if getattr(customer, f"{role}_id") != handover.from_user_id:
            raise Conflict(_("%(code)s changed hands since the hand-over was opened: cancel it and open a new one.")
                           % {"code": customer.code}, field="customer_ids", code=ErrorCode.HANDOVER_NOT_OPEN)
    if role == HandoverRole.COLLECTOR:
        _key_account_check(customers, handover.to_user, field="collector")
    today = timezone.localdate()
    on = min(handover.effective_on, today)
    for customer in customers:
        _assign(actor=actor, customer=customer, role=role, to_user=handover.to_user, source=handover.reference,
                on=on)
    ids = [c.pk for c in customers]
    moved = work_move(actor=actor, customer_ids=ids, from_user=handover.from_user, to_user=handover.to_user,
                      source=handover.reference)
    handover.status = HandoverStatus.COMPLETED
    handover.completed_at = timezone.now()
    handover.moved = {"customers": len(ids), "tasks": len(moved["tasks"]), "disputes": len(moved["disputes"]),
                      "collection_plans": moved["collection_plans"], "history_from": on.isoformat()}
    handover.save(update_fields=["status", "completed_at", "moved"])
    audit_record(actor=actor, action=AuditAction.HANDOVER_COMPLETED, subject=handover,
                 before={"status": HandoverStatus.AWAITING},
                 after={**handover_snapshot(handover), "moved": handover.moved, "task_ids": moved["tasks"],
                        "dispute_ids": moved["disputes"]})
    notify([handover.from_user, handover.to_user, handover.opened_by],
           subject=_("Hand-over %(ref)s is complete") % {"ref": handover.reference},
           link=reverse("handover:detail", args=[handover.pk]), kind="handover")


@transaction.atomic
def handover_cancel(*, actor: Actor, handover: Handover, note: str = "") -> Handover:
    """Cancel a hand-over that is still awaiting acknowledgement; nothing moved, nothing moves."""
    if actor is None or not actor.is_authenticated or not actor.has_perm(ASSIGN_OWNER):
        raise Forbidden(_("Only finance may cancel a hand-over."))
    text_check(note, field="note")
    locked = _locked(handover)
    _refuse_unless_awaiting(locked)
    locked.status = HandoverStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancelled_by_id = actor.pk
    locked.cancel_note = note or ""
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_note"])
    audit_record(actor=actor, action=AuditAction.HANDOVER_CANCELLED, subject=locked,
                 before={"status": HandoverStatus.AWAITING}, after={"status": locked.status, "note": note or ""})
    return locked


@transaction.atomic
def key_accounts_route(*, actor: Actor) -> JsonDict:
    """Give every key account whose collector is not a senior collector (or that has none) to the least-loaded
    active senior collector, one at a time by customer code (the load counts what was just given). Directly, with
    the assignment history (source ``route-key-accounts``), the open tasks and disputes moving as in a hand-over,
    and an audit event per customer. Customers in an awaiting collector hand-over are left to that hand-over."""
    if actor is not None and not actor.has_perm(ROUTE_KEY_ACCOUNTS):
        raise Forbidden(_("Only a finance manager may route key accounts."))
    loads = senior_collector_loads()
    candidates = [c.pk for c in Customer.objects.filter(key_account=True).select_related("collector").order_by("pk")
                  if c.collector is None or not is_senior_collector(c.collector)]
    if not candidates:
        return {"routed": 0, "skipped": 0, "assignments": []}
    if not loads:
        raise Conflict(_("There is no active senior collector to route key accounts to."),
                       code=ErrorCode.KEY_ACCOUNT_NEEDS_SENIOR)
    locked = list(customer_qs_for_update().filter(pk__in=candidates).order_by("pk"))
    busy = awaiting_customer_ids(role=HandoverRole.COLLECTOR, customer_ids=candidates)
    count = {user.pk: load for user, load in loads}
    seniors = {user.pk: user for user, _load in loads}
    today = timezone.localdate()
    assignments = []
    for customer in sorted(locked, key=lambda c: c.code):
        if customer.pk in busy:
            continue
        target_pk = min(count, key=lambda pk: (count[pk], seniors[pk].get_username()))
        target = seniors[target_pk]
        previous = customer.collector
        _assign(actor=actor, customer=customer, role=HandoverRole.COLLECTOR, to_user=target, source=ROUTING_SOURCE,
                on=today, routed=True)
        if previous is not None:
            work_move(actor=actor, customer_ids=[customer.pk], from_user=previous, to_user=target,
                      source=ROUTING_SOURCE)
        count[target_pk] += 1
        assignments.append({"customer": customer.code, "from": person_name(previous) if previous else "",
                            "to": person_name(target)})
    return {"routed": len(assignments), "skipped": len(busy), "assignments": assignments}
