"""Evaluate the indicators: read each metric for the whole book, raise a warning for each new crossing, close the
warnings whose indicator recovered (``arms.domain.earlywarning.transitions``).

Each indicator is evaluated on its own (``indicator_evaluate``): its readings (one or a few aggregate queries,
``metrics.py``), then, in one transaction, its standing warnings and the closings; then the new warnings in
transactions of ``CHUNK`` (written in bulk, each audited, a follow-up task for each new customer warning:
``task_create_or_get``, idempotent on the warning), and one notification per recipient listing the indicator's
new warnings (a daily evaluation that finds nothing new tells nobody anything). The daily schedule runs
``warnings_evaluate`` through a job (``jobs.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.accounts.roles import Role
from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.cases.enums import Level, TaskKind
from arms.cases.services.tasks import task_create_or_get
from arms.common.notify import notify
from arms.customers.models import Customer
from arms.domain.earlywarning import METRICS, Reading, transitions
from arms.domain.workdays import add_working_days
from arms.earlywarning import metrics
from arms.earlywarning.enums import STANDING, WarningStatus
from arms.earlywarning.labels import figures_text, subject_label
from arms.earlywarning.models import Indicator, Warning
from arms.earlywarning.services.indicators import indicators_ensure_default

CHUNK = 500
TASK_SOURCE = "earlywarning"
#: new warnings listed in one notification (the rest are on the warning log)
NOTIFY_LINES = 20
#: working days a follow-up task is due in
TASK_DUE_WORKING_DAYS = 2
#: the escalation level of the task for each responsible role
LEVEL_OF_ROLE = {Role.SALES: Level.SALES, Role.CREDIT_MANAGER: Level.CREDIT_LEGAL, Role.LEGAL: Level.CREDIT_LEGAL}
#: roles that act for a customer through its own people (the task goes to the customer's salesperson/collector)
CUSTOMER_ROLES = (Role.SALES, Role.COLLECTOR)


@dataclass(frozen=True, slots=True)
class Evaluated:
    indicator_id: int
    readings: int
    raised: int
    closed: int
    standing: int


def _chunks(items: list[Any], size: int | None = None) -> Iterator[list[Any]]:
    size = size or CHUNK  # read when called, so a test can make the chunks small
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _figures(indicator: Indicator, reading: Reading, as_of: date) -> dict[str, Any]:
    spec = METRICS[indicator.metric]
    return {"metric": indicator.metric, "unit": spec.unit.value, "value": reading.value,
            "threshold": indicator.threshold, "window": indicator.window, "window_unit": spec.window_unit.value,
            "as_of": as_of.isoformat(), "inputs": dict(reading.inputs)}


def _role_users(roles: Iterable[str]) -> QuerySet[Any]:
    return get_user_model().objects.filter(groups__name__in=list(roles), is_active=True).distinct().order_by("pk")


def _customers(ids: list[int]) -> dict[int, Customer]:
    found: dict[int, Customer] = {}
    for chunk in _chunks(ids):
        found.update({c.pk: c for c in Customer.objects.filter(pk__in=chunk).select_related("salesperson",
                                                                                              "collector")})
    return found


def _task_for(warning: Warning, customer: Customer, *, indicator: Indicator, as_of: date,
              role_person: Any) -> None:
    role = indicator.responsible_role
    level = LEVEL_OF_ROLE.get(Role(role), Level.FINANCE)
    assignee = None if role in CUSTOMER_ROLES else role_person
    title = _("Early warning: %(indicator)s (%(customer)s)") % {"indicator": indicator.name,
                                                                  "customer": customer.name}
    task, _created = task_create_or_get(
        customer=customer, kind=TaskKind.FOLLOW_UP, title=title[:200], level=level, assignee=assignee,
        due_on=add_working_days(as_of, TASK_DUE_WORKING_DAYS), source=TASK_SOURCE,
        source_ref=f"warning:{warning.pk}", actor=None)
    warning.task = task


def _notify(indicator: Indicator, raised: list[Warning], customers: dict[int, Customer], *,
            scope_level: bool) -> None:
    roles = list(indicator.notify_roles) + ([indicator.responsible_role] if scope_level else [])
    people = [*_role_users(roles), *indicator.notify_users.filter(is_active=True)]
    if not people:
        return
    subject = _("%(indicator)s: %(count)d new warnings") % {"indicator": indicator.name, "count": len(raised)}
    lines = [f"{subject_label(indicator, w.customer_id, customers.get(w.customer_id or 0))}: "
             f"{figures_text(indicator.metric, w.figures)}" for w in raised[:NOTIFY_LINES]]
    if len(raised) > NOTIFY_LINES:
        lines.append(_("… and %(more)d more on the warning log.") % {"more": len(raised) - NOTIFY_LINES})
    link = reverse("earlywarning:home") + f"?indicator={indicator.pk}&status=standing"
    notify(people, subject=subject, body="\n".join(lines), link=link, kind="earlywarning.raised")


def indicator_evaluate(*, indicator: Indicator, as_of: date, actor: Any = None) -> Evaluated:
    """Evaluate one indicator on ``as_of``: raise, close, keep (see the module).

    The closings and the standing warnings' values are one transaction; the new warnings are written ``CHUNK`` at a
    time, each chunk in its own (its warnings, their audit events and tasks), so a first evaluation that raises tens
    of thousands never holds the audit chain's head for longer than a chunk takes. A run cut short leaves whole
    chunks: the next evaluation raises the rest, since a crossing with a standing warning raises none."""
    found = metrics.readings(indicator, as_of)
    values = {r.subject: r.value for r in found}
    with transaction.atomic():
        standing = {w.subject: w for w in Warning.objects.filter(indicator=indicator, status__in=list(STANDING))
                    .only("pk", "indicator_id", "subject", "customer_id", "status", "last_value", "raised_on")}
        change = transitions(found, threshold=indicator.threshold, open_subjects=standing)
        closed = []
        for subject in change.close:
            warning = standing[subject]
            before = {"status": warning.status, "value": warning.last_value}
            warning.status, warning.closed_on = WarningStatus.CLOSED, as_of
            warning.last_value, warning.last_evaluated_on = values.get(subject), as_of
            closed.append(warning)
            audit_record(actor=actor, action=AuditAction.WARNING_CLOSED, subject=warning, before=before,
                         after={"status": warning.status, "closed_on": as_of, "value": warning.last_value})
        # the warnings that still stand only note the day they were seen (one UPDATE); their latest value is
        # written when it moves by a tenth of the threshold or more, so a daily evaluation does not rewrite every row
        step = max(1, indicator.threshold // 10)
        kept = [standing[r.subject] for r in change.keep
                if r.value is not None and abs(r.value - (standing[r.subject].last_value or 0)) >= step]
        for warning in kept:
            warning.last_value = values[warning.subject]
        for chunk in _chunks(closed):
            Warning.objects.bulk_update(chunk, ["status", "closed_on", "last_value", "last_evaluated_on"])
        for chunk in _chunks(kept):
            Warning.objects.bulk_update(chunk, ["last_value"])
        if change.keep:
            Warning.objects.filter(indicator=indicator, status__in=list(STANDING)).update(last_evaluated_on=as_of)
    raised = [Warning(indicator=indicator, subject=r.subject, customer_id=r.customer_id,
                      severity=indicator.severity, value=r.value, threshold=indicator.threshold,
                      figures=_figures(indicator, r, as_of), raised_on=as_of, last_value=r.value,
                      last_evaluated_on=as_of) for r in change.raise_ if r.value is not None]
    role_person = _role_users([indicator.responsible_role]).first() if raised else None
    created: list[Warning] = []
    customers: dict[int, Customer] = {}
    for chunk in _chunks(raised):
        with transaction.atomic():
            made = _raise_chunk(indicator, chunk, as_of=as_of, actor=actor, role_person=role_person)
        created.extend(made.warnings)
        if len(customers) < NOTIFY_LINES:
            customers.update(made.customers)
    if created:
        _notify(indicator, created, customers, scope_level=any(w.customer_id is None for w in created))
    return Evaluated(indicator.pk, len(found), len(created), len(closed), len(change.keep) + len(created))


@dataclass(frozen=True, slots=True)
class _Raised:
    warnings: list[Warning]
    customers: dict[int, Customer]


def _raise_chunk(indicator: Indicator, chunk: list[Warning], *, as_of: date, actor: Any,
                 role_person: Any) -> _Raised:
    """Write at most ``CHUNK`` new warnings with their audit events and follow-up tasks (the caller's transaction)."""
    created = Warning.objects.bulk_create(chunk)
    if any(w.pk is None for w in created):  # a database that does not return ids from a bulk insert
        by_subject = dict(Warning.objects.filter(indicator=indicator, status=WarningStatus.OPEN, raised_on=as_of,
                                                 subject__in=[w.subject for w in created])
                          .values_list("subject", "pk"))
        for warning in created:
            warning.pk = by_subject[warning.subject]
    customers = _customers(sorted({w.customer_id for w in created if w.customer_id}))
    for warning in created:
        audit_record(actor=actor, action=AuditAction.WARNING_RAISED, subject=warning,
                     after={"indicator": indicator.pk, "subject": warning.subject, "value": warning.value,
                            "threshold": warning.threshold, "raised_on": as_of})
        customer = customers.get(warning.customer_id or 0)
        if customer is not None:
            _task_for(warning, customer, indicator=indicator, as_of=as_of, role_person=role_person)
    with_task = [w for w in created if w.task is not None]
    if with_task:
        Warning.objects.bulk_update(with_task, ["task"])
    return _Raised(created, customers)


def warnings_evaluate(*, as_of: date | None = None, actor: Any = None,
                      indicator_ids: Iterable[int] | None = None, progress: Any = None) -> dict[str, int]:
    """Evaluate every active indicator (or those named) on ``as_of`` (today by default); the shipped defaults are
    created first if missing. Short transactions per indicator (see ``indicator_evaluate``). Returns the totals."""
    as_of = as_of or timezone.localdate()
    indicators_ensure_default()
    chosen = Indicator.objects.filter(active=True).order_by("pk")
    if indicator_ids is not None:
        chosen = chosen.filter(pk__in=list(indicator_ids))
    every = list(chosen)
    totals = {"indicators": 0, "raised": 0, "closed": 0, "standing": 0}
    for done, indicator in enumerate(every):
        if progress is not None:
            progress(done, len(every), indicator.name)
        result = indicator_evaluate(indicator=indicator, as_of=as_of, actor=actor)
        totals["indicators"] += 1
        totals["raised"] += result.raised
        totals["closed"] += result.closed
        totals["standing"] += result.standing
    return totals
