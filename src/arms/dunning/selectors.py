"""Reads of dunning: which policy a customer is on, what a run must act on (set-based SQL), what a customer
has been through (``dunning_stage_of``, a seam for the worklist and analytics), and the lists of the UI/API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When

from arms.cases.selectors import invoice_ids_held_from_dunning
from arms.common.errors import NotFound
from arms.customers.models import Customer
from arms.customers.selectors import customers_visible_to
from arms.domain.dunning import StageRule
from arms.dunning.models import (
    ActionStatus,
    DunningAction,
    DunningEmail,
    DunningExclusion,
    DunningItem,
    DunningPolicy,
    DunningProfile,
    DunningRun,
    DunningStage,
    EmailStatus,
    ItemOutcome,
    Language,
)
from arms.ledger.models import Invoice
from arms.ledger.small_balances import residue_q

if TYPE_CHECKING:
    from arms.common.typing import Viewer


@dataclass(frozen=True)
class Ladder:
    """A policy with its stages, read once per run."""

    policy: DunningPolicy
    stages: tuple[DunningStage, ...]

    @property
    def rules(self) -> tuple[StageRule, ...]:
        return tuple(StageRule(s.code, s.offset_days, s.level) for s in self.stages)

    def stage_at(self, offset: int) -> DunningStage:
        return next(s for s in self.stages if s.offset_days == offset)


def ladders_active() -> list[Ladder]:
    """Active policies with at least one stage, in the order they win (priority, then code)."""
    stages: dict[int, list[DunningStage]] = {}
    for stage in DunningStage.objects.filter(policy__is_active=True).order_by("offset_days"):
        stages.setdefault(stage.policy_id, []).append(stage)
    return [Ladder(p, tuple(stages[p.pk])) for p in DunningPolicy.objects.filter(is_active=True).order_by(
        "priority", "code") if p.pk in stages]


def _matches(policy: DunningPolicy, prefix: str = "") -> Q:
    q = Q()
    if policy.grade:
        q &= Q(**{f"{prefix}credit_profile__grade": policy.grade})
    if policy.industry:
        q &= Q(**{f"{prefix}industry": policy.industry})
    if policy.region:
        q &= Q(**{f"{prefix}region": policy.region})
    return q


def policy_expression(ladders: list[Ladder], prefix: str = "") -> Value | Case:
    """SQL for "the policy of this customer": its own policy if it has an active one, else the first active
    policy whose grade / industry / region match, else NULL (not dunned)."""
    active = [ladder.policy.pk for ladder in ladders]
    whens = [When(Q(**{f"{prefix}dunning_profile__policy_id__in": active}),
                  then=F(f"{prefix}dunning_profile__policy_id"))] if active else []
    default = None
    for ladder in ladders:
        condition = _matches(ladder.policy, prefix)
        if not condition:  # matches everyone: the policies after it never apply
            default = ladder.policy.pk
            break
        whens.append(When(condition, then=Value(ladder.policy.pk)))
    if not whens:
        return Value(default, output_field=IntegerField())
    return Case(*whens, default=Value(default), output_field=IntegerField())


def exclusion_active_q(as_of: date) -> Q:
    return Q(lifted_at__isnull=True) & (Q(until__isnull=True) | Q(until__gte=as_of))


def excluded_customer_ids(as_of: date) -> QuerySet[DunningExclusion, Any]:
    return DunningExclusion.objects.filter(exclusion_active_q(as_of)).values("customer_id")


def held_invoice_ids(as_of: date) -> QuerySet[Any, Any]:
    """Invoices dunning leaves alone today: open disputes, promises and plans in good standing (cases)."""
    return invoice_ids_held_from_dunning(as_of=as_of)


def due_items(*, as_of: date, ladders: list[Ladder]) -> QuerySet[Invoice, Any]:
    """Every open item that reached a stage of its customer's ladder it has not been through yet, with that
    stage's offset (``due_offset``) and the highest offset it went through before (``reached``, NULL if none).

    One query: open invoices × the customer's policy (a CASE over the few active policies), the highest stage
    due by the due date (a CASE over their few stages, each a date bound computed here), less items held by
    collections, less excluded customers, less items that already went through that stage or a higher one
    (the highest offset in DunningItem, a correlated lookup on the unique (invoice, stage_offset) index).
    ``arms.domain.dunning.stage_due`` is the same rule for one item.
    """
    if not ladders:
        return Invoice.objects.none()
    bounds = []
    for ladder in ladders:
        for stage in sorted(ladder.stages, key=lambda s: -s.offset_days):
            bounds.append(When(Q(dun_policy=ladder.policy.pk, due_date__lte=as_of - timedelta(days=stage.offset_days)),
                               then=Value(stage.offset_days)))
    lowest = min(s.offset_days for ladder in ladders for s in ladder.stages)
    reached = DunningItem.objects.filter(invoice=OuterRef("pk")).order_by("-stage_offset").values("stage_offset")[:1]
    return (
        Invoice.objects.filter(amount_open_minor__gt=0, due_date__lte=as_of - timedelta(days=lowest))
        .alias(dun_policy=policy_expression(ladders, "customer__"))
        .annotate(
            due_offset=Case(*bounds, default=Value(None), output_field=IntegerField()),
            reached=Subquery(reached, output_field=IntegerField()),
            policy_id=F("dun_policy"),
        )
        .filter(due_offset__isnull=False)
        .filter(Q(reached__isnull=True) | Q(due_offset__gt=F("reached")))
        .exclude(customer_id__in=excluded_customer_ids(as_of))
        # NOT EXISTS, correlated on the primary key, not NOT IN: PostgreSQL cannot estimate the held set (an OR
        # of subqueries), cannot hash it, and would rescan it for every open item.
        .exclude(Exists(held_invoice_ids(as_of).filter(pk=OuterRef("pk"))))
        # a residue (a few yuan of bank charges left on a paid invoice) never drives a stage (docs/small-balances.md)
        .exclude(residue_q())
    )


def held_open_count(as_of: date) -> int:
    return Invoice.objects.filter(amount_open_minor__gt=0, pk__in=held_invoice_ids(as_of)).count()


def customer_language(customer: Customer) -> str:
    """The customer's language for dunning: its profile's, else English overseas and Chinese at home. The
    profile as read with the customer when it came with ``select_related("dunning_profile")``, else read now."""
    profile: str | None
    if Customer.dunning_profile.is_cached(customer):
        cached = Customer.dunning_profile.related.get_cached_value(customer)  # None: the customer has none
        profile = cached.language if isinstance(cached, DunningProfile) else None
    else:
        profile = DunningProfile.objects.filter(customer_id=customer.pk).values_list("language", flat=True).first()
    if profile:
        return profile
    return Language.EN if customer.region == "overseas" else Language.ZH_HANS


def policy_of(customer: Customer) -> DunningPolicy | None:
    """The policy a customer is dunned under (None: no active policy matches)."""
    ladders = ladders_active()
    if not ladders:
        return None
    pk = Customer.objects.filter(pk=customer.pk).annotate(p=policy_expression(ladders)).values_list(
        "p", flat=True).first()
    return next((ladder.policy for ladder in ladders if ladder.policy.pk == pk), None)


def customer_excluded(customer: Customer, as_of: date) -> DunningExclusion | None:
    return DunningExclusion.objects.filter(exclusion_active_q(as_of), customer_id=customer.pk).first()


@dataclass(frozen=True)
class StageReached:
    offset_days: int
    code: str
    name: str
    level: str
    as_of: date


def dunning_stage_of(customer: Customer | int) -> StageReached | None:
    """The highest stage reached (acted on) on the customer's open items, or None: for the worklist and analytics."""
    item = (
        DunningItem.objects.filter(customer_id=customer.pk if isinstance(customer, Customer) else customer,
                                   outcome=ItemOutcome.ACTIONED, invoice__amount_open_minor__gt=0)
        .select_related("stage", "run").order_by("-stage_offset", "-pk").first()
    )
    if item is None:
        return None
    return StageReached(item.stage_offset, item.stage.code, item.stage.name, item.stage.level, item.run.as_of)


