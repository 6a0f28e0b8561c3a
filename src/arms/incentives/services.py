"""Incentive schemes (奖惩): keep a month's terms, record the mutual ratings, compute the payout sheet, approve it.

The rules (docs/incentives.md):

- The pool: ``base_pool_minor`` moved by the DSO step: steps = whole ``dso_step_days`` by which this month's
  standard DSO is shorter than last month's (toward zero); the pool grows ``dso_step_bp`` per step; a longer DSO
  shrinks it only when ``dso_both_ways`` (never below zero). No DSO in either month: no step.
- The pool is split over the four components by their weights (bp, adding up to 10000), then each component over
  the people in proportion to their points (largest remainder, so the amounts add up to the pool exactly):
  collections by the cash credited to each person (points: their share of it); 回收率 and 催收成功率 by the rate
  (points: the rate, 0..100, none counts 0); the mutual rating by the average score. A component nobody scores
  on is not paid.
- Deductions: per item past ``overdue_days`` at the month's end, or ``deduction_bp`` of their open amount; the
  payout is before deductions less the deduction, never below zero.
- draft → computed → approved (a finance manager other than whoever computed or last edited it) → closed. An
  approved or closed scheme is never changed; editing terms or ratings of a computed scheme sends it back to draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.roles import Role, user_roles
from arms.analytics.kpis import kpi_values
from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.approvals import require_second_person
from arms.common.bounds import MAX_NOTE, amount_check, date_check, text_check
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.common.locks import qs_for_update
from arms.customers.models import Company
from arms.domain.money import divide_half_up, split_largest_remainder
from arms.domain.terms import month_end, month_start
from arms.incentives import selectors
from arms.incentives.models import (
    FULL_BP,
    DeductionMode,
    IncentiveRating,
    IncentiveScheme,
    MemberRole,
    PayoutLine,
    SchemeMember,
    SchemeStatus,
)

COMPONENTS = ("collections", "recovery", "dunning", "rating")
WEIGHT_FIELDS = {"collections": "weight_collections_bp", "recovery": "weight_recovery_bp",
                 "dunning": "weight_dunning_bp", "rating": "weight_rating_bp"}
TERM_FIELDS = ("base_pool_minor", *WEIGHT_FIELDS.values(), "dso_step_days", "dso_step_bp", "dso_both_ways",
               "overdue_days", "deduction_mode", "deduction_per_item_minor", "deduction_bp", "note")
#: the side that rates each role: finance rates salespeople, sales rate collectors (finance)
RATERS = {MemberRole.SALESPERSON: {Role.FINANCE_CLERK, Role.FINANCE_MANAGER, Role.COLLECTOR},
          MemberRole.COLLECTOR: {Role.SALES}}
#: a book with more customers than this is computed by a background job (arms.incentives.jobs)
INLINE_LIMIT = 500
MAX_STEP_DAYS = 365
MAX_OVERDUE_DAYS = 3650

Actor = Any
Progress = Callable[[int, int], None]


def _snapshot(scheme: IncentiveScheme) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(scheme, name) for name in TERM_FIELDS}
    data["status"] = scheme.status
    data["period"] = scheme.period.isoformat()
    return data


def _bp(value: Any, field: str, *, upper: int = FULL_BP) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= upper:
        raise ValidationFailed(_("Must be a whole number from 0 to %(upper)s.") % {"upper": upper}, field=field)
    return value


def terms_check(terms: dict[str, Any]) -> dict[str, Any]:
    """The scheme's terms checked, each refusal naming its field; the weights must add up to 100%."""
    cleaned: dict[str, Any] = {}
    for name in ("base_pool_minor", "deduction_per_item_minor"):
        if name in terms:
            value = terms[name]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValidationFailed(_("Must be an amount of at least zero."), field=name)
            cleaned[name] = amount_check(value, field=name)
    for name in (*WEIGHT_FIELDS.values(), "dso_step_bp", "deduction_bp"):
        if name in terms:
            cleaned[name] = _bp(terms[name], name)
    if "dso_step_days" in terms:
        cleaned["dso_step_days"] = _bp(terms["dso_step_days"], "dso_step_days", upper=MAX_STEP_DAYS)
        if cleaned["dso_step_days"] == 0:
            raise ValidationFailed(_("The DSO step must be at least one day."), field="dso_step_days")
    if "overdue_days" in terms:
        cleaned["overdue_days"] = _bp(terms["overdue_days"], "overdue_days", upper=MAX_OVERDUE_DAYS)
    if "dso_both_ways" in terms:
        cleaned["dso_both_ways"] = bool(terms["dso_both_ways"])
    if "deduction_mode" in terms:
        if terms["deduction_mode"] not in DeductionMode.values:
            raise ValidationFailed(_("The deduction is per item or per amount."), field="deduction_mode")
        cleaned["deduction_mode"] = terms["deduction_mode"]
    if "note" in terms:
        cleaned["note"] = text_check(terms["note"] or "", field="note", limit=MAX_NOTE) or ""
    return cleaned


