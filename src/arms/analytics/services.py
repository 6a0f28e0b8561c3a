"""The writes of analytics: receivables budgets (应收账款预算) are created, changed and deleted here, each in
one transaction with its audit event. Everything else analytics does is a read (``aging``, ``kpis``,
``recovery``, ``team``, ``budgets``: the budgets a person may see and their actuals).

A budget is one month's targets for the company, a salesperson or a collector; at most one per month and
team (a conditional unique constraint decides between two simultaneous creates). Every target is optional,
but at least one is set.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from arms.analytics.models import Budget, BudgetScope
from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.common.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from arms.common.locks import qs_for_update

if TYPE_CHECKING:
    from arms.common.typing import Actor, JsonDict

MAX_TARGET_MINOR = 10**15


class BudgetFields(TypedDict):
    """A budget's checked month, team and targets, as ``_clean`` returns them."""

    period: date
    scope: str
    user_id: int | None
    collections_target_minor: int | None
    dso_target_days: Decimal | None
    overdue_ratio_target_bp: int | None
    recovery_rate_target_bp: int | None


def budget_snapshot(budget: Budget) -> JsonDict:
    return {
        "period": budget.period.isoformat(), "scope": budget.scope, "user": budget.user_id,
        "collections_target_minor": budget.collections_target_minor,
        "dso_target_days": str(budget.dso_target_days) if budget.dso_target_days is not None else None,
        "overdue_ratio_target_bp": budget.overdue_ratio_target_bp,
        "recovery_rate_target_bp": budget.recovery_rate_target_bp, "note": budget.note,
    }


def _clean(*, period: date, scope: str, user_id: int | None, collections_target_minor: int | None,
           dso_target_days: Decimal | None, overdue_ratio_target_bp: int | None,
           recovery_rate_target_bp: int | None) -> BudgetFields:
    if period.day != 1:
        raise ValidationFailed(_("A budget's month is given by its first day."), field="period")
    if scope not in BudgetScope.values:
        raise ValidationFailed(_("The team is company, salesperson or collector."), field="scope")
    if scope == BudgetScope.COMPANY:
        if user_id:
            raise ValidationFailed(_("A company budget names no user."), field="user_id")
        user_id = None
    else:
        if not user_id:
            raise ValidationFailed(_("Name the salesperson or collector."), field="user_id")
        if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
            raise ValidationFailed(_("No such active user."), field="user_id")
    if collections_target_minor is not None and not 0 <= collections_target_minor <= MAX_TARGET_MINOR:
        raise ValidationFailed(_("The collections target cannot be negative."), field="collections_target_minor")
    if dso_target_days is not None:
        dso_target_days = Decimal(dso_target_days)
        if not dso_target_days.is_finite() or not Decimal(0) <= dso_target_days <= Decimal(9999):
            raise ValidationFailed(_("The DSO target is between 0 and 9999 days."), field="dso_target_days")
        dso_target_days = dso_target_days.quantize(Decimal("0.01"))
    if overdue_ratio_target_bp is not None and not 0 <= overdue_ratio_target_bp <= 10_000:
        raise ValidationFailed(_("The overdue ratio target is 0 to 10000 basis points."),
                               field="overdue_ratio_target_bp")
    if recovery_rate_target_bp is not None and (isinstance(recovery_rate_target_bp, bool)
                                                or not isinstance(recovery_rate_target_bp, int)
                                                or not 0 <= recovery_rate_target_bp <= 10_000):
        raise ValidationFailed(_("The recovery rate target is 0 to 10000 basis points."),
                               field="recovery_rate_target_bp")
    if collections_target_minor is None and dso_target_days is None and overdue_ratio_target_bp is None \
            and recovery_rate_target_bp is None:
        raise ValidationFailed(_("Set at least one target."), field="collections_target_minor")
    return {"period": period, "scope": scope, "user_id": user_id,
            "collections_target_minor": collections_target_minor, "dso_target_days": dso_target_days,
            "overdue_ratio_target_bp": overdue_ratio_target_bp, "recovery_rate_target_bp": recovery_rate_target_bp}


@transaction.atomic
def budget_create(*, actor: Actor, period: date, scope: str = BudgetScope.COMPANY, user_id: int | None = None,
                  collections_target_minor: int | None = None, dso_target_days: Decimal | None = None,
                  overdue_ratio_target_bp: int | None = None, recovery_rate_target_bp: int | None = None,
                  note: str = "") -> Budget:
    fields = _clean(period=period, scope=scope, user_id=user_id, collections_target_minor=collections_target_minor,
                    dso_target_days=dso_target_days, overdue_ratio_target_bp=overdue_ratio_target_bp,
                    recovery_rate_target_bp=recovery_rate_target_bp)
    same_team = Budget.objects.filter(period=fields["period"], scope=fields["scope"])
    same_team = (same_team.filter(user__isnull=True) if fields["user_id"] is None
                 else same_team.filter(user_id=fields["user_id"]))
    if same_team.exists():
        raise Conflict(_("This team already has a budget for that month."), field="period",
                       code=ErrorCode.BUDGET_EXISTS)
    try:
        with transaction.atomic():
            budget = Budget.objects.create(**fields, note=(note or "").strip(),
                                           created_by=user_or_none(actor))
    except IntegrityError:  # a concurrent create of the same month and team won
        raise Conflict(_("This team already has a budget for that month."), field="period",
                       code=ErrorCode.BUDGET_EXISTS) from None
    audit_record(actor=actor, action="budget_created", subject=budget, after=budget_snapshot(budget))
    return budget


@transaction.atomic
def budget_update(*, actor: Actor, budget: Budget, collections_target_minor: int | None,
                  dso_target_days: Decimal | None, overdue_ratio_target_bp: int | None,
                  recovery_rate_target_bp: int | None = None, note: str = "") -> Budget:
    """Replace the targets of a budget (its month and team stay)."""
    locked = qs_for_update(Budget.objects.all()).filter(pk=budget.pk).first()
    if locked is None:
        raise NotFound(_("Budget not found."), field="budget_id")
    fields = _clean(period=locked.period, scope=locked.scope, user_id=locked.user_id,
                    collections_target_minor=collections_target_minor, dso_target_days=dso_target_days,
                    overdue_ratio_target_bp=overdue_ratio_target_bp, recovery_rate_target_bp=recovery_rate_target_bp)
    before = budget_snapshot(locked)
    locked.collections_target_minor = fields["collections_target_minor"]
    locked.dso_target_days = fields["dso_target_days"]
    locked.overdue_ratio_target_bp = fields["overdue_ratio_target_bp"]
    locked.recovery_rate_target_bp = fields["recovery_rate_target_bp"]
    locked.note = (note or "").strip()
    locked.save(update_fields=["collections_target_minor", "dso_target_days", "overdue_ratio_target_bp",
                               "recovery_rate_target_bp", "note", "updated_at"])
    audit_record(actor=actor, action="budget_updated", subject=locked, before=before, after=budget_snapshot(locked))
    return locked


@transaction.atomic
def budget_delete(*, actor: Actor, budget: Budget) -> None:
    locked = qs_for_update(Budget.objects.all()).filter(pk=budget.pk).first()
    if locked is None:
        raise NotFound(_("Budget not found."), field="budget_id")
    audit_record(actor=actor, action="budget_deleted", subject=locked, before=budget_snapshot(locked))
    locked.delete()