def dunning_stages_for(customer_ids: Iterable[int]) -> dict[int, int]:
    """customer id -> highest stage offset acted on over its open items, for many customers in one query."""
    rows = (DunningItem.objects.filter(customer_id__in=customer_ids, outcome=ItemOutcome.ACTIONED,
                                       invoice__amount_open_minor__gt=0)
            .values("customer_id").annotate(top=Max("stage_offset")).values_list("customer_id", "top"))
    return dict(rows)


# ---------------------------------------------------------------- lists for the UI and API


def run_list() -> QuerySet[DunningRun]:
    return DunningRun.objects.select_related("started_by").order_by("-started_at", "-pk")


def action_list(*, user: Viewer, run_id: int | None = None, customer_id: int | None = None, stage_code: str = "",
                status: str = "", level: str = "", email_status: str = "") -> QuerySet[DunningAction]:
    qs = DunningAction.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "stage", "run", "assignee", "email")
    if run_id:
        qs = qs.filter(run_id=run_id)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if stage_code:
        qs = qs.filter(stage__code=stage_code)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if email_status:
        qs = qs.filter(email__status=email_status)
    return qs.order_by("-as_of", "-pk")


def action_get(*, user: Viewer, action_id: int) -> DunningAction:
    action = action_list(user=user).filter(pk=action_id).first()
    if action is None:
        raise NotFound(f"dunning action {action_id} not found", field="action_id")
    return action


