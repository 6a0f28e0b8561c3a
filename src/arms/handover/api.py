"""REST API of hand-overs (逾期账款交接表) and key accounts, mounted at /api/v1/handovers.

    GET  /?status=&role=&search=      hand-overs, newest first, paginated
    POST /                            open one {role, from_user_id, to_user_id, customer_ids?, reason?, effective_on?}
    GET  /{id}                        one, with its frozen list (``snapshot``)
    GET  /{id}/pdf, /{id}/xlsx        the list as PDF (A4 landscape) or Excel
    POST /{id}/acknowledge {note}     acknowledge your side; the second acknowledgement completes it
    POST /{id}/cancel {note}          cancel it before completion
    GET  /key-accounts?search=        key accounts with whether their collector is a senior collector
    POST /key-accounts/route          route every key account not with a senior collector

Reading needs ``handover.view_handover`` (sales see only their own hand-overs); opening and cancelling
``handover.add_handover`` / ``change_handover`` and ``customers.assign_owner``; routing
``handover.route_key_accounts``. The key-account flag itself is ``PATCH /customers/{id} {"key_account": true}``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.common.access import require_perm
from arms.common.errors import ArmsError, ValidationFailed
from arms.common.files import file_response
from arms.common.jobs import CONTENT_TYPES
from arms.common.pagination import PageParams, paginate
from arms.handover import selectors
from arms.handover.documents import file_stem, handover_table, render_handover_pdf
from arms.handover.schemas import (
    HandoverDetailOut,
    HandoverFilters,
    HandoverIn,
    HandoverPage,
    KeyAccountFilters,
    KeyAccountPage,
    NoteIn,
    RoutedOut,
)
from arms.handover.services import handover_acknowledge, handover_cancel, handover_open, key_accounts_route
from arms.web.exports import xlsx_file

router = Router(tags=["handovers"])
VIEW = "handover.view_handover"


def _user(user_id: int, field: str):
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationFailed(_("No user %(id)s.") % {"id": user_id}, field=field)
    return user


@router.get("", response=HandoverPage, summary="List hand-overs")
def handover_list(request, filters: Query[HandoverFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    data = filters.model_dump()
    qs = selectors.handover_list(user=request.user, status=data["status"] or "", role=data["role"] or "",
                                 search=data["search"])
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("", response={201: HandoverDetailOut}, summary="Open a hand-over (the list is frozen now)")
def handover_create(request, payload: HandoverIn):
    require_perm(request, "handover.add_handover")
    try:
        handover = handover_open(actor=request.user, role=payload.role,
                                 from_user=_user(payload.from_user_id, "from_user_id"),
                                 to_user=_user(payload.to_user_id, "to_user_id"),
                                 customer_ids=payload.customer_ids or None, reason=payload.reason,
                                 effective_on=payload.effective_on)
    except ArmsError as error:
        if error.field in ("from_user", "to_user"):  # the service names the person, the API its id
            error.field = f"{error.field}_id"
        raise
    return Status(201, handover)


@router.get("/key-accounts", response=KeyAccountPage, summary="Key accounts and their collectors")
def key_account_list(request, filters: Query[KeyAccountFilters], page: Query[PageParams]):
    require_perm(request, VIEW)
    return paginate(selectors.key_account_list(search=filters.search), limit=page.limit, offset=page.offset)


@router.post("/key-accounts/route", response=RoutedOut, summary="Route key accounts to senior collectors")
def key_account_route(request):
    require_perm(request, "handover.route_key_accounts")
    return key_accounts_route(actor=request.user)


@router.get("/{handover_id}", response=HandoverDetailOut, summary="One hand-over with its frozen list")
def handover_detail(request, handover_id: int):
    require_perm(request, VIEW)
    return selectors.handover_get(user=request.user, handover_id=handover_id)


@router.get("/{handover_id}/pdf", summary="The hand-over list as PDF")
def handover_pdf(request, handover_id: int):
    require_perm(request, VIEW)
    handover = selectors.handover_get(user=request.user, handover_id=handover_id)
    return file_response(render_handover_pdf(handover), filename=f"{file_stem(handover)}.pdf",
                         content_type="application/pdf")


@router.get("/{handover_id}/xlsx", summary="The hand-over list as Excel")
def handover_xlsx(request, handover_id: int):
    require_perm(request, VIEW)
    handover = selectors.handover_get(user=request.user, handover_id=handover_id)
    return file_response(xlsx_file(handover_table(handover)), filename=f"{file_stem(handover)}.xlsx",
                         content_type=CONTENT_TYPES[".xlsx"])


@router.post("/{handover_id}/acknowledge", response=HandoverDetailOut, summary="Acknowledge your side")
def handover_acknowledge_view(request, handover_id: int, payload: NoteIn):
    require_perm(request, VIEW)
    handover = selectors.handover_get(user=request.user, handover_id=handover_id)
    return handover_acknowledge(actor=request.user, handover=handover, note=payload.note)


@router.post("/{handover_id}/cancel", response=HandoverDetailOut, summary="Cancel before completion")
def handover_cancel_view(request, handover_id: int, payload: NoteIn):
    require_perm(request, "handover.change_handover")
    handover = selectors.handover_get(user=request.user, handover_id=handover_id)
    return handover_cancel(actor=request.user, handover=handover, note=payload.note)
