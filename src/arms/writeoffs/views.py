"""Pages of write-offs at /write-offs/: the requests (with the net still written off and those posted but not
yet filed with the tax office), a request with its invoices, evidence, collection record, sign-off panel,
recoveries and tax filing, and the request form (prefilled from ``?customer=&invoice=&invoice=&reason=``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arms.common.errors import NotFound
from arms.common.files import file_response
from arms.customers.selectors import customers_visible_to
from arms.customers.services import company_ensure
from arms.domain.money import to_decimal
from arms.ledger.models import Invoice
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate
from arms.writeoffs import exports, selectors, services
from arms.writeoffs.enums import EVIDENCE_REQUIRED, SIGN_PERMISSIONS, RequestStatus, SignOffRole, WriteOffReason
from arms.writeoffs.forms import (
    CustomerPickForm,
    EvidenceForm,
    FilterForm,
    RejectForm,
    RequestForm,
    SettingsForm,
    SignForm,
    TaxFilingForm,
    WithdrawForm,
)
from arms.writeoffs.services import EvidenceIn, ItemIn

VIEW = "writeoffs.view_writeoffrequest"
ASK = "writeoffs.add_writeoffrequest"
FILE_TAX = "writeoffs.file_tax_writeoffrequest"
SETTINGS = "writeoffs.change_writeoffsettings"
#: the most open invoices the request form lists
FORM_INVOICES = services.MAX_ITEMS


@login_required
@permission_required(VIEW, raise_exception=True)
def request_list(request):
    filter_form = FilterForm(request.GET or None)
    rows = selectors.write_off_request_list(user=request.user, **filter_form.filters())
    if export_format(request):
        return export_response(request, f"write-offs-{timezone.localdate():%Y%m%d}", exports.request_table(rows))
    return render(request, "writeoffs/list.html", {
        "page": paginate(request, rows), "filter_form": filter_form, "can_ask": request.user.has_perm(ASK),
        "not_filed": selectors.write_off_request_list(user=request.user, not_filed=True).count()})


def _visible_customer(request, customer_id):
    found = customers_visible_to(request.user).filter(pk=int(customer_id)).first() if customer_id.isdigit() else None
    if found is None:
        raise Http404(_("No such customer."))
    return found


def _evidence(form) -> list[EvidenceIn]:
    upload = form.cleaned_data.get("evidence_file")
    if not upload:
        return []
    return [EvidenceIn(form.cleaned_data["evidence_kind"], upload.name, upload.read(),
                       form.cleaned_data.get("evidence_description", ""))]


@login_required
@permission_required(ASK, raise_exception=True)
def request_create(request):
    customer_id = request.GET.get("customer")
    if not customer_id:
        pick = CustomerPickForm(request.GET if "code" in request.GET else None)
        if pick.is_bound and pick.is_valid():
            found = customers_visible_to(request.user).filter(code=pick.cleaned_data["code"].strip()).first()
            if found is not None:
                return redirect(f"{request.path}?{urlencode({'customer': found.pk})}")
            pick.add_error("code", _("No customer has this code."))
        return render(request, "writeoffs/create.html", {"pick": pick}, status=400 if pick.errors else 200)
    customer = _visible_customer(request, customer_id)
    invoices = list(Invoice.objects.filter(customer=customer, amount_open_minor__gt=0)
                    .order_by("due_date", "pk")[:FORM_INVOICES])
    reason = request.GET.get("reason", "")
    form = RequestForm(request.POST or None, request.FILES or None, invoices=invoices,
                       picked=[p for p in request.GET.getlist("invoice") if p.isdigit()],
                       initial={"reason": reason if reason in WriteOffReason.values else None})
    if request.method == "POST":
        whole = form.is_valid() and form.cleaned_data.get("whole_balance")
        items = [] if not form.is_valid() or whole else form.items()
        if form.is_valid() and any(amount is None for _pk, amount in items):
            for pk, amount in items:
                if amount is None:
                    form.add_error(f"amount_{pk}", _("Give the amount to write off."))
        elif form.run_service(lambda data: services.write_off_request_create(
                actor=request.user, customer=customer, reason=data["reason"], note=data["note"],
                items=[ItemIn(pk, amount) for pk, amount in items if amount is not None],
                whole_balance=bool(data["whole_balance"]), evidence=_evidence(form))):
            messages.success(request, _("Write-off %(number)s was asked for; finance, legal and audit are told.")
                             % {"number": form.result.number})
            return redirect("writeoffs:detail", form.result.pk)
    return render(request, "writeoffs/create.html", {
        "customer": customer, "form": form, "evidence_required": sorted(EVIDENCE_REQUIRED)},
        status=400 if form.errors else 200)


def _request(request, writeoff_id: int):
    try:
        return selectors.write_off_request_get(user=request.user, request_id=writeoff_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _detail(request, wr, **forms):
    roles = services.signable_roles(wr, request.user)
    sign_offs = list(wr.sign_offs.select_related("user"))
    signed = {s.role for s in sign_offs}
    can_decide = wr.status == RequestStatus.PENDING and request.user.pk != wr.requested_by_id and any(
        request.user.has_perm(SIGN_PERMISSIONS[SignOffRole(r)]) for r in wr.required_roles)
    context = {
        "wr": wr, "items": list(selectors.write_off_items(wr)), "sign_offs": sign_offs,
        "awaited": [SignOffRole(r).label for r in wr.required_roles if r not in signed],
        "evidence": list(wr.evidence.select_related("uploaded_by")),
        "recoveries": list(selectors.write_off_recoveries(wr)),
        "evidence_needed": wr.reason in EVIDENCE_REQUIRED,
        "sign_form": forms.get("sign_form") or (SignForm(roles=roles) if roles else None),
        "reject_form": forms.get("reject_form") or (RejectForm() if can_decide else None),
        "withdraw_form": (WithdrawForm() if wr.status == RequestStatus.PENDING
                          and request.user.pk == wr.requested_by_id else None),
        "evidence_form": forms.get("evidence_form") or (EvidenceForm() if wr.status == RequestStatus.PENDING
                                                        and request.user.has_perm(ASK) else None),
        "tax_form": forms.get("tax_form") or (TaxFilingForm() if wr.status == RequestStatus.POSTED
                                              and wr.tax_filed_on is None and request.user.has_perm(FILE_TAX)
                                              else None),
    }
    return render(request, "writeoffs/detail.html", context, status=400 if forms else 200)


@login_required
@permission_required(VIEW, raise_exception=True)
def request_detail(request, writeoff_id: int):
    return _detail(request, _request(request, writeoff_id))


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def request_sign(request, writeoff_id: int):
    wr = _request(request, writeoff_id)
    form = SignForm(request.POST, roles=services.signable_roles(wr, request.user))
    if form.run_service(lambda data: services.write_off_request_sign(actor=request.user, request=wr,
                                                                     role=data["role"], note=data["note"])):
        messages.success(request, _("Approved and posted: the invoices are written off.")
                         if form.result.status == RequestStatus.POSTED else _("Your sign-off was recorded."))
        return redirect("writeoffs:detail", wr.pk)
    return _detail(request, wr, sign_form=form)


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def request_reject(request, writeoff_id: int):
    wr = _request(request, writeoff_id)
    form = RejectForm(request.POST)
    if form.run_service(lambda data: services.write_off_request_reject(actor=request.user, request=wr,
                                                                       reason=data["reason"])):
        messages.success(request, _("The request was rejected."))
        return redirect("writeoffs:detail", wr.pk)
    return _detail(request, wr, reject_form=form)


@require_POST
@login_required
@permission_required(ASK, raise_exception=True)
def request_withdraw(request, writeoff_id: int):
    wr = _request(request, writeoff_id)
    form = WithdrawForm(request.POST)
    if form.run_service(lambda data: services.write_off_request_withdraw(actor=request.user, request=wr,
                                                                         reason=data["reason"])):
        messages.success(request, _("The request was withdrawn."))
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("writeoffs:detail", wr.pk)


@require_POST
@login_required
@permission_required(ASK, raise_exception=True)
def evidence_add(request, writeoff_id: int):
    wr = _request(request, writeoff_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.run_service(lambda data: services.write_off_evidence_add(
            actor=request.user, request=wr, kind=data["kind"], name=data["file"].name, content=data["file"].read(),
            description=data["description"])):
        messages.success(request, _("The evidence was attached."))
        return redirect("writeoffs:detail", wr.pk)
    return _detail(request, wr, evidence_form=form)


@require_POST
@login_required
@permission_required(FILE_TAX, raise_exception=True)
def tax_filing(request, writeoff_id: int):
    wr = _request(request, writeoff_id)
    form = TaxFilingForm(request.POST, request.FILES)

    def record(data):
        upload = data.get("file")
        return services.write_off_tax_filing_record(
            actor=request.user, request=wr, filed_on=data["filed_on"], reference=data["reference"],
            note=data["note"], file_name=upload.name if upload else "", content=upload.read() if upload else None)

    if form.run_service(record):
        messages.success(request, _("The tax filing was recorded."))
        return redirect("writeoffs:detail", wr.pk)
    return _detail(request, wr, tax_form=form)


@login_required
@permission_required(VIEW, raise_exception=True)
def evidence_download(request, writeoff_id: int, evidence_id: int):
    wr = _request(request, writeoff_id)
    item = wr.evidence.select_related("attachment").filter(pk=evidence_id).first()
    if item is None:
        raise Http404(_("No such file."))
    return file_response(item.attachment.content, filename=item.name, content_type=item.attachment.content_type,
                         sha256=item.attachment.sha256)


@login_required
@permission_required(VIEW, raise_exception=True)
def collection_record_download(request, writeoff_id: int):
    wr = _request(request, writeoff_id)
    if wr.collection_record is None:
        raise Http404(_("No such file."))
    return file_response(wr.collection_record.content, filename=f"催收记录-{wr.number}.json",
                         content_type="application/json", sha256=wr.collection_record.sha256)


@login_required
@permission_required(VIEW, raise_exception=True)
def tax_file_download(request, writeoff_id: int):
    wr = _request(request, writeoff_id)
    if wr.tax_file is None:
        raise Http404(_("No such file."))
    return file_response(wr.tax_file.content, filename=wr.tax_file_name or "tax-filing",
                         content_type=wr.tax_file.content_type, sha256=wr.tax_file.sha256)


@login_required
@permission_required(SETTINGS, raise_exception=True)
def settings_edit(request):
    company = company_ensure()
    current = services.write_off_settings(company)
    form = SettingsForm(request.POST or None,
                        initial={"executive_above": f"{to_decimal(current.executive_above_minor)}"})
    if request.method == "POST" and form.run_service(lambda data: services.write_off_settings_set(
            actor=request.user, company=company, executive_above_minor=data["executive_above"])):
        messages.success(request, _("The amount was saved."))
        return redirect("writeoffs:list")
    return render(request, "writeoffs/settings.html", {"form": form, "settings": current},
                  status=400 if form.errors else 200)
