"""REST API of incentives (奖惩), mounted at /api/v1/incentives.

    GET  /schemes, POST /schemes                  the schemes, newest month first; make one (terms checked, field named)
    GET|PATCH /schemes/{id}                       one scheme with its people; change its terms or people
    POST /schemes/{id}/compute                    compute the payout sheet (200; 202 with a job on a large book)
    POST /schemes/{id}/approve, /close            approve (another finance manager); close
    GET  /schemes/{id}/lines                      the payout sheet, one line per person
    GET  /schemes/{id}/lines/{username}/items     the items behind one figure
                                                  (?part=collections|recovery|dunning|overdue|ratings)
    GET|POST /schemes/{id}/ratings                the mutual ratings; enter one {ratee, score, note}
    GET  /schemes/{id}/sheet?format=xlsx|csv      the payout sheet as a file

Reading needs ``incentives.view_incentivescheme``; saving ``add_``/``change_incentivescheme``; computing
``compute_incentivescheme``; approving and closing ``approve_incentivescheme``; rating ``add_incentiverating``.
Someone who does not see every customer (a salesperson) reads only their own line and items.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.accounts.names import person_name
from arms.accounts.roles import sees_all_customers
from arms.common.access import require_perm
from arms.common.api import ACCEPTED, job_accepted
from arms.common.errors import Forbidden, NotFound
from arms.common.files import file_response
from arms.common.pagination import PageParams, paginate
from arms.customers.selectors import company_default
from arms.incentives import exports, selectors, services
from arms.incentives.jobs import compute_job_start
from arms.incentives.models import IncentiveScheme, MemberRole, PayoutLine
from arms.incentives.schemas import (
    IncentiveItemPage,
    IncentiveItemsQuery,
    IncentiveLinePage,
    IncentiveRatingIn,
    IncentiveRatingOut,
    IncentiveRatingPage,
    IncentiveSchemeBrief,
    IncentiveSchemeIn,
    IncentiveSchemeOut,
    IncentiveSchemePage,
    IncentiveSheetQuery,
    IncentiveTermsIn,
)
from arms.web.exports import CSV_TYPE, XLSX_TYPE, csv_lines, xlsx_file

router = Router(tags=["incentives"])

VIEW = "incentives.view_incentivescheme"


def _company() -> Any:
    company = company_default()
    if company is None:
        raise NotFound(_("The company is not set up yet (arms setup)."), field="company")
    return company


def _scheme(scheme_id: int) -> IncentiveScheme:
    return selectors.scheme_get(company=_company(), scheme_id=scheme_id)


def _user(username: str, field: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(_("No such user: %(name)s.") % {"name": username[:150]}, field=field)
    return user


def _members(payload: IncentiveTermsIn) -> list[tuple[Any, str]] | None:
    if payload.members is None:
        return None
    return [(_user(m.username, "members"), m.role) for m in payload.members]


def _name(user: Any) -> str | None:
    return None if user is None else user.get_username()


def _scheme_out(scheme: IncentiveScheme) -> dict[str, Any]:
    data = {name: getattr(scheme, name) for name in (
        "id", "period", "status", "base_pool_minor", "weight_collections_bp", "weight_recovery_bp",
        "weight_dunning_bp", "weight_rating_bp", "dso_step_days", "dso_step_bp", "dso_both_ways", "overdue_days",
        "deduction_mode", "deduction_per_item_minor", "deduction_bp", "note", "pool_step_bp", "pool_minor",
        "computed_at", "approved_at")}
    data.update(dso_previous=None if scheme.dso_previous is None else str(scheme.dso_previous),
                dso_current=None if scheme.dso_current is None else str(scheme.dso_current),
                computed_by=_name(scheme.computed_by), approved_by=_name(scheme.approved_by),
                members=[{"username": m.user.get_username(), "name": person_name(m.user), "role": m.role}
                         for m in selectors.members_of(scheme)])
    return data


def _lines(request: Any, scheme: IncentiveScheme) -> QuerySet[PayoutLine]:
    lines = selectors.lines_of(scheme)
    return lines if sees_all_customers(request.user) else lines.filter(user=request.user)


@router.get("/schemes", response=IncentiveSchemePage, summary="Incentive schemes, newest month first")
def schemes(request, page: Query[PageParams]):
    require_perm(request, VIEW)
    found = paginate(selectors.scheme_list(company=_company()), limit=page.limit, offset=page.offset)
    found["items"] = [IncentiveSchemeBrief.model_validate(s) for s in found["items"]]
    return found


@router.post("/schemes", response={201: IncentiveSchemeOut}, summary="Make a month's scheme")
def scheme_create(request, payload: IncentiveSchemeIn):
    require_perm(request, "incentives.add_incentivescheme")
    made = services.scheme_create(actor=request.user, company=_company(), period=payload.period,
                                  terms=payload.terms(), members=_members(payload))
    return Status(201, _scheme_out(selectors.scheme_get(company=made.company, scheme_id=made.pk)))


@router.get("/schemes/{scheme_id}", response=IncentiveSchemeOut, summary="One scheme with its people")
def scheme_detail(request, scheme_id: int):
    require_perm(request, VIEW)
    return _scheme_out(_scheme(scheme_id))


@router.patch("/schemes/{scheme_id}", response=IncentiveSchemeOut, summary="Change a scheme's terms or people")
def scheme_update(request, scheme_id: int, payload: IncentiveTermsIn):
    require_perm(request, "incentives.change_incentivescheme")
    found = _scheme(scheme_id)
    services.scheme_update(actor=request.user, scheme=found, terms=payload.terms(), members=_members(payload))
    return _scheme_out(_scheme(scheme_id))


@router.post("/schemes/{scheme_id}/compute", response={200: IncentiveSchemeOut, **ACCEPTED},
             summary="Compute the payout sheet")
def scheme_compute(request, scheme_id: int):
    """On a book of more than 500 customers the computation is a background job (202 with the job)."""
    require_perm(request, "incentives.compute_incentivescheme")
    found = _scheme(scheme_id)
    if services.compute_is_large(company=found.company) and not found.locked:
        job, _created = compute_job_start(scheme=found, actor=request.user)
        return job_accepted(request, job)
    services.scheme_compute(actor=request.user, scheme=found)
    return Status(200, _scheme_out(_scheme(scheme_id)))


@router.post("/schemes/{scheme_id}/approve", response=IncentiveSchemeOut, summary="Approve the payout sheet")
def scheme_approve(request, scheme_id: int):
    require_perm(request, "incentives.approve_incentivescheme")
    services.scheme_approve(actor=request.user, scheme=_scheme(scheme_id))
    return _scheme_out(_scheme(scheme_id))


@router.post("/schemes/{scheme_id}/close", response=IncentiveSchemeOut, summary="Close an approved scheme")
def scheme_close(request, scheme_id: int):
    require_perm(request, "incentives.approve_incentivescheme")
    services.scheme_close(actor=request.user, scheme=_scheme(scheme_id))
    return _scheme_out(_scheme(scheme_id))


def _line_out(line: PayoutLine) -> dict[str, Any]:
    return {"username": line.user.get_username(), "name": person_name(line.user), "role": line.role,
            **{name: getattr(line, name) for name in (
                "collections_minor", "recovery_bp", "dunning_bp", "rating_bp", "ratings_count", "points", "amounts",
                "overdue_items", "overdue_minor", "deduction_minor", "gross_minor", "total_minor")}}


@router.get("/schemes/{scheme_id}/lines", response=IncentiveLinePage, summary="The payout sheet, a line per person")
def lines(request, scheme_id: int, page: Query[PageParams]):
    require_perm(request, VIEW)
    found = paginate(_lines(request, _scheme(scheme_id)), limit=page.limit, offset=page.offset)
    found["items"] = [_line_out(line) for line in found["items"]]
    return found


def _item_out(part: str, item: Any) -> dict[str, Any]:
    if part == "collections":
        return {"date": item.date, "customer_code": item.invoice.customer.code, "invoice_number": item.invoice.number,
                "receipt_number": item.payment.number, "amount_minor": item.cash_base_minor}
    if part == "ratings":
        return {"rater": item.rater.get_username(), "score": item.score}
    return {"customer_code": item.customer.code, "invoice_number": item.number, "date": item.issue_date,
            "due_date": item.due_date, "amount_minor": item.gross_base_minor}


@router.get("/schemes/{scheme_id}/lines/{username}/items", response=IncentiveItemPage,
            summary="The items behind one figure of a person's line")
def line_items(request, scheme_id: int, username: str, query: Query[IncentiveItemsQuery], page: Query[PageParams]):
    require_perm(request, VIEW)
    scheme = _scheme(scheme_id)
    user = _user(username, "username")
    if not sees_all_customers(request.user) and request.user.pk != user.pk:
        raise Forbidden(_("You see only your own payout line."))
    member = selectors.members_of(scheme).filter(user=user).first()
    if member is None:
        raise NotFound(_("%(name)s is not in this scheme.") % {"name": username[:150]}, field="username")
    items = selectors.drill_items(scheme=scheme, user_id=user.pk, role=member.role, part=query.part)
    found = paginate(items, limit=page.limit, offset=page.offset)
    found["items"] = [_item_out(query.part, item) for item in found["items"]]
    return found


def _rating_out(rating: Any) -> dict[str, Any]:
    return {"rater": rating.rater.get_username(), "ratee": rating.ratee.get_username(), "score": rating.score,
            "note": rating.note}


@router.get("/schemes/{scheme_id}/ratings", response=IncentiveRatingPage, summary="The month's mutual ratings")
def ratings(request, scheme_id: int, page: Query[PageParams]):
    require_perm(request, VIEW)
    rows = selectors.ratings_of(_scheme(scheme_id))
    if not sees_all_customers(request.user):
        rows = rows.filter(rater=request.user)
    found = paginate(rows, limit=page.limit, offset=page.offset)
    found["items"] = [_rating_out(r) for r in found["items"]]
    return found


@router.post("/schemes/{scheme_id}/ratings", response={201: IncentiveRatingOut}, summary="Enter a mutual rating")
def rating_set(request, scheme_id: int, payload: IncentiveRatingIn):
    require_perm(request, "incentives.add_incentiverating")
    rating = services.rating_set(actor=request.user, scheme=_scheme(scheme_id), ratee=_user(payload.ratee, "ratee"),
                                 score=payload.score, note=payload.note)
    return Status(201, _rating_out(rating))


@router.get("/schemes/{scheme_id}/sheet", response={200: None}, summary="The payout sheet as xlsx or csv")
def sheet(request, scheme_id: int, query: Query[IncentiveSheetQuery]):
    require_perm(request, VIEW)
    scheme = _scheme(scheme_id)
    table = exports.sheet_table(scheme, _lines(request, scheme).iterator(chunk_size=exports.CHUNK),
                                lambda role: str(MemberRole(role).label))
    stem = f"incentive-payout-{scheme.period:%Y%m}"
    if query.format == "csv":
        return file_response(b"".join(csv_lines(table)), filename=f"{stem}.csv", content_type=CSV_TYPE)
    return file_response(xlsx_file(table), filename=f"{stem}.xlsx", content_type=XLSX_TYPE)
