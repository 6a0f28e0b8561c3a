"""REST API of early warning, mounted at /api/v1/warnings.

    GET  /indicators                      the risk indicators (paginated)
    POST /indicators, PUT /indicators/{id} create / change one (finance managers)
    GET  /indicators/{id}
    POST /evaluate {"as_of"?}             evaluate every active indicator (a job, 202)
    GET  /warnings?status=&severity=&indicator_id=&customer_id=   the warning log, most severe first
    GET  /warnings/{id}                   one warning with its figures
    POST /warnings/{id}/acknowledge {"note"}
    GET  /signals?status=&customer_id=    risk signals from the field
    POST /signals                         raise one (JSON); POST /signals/upload (multipart, with ``file``)
    GET  /signals/{id}, POST /signals/{id}/acknowledge {"note", "rerate"?}

A warning or signal of a customer the user may not see is 404.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.pagination import PageParams, paginate
from arms.common.uploads import upload_check
from arms.domain.earlywarning import METRICS
from arms.earlywarning import selectors
from arms.earlywarning.jobs import evaluate_job_start
from arms.earlywarning.labels import figures_text, scope_label, subject_label
from arms.earlywarning.models import Indicator, RiskSignal, Warning
from arms.earlywarning.schemas import (
    EwAcknowledgeIn,
    EwEvaluateIn,
    EwIndicatorIn,
    EwIndicatorOut,
    EwIndicatorPage,
    EwSignalAcknowledgeIn,
    EwSignalFilters,
    EwSignalIn,
    EwSignalOut,
    EwSignalPage,
    EwWarningFilters,
    EwWarningOut,
    EwWarningPage,
)
from arms.earlywarning.services import (
    IndicatorFields,
    indicator_create,
    indicator_update,
    indicators_ensure_default,
    risk_signal_acknowledge,
    risk_signal_raise,
    warning_acknowledge,
)

router = Router(tags=["earlywarning"])

VIEW = "earlywarning.view_warning"


def indicator_out(indicator: Indicator, user_ids: list[int] | None = None) -> dict[str, Any]:
    spec = METRICS[indicator.metric]
    return {
        "id": indicator.pk, "name": indicator.name, "metric": indicator.metric,
        "metric_label": str(indicator.get_metric_display()), "scope": indicator.scope,
        "scope_label": scope_label(indicator), "scope_user_id": indicator.scope_user_id,
        "scope_customer_id": indicator.scope_customer_id, "scope_value": indicator.scope_value,
        "threshold": indicator.threshold, "unit": spec.unit.value, "window": indicator.window,
        "window_unit": spec.window_unit.value, "severity": indicator.severity,
        "notify_roles": list(indicator.notify_roles),
        "notify_user_ids": user_ids if user_ids is not None else sorted(
            indicator.notify_users.values_list("pk", flat=True)),
        "responsible_role": indicator.responsible_role, "active": indicator.active, "builtin": indicator.builtin,
    }


def warning_out(warning: Warning) -> dict[str, Any]:
    indicator = warning.indicator
    return {
        "id": warning.pk, "indicator_id": indicator.pk, "indicator_name": indicator.name, "metric": indicator.metric,
        "subject": warning.subject, "subject_label": subject_label(indicator, warning.customer_id, warning.customer),
        "customer_id": warning.customer_id, "severity": warning.severity, "status": warning.status,
        "value": warning.value, "threshold": warning.threshold, "figures": warning.figures,
        "figures_text": figures_text(indicator.metric, warning.figures), "raised_on": warning.raised_on,
        "last_value": warning.last_value, "last_evaluated_on": warning.last_evaluated_on,
        "closed_on": warning.closed_on, "acknowledged_by_id": warning.acknowledged_by_id,
        "acknowledged_at": warning.acknowledged_at, "acknowledgement_note": warning.acknowledgement_note,
        "task_id": warning.task_id,
    }


def _fields(payload: EwIndicatorIn) -> IndicatorFields:
    data = payload.model_dump()
    return IndicatorFields(
        name=data["name"], metric=data["metric"], threshold=data["threshold"], window=data["window"],
        scope=data["scope"], scope_user_id=data["scope_user_id"], scope_customer_id=data["scope_customer_id"],
        scope_value=data["scope_value"], severity=data["severity"], notify_roles=tuple(data["notify_roles"]),
        notify_user_ids=tuple(data["notify_user_ids"]), responsible_role=data["responsible_role"],
        active=data["active"])


@router.get("/indicators", response=EwIndicatorPage, summary="The risk indicators")
def indicators(request, page: Query[PageParams]):
    require_perm(request, "earlywarning.view_indicator")
    indicators_ensure_default()
    result = paginate(selectors.indicator_list().prefetch_related("notify_users"), limit=page.limit,
                      offset=page.offset)
    result["items"] = [indicator_out(i, sorted(u.pk for u in i.notify_users.all())) for i in result["items"]]
    return result


@router.get("/indicators/{indicator_id}", response=EwIndicatorOut, summary="One risk indicator")
def indicator(request, indicator_id: int):
    require_perm(request, "earlywarning.view_indicator")
    return indicator_out(selectors.indicator_get(indicator_id=indicator_id))


@router.post("/indicators", response={201: EwIndicatorOut}, summary="Create a risk indicator")
def indicator_post(request, payload: EwIndicatorIn):
    require_perm(request, "earlywarning.add_indicator")
    return Status(201, indicator_out(indicator_create(actor=request.user, fields=_fields(payload))))


@router.put("/indicators/{indicator_id}", response=EwIndicatorOut, summary="Change a risk indicator")
def indicator_put(request, indicator_id: int, payload: EwIndicatorIn):
    require_perm(request, "earlywarning.change_indicator")
    found = selectors.indicator_get(indicator_id=indicator_id)
    return indicator_out(indicator_update(actor=request.user, indicator=found, fields=_fields(payload)))


@router.post("/evaluate", response={**ACCEPTED}, summary="Evaluate every active indicator (a job)")
def evaluate(request, payload: EwEvaluateIn):
    require_perm(request, "earlywarning.change_indicator")
    job, _created = evaluate_job_start(as_of=payload.as_of or timezone.localdate(), actor=request.user)
    return job_accepted(request, job)


@router.get("/warnings", response=EwWarningPage, summary="The warning log, most severe first")
def warnings(request, filters: Query[EwWarningFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    result = paginate(selectors.warning_list(user=request.user, **filters.model_dump()), limit=page.limit,
                      offset=page.offset)
    result["items"] = [warning_out(w) for w in result["items"]]
    return result


@router.get("/warnings/{warning_id}", response=EwWarningOut, summary="One warning with the figures behind it")
def warning(request, warning_id: int):
    require_perm(request, VIEW)
    return warning_out(selectors.warning_get(user=request.user, warning_id=warning_id))


@router.post("/warnings/{warning_id}/acknowledge", response=EwWarningOut, summary="Acknowledge a warning")
def warning_ack(request, warning_id: int, payload: EwAcknowledgeIn):
    require_perm(request, "earlywarning.acknowledge_warning")
    found = selectors.warning_get(user=request.user, warning_id=warning_id)
    warning_acknowledge(warning=found, actor=request.user, note=payload.note)
    return warning_out(selectors.warning_get(user=request.user, warning_id=warning_id))


@router.get("/signals", response=EwSignalPage, summary="Risk signals from the field")
def signals(request, filters: Query[EwSignalFilters], page: Query[PageParams]):
    require_perm(request, "earlywarning.view_risksignal")
    return paginate(selectors.signal_list(user=request.user, **filters.model_dump()), limit=page.limit,
                    offset=page.offset)


@router.post("/signals", response={201: EwSignalOut}, summary="Report a risk signal on a customer")
def signal_post(request, payload: EwSignalIn):
    require_perm(request, "earlywarning.add_risksignal")
    customer = selectors.customer_get(user=request.user, customer_id=payload.customer_id)
    return Status(201, risk_signal_raise(actor=request.user, customer=customer, category=payload.category,
                                         description=payload.description, observed_at=payload.observed_at))


@router.post("/signals/upload", response={201: EwSignalOut},
             summary="Report a risk signal with its evidence file (multipart: the fields and `file`)")
def signal_upload(request, payload: Form[EwSignalIn], file: File[UploadedFile]):
    require_perm(request, "earlywarning.add_risksignal")
    upload_check(file, field="file")
    customer = selectors.customer_get(user=request.user, customer_id=payload.customer_id)
    return Status(201, risk_signal_raise(actor=request.user, customer=customer, category=payload.category,
                                         description=payload.description, observed_at=payload.observed_at,
                                         evidence_bytes=file.read(), evidence_name=file.name or "evidence"))


@router.get("/signals/{signal_id}", response=EwSignalOut, summary="One risk signal")
def signal(request, signal_id: int):
    require_perm(request, "earlywarning.view_risksignal")
    return selectors.signal_get(user=request.user, signal_id=signal_id)


@router.post("/signals/{signal_id}/acknowledge", response=EwSignalOut,
             summary="Acknowledge a risk signal (a credit manager other than the reporter)")
def signal_ack(request, signal_id: int, payload: EwSignalAcknowledgeIn) -> RiskSignal:
    require_perm(request, "earlywarning.acknowledge_risksignal")
    found = selectors.signal_get(user=request.user, signal_id=signal_id)
    return risk_signal_acknowledge(signal=found, actor=request.user, note=payload.note, rerate=payload.rerate)
