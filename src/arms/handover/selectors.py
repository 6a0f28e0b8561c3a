"""Reads of hand-overs: the list, one hand-over, the frozen list (逾期账款交接表) built for the customers that move,
and the key accounts with their collectors.

The list is built with one query per kind (open items, promises, installment plans, collection plans, disputes,
tasks) over the chosen customers, never a query per customer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from arms.accounts.names import person_name
from arms.accounts.roles import Role, sees_all_customers
from arms.cases.enums import DisputeStatus, PlanStatus, PromiseStatus, TaskStatus
from arms.cases.models import Dispute, InstallmentPlan, PromiseToPay, Task
from arms.collectionplans.selectors import collection_plans_open
from arms.common.errors import NotFound
from arms.customers.models import Customer
from arms.handover.enums import HandoverRole, HandoverStatus
from arms.handover.models import Handover
from arms.ledger.models import Invoice

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import JsonDict, Viewer

#: the role group a successor must hold for each duty (a senior collector is a collector too)
ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    HandoverRole.SALESPERSON: (Role.SALES.value,),
    HandoverRole.COLLECTOR: (Role.COLLECTOR.value, Role.SENIOR_COLLECTOR.value),
}
#: installment plans still running or waiting for a decision
OPEN_PLAN_STATUSES = (PlanStatus.PENDING, PlanStatus.ACTIVE)


def handover_list(*, user: Viewer | None, status: str = "", role: str = "", search: str = "") -> QuerySet[Handover]:
    """Newest first. Whoever sees only their own customers (sales) sees only the hand-overs they are a party to;
    ``user`` None (the command line) sees all."""
    qs = Handover.objects.select_related("from_user", "to_user", "opened_by").order_by("-opened_at", "-id")
    if user is not None and not sees_all_customers(user):
        qs = qs.filter(Q(from_user_id=user.pk) | Q(to_user_id=user.pk))
    if status:
        qs = qs.filter(status=status)
    if role:
        qs = qs.filter(role=role)
    if search:
        qs = qs.filter(Q(from_user__username__icontains=search) | Q(to_user__username__icontains=search)
                       | Q(from_user__first_name__icontains=search) | Q(to_user__first_name__icontains=search)
                       | Q(customers__code__icontains=search)).distinct()
    return qs


def handover_get(*, user: Viewer | None, handover_id: int) -> Handover:
    handover = handover_list(user=user).filter(pk=handover_id).first()
    if handover is None:
        raise NotFound(_("No hand-over %(id)s.") % {"id": handover_id})
    return handover


def users_with_role(role: str) -> QuerySet[User]:
    """Active users who may take ``role`` over (the role's groups), by name."""
    return (get_user_model().objects.filter(is_active=True, groups__name__in=ROLE_GROUPS[role]).distinct()
            .order_by("last_name", "first_name", "username"))


def customers_of(*, role: str, user_id: int) -> QuerySet[Customer]:
    """The customers ``user_id`` has in ``role`` today."""
    return Customer.objects.filter(**{f"{role}_id": user_id}).order_by("code")


def _collection_plans(customer_ids: list[int], codes: dict[int, str]) -> list[JsonDict]:
    """The collection plans (arms.collectionplans) still worked on, with their expected total and owner."""
    plans = collection_plans_open(customer_ids).annotate(expected_minor=Sum("lines__amount_minor"))
    return [{"id": plan.pk, "customer": codes[plan.customer_id], "number": plan.number, "status": plan.status,
             "currency": plan.currency, "expected_minor": plan.expected_minor or 0,
             "owner": person_name(plan.owner), "counts_from": plan.counts_from.isoformat()} for plan in plans]


def _days_overdue(due: date, as_of: date) -> int:
    return max((as_of - due).days, 0)


def handover_list_build(*, customer_ids: Iterable[int], as_of: date) -> JsonDict:
    """The hand-over list (逾期账款交接表) of the customers as of ``as_of``: every open item with its days overdue,
    the open promises to pay, installment and collection plans, open disputes and open tasks, with totals per
    currency. Plain JSON (dates as ISO text), ready to be frozen and hashed."""
    ids = sorted(set(customer_ids))
    customers = list(Customer.objects.filter(pk__in=ids).select_related("salesperson", "collector").order_by("code"))
    codes = {c.pk: c.code for c in customers}
    items: list[JsonDict] = [
        {"id": row["pk"], "customer": codes[row["customer_id"]], "number": row["number"],
         "issue_date": row["issue_date"].isoformat(), "due_date": row["due_date"].isoformat(),
         "currency": row["currency"], "gross_minor": row["gross_minor"], "open_minor": row["amount_open_minor"],
         "days_overdue": _days_overdue(row["due_date"], as_of)}
        for row in Invoice.objects.filter(customer_id__in=ids, amount_open_minor__gt=0)
        .order_by("customer__code", "due_date", "number")
        .values("pk", "customer_id", "number", "issue_date", "due_date", "currency", "gross_minor",
                "amount_open_minor")]
    promises = [
        {"id": p["pk"], "customer": codes[p["customer_id"]], "currency": p["currency"],
         "amount_minor": p["amount_minor"], "made_on": p["made_on"].isoformat(),
         "promised_on": p["promised_on"].isoformat(), "contact": p["contact_name"]}
        for p in PromiseToPay.objects.filter(customer_id__in=ids, status=PromiseStatus.OPEN)
        .order_by("promised_on", "pk").values("pk", "customer_id", "currency", "amount_minor", "made_on",
                                               "promised_on", "contact_name")]
    plans = [
        {"id": p["pk"], "customer": codes[p["customer_id"]], "currency": p["currency"],
         "total_minor": p["total_minor"], "paid_minor": p["paid_minor"], "status": p["status"],
         "starts_on": p["starts_on"].isoformat()}
        for p in InstallmentPlan.objects.filter(customer_id__in=ids, status__in=OPEN_PLAN_STATUSES)
        .order_by("starts_on", "pk").values("pk", "customer_id", "currency", "total_minor", "paid_minor", "status",
                                             "starts_on")]
    disputes = [
        {"id": d["pk"], "customer": codes[d["customer_id"]], "invoice": d["invoice__number"],
         "currency": d["currency"], "amount_minor": d["amount_minor"], "reason": d["reason_code"],
         "raised_on": d["raised_on"].isoformat(), "sla_due_on": d["sla_due_on"].isoformat(),
         "owner": d["owner_id"]}
        for d in Dispute.objects.filter(customer_id__in=ids, status=DisputeStatus.OPEN)
        .order_by("sla_due_on", "pk").values("pk", "customer_id", "invoice__number", "currency", "amount_minor",
                                              "reason_code", "raised_on", "sla_due_on", "owner_id")]
    tasks = [
        {"id": t["pk"], "customer": codes[t["customer_id"]], "title": t["title"], "kind": t["kind"],
         "level": t["level"], "due_on": t["due_on"].isoformat(), "assignee": t["assignee_id"]}
        for t in Task.objects.filter(customer_id__in=ids, status=TaskStatus.OPEN)
        .order_by("due_on", "pk").values("pk", "customer_id", "title", "kind", "level", "due_on", "assignee_id")]
    people = _names({*(d["owner"] for d in disputes), *(t["assignee"] for t in tasks)})
    for dispute in disputes:
        dispute["owner"] = people.get(dispute["owner"], "")
    for task in tasks:
        task["assignee"] = people.get(task["assignee"], "")
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"open_minor": 0, "overdue_minor": 0, "items": 0})
    for item in items:
        total = totals[item["currency"]]
        total["open_minor"] += item["open_minor"]
        total["items"] += 1
        if item["days_overdue"] > 0:
            total["overdue_minor"] += item["open_minor"]
    return {
        "as_of": as_of.isoformat(),
        "customers": [{"id": c.pk, "code": c.code, "name": c.name, "key_account": c.key_account,
                       "salesperson": person_name(c.salesperson) if c.salesperson else "",
                       "collector": person_name(c.collector) if c.collector else ""} for c in customers],
        "open_items": items, "promises": promises, "plans": plans,
        "collection_plans": _collection_plans(ids, codes), "disputes": disputes, "tasks": tasks,
        "totals": [{"currency": currency, **values} for currency, values in sorted(totals.items())],
    }


