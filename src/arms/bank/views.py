"""Pages of bank accounts and statements at /bank/: the accounts (add, change, map the columns of an own export
layout), the statements imported (with their gaps), one statement with its lines, and the upload page.

A statement file up to ``jobs.INLINE_MAX_BYTES`` is imported while the page waits; a larger one in the queue, whose
progress the upload page shows. Each view checks the permission, calls one selector or service and renders.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from arms.bank import exports, selectors
from arms.bank.forms import BankAccountForm, ColumnMappingForm, UploadForm
from arms.bank.jobs import IMPORT, is_big, statement_import_job_start
from arms.bank.services.accounts import (
    MAPPING_FIELDS,
    bank_account_create,
    bank_account_update,
    column_profile_save,
)
from arms.bank.services.importing import statement_import
from arms.common.errors import ArmsError, NotFound
from arms.common.jobs import jobs_for_page
from arms.common.uploads import upload_check
from arms.web.exports import export_format, export_response
from arms.web.paging import paginate


def _account(account_id: int):
    try:
        return selectors.bank_account_get(account_id=account_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _form_error(form, exc: ArmsError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@require_GET
@login_required
@permission_required("bank.view_bankaccount", raise_exception=True)
def account_list(request):
    accounts = selectors.bank_account_list()
    if export_format(request):
        return export_response(request, f"bank-accounts-{timezone.localdate():%Y%m%d}",
                               exports.account_table(accounts))
    return render(request, "bank/accounts.html", {
        "page": paginate(request, accounts), "tab": "accounts",
        "can_change": request.user.has_perm("bank.change_bankaccount"),
        "can_add": request.user.has_perm("bank.add_bankaccount")})


@login_required
@permission_required("bank.add_bankaccount", raise_exception=True)
def account_create(request):
    form = BankAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bank_account_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The bank account was added."))
            return redirect("bank:accounts")
        except ArmsError as exc:
            _form_error(form, exc)
    return render(request, "bank/account_form.html", {"form": form, "account": None, "tab": "accounts"},
                  status=400 if form.errors else 200)


@login_required
@permission_required("bank.change_bankaccount", raise_exception=True)
def account_edit(request, account_id: int):
    account = _account(account_id)
    initial = {name: getattr(account, name) for name in BankAccountForm.base_fields}
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bank_account_update(actor=request.user, account=account, **form.cleaned_data)
            messages.success(request, _("The bank account was saved."))
            return redirect("bank:accounts")
        except ArmsError as exc:
            _form_error(form, exc)
    return render(request, "bank/account_form.html", {"form": form, "account": account, "tab": "accounts"},
                  status=400 if form.errors else 200)


@login_required
@permission_required("bank.change_bankaccount", raise_exception=True)
def account_columns(request, account_id: int):
    """Map the columns of an export layout no built-in profile reads; kept on the account."""
    account = _account(account_id)
    form = ColumnMappingForm(request.POST or None, initial=ColumnMappingForm.initial_from(account.column_profile))
    if request.method == "POST":
        if request.POST.get("remove"):
            column_profile_save(actor=request.user, account=account, mapping=None)
            messages.success(request, _("The own column layout was removed."))
            return redirect("bank:accounts")
        if form.is_valid():
            try:
                column_profile_save(actor=request.user, account=account, mapping={
                    key: value for key, value in form.cleaned_data.items()
                    if key in (*MAPPING_FIELDS, "name", "name_then_account")})
                messages.success(request, _("The column layout was saved; this account's exports are read with "
                                            "it."))
                return redirect("bank:accounts")
            except ArmsError as exc:
                _form_error(form, exc)
    return render(request, "bank/account_columns.html", {"form": form, "account": account, "tab": "accounts"},
                  status=400 if form.errors else 200)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


@require_GET
@login_required
@permission_required("bank.view_bankstatement", raise_exception=True)
def statement_list(request):
    filters = {"account": request.GET.get("account", ""), "date_from": request.GET.get("date_from", ""),
               "date_to": request.GET.get("date_to", ""), "gaps": request.GET.get("gaps", "")}
    account_id = int(filters["account"]) if filters["account"].isdigit() else None
    statements = selectors.statement_list(account_id=account_id, date_from=_day(filters["date_from"]),
                                          date_to=_day(filters["date_to"]), gaps_only=filters["gaps"] == "1")
    if export_format(request):
        return export_response(request, f"bank-statements-{timezone.localdate():%Y%m%d}",
                               exports.statement_table(statements))
    return render(request, "bank/statements.html", {
        "page": paginate(request, statements), "filters": filters, "tab": "statements",
        "accounts": selectors.bank_account_list()})


@require_GET
@login_required
@permission_required("bank.view_bankstatement", raise_exception=True)
def statement_detail(request, statement_id: int):
    try:
        statement = selectors.statement_get(statement_id=statement_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    lines = selectors.statement_lines(statement)
    if export_format(request):
        return export_response(request, f"bank-statement-{statement.pk}", exports.line_table(lines))
    return render(request, "bank/statement.html", {"statement": statement, "page": paginate(request, lines),
                                                   "tab": "statements"})


@login_required
@permission_required("bank.import_statement", raise_exception=True)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    result = unknown_layout = None
    if request.method == "POST" and form.is_valid():
        data, upload_file = form.cleaned_data, form.cleaned_data["file"]
        try:
            upload_check(upload_file, field="file")
            content = upload_file.read()
            if is_big(content):
                _job, created = statement_import_job_start(
                    data=content, filename=upload_file.name, account=data["account"],
                    profile=data["profile"] or None, actor=request.user)
                messages.info(request, _("The statement is being imported in the background; its progress is "
                                         "shown below.") if created else
                              _("This statement is already being imported; its progress is shown below."))
                return redirect("bank:upload")
            result = statement_import(actor=request.user, data=content, filename=upload_file.name,
                                      account=data["account"], profile=data["profile"] or None)
        except ArmsError as exc:
            _form_error(form, exc)
            if exc.details.get("reason") == "header":  # a layout no profile reads: offer to map its columns
                unknown_layout = data["account"] or True
    accounts = {a.pk: a for a in selectors.bank_account_list()} if result else {}
    rows = [(s, accounts.get(s.account_id)) for s in result.statements] if result else []
    return render(request, "bank/upload.html", {
        "form": form, "result": result, "rows": rows, "tab": "upload", "unknown_layout": unknown_layout,
        "jobs": jobs_for_page(user=request.user, kind=IMPORT, limit=5)},
        status=400 if request.method == "POST" and form.errors else 200)
