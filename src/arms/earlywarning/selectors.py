"""Reads of early warning: the warning log, indicators, risk signals, and what other apps may ask of it.

INTERFACE h1 (issue 15): `warnings_in_period` and `WarningRow` are what the monthly management report (stress /
reports) shows in its risk section; their names and meaning do not change.

Who sees what: whoever sees every customer (``sees_all_customers``) sees every warning; a salesperson sees the
warnings about their own customers and those of indicators scoped to their own customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse

from arms.accounts.roles import sees_all_customers
from arms.common.errors import NotFound
from arms.customers.models import Customer
from arms.customers.selectors import customers_visible_to
from arms.earlywarning.enums import SEVERITY_RANK, STANDING, Severity, SignalStatus, WarningStatus
from arms.earlywarning.labels import figures_text, scope_label, subject_label
from arms.earlywarning.models import Indicator, RiskSignal, Warning

if TYPE_CHECKING:
    from arms.common.typing import Viewer

WARNINGS_IN_PERIOD_LIMIT = 200
#: the warning log's status filter: "standing" is open or acknowledged
STATUS_FILTERS = ("standing", *WarningStatus.values, "all")


@dataclass(frozen=True, slots=True)
class WarningRow:
    """One warning as the management report shows it (labels already in the reader's language)."""

    id: int
    indicator_name: str
    severity: str  # "info" | "warning" | "critical"
    severity_label: str
    scope_label: str
    customer_id: int | None
    customer_name: str
    raised_on: date
    closed_on: date | None
    status_label: str
    figures_text: str
    url: str


def _severity_rank() -> Case:
    return Case(*(When(severity=sev.value, then=Value(rank)) for sev, rank in SEVERITY_RANK.items()),
                default=Value(9), output_field=IntegerField())


def _with_relations(qs: QuerySet[Warning]) -> QuerySet[Warning]:
    return qs.select_related("indicator", "indicator__scope_user", "indicator__scope_customer", "customer",
                             "acknowledged_by")


def warning_row(warning: Warning) -> WarningRow:
    indicator = warning.indicator
    return WarningRow(
        id=warning.pk, indicator_name=indicator.name, severity=warning.severity,
        severity_label=str(Severity(warning.severity).label), scope_label=scope_label(indicator),
        customer_id=warning.customer_id,
        customer_name=warning.customer.name if warning.customer_id and warning.customer else "",
        raised_on=warning.raised_on, closed_on=warning.closed_on,
        status_label=str(WarningStatus(warning.status).label),
        figures_text=figures_text(indicator.metric, warning.figures),
        url=reverse("earlywarning:warning", args=[warning.pk]),
    )


def warnings_in_period(*, start: date, end: date) -> list[WarningRow]:
    """Warnings raised in [start, end] or still open at `end` (raised by then and not closed by then); at most 200
    rows, most severe first, then the newest first. Two queries at most, whatever the size of the log."""
    raised_in = Q(raised_on__range=(start, end))
    open_at_end = Q(raised_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    qs = (_with_relations(Warning.objects.filter(raised_in | open_at_end)).annotate(rank=_severity_rank())
          .order_by("rank", "-raised_on", "-id"))
    return [warning_row(w) for w in qs[:WARNINGS_IN_PERIOD_LIMIT]]


def warnings_visible_to(user: Viewer) -> QuerySet[Warning]:
    if not user.is_authenticated:
        return Warning.objects.none()
    if sees_all_customers(user):
        return Warning.objects.all()
    return Warning.objects.filter(Q(customer__in=customers_visible_to(user))
                                  | Q(customer__isnull=True, indicator__scope_user=user))


def warning_list(*, user: Viewer, status: str = "standing", severity: str = "", indicator_id: int | None = None,
                 customer_id: int | None = None) -> QuerySet[Warning]:
    """The warning log the user may see: most severe first, then the newest."""
    qs = warnings_visible_to(user)
    if status == "standing":
        qs = qs.filter(status__in=list(STANDING))
    elif status in WarningStatus.values:
        qs = qs.filter(status=status)
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    if indicator_id:
        qs = qs.filter(indicator_id=indicator_id)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return _with_relations(qs).annotate(rank=_severity_rank()).order_by("rank", "-raised_on", "-id")


def severity_counts(*, user: Viewer) -> dict[str, int]:
    """Standing warnings the user may see, by severity (the log's header), one query."""
    rows = (warnings_visible_to(user).filter(status__in=list(STANDING)).order_by().values("severity")
            .annotate(n=Count("id")).values_list("severity", "n"))
    found = dict(rows)
    return {sev: found.get(sev, 0) for sev in (Severity.CRITICAL, Severity.WARNING, Severity.INFO)}


def warning_get(*, user: Viewer, warning_id: int) -> Warning:
    found: Warning | None = _with_relations(warnings_visible_to(user).filter(pk=warning_id)).select_related(
        "task").first()
    if found is None:
        raise NotFound(f"warning {warning_id} not found", field="warning_id")
    return found


def warning_subject_label(warning: Warning) -> str:
    return subject_label(warning.indicator, warning.customer_id, warning.customer)


def warning_figures_text(warning: Warning) -> str:
    return figures_text(warning.indicator.metric, warning.figures)


def indicator_list(*, active: bool | None = None) -> QuerySet[Indicator]:
    qs = Indicator.objects.select_related("scope_user", "scope_customer")
    if active is not None:
        qs = qs.filter(active=active)
    return qs.annotate(standing=Count("warnings", filter=Q(warnings__status__in=list(STANDING)))).order_by(
        "metric", "name", "pk")


def indicator_choices() -> list[tuple[int, str]]:
    """(id, name) of every indicator, for the warning log's filter."""
    return list(Indicator.objects.order_by("name", "pk").values_list("pk", "name"))


def indicator_get(*, indicator_id: int) -> Indicator:
    found: Indicator | None = Indicator.objects.select_related("scope_user", "scope_customer").filter(
        pk=indicator_id).first()
    if found is None:
        raise NotFound(f"indicator {indicator_id} not found", field="indicator_id")
    return found


def signals_visible_to(user: Viewer) -> QuerySet[RiskSignal]:
    return RiskSignal.objects.filter(customer__in=customers_visible_to(user))


def signal_list(*, user: Viewer, status: str = "", customer_id: int | None = None) -> QuerySet[RiskSignal]:
    qs = signals_visible_to(user).select_related("customer", "raised_by", "acknowledged_by")
    if status in SignalStatus.values:
        qs = qs.filter(status=status)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    return qs.order_by("-raised_at", "-id")


def signal_get(*, user: Viewer, signal_id: int) -> RiskSignal:
    found: RiskSignal | None = signals_visible_to(user).select_related(
        "customer", "raised_by", "acknowledged_by", "evidence", "rating").filter(pk=signal_id).first()
    if found is None:
        raise NotFound(f"risk signal {signal_id} not found", field="signal_id")
    return found


def customer_get(*, user: Viewer, customer_id: int) -> Customer:
    found: Customer | None = customers_visible_to(user).filter(pk=customer_id).first()
    if found is None:
        raise NotFound(f"customer {customer_id} not found", field="customer_id")
    return found


def customers_for_choice(*, user: Viewer, limit: int = 500) -> list[Any]:
    """(id, "code name") of the customers the user may see, for a form's choice (bounded)."""
    return [(pk, f"{code} {name}") for pk, code, name in
            customers_visible_to(user).order_by("code").values_list("pk", "code", "name")[:limit]]
