"""Pages of credit management (/credit/): credit files, the review queue, ratings, proposals, limit requests.

Each view parses its input, checks permission, calls one selector or service and renders. Customers come
through the viewer's visibility: another salesperson's customer is a 404 here exactly as in the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from arms.common.errors import ArmsError, NotFound
from arms.common.files import file_response
from arms.common.uploads import upload_check
from arms.credit import exports, selectors, services
from arms.credit.enums import LimitRequestStatus, ProposalStatus
from arms.credit.forms import (
    CreditFileForm,
    FinancialsForm,
    GuaranteeFilterForm,
    GuaranteeForm,
    LimitRequestForm,
    NoteForm,
    ProfileFilterForm,
    ProposalAcceptForm,
    RateForm,
    ReasonForm,
)
from arms.credit.history import trade_history_for
from arms.credit.models import CreditProfile, GradePolicy, GuaranteeStatus
from arms.credit.services.scorecards import scorecard_parse
from arms.customers.selectors import customers_visible_to
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate
from arms.web.shortcuts import customer_or_404, safe_next

VIEW = "credit.view_creditprofile"


def _or_404(getter, **kwargs):
    try:
        return getter(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def index(request):
    """Every visible customer with its grade, score, limit and next review; filter by grade."""
    form = ProfileFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    customers = customers_visible_to(request.user).select_related("credit_profile", "salesperson")
    search = (data.get("q") or "").strip()
    if search:
        customers = customers.filter(Q(code__icontains=search) | Q(name__icontains=search))
    grade = data.get("grade") or ""
    if grade == "none":
        customers = customers.filter(Q(credit_profile__isnull=True) | Q(credit_profile__grade=""))
    elif grade:
        customers = customers.filter(credit_profile__grade=grade)
    customers = customers.order_by("code")
    if export_format(request):
        return export_response(request, f"credit-files-{timezone.localdate():%Y%m%d}",
                               exports.credit_file_table(customers))
    spread = dict(
        CreditProfile.objects.filter(customer__in=customers_visible_to(request.user))
        .values_list("grade").annotate(n=Count("id")).order_by()
    )
    return render(request, "credit/index.html", {
        "form": form, "page": paginate(request, customers), "spread": [(g, spread.get(g, 0)) for g in "ABCD"],
        "unrated": customers_visible_to(request.user).count() - sum(spread.get(g, 0) for g in "ABCD"),
        "today": timezone.localdate(),
    })


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def review_queue(request):
    today = timezone.localdate()
    queue = selectors.review_queue(user=request.user, as_of=today)
    return render(request, "credit/review_queue.html", {
        "today": today,
        "due": paginate(request, queue["due"], param="due_page"),
        "proposals": paginate(request, queue["proposals"], param="proposals_page"),
        "limit_requests": paginate(request, queue["limit_requests"], param="requests_page"),
        "awaiting_me": set(queue["awaiting_me"].values_list("pk", flat=True)),
        "can_rate": request.user.has_perm("credit.rate_customer"),
    })


def _file_context(request, customer, **forms) -> dict:
    today = timezone.localdate()
    profile = selectors.credit_profile_get(customer)
    ratings = list(selectors.rating_list(user=request.user, customer_id=customer.pk)[:20])
    latest = ratings[0] if ratings else None
    pending = selectors.proposal_list(user=request.user, customer_id=customer.pk).first()
    user = request.user
    can_edit = user.has_perm("credit.change_creditprofile")
    return {
        "customer": customer, "profile": profile, "today": today, "ratings": ratings, "latest": latest,
        "scores": [r.score for r in reversed(ratings)],
        "pending": pending,
        "history": trade_history_for(customer=customer, as_of=today),
        "statements": selectors.financial_statements(customer),
        "limit_requests": selectors.limit_request_list(user=user, customer_id=customer.pk)[:10],
        "can_rate": user.has_perm("credit.rate_customer"),
        "can_decide": user.has_perm("credit.decide_ratingproposal"),
        "can_edit": can_edit,
        "can_request": user.has_perm("credit.add_limitchangerequest"),
        "rate_form": forms.get("rate_form") or RateForm(),
        "file_form": forms.get("file_form") or (CreditFileForm(initial=CreditFileForm.initial_for(
            profile or CreditProfile(customer=customer))) if can_edit else None),
        "financials_form": forms.get("financials_form") or (FinancialsForm(initial={"fiscal_year": today.year - 1})
                                                            if user.has_perm("credit.add_financialstatement")
                                                            else None),
        "accept_form": forms.get("accept_form") or (ProposalAcceptForm(
            initial=ProposalAcceptForm.initial_for(pending), currency=pending.currency) if pending else None),
        "reject_form": ReasonForm(),
        "limit_form": forms.get("limit_form") or LimitRequestForm(
            currency=profile.currency if profile else customer.currency),
        "guarantees": list(selectors.guarantee_list(user=user, customer_id=customer.pk)
                           .exclude(status=GuaranteeStatus.RELEASED)[:20]),
        "can_release_guarantee": user.has_perm("credit.change_guarantee"),
        "guarantee_form": forms.get("guarantee_form") or (GuaranteeForm(initial={
            "currency": customer.currency, "valid_from": today}) if user.has_perm("credit.add_guarantee") else None),
    }


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def credit_file(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    return render(request, "credit/credit_file.html", _file_context(request, customer))


def _back(customer, anchor: str = ""):
    return redirect(reverse("credit:file", args=[customer.pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
@login_required
@permission_required("credit.rate_customer", raise_exception=True)
def rate(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    form = RateForm(request.POST)
    if form.run_service(lambda data: services.rating_run(customer=customer, as_of=data["as_of"], actor=request.user,
                                                         reason=data["reason"])):
        messages.success(request, _("Rated %(grade)s (score %(score)s); the proposal waits for a decision.")
                         % {"grade": form.result.grade, "score": form.result.score})
        return _back(customer, "proposal")
    return render(request, "credit/credit_file.html", _file_context(request, customer, rate_form=form), status=400)


@require_POST
@login_required
@permission_required("credit.change_creditprofile", raise_exception=True)
def file_update(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    form = CreditFileForm(request.POST)
    if form.run_service(lambda data: services.credit_file_update(customer=customer, actor=request.user,
                                                                 **form.service_arguments())):
        messages.success(request, _("Credit file saved. Re-rate to see the effect on the grade."))
        return _back(customer, "facts")
    return render(request, "credit/credit_file.html", _file_context(request, customer, file_form=form), status=400)


@require_POST
@login_required
@permission_required("credit.add_financialstatement", raise_exception=True)
def financials_save(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    form = FinancialsForm(request.POST)
    if form.run_service(lambda data: services.financial_statement_save(customer=customer, actor=request.user,
                                                                       **form.service_arguments())):
        messages.success(request, _("Financial figures saved."))
        return _back(customer, "financials")
    return render(request, "credit/credit_file.html", _file_context(request, customer, financials_form=form),
                  status=400)


@require_GET
@login_required
@permission_required("credit.view_rating", raise_exception=True)
def rating_detail(request, rating_id: int):
    rating = _or_404(selectors.rating_get, user=request.user, rating_id=rating_id)
    recomputed = services.rating_recompute(rating)
    return render(request, "credit/rating_detail.html", {
        "rating": rating, "customer": rating.customer, "recomputed": recomputed,
        "proposal": getattr(rating, "proposal", None),
    })


@require_POST
@login_required
@permission_required("credit.decide_ratingproposal", raise_exception=True)
def proposal_accept(request, proposal_id: int):
    proposal = _or_404(selectors.proposal_get, user=request.user, proposal_id=proposal_id)
    form = ProposalAcceptForm(request.POST, currency=proposal.currency)
    if form.is_valid():
        try:
            decision = services.proposal_accept(proposal=proposal, actor=request.user, **form.service_arguments())
        except ArmsError as exc:
            form.add_service_error(exc)
        else:
            if decision.limit_request:
                messages.success(request, _("Accepted. The new limit waits for a finance manager's approval."))
            else:
                messages.success(request, _("Accepted: grade %(grade)s and its terms are in force.")
                                 % {"grade": proposal.grade})
            return _back(proposal.customer)
    return render(request, "credit/credit_file.html", _file_context(request, proposal.customer, accept_form=form),
                  status=400)


@require_POST
@login_required
@permission_required("credit.decide_ratingproposal", raise_exception=True)
def proposal_reject(request, proposal_id: int):
    proposal = _or_404(selectors.proposal_get, user=request.user, proposal_id=proposal_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_reject(proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"])
        except ArmsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Proposal rejected; the terms in force stay."))
    else:
        messages.error(request, _("Say why you reject the proposal."))
    return _back(proposal.customer)


@require_GET
@login_required
@permission_required("credit.view_limitchangerequest", raise_exception=True)
def limit_request_list(request):
    status = request.GET.get("status", LimitRequestStatus.PENDING)
    qs = selectors.limit_request_list(user=request.user, status=status if status in LimitRequestStatus.values
                                      else None)
    if export_format(request):
        return export_response(request, f"limit-requests-{timezone.localdate():%Y%m%d}",
                               exports.limit_request_table(qs))
    return render(request, "credit/limit_request_list.html", {
        "page": paginate(request, qs), "status": status, "statuses": LimitRequestStatus.choices,
        "awaiting_me": set(selectors.limit_requests_awaiting(request.user).values_list("pk", flat=True)),
    })


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("credit.add_limitchangerequest", raise_exception=True)
def limit_request_new(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    profile = selectors.credit_profile_get(customer)
    currency = profile.currency if profile else customer.currency
    form = LimitRequestForm(request.POST or None, currency=currency)
    if request.method == "POST" and form.run_service(lambda data: services.limit_request_create(
            customer=customer, actor=request.user, requested_limit_minor=data["requested_limit"],
            justification=data["justification"], currency=currency, idempotency_key=data["idempotency_key"] or None)):
        messages.success(request, _("Limit change requested; the approvers are told."))
        return redirect("credit:limit_request", form.result.pk)
    return render(request, "credit/limit_request_new.html",
                  {"customer": customer, "profile": profile, "form": form, "currency": currency},
                  status=400 if request.method == "POST" else 200)


@require_GET
@login_required
@permission_required("credit.view_limitchangerequest", raise_exception=True)
def limit_request_detail(request, request_id: int):
    found = _or_404(selectors.limit_request_get, user=request.user, request_id=request_id)
    awaiting = selectors.limit_requests_awaiting(request.user).filter(pk=found.pk).exists()
    return render(request, "credit/limit_request_detail.html", {
        "req": found, "customer": found.customer, "can_decide": awaiting, "note_form": NoteForm(),
        "is_requester": found.requested_by_id == request.user.pk,
        "pending": found.status == LimitRequestStatus.PENDING,
    })


def _limit_action(request, request_id: int, action):
    found = _or_404(selectors.limit_request_get, user=request.user, request_id=request_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        action(request=found, actor=request.user, note=note)
    except ArmsError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        found.refresh_from_db()
        messages.success(request, _("Done: the request is %(status)s.") % {"status": found.get_status_display()})
    return redirect("credit:limit_request", found.pk)


@require_POST
@login_required
def limit_request_approve(request, request_id: int):
    return _limit_action(request, request_id, services.limit_request_approve)


@require_POST
@login_required
def limit_request_reject(request, request_id: int):
    return _limit_action(request, request_id, services.limit_request_reject)


@require_POST
@login_required
def limit_request_cancel(request, request_id: int):
    return _limit_action(request, request_id, services.limit_request_cancel)


@require_GET
@login_required
@permission_required("credit.view_gradepolicy", raise_exception=True)
def policies(request):
    services.grade_policies()
    version = services.scorecard_active()
    return render(request, "credit/policies.html", {
        "policies": GradePolicy.objects.order_by("grade"), "version": version, "card": scorecard_parse(version),
        "pending_statuses": ProposalStatus.PENDING,
    })


# ---------------------------------------------------------------- guarantees (担保登记)


@require_GET
@login_required
@permission_required("credit.view_guarantee", raise_exception=True)
def guarantee_list(request):
    """The guarantees register, the first to expire first; filter by status, search."""
    form = GuaranteeFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.guarantee_list(user=request.user, status=data.get("status") or "",
                                  search=(data.get("q") or "").strip())
    if export_format(request):
        return export_response(request, f"guarantees-{timezone.localdate():%Y%m%d}", exports.guarantee_table(qs))
    return render(request, "credit/guarantee_list.html", {
        "form": form, "page": paginate(request, qs), "today": timezone.localdate(),
        "can_release": request.user.has_perm("credit.change_guarantee"),
    })


@require_POST
@login_required
@permission_required("credit.add_guarantee", raise_exception=True)
def guarantee_create(request, customer_id: int):
    customer = customer_or_404(request.user, customer_id)
    form = GuaranteeForm(request.POST, request.FILES)
    if form.is_valid():
        document = form.cleaned_data.get("document")
        try:
            upload_check(document, field="document")
            data = form.cleaned_data
            services.guarantee_record(
                actor=request.user, customer=customer, guarantor=data["guarantor"], kind=data["kind"],
                amount_minor=data["amount_minor"], currency=data["currency"], valid_from=data["valid_from"],
                expiry_date=data["expiry_date"], reference=data["reference"], note=data["note"],
                document_bytes=document.read() if document else None, document_name=document.name if document else "")
        except ArmsError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Guarantee recorded."))
            return redirect(reverse("credit:file", args=[customer.pk]) + "#guarantees")
    return render(request, "credit/credit_file.html", _file_context(request, customer, guarantee_form=form),
                  status=400)


@require_POST
@login_required
@permission_required("credit.change_guarantee", raise_exception=True)
def guarantee_release(request, guarantee_id: int):
    found = _or_404(selectors.guarantee_get, user=request.user, guarantee_id=guarantee_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the guarantee is released."))
    else:
        try:
            services.guarantee_release(guarantee=found, actor=request.user, note=form.cleaned_data["note"])
        except ArmsError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Guarantee released."))
    return redirect(safe_next(request, reverse("credit:file", args=[found.customer_id]) + "#guarantees"))


@require_GET
@login_required
@permission_required("credit.view_guarantee", raise_exception=True)
def guarantee_document(request, guarantee_id: int):
    found = _or_404(selectors.guarantee_get, user=request.user, guarantee_id=guarantee_id)
    if found.document is None:
        raise Http404(_("No document is kept for this guarantee."))
    return file_response(found.document.content, filename=found.document_name or "guarantee",
                         content_type=found.document.content_type, sha256=found.document.sha256)