def _weights_check(scheme: IncentiveScheme) -> None:
    total = sum(getattr(scheme, name) for name in WEIGHT_FIELDS.values())
    if total != FULL_BP:
        raise ValidationFailed(_("The weights add up to %(total)s%%; they must add up to 100%%.")
                               % {"total": Decimal(total) / 100}, field="weights")


def _members_check(members: Iterable[tuple[Any, str]]) -> list[tuple[Any, str]]:
    seen: set[int] = set()
    result = []
    for user, role in members:
        if role not in MemberRole.values:
            raise ValidationFailed(_("A member is a salesperson or a collector."), field="members")
        if user.pk in seen:
            raise ValidationFailed(_("%(name)s is in the scheme twice.") % {"name": user.get_username()},
                                   field="members")
        seen.add(user.pk)
        result.append((user, role))
    return result


def default_members() -> list[tuple[Any, str]]:
    """Every active user in the sales role (as salesperson) and in the collector role (as collector)."""
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    result: list[tuple[Any, str]] = []
    taken: set[int] = set()
    for group, role in ((Role.SALES, MemberRole.SALESPERSON), (Role.COLLECTOR, MemberRole.COLLECTOR)):
        for user in users.filter(groups__name=group):
            if user.pk not in taken:
                taken.add(user.pk)
                result.append((user, role))
    return result


def _editable(scheme: IncentiveScheme) -> None:
    if scheme.locked:
        raise Conflict(_("The scheme of %(month)s is %(status)s and can no longer be changed.")
                       % {"month": f"{scheme.period:%Y-%m}", "status": scheme.get_status_display()},
                       code=ErrorCode.INCENTIVE_SCHEME_LOCKED)


def _back_to_draft(scheme: IncentiveScheme) -> None:
    if scheme.status == SchemeStatus.COMPUTED:
        PayoutLine.objects.filter(scheme=scheme).delete()
        scheme.status = SchemeStatus.DRAFT


@transaction.atomic
def scheme_create(*, actor: Actor, company: Company, period: date, terms: dict[str, Any] | None = None,
                  members: Iterable[tuple[Any, str]] | None = None) -> IncentiveScheme:
    """A draft scheme for ``period``'s month with ``terms`` (defaults for the rest) and ``members`` (None: every
    salesperson and collector)."""
    date_check(period, field="period")
    period = month_start(period)
    if IncentiveScheme.objects.filter(company=company, period=period).exists():
        raise ValidationFailed(_("There is already a scheme for %(month)s.") % {"month": f"{period:%Y-%m}"},
                               field="period")
    scheme = IncentiveScheme(company=company, period=period, created_by=actor, updated_by=actor,
                             **terms_check(terms or {}))
    _weights_check(scheme)
    chosen = _members_check(default_members() if members is None else members)
    scheme.save()
    SchemeMember.objects.bulk_create([SchemeMember(scheme=scheme, user=user, role=role) for user, role in chosen])
    audit_record(actor=actor, action=AuditAction.INCENTIVE_SCHEME_CREATED, subject=scheme,
                 after={**_snapshot(scheme), "members": [[u.pk, r] for u, r in chosen]})
    return scheme