def _names(user_ids: set[Any]) -> dict[Any, str]:
    ids = [pk for pk in user_ids if pk]
    return {u.pk: person_name(u) for u in get_user_model().objects.filter(pk__in=ids)}


def key_account_list(*, search: str = "") -> QuerySet[Customer]:
    """Key accounts by code, each with ``collector_is_senior`` (its collector holds the senior collector role)."""
    senior = get_user_model().objects.filter(pk=OuterRef("collector_id"), groups__name=Role.SENIOR_COLLECTOR.value)
    qs = (Customer.objects.filter(key_account=True).select_related("collector", "salesperson")
          .annotate(collector_is_senior=Exists(senior)).order_by("code"))
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def senior_collector_loads() -> list[tuple[User, int]]:
    """Active senior collectors with how many customers each collects, least loaded first (then by username)."""
    seniors = (get_user_model().objects.filter(is_active=True, groups__name=Role.SENIOR_COLLECTOR.value)
               .annotate(load=Count("collector_customers", distinct=True)).order_by("load", "username"))
    return [(user, user.load) for user in seniors]


def awaiting_customer_ids(*, role: str, customer_ids: Iterable[int]) -> dict[int, Handover]:
    """Of ``customer_ids``, those already in an awaiting hand-over of ``role``, with that hand-over."""
    through = Handover.customers.through
    rows = through.objects.filter(customer_id__in=list(customer_ids), handover__status=HandoverStatus.AWAITING,
                                  handover__role=role).select_related("handover")
    return {row.customer_id: row.handover for row in rows}
