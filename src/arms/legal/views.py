"""Pages of legal at /legal/: the review queue of lawyer's letter drafts (approve, reject), the settings (who issues
the letters), the cases (open one, then file it, record preservation, hearings, costs, judgment, enforcement,
documents and settlements on its page), collection agency mandates, settlements to decide, and the debtor asset
register. Each view checks the permission, calls one selector or service, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arms.common.errors import NotFound
from arms.common.files import file_response
from arms.common.uploads import upload_check
from arms.customers.selectors import company_default, customers_visible_to
from arms.domain.money import format_amount
from arms.dunning import documents
from arms.dunning.models import ReviewStatus
from arms.dunning.services.reviews import letter_approve_and_send, letter_reject, letter_resubmit
from arms.ledger.models import Invoice
from arms.legal import exports, selectors, services
from arms.legal.enums import CLOSED, TRANSITIONS, CaseStatus, MandateStatus, SettlementStatus
from arms.legal.forms import (
    AssetForm,
    CaseForm,
    CostForm,
    DocumentForm,
    EnforcementForm,
    FileForm,
    HearingForm,
    JudgmentForm,
    MandateForm,
    PreservationForm,
    ReviewForm,
    SettingsForm,
    SettlementForm,
    StatusForm,
)
from arms.legal.models import LegalCase
from arms.legal.services.assets import stale_assets
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate

VIEW_LETTERS = "dunning.view_lawyer_letter"
REVIEW = "dunning.review_lawyer_letter"
VIEW_CASE = "legal.view_legalcase"
CHANGE_CASE = "legal.change_legalcase"


def _company():
    company = company_default()
    if company is None:
        raise Http404("no company")
    return company


def _stamp() -> str:
    return f"{timezone.localdate():%Y%m%d}"


# lawyer's letters ------------------------------------------------------------------------------------------


@require_GET
@login_required
@permission_required(VIEW_LETTERS, raise_exception=True)
def letter_list(request):
    status = request.GET.get("status", ReviewStatus.AWAITING)
    status = status if status in ReviewStatus.values else ReviewStatus.AWAITING
    letters = selectors.letter_queue(user=request.user, status=status)
    if export_format(request):
        return export_response(request, f"lawyer-letters-{_stamp()}", exports.letter_table(letters))
    return render(request, "legal/letters.html", {
        "page": paginate(request, letters), "status": status, "tab": "letters",
        "statuses": [c for c in ReviewStatus.choices if c[0]]})


def _letter(request, action_id: int):
    try:
        return selectors.letter_get(user=request.user, action_id=action_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
@login_required
@permission_required(VIEW_LETTERS, raise_exception=True)
def letter_detail(request, action_id: int):
    return _letter_page(request, _letter(request, action_id))


def _letter_page(request, action, *, form=None, status: int = 200):
    items = action.items.filter(outcome="actioned").select_related("invoice").order_by("invoice__due_date", "pk")
    return render(request, "legal/letter.html", {
        "action": action, "items": items, "form": form or ReviewForm(), "tab": "letters",
        "issuer": documents.letter_issuer(action), "can_review": request.user.has_perm(REVIEW),
        "can_resubmit": request.user.has_perm("dunning.add_dunningrun")}, status=status)


@require_GET
@login_required
@permission_required(VIEW_LETTERS, raise_exception=True)
def letter_pdf(request, action_id: int):
    action = _letter(request, action_id)
    return file_response(documents.stored_or_rendered(action, "letter"),
                         filename=documents.file_names(action)["letter"], content_type="application/pdf")


@require_POST
@login_required
@permission_required(REVIEW, raise_exception=True)
def letter_decide(request, action_id: int, decision: str):
    action = _letter(request, action_id)
    form = ReviewForm(request.POST)
    calls = {"approve": letter_approve_and_send, "reject": letter_reject}
    if decision not in calls:
        raise Http404("no such decision")
    if form.run_service(lambda data: calls[decision](actor=request.user, action_id=action.pk, note=data["note"])):
        messages.success(request, _("The letter was approved and sent.") if decision == "approve"
                         else _("The draft was rejected; nothing was sent."))
        return redirect("legal:letters")
    return _letter_page(request, _letter(request, action_id), form=form, status=400)


@require_POST
@login_required
@permission_required("dunning.add_dunningrun", raise_exception=True)
def letter_resubmit_view(request, action_id: int):
    action = _letter(request, action_id)
    form = ReviewForm(request.POST)
    if form.run_service(lambda data: letter_resubmit(actor=request.user, action_id=action.pk, note=data["note"])):
        messages.success(request, _("The draft is before legal again."))
        return redirect("legal:letter", action.pk)
    return _letter_page(request, _letter(request, action_id), form=form, status=400)


# settings --------------------------------------------------------------------------------------------------


@login_required
@permission_required("legal.view_legalsettings", raise_exception=True)
def settings_view(request):
    settings = services.legal_settings_for(_company())
    can_change = request.user.has_perm("legal.manage_legal_settings")
    initial = {name: getattr(settings, name) for name in (
        "issuer_mode", "firm_name", "lawyer_name", "licence_number", "firm_address", "firm_phone",
        "asset_refresh_days")}
    initial["settlement_legal_limit"] = format_amount(settings.settlement_legal_limit_minor)
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.run_service(lambda data: services.legal_settings_update(
                actor=request.user, company=_company(), settlement_legal_limit_minor=data.pop(
                    "settlement_legal_limit") or 0, **data)):
            messages.success(request, _("The legal settings were saved."))
            return redirect("legal:settings")
    return render(request, "legal/settings.html", {"form": form, "can_change": can_change, "tab": "settings"},
                  status=400 if form.errors else 200)


# cases -----------------------------------------------------------------------------------------------------


@login_required
@permission_required(VIEW_CASE, raise_exception=True)
def case_list(request):
    status = request.GET.get("status", "")
    status = status if status in CaseStatus.values else ""
    search = request.GET.get("search", "")[:200]
    cases = selectors.case_list(user=request.user, status=status, search=search)
    if export_format(request):
        return export_response(request, f"legal-cases-{_stamp()}", exports.case_table(cases))
    can_add = request.user.has_perm("legal.add_legalcase")
    form = CaseForm(request.POST or None, customers=customers_visible_to(request.user).order_by("code"),
                    initial={"customer": request.GET.get("customer")})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied

        def open_case(data):
            invoices = Invoice.objects.filter(customer=data["customer"], amount_open_minor__gt=0)
            return services.case_open(actor=request.user, customer=data["customer"], kind=data["kind"],
                                      forum=data["forum"], note=data["note"],
                                      invoice_ids=list(invoices.values_list("pk", flat=True)))

        if form.run_service(open_case):
            messages.success(request, _("The case was opened."))
            return redirect("legal:case", form.result.pk)
    return render(request, "legal/cases.html", {
        "page": paginate(request, cases), "status": status, "search": search, "statuses": CaseStatus.choices,
        "form": form if can_add else None, "tab": "cases"}, status=400 if form.errors else 200)


def _case(request, case_id: int) -> LegalCase:
    try:
        return selectors.case_get(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _case_forms(case, data=None, files=None, which: str = "") -> dict:
    def bound(name):
        return (data, files) if name == which else (None, None)

    assets = case.customer.debtor_assets.order_by("-fact_date", "pk")
    return {
        "file": FileForm(*bound("file")),
        "status": StatusForm(*bound("status")),
        "hearing": HearingForm(*bound("hearing")),
        "cost": CostForm(*bound("cost")),
        "preservation": PreservationForm(*bound("preservation"), assets=assets, currency=case.currency),
        "judgment": JudgmentForm(*bound("judgment"), currency=case.currency),
        "enforcement": EnforcementForm(*bound("enforcement")),
        "document": DocumentForm(*bound("document")),
        "settlement": SettlementForm(*bound("settlement"), claims=case.claims.order_by("pk"),
                                     currency=case.currency),
    }


def _case_page(request, case, *, forms=None, status: int = 200):
    return render(request, "legal/case.html", {
        "case": case, "tab": "cases", "forms": forms or _case_forms(case),
        "claims": case.claims.order_by("due_date", "pk"),
        "hearings": case.hearings.all(), "costs": case.costs.all(), "documents": case.documents.all(),
        "preserved": case.preserved_assets.all(), "settlements": case.settlements.select_related("invoice"),
        "assets": case.customer.debtor_assets.order_by("-fact_date", "pk")[:20],
        "next_statuses": [c for c in CaseStatus.choices if c[0] in TRANSITIONS.get(case.status, set())],
        "closed": case.status in CLOSED, "can_change": request.user.has_perm(CHANGE_CASE),
        "can_settle": request.user.has_perm("legal.add_settlement")}, status=status)


@require_GET
@login_required
@permission_required(VIEW_CASE, raise_exception=True)
def case_detail(request, case_id: int):
    return _case_page(request, _case(request, case_id))


def _upload(form, name: str) -> tuple[str, bytes | None]:
    upload = form.cleaned_data.get(name)
    if not upload:
        return "", None
    upload_check(upload, field=name)
    return upload.name, upload.read()


CASE_ACTIONS = {
    "file": lambda r, c, f, d: services.case_file(actor=r.user, case=c, filed_on=d["filed_on"],
                                                  case_number=d["case_number"]),
    "status": lambda r, c, f, d: services.case_status_set(actor=r.user, case=c, status=d["status"]),
    "hearing": lambda r, c, f, d: services.hearing_record(actor=r.user, case=c, on=d["on"], note=d["note"]),
    "cost": lambda r, c, f, d: services.cost_record(actor=r.user, case=c, kind=d["kind"], on=d["on"],
                                                    amount_minor=d["amount"], note=d["note"]),
    "preservation": lambda r, c, f, d: services.case_preservation(
        actor=r.user, case=c, applied_on=d["applied_on"], ordered_on=d["ordered_on"], amount_minor=d["amount"] or 0,
        order_number=d["order_number"], asset_ids=[a.pk for a in d["assets"]]),
    "judgment": lambda r, c, f, d: services.case_judgment(
        actor=r.user, case=c, judgment_on=d["judgment_on"], awarded_minor=d["awarded"],
        awarded_costs_minor=d["awarded_costs"] or 0, **dict(zip(("document_name", "document_bytes"),
                                                                 _upload(f, "document"), strict=True))),
    "enforcement": lambda r, c, f, d: services.case_enforcement(
        actor=r.user, case=c, applied_on=d["applied_on"], enforcement_case_number=d["enforcement_case_number"],
        enforcement_status=d["enforcement_status"]),
    "document": lambda r, c, f, d: services.document_attach(actor=r.user, case=c, **dict(zip(
        ("name", "content"), _upload(f, "file"), strict=True))),
    "settlement": lambda r, c, f, d: services.settlement_request(
        actor=r.user, invoice=d["invoice"], case=c, terms=d["terms"],
        waived_interest_minor=d["waived_interest"] or 0, waived_penalty_minor=d["waived_penalty"] or 0,
        waived_principal_minor=d["waived_principal"] or 0),
}
CASE_ACTION_PERMS = {"hearing": "legal.add_hearing", "cost": "legal.add_casecost",
                     "document": "legal.add_casedocument", "settlement": "legal.add_settlement"}


@require_POST
@login_required
@permission_required(VIEW_CASE, raise_exception=True)
def case_action(request, case_id: int, action: str):
    if action not in CASE_ACTIONS:
        raise Http404("no such action")
    if not request.user.has_perm(CASE_ACTION_PERMS.get(action, CHANGE_CASE)):
        raise PermissionDenied
    case = _case(request, case_id)
    forms = _case_forms(case, request.POST, request.FILES, which=action)
    form = forms[action]
    if form.run_service(lambda data: CASE_ACTIONS[action](request, case, form, data)):
        messages.success(request, _("Saved."))
        return redirect("legal:case", case.pk)
    return _case_page(request, _case(request, case_id), forms=forms, status=400)


@require_GET
@login_required
@permission_required(VIEW_CASE, raise_exception=True)
def case_document(request, case_id: int, document_id: int):
    case = _case(request, case_id)
    document = case.documents.select_related("attachment").filter(pk=document_id).first()
    if document is None:
        raise Http404("no such document")
    stored = document.attachment
    return file_response(stored.content, filename=document.name, content_type=stored.content_type,
                         sha256=stored.sha256)


# agencies --------------------------------------------------------------------------------------------------


@login_required
@permission_required("legal.view_agencymandate", raise_exception=True)
def mandate_list(request):
    mandates = selectors.mandate_list(user=request.user)
    if export_format(request):
        return export_response(request, f"agency-mandates-{_stamp()}", exports.mandate_table(mandates))
    can_add = request.user.has_perm("legal.add_agencymandate")
    form = MandateForm(request.POST or None, customers=customers_visible_to(request.user).order_by("code"),
                       initial={"handed_over_on": timezone.localdate()})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied

        def create(data):
            invoices = Invoice.objects.filter(customer=data["customer"], amount_open_minor__gt=0)
            return services.mandate_create(
                actor=request.user, customer=data["customer"], agency_name=data["agency_name"],
                contact=data["contact"], licence=data["licence"], handed_over_on=data["handed_over_on"],
                fee_share_bp=data["fee_share"], note=data["note"],
                invoice_ids=list(invoices.values_list("pk", flat=True)))

        if form.run_service(create):
            messages.success(request, _("The claims were handed to the agency."))
            return redirect("legal:agencies")
    return render(request, "legal/agencies.html", {
        "page": paginate(request, mandates), "form": form if can_add else None, "tab": "agencies",
        "active": MandateStatus.ACTIVE}, status=400 if form.errors else 200)


@require_POST
@login_required
@permission_required("legal.change_agencymandate", raise_exception=True)
def mandate_end(request, mandate_id: int):
    mandate = selectors.mandate_list(user=request.user).filter(pk=mandate_id).first()
    if mandate is None:
        raise Http404("no such mandate")
    form = ReviewForm(request.POST)
    if form.run_service(lambda data: services.mandate_end(actor=request.user, mandate=mandate,
                                                          ended_on=timezone.localdate(), note=data["note"])):
        messages.success(request, _("The mandate was ended."))
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("legal:agencies")


# settlements -----------------------------------------------------------------------------------------------


@require_GET
@login_required
@permission_required("legal.view_settlement", raise_exception=True)
def settlement_list(request):
    status = request.GET.get("status", "")
    status = status if status in SettlementStatus.values else ""
    settlements = selectors.settlement_list(user=request.user, status=status)
    if export_format(request):
        return export_response(request, f"settlements-{_stamp()}", exports.settlement_table(settlements))
    return render(request, "legal/settlements.html", {
        "page": paginate(request, settlements), "status": status, "statuses": SettlementStatus.choices,
        "pending": SettlementStatus.REQUESTED, "can_decide": request.user.has_perm("legal.approve_settlement"),
        "tab": "settlements"})


@require_POST
@login_required
@permission_required("legal.approve_settlement", raise_exception=True)
def settlement_decide(request, settlement_id: int, decision: str):
    settlement = selectors.settlement_list(user=request.user).filter(pk=settlement_id).first()
    calls = {"approve": services.settlement_approve, "reject": services.settlement_reject}
    if settlement is None or decision not in calls:
        raise Http404("no such settlement")
    form = ReviewForm(request.POST)
    if form.run_service(lambda data: calls[decision](actor=request.user, settlement=settlement, note=data["note"])):
        messages.success(request, _("The settlement was approved.") if decision == "approve"
                         else _("The settlement was rejected."))
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("legal:settlements")


# debtor assets ---------------------------------------------------------------------------------------------


@login_required
@permission_required("legal.view_debtorasset", raise_exception=True)
def asset_list(request):
    customer_id = request.GET.get("customer", "")
    assets = selectors.asset_list(user=request.user,
                                  customer_id=int(customer_id) if customer_id.isdigit() else None)
    if export_format(request):
        return export_response(request, f"debtor-assets-{_stamp()}", exports.asset_table(assets))
    can_add = request.user.has_perm("legal.add_debtorasset")
    form = AssetForm(request.POST or None, request.FILES or None,
                     customers=customers_visible_to(request.user).order_by("code"),
                     initial={"fact_date": timezone.localdate(), "customer": customer_id or None})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied

        def record(data):
            name, content = _upload(form, "attachment")
            return services.asset_record(
                actor=request.user, customer=data["customer"], kind=data["kind"], description=data["description"],
                location=data["location"], estimated_value_minor=data["estimated_value"] or 0,
                encumbrances=data["encumbrances"], source=data["source"], fact_date=data["fact_date"],
                attachment_name=name, attachment_bytes=content)

        if form.run_service(record):
            messages.success(request, _("The asset was recorded."))
            return redirect("legal:assets")
    days = services.legal_settings_for(_company()).asset_refresh_days
    stale = stale_assets(as_of=timezone.localdate(), refresh_days=days).filter(
        pk__in=customers_visible_to(request.user))[:50]
    return render(request, "legal/assets.html", {
        "page": paginate(request, assets), "form": form if can_add else None, "stale": stale, "days": days,
        "tab": "assets"}, status=400 if form.errors else 200)


@require_GET
@login_required
@permission_required("legal.view_debtorasset", raise_exception=True)
def asset_file(request, asset_id: int):
    asset = selectors.asset_list(user=request.user).select_related("attachment").filter(pk=asset_id).first()
    if asset is None or asset.attachment is None:
        raise Http404("no file")
    return file_response(asset.attachment.content, filename=f"asset-{asset.pk}", content_type=asset.attachment
                         .content_type, sha256=asset.attachment.sha256)