@transaction.atomic
def scheme_update(*, actor: Actor, scheme: IncentiveScheme, terms: dict[str, Any],
                  members: Iterable[tuple[Any, str]] | None = None) -> IncentiveScheme:
    """Change the terms (and, given, the members) of a draft or computed scheme; a computed one goes back to draft."""
    scheme = qs_for_update(IncentiveScheme.objects.all()).get(pk=scheme.pk)
    _editable(scheme)
    before = _snapshot(scheme)
    for name, value in terms_check(terms).items():
        setattr(scheme, name, value)
    _weights_check(scheme)
    chosen = None if members is None else _members_check(members)
    _back_to_draft(scheme)
    scheme.updated_by = actor
    scheme.save()
    after = _snapshot(scheme)
    if chosen is not None:
        SchemeMember.objects.filter(scheme=scheme).delete()
        SchemeMember.objects.bulk_create([SchemeMember(scheme=scheme, user=u, role=r) for u, r in chosen])
        after["members"] = [[u.pk, r] for u, r in chosen]
    audit_record(actor=actor, action=AuditAction.INCENTIVE_SCHEME_CHANGED, subject=scheme, before=before,
                 after=after)
    return scheme


@transaction.atomic
def rating_set(*, actor: Actor, scheme: IncentiveScheme, ratee: Any, score: Any, note: str = "") -> IncentiveRating:
    """Record (or replace) ``actor``'s rating of ``ratee`` for the scheme's month: 0..100, never oneself, finance
    rating a salesperson of the scheme or sales rating a collector of it."""
    scheme = qs_for_update(IncentiveScheme.objects.all()).get(pk=scheme.pk)
    _editable(scheme)
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        raise ValidationFailed(_("A rating is a whole number from 0 to 100."), field="score")
    if getattr(actor, "pk", None) == ratee.pk:
        raise ValidationFailed(_("Nobody rates themselves."), field="ratee")
    member = SchemeMember.objects.filter(scheme=scheme, user=ratee).first()
    if member is None:
        raise ValidationFailed(_("%(name)s is not in this scheme.") % {"name": ratee.get_username()}, field="ratee")
    if not (user_roles(actor) & {r.value for r in RATERS[MemberRole(member.role)]}):
        raise Forbidden(_("Finance rates the salespeople and sales rate the collectors; you may not rate %(name)s.")
                        % {"name": ratee.get_username()}, field="ratee")
    note = text_check(note or "", field="note", limit=MAX_NOTE) or ""
    rating, created = IncentiveRating.objects.update_or_create(
        scheme=scheme, rater=actor, ratee=ratee, defaults={"score": score, "note": note})
    _back_to_draft(scheme)
    scheme.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.INCENTIVE_RATING_RECORDED, subject=scheme,
                 after={"ratee": ratee.pk, "score": score, "created": created})
    return rating


# ------------------------------------------------------------------------------------------------ computing


def _whole_steps(diff: Decimal, step_days: int) -> int:
    """Whole steps in ``diff`` days, toward zero."""
    steps = (abs(diff) / step_days).to_integral_value(rounding=ROUND_FLOOR)
    return int(steps) if diff >= 0 else -int(steps)


def dso_step(*, previous: Decimal | None, current: Decimal | None, step_days: int, step_bp: int,
             both_ways: bool) -> int:
    """The pool's change in bp: +``step_bp`` per whole ``step_days`` of shorter DSO; a longer DSO only when
    ``both_ways``; never below -100%."""
    if previous is None or current is None:
        return 0
    steps = _whole_steps(previous - current, step_days)
    if steps < 0 and not both_ways:
        steps = 0
    return max(steps * step_bp, -FULL_BP)


def _rate_bp(parts: Any) -> int | None:
    if parts is None or parts.whole <= 0:
        return None
    return max(0, min(FULL_BP, divide_half_up(parts.part * FULL_BP, parts.whole)))


