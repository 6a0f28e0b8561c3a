"""Pages of incentives at /incentives/: the schemes (exportable), the scheme form, a scheme's payout sheet
(exportable; compute, approve, close), its mutual ratings (entered here) and a person's drill-down to the items
behind each figure. Each view checks the permission, calls one selector or service, renders.

A person who does not see every customer (a salesperson) sees only their own line of a sheet and drill-down."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arms.accounts.names import person_name
from arms.accounts.roles import sees_all_customers
from arms.common.errors import ArmsError, NotFound
from arms.common.jobs import jobs_for_page
from arms.customers.selectors import company_default
from arms.incentives import exports, selectors, services
from arms.incentives.forms import RatingForm, SchemeForm
from arms.incentives.jobs import COMPUTE, compute_job_start
from arms.incentives.models import IncentiveScheme, MemberRole
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "incentives.view_incentivescheme"
ADD = "incentives.add_incentivescheme"
CHANGE = "incentives.change_incentivescheme"
COMPUTE_PERMISSION = "incentives.compute_incentivescheme"
APPROVE = "incentives.approve_incentivescheme"
RATE = "incentives.add_incentiverating"


def _company() -> Any:
    company = company_default()
    if company is None:
        raise Http404("no company")
    return company


def _scheme(scheme_id: int) -> IncentiveScheme:
    try:
        return selectors.scheme_get(company=_company(), scheme_id=scheme_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _role_label(role: str) -> str:
    return str(MemberRole(role).label) if role in MemberRole.values else role


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def home(request):
    schemes = selectors.scheme_list(company=_company())
    if export_format(request):
        return export_response(request, f"incentive-schemes-{timezone.localdate():%Y%m%d}",
                               exports.scheme_table(schemes.iterator(chunk_size=exports.CHUNK)))
    return render(request, "incentives/home.html", {"page": paginate(request, schemes),
                                                    "jobs": jobs_for_page(user=request.user, kind=COMPUTE)})


def _form_page(request, form: SchemeForm, scheme: IncentiveScheme | None, status: int = 200):
    return render(request, "incentives/scheme_form.html", {"form": form, "scheme": scheme}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(ADD, raise_exception=True)
def scheme_new(request):
    if request.method == "POST":
        form = SchemeForm(request.POST)
        if form.run_service(lambda data: services.scheme_create(
                actor=request.user, company=_company(), period=data["period"], terms=form.terms(),
                members=form.members())):
            messages.success(request, _("The scheme was saved."))
            return redirect("incentives:scheme", form.result.pk)
        return _form_page(request, form, None, status=400)
    initial = SchemeForm.initial_for(None)
    initial["period"] = timezone.localdate().replace(day=1)
    people = services.default_members()
    initial["salespeople"] = [u.pk for u, role in people if role == MemberRole.SALESPERSON]
    initial["collectors"] = [u.pk for u, role in people if role == MemberRole.COLLECTOR]
    return _form_page(request, SchemeForm(initial=initial), None)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(CHANGE, raise_exception=True)
def scheme_edit(request, scheme_id: int):
    scheme = _scheme(scheme_id)
    if request.method == "POST":
        form = SchemeForm(request.POST, initial=SchemeForm.initial_for(scheme), editing=True)
        if form.run_service(lambda data: services.scheme_update(actor=request.user, scheme=scheme,
                                                                terms=form.terms(), members=form.members())):
            messages.success(request, _("The scheme was saved."))
            return redirect("incentives:scheme", scheme.pk)
        return _form_page(request, form, scheme, status=400)
    return _form_page(request, SchemeForm(initial=SchemeForm.initial_for(scheme), editing=True), scheme)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def scheme(request, scheme_id: int):
    scheme = _scheme(scheme_id)
    lines = selectors.lines_of(scheme)
    if not sees_all_customers(request.user):
        lines = lines.filter(user=request.user)
    if export_format(request):
        return export_response(request, f"incentive-payout-{scheme.period:%Y%m}",
                               exports.sheet_table(scheme, lines.iterator(chunk_size=exports.CHUNK), _role_label))
    return render(request, "incentives/scheme.html", {
        "scheme": scheme, "page": paginate(request, lines), "members": selectors.members_of(scheme),
        "jobs": jobs_for_page(user=request.user, kind=COMPUTE),
        "can_edit": request.user.has_perm(CHANGE) and not scheme.locked,
        "can_compute": request.user.has_perm(COMPUTE_PERMISSION) and not scheme.locked,
        "can_approve": request.user.has_perm(APPROVE) and scheme.status == "computed",
        "can_close": request.user.has_perm(APPROVE) and scheme.status == "approved",
    })


def _act(request, scheme: IncentiveScheme, call: Any, done: str):
    try:
        call()
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("incentives:scheme", scheme.pk)


@require_POST
@login_required
@permission_required(COMPUTE_PERMISSION, raise_exception=True)
def scheme_compute(request, scheme_id: int):
    scheme = _scheme(scheme_id)
    if services.compute_is_large(company=scheme.company) and not scheme.locked:
        compute_job_start(scheme=scheme, actor=request.user)
        messages.success(request, _("The payout sheet is being computed in the background."))
        return redirect("incentives:scheme", scheme.pk)
    return _act(request, scheme, lambda: services.scheme_compute(actor=request.user, scheme=scheme),
                _("The payout sheet was computed."))


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def scheme_approve(request, scheme_id: int):
    scheme = _scheme(scheme_id)
    return _act(request, scheme, lambda: services.scheme_approve(actor=request.user, scheme=scheme),
                _("The payout sheet was approved."))


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def scheme_close(request, scheme_id: int):
    scheme = _scheme(scheme_id)
    return _act(request, scheme, lambda: services.scheme_close(actor=request.user, scheme=scheme),
                _("The scheme was closed."))


def _rating_choices(scheme: IncentiveScheme) -> list[tuple[int, str]]:
    return [(m.user_id, f"{person_name(m.user)}（{_role_label(m.role)}）") for m in selectors.members_of(scheme)]


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(VIEW, raise_exception=True)
def ratings(request, scheme_id: int):
    scheme = _scheme(scheme_id)
    status = 200
    form = RatingForm(choices=_rating_choices(scheme))
    if request.method == "POST":
        if not request.user.has_perm(RATE):
            raise PermissionDenied
        form = RatingForm(request.POST, choices=_rating_choices(scheme))
        ratee = get_user_model().objects.filter(pk=request.POST.get("ratee") or 0).first()
        if ratee is not None and form.run_service(lambda data: services.rating_set(
                actor=request.user, scheme=scheme, ratee=ratee, score=data["score"], note=data.get("note") or "")):
            messages.success(request, _("The rating was saved."))
            return redirect("incentives:ratings", scheme.pk)
        status = 400
    rows = selectors.ratings_of(scheme)
    if not sees_all_customers(request.user):
        rows = rows.filter(rater=request.user)
    if export_format(request):
        return export_response(request, f"incentive-ratings-{scheme.period:%Y%m}",
                               exports.ratings_table(rows.iterator(chunk_size=exports.CHUNK)))
    return render(request, "incentives/ratings.html", {
        "scheme": scheme, "page": paginate(request, rows), "form": form,
        "can_rate": request.user.has_perm(RATE) and not scheme.locked}, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def person(request, scheme_id: int, user_id: int):
    scheme = _scheme(scheme_id)
    if not sees_all_customers(request.user) and request.user.pk != user_id:
        raise PermissionDenied
    line = selectors.lines_of(scheme).filter(user_id=user_id).first()
    member = selectors.members_of(scheme).filter(user_id=user_id).first()
    if member is None:
        raise Http404("not a member")
    parts = selectors.drill_parts()
    part = request.GET.get("part") or "collections"
    if part not in {p.code for p in parts}:
        part = "collections"
    label = next(p.label for p in parts if p.code == part)
    items = selectors.drill_items(scheme=scheme, user_id=user_id, role=member.role, part=part)
    if export_format(request):
        return export_response(request, f"incentive-{scheme.period:%Y%m}-{user_id}-{part}",
                               exports.drill_table(part, label, items.iterator(chunk_size=exports.CHUNK)))
    return render(request, "incentives/person.html", {
        "scheme": scheme, "member": member, "line": line, "parts": parts, "part": part, "label": label,
        "page": paginate(request, items), "role_label": _role_label(member.role)})
