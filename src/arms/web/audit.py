"""The audit trail, read-only, for whoever holds ``audit.view_auditevent`` (the auditor, the finance manager):
a page with filters and an export, and ``GET /api/v1/audit/events`` with the same filters.

It lives in the web layer because the audit app is a sink that imports nothing above it.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from ninja import Field, Query, Router, Schema

from arms.audit.selectors import audit_event_list
from arms.common.access import require_perm
from arms.common.errors import ValidationFailed
from arms.common.pagination import PageParams
from arms.common.pagination import paginate as api_paginate
from arms.web.exports import DATETIME, INT, Column, Table, export_format, export_response
from arms.web.paging import paginate

VIEW = "audit.view_auditevent"


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Actor (username)"), required=False, max_length=150)
    action = forms.CharField(label=gettext_lazy("Action"), required=False, max_length=60)
    subject_type = forms.CharField(label=gettext_lazy("Subject type"), required=False, max_length=60)
    subject_id = forms.CharField(label=gettext_lazy("Subject id"), required=False, max_length=64)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    batch = forms.IntegerField(label=gettext_lazy("Bulk write no."), required=False, min_value=1,
                               max_value=2**63 - 1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


def audit_table(events) -> Table:
    columns = [Column(_("No."), INT), Column(_("Position in bulk write"), INT), Column(_("When"), DATETIME),
               Column(_("Actor"), width=16),
               Column(_("Action"), width=24), Column(_("Subject type"), width=20), Column(_("Subject id"), width=12),
               Column(_("Subject"), width=32), Column(_("Before"), width=48), Column(_("After"), width=48)]
    rows = ([e["seq"], e["position"], e["occurred_at"], e["actor_name"], e["action"], e["subject_type"],
             e["subject_id"], e["subject_repr"], _json(e["before"]), _json(e["after"])]
            for e in events.iterator(chunk_size=2000))
    return Table(_("Audit trail"), columns, rows)


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def audit_list(request):
    form = AuditFilterForm(request.GET)
    valid = form.is_valid()
    events = audit_event_list(**form.cleaned_data) if valid else audit_event_list().none()
    if valid and export_format(request):
        return export_response(request, f"audit-{timezone.localdate():%Y%m%d}", audit_table(events))
    return render(request, "web/audit.html", {"form": form, "page": paginate(request, events)},
                  status=200 if valid else 400)


# ---------------------------------------------------------------- API

router = Router(tags=["Audit trail"])


class AuditFilters(Schema):
    actor: str = Field("", max_length=150, description="Username of the actor, exact.")
    action: str = Field("", max_length=60)
    subject_type: str = Field("", max_length=60, description="app_label.model, e.g. customers.customer")
    subject_id: str = Field("", max_length=64)
    date_from: date | None = None
    date_to: date | None = None
    batch: int | None = Field(None, ge=1, le=2**63 - 1,
                              description="A bulk write (import run): its sub-chain's events, newest first.")


class AuditEventOut(Schema):
    seq: int | None = Field(description="Position in the global chain; for an event of a bulk write, its anchor's.")
    position: int | None = Field(description="Position within the bulk write's sub-chain; empty on the global chain.")
    batch_no: int | None = Field(description="The bulk write (audit batch) holding the event; empty on the global "
                                             "chain.")
    occurred_at: datetime
    actor_name: str
    action: str
    subject_type: str
    subject_id: str
    subject_repr: str
    before: dict | list | None
    after: dict | list | None


class AuditEventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AuditEventOut]


@router.get("/events", response=AuditEventPage, summary="The audit trail, newest first (read-only)")
def audit_events(request, filters: Query[AuditFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    data = filters.model_dump()
    if data["date_from"] and data["date_to"] and data["date_from"] > data["date_to"]:
        raise ValidationFailed(_("The end date is before the start date."), field="date_to")
    return api_paginate(audit_event_list(**data), limit=page.limit, offset=page.offset)
