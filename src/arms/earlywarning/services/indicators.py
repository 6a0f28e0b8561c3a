"""Indicators: create and change them (finance managers), and the defaults shipped with ARMS.

``IndicatorFields.clean()`` is the one validator (the API, the form and the defaults go through it): the threshold
is a whole number of the metric's unit within its bounds (``arms.domain.earlywarning.threshold_error``), the window
is given exactly when the metric has one, the scope names its target. A refusal names its field and writes
nothing; every change is audited with the indicator before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arms.accounts.roles import Role
from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.bounds import text_check
from arms.common.errors import ValidationFailed
from arms.common.inputs import UNSET, ServiceInput
from arms.common.locks import lock_one
from arms.credit.enums import Grade
from arms.customers.enums import Industry, Region
from arms.customers.models import Customer
from arms.domain.earlywarning import METRICS, ThresholdError, WindowError, WindowUnit, threshold_error, window_error
from arms.earlywarning.enums import STANDING, Metric, ScopeKind, Severity, WarningStatus
from arms.earlywarning.models import Indicator, Warning

#: scopes whose target is a person, a customer, or a group value
USER_SCOPES = (ScopeKind.COLLECTOR, ScopeKind.SALESPERSON)
VALUE_SCOPES = (ScopeKind.GRADE, ScopeKind.REGION, ScopeKind.INDUSTRY)
MAX_NOTIFY_USERS = 50
#: the values a customer-group scope may take
GROUP_CHOICES = {ScopeKind.GRADE: Grade, ScopeKind.REGION: Region, ScopeKind.INDUSTRY: Industry}


@dataclass(frozen=True, kw_only=True)
class IndicatorFields(ServiceInput):
    name: str = UNSET
    metric: str = UNSET
    scope: str = ScopeKind.COMPANY
    scope_user_id: int | None = None
    scope_customer_id: int | None = None
    scope_value: str = ""
    threshold: Any = UNSET
    window: Any = None
    severity: str = Severity.WARNING
    notify_roles: tuple[str, ...] = ()
    notify_user_ids: tuple[int, ...] = ()
    responsible_role: str = Role.CREDIT_MANAGER
    active: bool = True

    def clean(self) -> dict[str, Any]:
        """The fields as the model stores them, or ``ValidationFailed`` naming the first bad one."""
        name = (self.name or "").strip() if isinstance(self.name, str) else ""
        if not name:
            raise ValidationFailed(_("Give the indicator a name."), field="name")
        if len(name) > 120:
            raise ValidationFailed(_("At most 120 characters."), field="name")
        if self.metric not in Metric.values:
            raise ValidationFailed(_("Choose one of the metrics."), field="metric")
        if self.scope not in ScopeKind.values:
            raise ValidationFailed(_("Choose one of the scopes."), field="scope")
        if self.severity not in Severity.values:
            raise ValidationFailed(_("Choose one of the severities."), field="severity")
        if self.responsible_role not in {role.value for role in Role}:
            raise ValidationFailed(_("Choose one of the roles."), field="responsible_role")
        roles = tuple(dict.fromkeys(self.notify_roles))
        if any(role not in {r.value for r in Role} for role in roles):
            raise ValidationFailed(_("Choose roles from the list."), field="notify_roles")
        window = self.window
        if window is None and METRICS[self.metric].window_unit != WindowUnit.NONE:
            window = METRICS[self.metric].default_window
        self._check_threshold()
        self._check_window(window)
        cleaned: dict[str, Any] = {
            "name": name, "metric": self.metric, "scope": self.scope, "threshold": self.threshold,
            "window": window, "severity": self.severity, "notify_roles": list(roles),
            "responsible_role": self.responsible_role, "active": bool(self.active),
            "scope_user_id": None, "scope_customer_id": None, "scope_value": "",
        }
        cleaned.update(self._scope_target())
        return cleaned

    def _check_threshold(self) -> None:
        spec = METRICS[self.metric]
        error = threshold_error(self.metric, self.threshold)
        if error is ThresholdError.NOT_WHOLE:
            raise ValidationFailed(_("The threshold is a whole number of the metric's unit."), field="threshold")
        if error is not None:
            raise ValidationFailed(_("The threshold is between %(low)s and %(high)s.")
                                   % {"low": spec.threshold_min, "high": spec.threshold_max}, field="threshold")

    def _check_window(self, window: Any) -> None:
        spec = METRICS[self.metric]
        error = window_error(self.metric, window)
        if error is WindowError.NOT_USED:
            raise ValidationFailed(_("This metric has no window; leave it empty."), field="window")
        if error is not None:
            raise ValidationFailed(
                _("The window is a whole number of %(unit)s between %(low)s and %(high)s.")
                % {"unit": _("months") if spec.window_unit == WindowUnit.MONTHS else _("days"),
                   "low": spec.window_min, "high": spec.window_max}, field="window")

    def _scope_target(self) -> dict[str, Any]:
        if self.scope in USER_SCOPES:
            user = get_user_model().objects.filter(pk=self.scope_user_id, is_active=True).first() \
                if isinstance(self.scope_user_id, int) else None
            if user is None:
                raise ValidationFailed(_("Choose the person whose customers are watched."), field="scope_user_id")
            return {"scope_user_id": user.pk}
        if self.scope == ScopeKind.CUSTOMER:
            if not isinstance(self.scope_customer_id, int) or \
                    not Customer.objects.filter(pk=self.scope_customer_id).exists():
                raise ValidationFailed(_("Choose the customer to watch."), field="scope_customer_id")
            return {"scope_customer_id": self.scope_customer_id}
        if self.scope in VALUE_SCOPES:
            value = (self.scope_value or "").strip()
            if value not in GROUP_CHOICES[ScopeKind(self.scope)].values:
                raise ValidationFailed(_("Choose the grade, region or industry of the group."), field="scope_value")
            return {"scope_value": value}
        return {}

    def users(self) -> list[Any]:
        ids = list(dict.fromkeys(self.notify_user_ids))
        if len(ids) > MAX_NOTIFY_USERS:
            raise ValidationFailed(_("At most %(n)s people.") % {"n": MAX_NOTIFY_USERS}, field="notify_user_ids")
        found = list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))
        if len(found) != len(ids):
            raise ValidationFailed(_("Choose active users."), field="notify_user_ids")
        return found


def indicator_snapshot(indicator: Indicator) -> dict[str, Any]:
    return {
        "name": indicator.name, "metric": indicator.metric, "scope": indicator.scope,
        "scope_user_id": indicator.scope_user_id, "scope_customer_id": indicator.scope_customer_id,
        "scope_value": indicator.scope_value, "threshold": indicator.threshold, "window": indicator.window,
        "severity": indicator.severity, "notify_roles": list(indicator.notify_roles),
        "notify_user_ids": sorted(indicator.notify_users.values_list("pk", flat=True)) if indicator.pk else [],
        "responsible_role": indicator.responsible_role, "active": indicator.active,
    }


@transaction.atomic
def indicator_create(*, actor: Any, fields: IndicatorFields, builtin: str = "") -> Indicator:
    """A new indicator, audited."""
    cleaned = fields.clean()
    users = fields.users()
    indicator = Indicator.objects.create(**cleaned, builtin=builtin)
    indicator.notify_users.set(users)
    audit_record(actor=actor, action=AuditAction.INDICATOR_CREATED, subject=indicator,
                 after=indicator_snapshot(indicator))
    return indicator


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, fields: IndicatorFields) -> Indicator:
    """Change every field of an indicator; its standing warnings keep the figures they were raised with and
    close at the next evaluation if the new threshold is not crossed."""
    cleaned = fields.clean()
    users = fields.users()
    locked = lock_one(Indicator.objects.all(), pk=indicator.pk)
    before = indicator_snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    locked.notify_users.set(users)
    audit_record(actor=actor, action=AuditAction.INDICATOR_UPDATED, subject=locked, before=before,
                 after=indicator_snapshot(locked))
    if before["active"] and not locked.active:
        _close_standing(locked, actor=actor)
    return locked


def _close_standing(indicator: Indicator, *, actor: Any) -> None:
    """An indicator no longer evaluated leaves no warning standing: each closes today, audited."""
    today = timezone.localdate()
    for warning in Warning.objects.filter(indicator=indicator, status__in=list(STANDING)).order_by("pk"):
        before = {"status": warning.status}
        warning.status, warning.closed_on = WarningStatus.CLOSED, today
        warning.save(update_fields=["status", "closed_on"])
        audit_record(actor=actor, action=AuditAction.WARNING_CLOSED, subject=warning, before=before,
                     after={"status": warning.status, "closed_on": today, "reason": "indicator_deactivated"})


def _defaults() -> list[tuple[str, str, dict[str, Any]]]:
    """(code, name, fields) of the shipped indicators: the seeds' (逾期天数, 坏账率, order volume and payment
    cycle) and the usual ones, in the installation's language."""
    fm, cm, col, sales = Role.FINANCE_MANAGER, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.SALES
    return [
        ("oldest_overdue_90", _("Oldest item over 90 days overdue"),
         {"metric": Metric.OLDEST_OVERDUE_DAYS, "threshold": 90, "severity": Severity.WARNING,
          "responsible_role": col, "notify_roles": (col,)}),
        ("overdue_amount_1m", _("Overdue above CNY 1,000,000"),
         {"metric": Metric.OVERDUE_AMOUNT, "threshold": 1_000_000_00, "severity": Severity.WARNING,
          "responsible_role": cm, "notify_roles": (cm,)}),
        ("overdue_ratio_30", _("Overdue ratio above 30%"),
         {"metric": Metric.OVERDUE_RATIO, "threshold": 3000, "severity": Severity.WARNING,
          "responsible_role": fm, "notify_roles": (fm,)}),
        ("bad_debt_ratio_2", _("Bad-debt ratio of 12 months above 2%"),
         {"metric": Metric.BAD_DEBT_RATIO, "threshold": 200, "window": 12, "severity": Severity.CRITICAL,
          "responsible_role": fm, "notify_roles": (fm, Role.EXECUTIVE)}),
        ("dso_rise_10", _("DSO up 10 days over 3 months"),
         {"metric": Metric.DSO_RISE, "threshold": 10, "window": 3, "severity": Severity.WARNING,
          "responsible_role": fm, "notify_roles": (fm,)}),
        ("days_late_rising_10", _("Customer paying 10 days later than the quarter before"),
         {"metric": Metric.DAYS_LATE_RISING, "threshold": 10, "window": 90, "severity": Severity.WARNING,
          "responsible_role": col, "notify_roles": (col, cm)}),
        ("volume_drop_50", _("Customer's orders down 50% against its trailing year"),
         {"metric": Metric.VOLUME_DROP, "threshold": 5000, "window": 90, "severity": Severity.INFO,
          "responsible_role": sales, "notify_roles": (sales, cm)}),
        ("credit_utilisation_90", _("Credit limit used: at least 90%"),
         {"metric": Metric.CREDIT_UTILISATION, "threshold": 9000, "severity": Severity.WARNING,
          "responsible_role": cm, "notify_roles": (cm,)}),
        ("broken_promises_2", _("Two broken promises to pay in 90 days"),
         {"metric": Metric.BROKEN_PROMISES, "threshold": 2, "window": 90, "severity": Severity.WARNING,
          "responsible_role": col, "notify_roles": (col,)}),
        ("concentration_largest_20", _("Largest customer's share of receivables above 20%"),
         {"metric": Metric.CONCENTRATION_LARGEST, "threshold": 2000, "severity": Severity.WARNING,
          "responsible_role": fm, "notify_roles": (fm, Role.EXECUTIVE)}),
        ("concentration_top10_60", _("Top 10 customers' share of receivables above 60%"),
         {"metric": Metric.CONCENTRATION_TOP10, "threshold": 6000, "severity": Severity.INFO,
          "responsible_role": fm, "notify_roles": (fm,)}),
        ("external_facts", _("Adverse external facts on the credit file"),
         {"metric": Metric.EXTERNAL_FACTS, "threshold": 1, "severity": Severity.CRITICAL,
          "responsible_role": cm, "notify_roles": (cm, Role.LEGAL)}),
        ("confirmations_unanswered_30", _("Balance confirmation unanswered after 30 days"),
         {"metric": Metric.CONFIRMATIONS_UNANSWERED, "threshold": 1, "window": 30, "severity": Severity.INFO,
          "responsible_role": Role.FINANCE_CLERK, "notify_roles": (Role.FINANCE_CLERK,)}),
    ]


@transaction.atomic
def indicators_ensure_default(*, actor: Any = None) -> int:
    """Create the shipped indicators that do not exist yet (each once, by its code; one a person changed or
    deactivated stays as they left it). Returns how many were created."""
    existing = set(Indicator.objects.exclude(builtin="").values_list("builtin", flat=True))
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        for code, name, values in _defaults():
            if code in existing:
                continue
            indicator_create(actor=actor, fields=IndicatorFields(name=name, **values), builtin=code)
            made += 1
    return made


def text_or_refuse(value: Any, *, field: str) -> str:
    """A person's free text (a note): stripped, bounded, required."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed(_("Write a note."), field=field)
    text_check(text, field=field)
    return text