def _split(total: int, weights: list[int]) -> list[int]:
    if total <= 0 or sum(weights) <= 0:
        return [0] * len(weights)
    return split_largest_remainder(total, weights)


def _dso(start: date, end: date) -> Decimal | None:
    value = kpi_values(start=start, end=end, codes=["dso"])["dso"].measure
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def sheet_compute(scheme: IncentiveScheme, progress: Progress | None = None) -> tuple[dict[str, Any],
                                                                                      list[PayoutLine]]:
    """Every figure of the sheet, stored nowhere: (the scheme's results, one unsaved PayoutLine per member)."""
    tick = progress or (lambda done, total: None)
    start, end = selectors.period_bounds(scheme)
    members = list(selectors.members_of(scheme))
    tick(0, 4)
    previous_start = month_start(start - timedelta(days=1))
    dso_previous = _dso(previous_start, month_end(previous_start))
    dso_current = _dso(start, end)
    step = dso_step(previous=dso_previous, current=dso_current, step_days=scheme.dso_step_days,
                    step_bp=scheme.dso_step_bp, both_ways=scheme.dso_both_ways)
    pool = max(0, scheme.base_pool_minor + divide_half_up(scheme.base_pool_minor * step, FULL_BP))
    tick(1, 4)
    figures: dict[str, dict[int, Any]] = {"collections": {}, "recovery": {}, "dunning": {}, "past_due": {}}
    for role in MemberRole.values:
        if not any(m.role == role for m in members):
            continue
        collected = selectors.collections_by_person(company=scheme.company, start=start, end=end, role=role)
        recovery, dunning = selectors.rates_by_person(start=start, end=end, role=role)
        overdue = selectors.past_due_by_person(scheme=scheme, role=role)
        for member in members:
            if member.role == role:
                figures["collections"][member.user_id] = collected.get(member.user_id, 0)
                figures["recovery"][member.user_id] = _rate_bp(recovery.get(member.user_id))
                figures["dunning"][member.user_id] = _rate_bp(dunning.get(member.user_id))
                figures["past_due"][member.user_id] = overdue.get(member.user_id, (0, 0))
    tick(2, 4)
    ratings: dict[int, list[int]] = {}
    for ratee_id, score in selectors.ratings_of(scheme).values_list("ratee_id", "score"):
        ratings.setdefault(ratee_id, []).append(score)
    tick(3, 4)
    lines = _lines(scheme, members, figures, ratings, pool)
    tick(4, 4)
    results = {"dso_previous": dso_previous, "dso_current": dso_current, "pool_step_bp": step, "pool_minor": pool}
    return results, lines


def _lines(scheme: IncentiveScheme, members: list[SchemeMember], figures: dict[str, dict[int, Any]],
           ratings: dict[int, list[int]], pool: int) -> list[PayoutLine]:
    weights = [getattr(scheme, WEIGHT_FIELDS[c]) for c in COMPONENTS]
    component_pools = dict(zip(COMPONENTS, _split(pool, weights), strict=True))
    collected = [max(0, figures["collections"].get(m.user_id, 0)) for m in members]
    total_collected = sum(collected)
    rating_bp = {uid: divide_half_up(sum(scores) * 100, len(scores)) for uid, scores in ratings.items()}
    points: dict[str, list[int]] = {
        "collections": [divide_half_up(c * FULL_BP, total_collected) if total_collected else 0 for c in collected],
        "recovery": [figures["recovery"].get(m.user_id) or 0 for m in members],
        "dunning": [figures["dunning"].get(m.user_id) or 0 for m in members],
        "rating": [rating_bp.get(m.user_id, 0) for m in members],
    }
    # collections are split by the cash itself (exact), the others by their points
    split_by = {**points, "collections": collected}
    amounts = {c: _split(component_pools[c], split_by[c]) for c in COMPONENTS}
    lines = []
    for index, member in enumerate(members):
        items, overdue_minor = figures["past_due"].get(member.user_id, (0, 0))
        if scheme.deduction_mode == DeductionMode.PER_ITEM:
            deduction = items * scheme.deduction_per_item_minor
        else:
            deduction = divide_half_up(overdue_minor * scheme.deduction_bp, FULL_BP)
        gross = sum(amounts[c][index] for c in COMPONENTS)
        lines.append(PayoutLine(
            scheme=scheme, user=member.user, role=member.role,
            collections_minor=figures["collections"].get(member.user_id, 0),
            recovery_bp=figures["recovery"].get(member.user_id), dunning_bp=figures["dunning"].get(member.user_id),
            rating_bp=rating_bp.get(member.user_id), ratings_count=len(ratings.get(member.user_id, ())),
            points={c: points[c][index] for c in COMPONENTS}, amounts={c: amounts[c][index] for c in COMPONENTS},
            overdue_items=items, overdue_minor=overdue_minor, deduction_minor=deduction, gross_minor=gross,
            total_minor=max(0, gross - deduction)))
    return lines


