"""Pages of contracts at /contracts/: the list with each contract's figures (invoiced, paid, overdue), those ending
or due for review, a contract (terms, milestones with delivery and the lag to invoicing, versions, scans,
invoices, deposit), a new draft, editing a draft or amending a signed contract, the review (credit figures,
clause checklist, rounds and steps, the decision form), signing, and the review settings."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arms.common.errors import ArmsError
from arms.common.files import file_response
from arms.common.uploads import upload_check
from arms.contractreview import exports, selectors, services
from arms.contractreview.enums import STEP_PERMISSIONS, Clause, Decision, StepKind
from arms.contractreview.forms import (
    AttachmentForm,
    ContractForm,
    DecisionForm,
    FilterForm,
    MilestoneEventForm,
    SettingsForm,
    SignForm,
    contract_initial,
)
from arms.contracts.models import Contract, ContractStatus
from arms.contracts.services import (
    contract_amend,
    contract_attach,
    contract_create,
    contract_milestone_event,
    contract_sign,
)
from arms.customers.selectors import company_default, customers_visible_to
from arms.domain.money import to_decimal
from arms.ledger.models import Invoice
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW = "contracts.view_contract"
ADD = "contracts.add_contract"
CHANGE = "contracts.change_contract"
SIGN = "contracts.sign_contract"
SUBMIT = "contractreview.add_contractreview"
SETTINGS = "contractreview.change_contractreviewsettings"
#: the invoices a contract's page lists (newest first); the invoice list has them all
PAGE_INVOICES = 50


def _today() -> Any:
    return timezone.localdate()


def _reminder_days() -> int:
    company = company_default()
    return services.review_settings(company).reminder_days if company else 30


@login_required
@permission_required(VIEW, raise_exception=True)
def home(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = form.filters()
    qs = selectors.contracts_visible_to(request.user)
    if filters["q"]:
        q = filters["q"]
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(customer__name__icontains=q)
                       | Q(customer__code__iexact=q))
    if filters["status"]:
        qs = qs.filter(status=filters["status"])
    if filters["expiring"]:
        qs = selectors.due_for_attention(qs, today=_today(), days=_reminder_days())
    rows = selectors.with_figures(qs, today=_today()).order_by("-signed_date", "number")
    if export_format(request):
        return export_response(request, f"contracts-{_today():%Y%m%d}", exports.contract_table(rows))
    return render(request, "contractreview/list.html", {
        "page": paginate(request, rows), "filter_form": form, "can_add": request.user.has_perm(ADD),
        "can_settings": request.user.has_perm(SETTINGS)})


@login_required
@permission_required(VIEW, raise_exception=True)
def attention(request: HttpRequest) -> HttpResponse:
    days = _reminder_days()
    rows = selectors.with_figures(selectors.due_for_attention(selectors.contracts_visible_to(request.user),
                                                              today=_today(), days=days),
                                  today=_today()).order_by("end_date", "review_date", "number")
    if export_format(request):
        return export_response(request, f"contracts-attention-{_today():%Y%m%d}", exports.contract_table(rows))
    return render(request, "contractreview/attention.html", {"page": paginate(request, rows), "days": days,
                                                              "today": _today()})


def _contract(request: HttpRequest, contract_id: int) -> Contract:
    contract = selectors.contracts_visible_to(request.user).filter(pk=contract_id).first()
    if contract is None:
        raise Http404(_("No such contract."))
    return contract


def _detail(request: HttpRequest, contract: Contract, status: int = 200, **forms: Any) -> HttpResponse:
    perf = selectors.contract_performance(contract, today=_today())
    signed = contract.status in selectors.SIGNED
    can_change = request.user.has_perm(CHANGE)
    return render(request, "contractreview/detail.html", {
        "contract": contract, "perf": perf, "signed": signed,
        "deposit": perf.deposit,
        "versions": list(contract.versions.order_by("-version")),
        "attachments": [(a, PurePosixPath(a.file.name).name) for a in contract.attachments.order_by("id")],
        "invoices": list(Invoice.objects.filter(contract=contract).order_by("-issue_date", "-pk")[:PAGE_INVOICES]),
        "rounds": selectors.review_rounds(contract)[:1],
        "tiers": contract.late_interest_tiers,
        "can_edit": can_change and contract.status in (ContractStatus.DRAFT, *selectors.SIGNED),
        "can_submit": request.user.has_perm(SUBMIT) and contract.status == ContractStatus.DRAFT,
        "sign_form": forms.get("sign_form") or (SignForm(initial={"signed_date": _today()})
                                                if contract.status == ContractStatus.APPROVED
                                                and request.user.has_perm(SIGN) else None),
        "event_form": forms.get("event_form") or (MilestoneEventForm() if signed and can_change else None),
        "attach_form": forms.get("attach_form") or (AttachmentForm() if can_change else None),
    }, status=status)


@login_required
@permission_required(VIEW, raise_exception=True)
def detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _detail(request, _contract(request, contract_id))


@login_required
@permission_required(ADD, raise_exception=True)
def create(request: HttpRequest) -> HttpResponse:
    form = ContractForm(request.POST or None, initial={
        "signed_date": _today(), "currency": "CNY", "payment_terms_days": 30, "late_interest_rate_daily": "0",
        "penalty_rate": "0", "discount_pct": "0", "discount_days": 0,
        "customer_code": request.GET.get("customer", "")[:40]})
    if request.method == "POST" and form.is_valid():
        customer = customers_visible_to(request.user).filter(code=form.cleaned_data["customer_code"].strip()).first()
        if customer is None:
            form.add_error("customer_code", _("No customer has this code."))
        elif form.run_service(lambda data: contract_create(
                actor=request.user, customer=customer, number=data["number"], status=ContractStatus.DRAFT,
                **form.terms())):
            messages.success(request, _("Draft %(number)s saved; submit it for review when it is complete.")
                             % {"number": form.result.number})
            return redirect("contractreview:detail", form.result.pk)
    return render(request, "contractreview/form.html", {"form": form, "contract": None},
                  status=400 if form.errors else 200)


@login_required
@permission_required(CHANGE, raise_exception=True)
def edit(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    if contract.status not in (ContractStatus.DRAFT, *selectors.SIGNED):
        messages.error(request, _("A contract in review, approved or rejected is not changed."))
        return redirect("contractreview:detail", contract.pk)
    initial = contract_initial(contract)
    if contract.status == ContractStatus.DRAFT:
        initial["reason"] = _("Draft edited")
    form = ContractForm(request.POST or None, amending=True, initial=initial)
    if request.method == "POST" and form.run_service(lambda data: contract_amend(
            actor=request.user, contract=contract, reason=data["reason"], **form.terms())):
        messages.success(request, _("The contract was saved."))
        return redirect("contractreview:detail", contract.pk)
    return render(request, "contractreview/form.html", {"form": form, "contract": contract},
                  status=400 if form.errors else 200)


@login_required
@permission_required(VIEW, raise_exception=True)
def review(request: HttpRequest, contract_id: int, form: DecisionForm | None = None,
           status: int = 200) -> HttpResponse:
    contract = _contract(request, contract_id)
    rounds = selectors.review_rounds(contract)
    current = rounds[0] if rounds and rounds[0].status == "open" else None
    next_step = next((s for s in current.steps.all() if s.decision == Decision.PENDING), None) if current else None
    can_decide = bool(next_step and request.user.has_perm(STEP_PERMISSIONS[StepKind(next_step.kind)])
                      and request.user.pk != current.submitted_by_id)
    present = services.clause_checklist(contract)
    required = current.required_clauses if current else services.required_clauses(
        services.review_settings(contract.company), services.amount_in_base(contract))
    checklist = [(str(c), c.label, present[c], str(c) in required) for c in Clause]
    credit = current.credit_check if current else (services.credit_figures(contract, request.user)
                                                   if contract.status == ContractStatus.DRAFT else None)
    return render(request, "contractreview/review.html", {
        "contract": contract, "rounds": rounds, "current": current, "next_step": next_step,
        "checklist": checklist, "credit": credit,
        "form": form or (DecisionForm(initial={"confirmed": [c for c, _l, ok, _r in checklist if ok]})
                         if can_decide else None),
        "can_submit": request.user.has_perm(SUBMIT) and contract.status == ContractStatus.DRAFT,
    }, status=status)


@require_POST
@login_required
@permission_required(SUBMIT, raise_exception=True)
def submit(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    try:
        services.review_submit(actor=request.user, contract=contract)
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Submitted for review; the first reviewers are told."))
    return redirect("contractreview:review", contract.pk)


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def decide(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    current = services.open_round(contract)
    step = current.steps.filter(decision=Decision.PENDING).order_by("sequence").first() if current else None
    form = DecisionForm(request.POST)
    if step is None:
        messages.error(request, _("The contract is not in review."))
        return redirect("contractreview:review", contract.pk)
    if form.run_service(lambda data: services.review_decide(
            actor=request.user, contract=contract, kind=step.kind, decision=data["decision"],
            comment=data["comment"], confirmed=data["confirmed"])):
        messages.success(request, _("Your decision was recorded."))
        return redirect("contractreview:review", contract.pk)
    return review(request, contract.pk, form=form, status=400)


@require_POST
@login_required
@permission_required(SIGN, raise_exception=True)
def sign(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = SignForm(request.POST)
    if form.run_service(lambda data: contract_sign(actor=request.user, contract=contract,
                                                   signed_date=data["signed_date"])):
        messages.success(request, _("The contract is signed and in force."))
        return redirect("contractreview:detail", contract.pk)
    return _detail(request, contract, status=400, sign_form=form)


@require_POST
@login_required
@permission_required(CHANGE, raise_exception=True)
def milestone_event(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = MilestoneEventForm(request.POST)
    if form.run_service(lambda data: contract_milestone_event(actor=request.user, contract=contract,
                                                              sequence=data["sequence"],
                                                              event_date=data["event_date"])):
        messages.success(request, _("The milestone's delivery was recorded."))
        return redirect("contractreview:detail", contract.pk)
    return _detail(request, contract, status=400, event_form=form)


@require_POST
@login_required
@permission_required(CHANGE, raise_exception=True)
def attach(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            upload_check(form.cleaned_data["file"], field="file")
        except ArmsError as error:
            form.add_service_error(error)
    if form.run_service(lambda data: contract_attach(actor=request.user, contract=contract,
                                                     filename=data["file"].name, content=data["file"].read(),
                                                     description=data["description"])):
        messages.success(request, _("The file was attached."))
        return redirect("contractreview:detail", contract.pk)
    return _detail(request, contract, status=400, attach_form=form)


@login_required
@permission_required(VIEW, raise_exception=True)
def attachment_download(request: HttpRequest, contract_id: int, attachment_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    item = contract.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404(_("No such file."))
    with item.file.open("rb") as handle:
        content = handle.read()
    return file_response(content, filename=PurePosixPath(item.file.name).name, content_type=None,
                         sha256=item.sha256)


@login_required
@permission_required(SETTINGS, raise_exception=True)
def settings_page(request: HttpRequest) -> HttpResponse:
    company = company_default()
    if company is None:
        raise Http404(_("The company is not set up yet."))
    current = services.review_settings(company)
    form = SettingsForm(request.POST or None, initial={
        "legal_from": to_decimal(current.legal_from_minor, "CNY"),
        "finance_from": to_decimal(current.finance_from_minor, "CNY"),
        "guarantee_from": to_decimal(current.guarantee_from_minor, "CNY"), "reminder_days": current.reminder_days})
    if request.method == "POST" and form.run_service(lambda data: services.review_settings_set(
            actor=request.user, company=company, legal_from_minor=data["legal_from"],
            finance_from_minor=data["finance_from"], guarantee_from_minor=data["guarantee_from"],
            reminder_days=data["reminder_days"])):
        messages.success(request, _("The contract review settings were saved."))
        return redirect("contractreview:settings")
    return render(request, "contractreview/settings.html", {"form": form}, status=400 if form.errors else 200)