def email_list(*, user: Viewer, status: str = "") -> QuerySet[DunningEmail]:
    qs = DunningEmail.objects.filter(customer__in=customers_visible_to(user)).select_related("customer", "action")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def exclusion_list(*, user: Viewer, active_only: bool = True, as_of: date | None = None) -> QuerySet[DunningExclusion]:
    qs = DunningExclusion.objects.filter(customer__in=customers_visible_to(user)).select_related(
        "customer", "created_by", "lifted_by")
    if active_only:
        qs = qs.filter(lifted_at__isnull=True)
    return qs.order_by("-created_at", "-pk")



# ---------------------------------------------------------------- work waiting for the queue


#: an action still to be carried out: pending, or being processed by a queue worker
ACTION_WAITING = (ActionStatus.PENDING, ActionStatus.PROCESSING)


def actions_waiting_count() -> Count:
    """An annotation for runs: how many of the run's actions are still pending (the queue carries them out)."""
    return Count("actions", filter=Q(actions__status__in=ACTION_WAITING))


#: automatic attempts before a message waits for someone to press "retry" (the outbox, services/emails.py)
MAX_ATTEMPTS = 8


def emails_waiting(emails: QuerySet[DunningEmail]) -> QuerySet[DunningEmail]:
    """The e-mails the queue will still send by itself: queued, being sent, or failed with attempts left."""
    return emails.filter(Q(status__in=[EmailStatus.PENDING, EmailStatus.SENDING])
                         | Q(status=EmailStatus.FAILED, attempts__lt=MAX_ATTEMPTS))


def queued_work_exists() -> bool:
    """Is any dunning work waiting for the queue consumer (a pending action, an e-mail to send)?"""
    return (DunningAction.objects.filter(status__in=ACTION_WAITING).exists()
            or emails_waiting(DunningEmail.objects.all()).exists())


@dataclass(frozen=True)
class RunProgress:
    """Where a run's actions are: what a run page shows instead of a bare "done"."""

    total: int
    pending: int
    done: int
    failed: int
    emails_waiting: int

    @property
    def waiting(self) -> bool:
        return bool(self.pending or self.emails_waiting)


def run_progress(run: DunningRun) -> RunProgress:
    counts = dict(DunningAction.objects.filter(run=run).order_by().values_list("status").annotate(n=Count("pk"))
                  .values_list("status", "n"))
    emails = emails_waiting(DunningEmail.objects.filter(action__run=run)).count()
    return RunProgress(total=sum(counts.values()), pending=sum(counts.get(status, 0) for status in ACTION_WAITING),
                       done=counts.get(ActionStatus.DONE, 0), failed=counts.get(ActionStatus.FAILED, 0),
                       emails_waiting=emails)