def compute_is_large(*, company: Company) -> bool:
    from arms.customers.models import Customer

    return Customer.objects.filter(company=company)[:INLINE_LIMIT + 1].count() > INLINE_LIMIT


@transaction.atomic
def scheme_compute(*, actor: Actor, scheme: IncentiveScheme, progress: Progress | None = None) -> IncentiveScheme:
    """Compute the payout sheet of a draft or computed scheme and store it (replacing the last one)."""
    scheme = qs_for_update(IncentiveScheme.objects.select_related("company")).get(pk=scheme.pk)
    _editable(scheme)
    _weights_check(scheme)
    results, lines = sheet_compute(scheme, progress)
    PayoutLine.objects.filter(scheme=scheme).delete()
    PayoutLine.objects.bulk_create(lines)
    for name, value in results.items():
        setattr(scheme, name, value)
    scheme.status = SchemeStatus.COMPUTED
    scheme.computed_by = actor
    scheme.computed_at = timezone.now()
    scheme.save()
    audit_record(actor=actor, action=AuditAction.INCENTIVE_SCHEME_COMPUTED, subject=scheme,
                 after={"pool_minor": scheme.pool_minor, "pool_step_bp": scheme.pool_step_bp,
                        "lines": len(lines), "total_minor": sum(line.total_minor for line in lines)})
    return scheme


@transaction.atomic
def scheme_approve(*, actor: Actor, scheme: IncentiveScheme) -> IncentiveScheme:
    """Approve a computed sheet: a finance manager other than whoever computed it or last edited its terms."""
    scheme = qs_for_update(IncentiveScheme.objects.all()).get(pk=scheme.pk)
    if scheme.status != SchemeStatus.COMPUTED:
        raise Conflict(_("Only a computed scheme can be approved; this one is %(status)s.")
                       % {"status": scheme.get_status_display()}, code=ErrorCode.INCENTIVE_NOT_COMPUTED)
    require_second_person(scheme.computed_by_id, actor)
    require_second_person(scheme.updated_by_id, actor)
    scheme.status = SchemeStatus.APPROVED
    scheme.approved_by = actor
    scheme.approved_at = timezone.now()
    scheme.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.INCENTIVE_SCHEME_APPROVED, subject=scheme,
                 after={"status": scheme.status, "pool_minor": scheme.pool_minor})
    return scheme


@transaction.atomic
def scheme_close(*, actor: Actor, scheme: IncentiveScheme) -> IncentiveScheme:
    """Close an approved scheme (its payout has been made outside ARMS)."""
    scheme = qs_for_update(IncentiveScheme.objects.all()).get(pk=scheme.pk)
    if scheme.status != SchemeStatus.APPROVED:
        raise Conflict(_("Only an approved scheme can be closed."), code=ErrorCode.INCENTIVE_NOT_COMPUTED)
    scheme.status = SchemeStatus.CLOSED
    scheme.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.INCENTIVE_SCHEME_CLOSED, subject=scheme,
                 after={"status": scheme.status})
    return scheme
