"""Pages of the clerk's cash workbench (现金认款), mounted at /cash/: statement lines by status, the review screen
where a clerk accepts, edits, splits or sets aside a line (keyboard-first, htmx: the next line loads after a
decision without a page reload), the learned payers, unapplied cash by age and the bank reconciliation.

Each view parses its input, checks the permission, calls one selector or service and renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arms.bank import cash_tables, selectors
from arms.bank.cash_forms import (
    IGNORE_KINDS,
    MAX_SHARES,
    AliasFilterForm,
    ApplyForm,
    IgnoreForm,
    LineFilterForm,
    ReconciliationForm,
    RemittanceForm,
    ResetForm,
    UnappliedFilterForm,
    bucket_label,
)
from arms.bank.cash_selectors import pending_approval_ids
from arms.bank.enums import OPEN_STATUSES, LineStatus
from arms.bank.models import PayerAlias, StatementLine
from arms.bank.services import applying
from arms.bank.services.remittance import remittance_apply
from arms.common.errors import ArmsError
from arms.customers.selectors import customer_list as customers_matching
from arms.customers.selectors import customers_visible_to
from arms.domain.money import to_decimal
from arms.ledger import selectors as ledger
from arms.web.exports import export_format, export_response
from arms.web.paging import currency_totals, paginate
from arms.web.shortcuts import customer_or_404
from arms.web.templatetags.arms_web import money

#: customers a search in the review screen offers at most
CUSTOMER_CHOICES = 8
#: open items a share shows at most (oldest first)
ITEMS_SHOWN = 200


# ---------------------------------------------------------------- statement lines by status


@require_GET
@login_required
@permission_required("bank.view_statementline", raise_exception=True)
def line_list(request):
    """The lines, a tab per status with its count; filters by account, date, amount and text; paginated and
    exportable (the export follows the tab and the filters)."""
    today = timezone.localdate()
    form = LineFilterForm(request.GET)
    unfiltered_status = selectors.line_list(**form.filters(with_status=False))
    filters = form.filters()
    lines = selectors.line_list(**filters)
    if export_format(request):
        return export_response(request, f"bank-lines-{today:%Y%m%d}", cash_tables.line_table(lines))
    counts = selectors.line_status_counts(unfiltered_status)
    query = request.GET.copy()
    for key in ("status", "page", "export"):
        query.pop(key, None)
    tabs = [{"status": "", "label": _("All"), "count": sum(counts.values()), "current": not filters["status"]}]
    tabs += [{"status": s, "label": LineStatus(s).label, "count": counts[s], "current": filters["status"] == s}
             for s in selectors.STATUS_ORDER]
    template = "cash/line_list.html#results" if request.htmx else "cash/line_list.html"
    return render(request, template, {
        "form": form, "page": paginate(request, lines), "tabs": tabs, "base_query": query.urlencode(),
        "status": filters["status"], "totals": currency_totals(lines, "amount_minor"),
        "review_query": ReviewScope(status=filters["status"], account_id=filters["account_id"]).query,
        "can_apply": request.user.has_perm("bank.apply_cash"),
    })


# ---------------------------------------------------------------- the review screen


def _line_or_404(line_id: int) -> StatementLine:
    return get_object_or_404(StatementLine.objects.select_related("account", "customer", "payment"), pk=line_id)


@dataclass(frozen=True)
class ReviewScope:
    """Which lines j/k and "next after a decision" move through: a status tab and a bank account of the list."""

    status: str = ""
    account_id: int | None = None

    @classmethod
    def of(cls, request) -> ReviewScope:
        data = request.POST if request.method == "POST" else request.GET
        status = data.get("status") or ""
        account = data.get("account") or ""
        return cls(status=status if status in selectors.STATUS_ORDER else "",
                   account_id=int(account) if account.isdigit() and len(account) < 19 else None)

    @property
    def query(self) -> str:
        return urlencode({k: v for k, v in (("status", self.status), ("account", self.account_id or "")) if v})

    def next_line(self, after: StatementLine | None, *, backwards: bool = False) -> StatementLine | None:
        return selectors.next_open_line(after=after, status=self.status, account_id=self.account_id,
                                        backwards=backwards)


def suggested_allocations(line: StatementLine) -> dict[int, int]:
    """{invoice id: amount} the matcher proposed, read from the stored match (pairs or mappings)."""
    result: dict[int, int] = {}
    for entry in (line.match or {}).get("allocations", []) or []:
        if isinstance(entry, dict):
            invoice_id, amount = entry.get("invoice_id") or entry.get("invoice"), entry.get("amount")
        else:
            invoice_id, amount = [*list(entry), None, None][:2]
        if invoice_id is not None and amount:
            result[int(invoice_id)] = result.get(int(invoice_id), 0) + int(amount)
    return result


def share_context(request, line: StatementLine, *, index: int, customer, form: ApplyForm | None = None) -> dict:
    """One share of the edit form: the customer and their open items, ticked and filled as suggested (for the
    suggested customer) or as the clerk typed them (after a refusal)."""
    suggested = suggested_allocations(line) if customer and customer.pk == line.customer_id else {}
    items = list(ledger.open_items_for_customer(customer.pk)[:ITEMS_SHOWN]) if customer else []
    prefix = f"share-{index}-"
    rows = []
    for invoice in items:
        amount_name = f"{prefix}amount-{invoice.pk}"
        if form is not None:
            ticked = str(invoice.pk) in form.data.getlist(prefix + "item")
            typed = form.data.get(amount_name, "")
        else:
            ticked = invoice.pk in suggested
            typed = _plain(suggested[invoice.pk], invoice.currency) if ticked else ""
        rows.append({"invoice": invoice, "ticked": ticked, "amount": typed, "amount_name": amount_name,
                     "errors": form.errors.get(amount_name, []) if form else [],
                     "open_plain": _plain(invoice.amount_open_minor, invoice.currency)})
    suggested_charge = int((line.match or {}).get("charge") or 0)  # a discount is granted by the ledger itself
    charge = form.data.get(prefix + "charge", "") if form is not None else (
        _plain(suggested_charge, line.currency) if suggested and suggested_charge else "")
    return {"line": line, "index": index, "prefix": prefix, "customer": customer, "rows": rows, "charge": charge,
            "cash": form.data.get(prefix + "cash", "") if form is not None else "",
            "cash_errors": form.errors.get(prefix + "cash", []) if form else [],
            "charge_errors": form.errors.get(prefix + "charge", []) if form else [],
            "customer_errors": form.errors.get(prefix + "customer", []) if form else []}


def _plain(minor: int, currency: str) -> str:
    """An amount as a clerk types it: "1234.50" (no grouping), for prefilled inputs."""
    return f"{to_decimal(int(minor), currency):f}"


def review_context(request, line: StatementLine, *, apply_form: ApplyForm | None = None,
                   ignore_form: IgnoreForm | None = None, remittance_form: RemittanceForm | None = None,
                   reset_form: ResetForm | None = None, refusal: str = "", done: str = "",
                   editing: bool = False) -> dict:
    scope = ReviewScope.of(request)
    suggested = suggested_allocations(line)
    invoices = {i.pk: i for i in ledger.invoice_list(user=request.user).filter(pk__in=suggested)}
    shares = []
    if apply_form is not None:
        for share in apply_form.shares or []:
            customer = customers_visible_to(request.user).filter(pk=share.customer_id).first()
            shares.append(share_context(request, line, index=share.index, customer=customer, form=apply_form))
    elif line.customer_id:
        shares.append(share_context(request, line, index=0, customer=line.customer))
    payments = []
    if line.payment_id:
        payments.append(line.payment)
    payments += [a.payment for a in line.applications.select_related("payment", "payment__customer")]
    return {
        "line": line,
        "scope": scope,
        "open": line.status in OPEN_STATUSES,
        "suggestion": [{"invoice": invoices.get(pk), "amount": amount} for pk, amount in suggested.items()],
        "match": line.match or {},
        "payments": payments,
        "allocations": ledger.allocation_list(user=request.user).filter(
            payment__in=[p.pk for p in payments], reverses__isnull=True, reversed_by__isnull=True) if payments else [],
        "shares": shares,
        "next_index": (max((s["index"] for s in shares), default=-1) + 1),
        "max_shares": MAX_SHARES,
        "apply_form": apply_form,
        "ignore_form": ignore_form or IgnoreForm(),
        "ignore_kinds": [(n, k.value, k.label) for n, k in enumerate(IGNORE_KINDS, start=1)],
        "remittance_form": remittance_form or RemittanceForm(),
        "reset_form": reset_form or ResetForm(),
        "next_line": scope.next_line(line),
        "previous_line": scope.next_line(line, backwards=True),
        "can_apply": request.user.has_perm("bank.apply_cash"),
        "done": done,
        "editing": editing or apply_form is not None or remittance_form is not None,
        "note_errors": apply_form.errors.get("note", []) if apply_form is not None else [],
        "refusal": refusal,
    }


@require_GET
@login_required
@permission_required("bank.view_statementline", raise_exception=True)
def line_review(request, line_id: int):
    """The line beside the suggestion; an htmx request (j/k, or the next line after a decision) gets the panel."""
    line = _line_or_404(line_id)
    context = review_context(request, line)
    template = "cash/review.html#review" if request.htmx else "cash/review.html"
    return render(request, template, context)


@require_GET
@login_required
@permission_required("bank.view_statementline", raise_exception=True)
def review_next(request):
    """The first line still to decide (of a status tab and account), for the list's "review" button."""
    scope = ReviewScope.of(request)
    line = scope.next_line(None)
    if line is None:
        return render(request, "cash/review.html", {"line": None, "scope": scope})
    return render(request, "cash/review.html", review_context(request, line))


@require_GET
@login_required
@permission_required("bank.apply_cash", raise_exception=True)
def customer_search(request, line_id: int):
    """Customers matching what the clerk typed, to choose the one who paid (share ``?share=n``)."""
    line = _line_or_404(line_id)
    index = _share_index(request.GET.get("share"))
    search = (request.GET.get("q") or "").strip()[:100]
    customers = customers_matching(user=request.user, search=search).order_by("code")[:CUSTOMER_CHOICES] \
        if search else []
    return render(request, "cash/review.html#customer_choices",
                  {"line": line, "index": index, "customers": customers, "search": search})


@require_GET
@login_required
@permission_required("bank.apply_cash", raise_exception=True)
def share_block(request, line_id: int):
    """One share of the edit form for ``?customer=`` (its open items to tick), or an empty one to fill."""
    line = _line_or_404(line_id)
    index = _share_index(request.GET.get("share"))
    raw = request.GET.get("customer") or ""
    customer = customer_or_404(request.user, int(raw)) if raw.isdigit() else None
    return render(request, "cash/review.html#share", share_context(request, line, index=index, customer=customer))


def _share_index(raw) -> int:
    try:
        index = int(raw or 0)
    except (TypeError, ValueError):
        raise Http404(_("No such share.")) from None
    if not 0 <= index < MAX_SHARES:
        raise Http404(_("No such share."))
    return index


# ---------------------------------------------------------------- learned payers


@require_GET
@login_required
@permission_required("bank.view_payeralias", raise_exception=True)
def alias_list(request):
    form = AliasFilterForm(request.GET)
    aliases = selectors.alias_list(**form.filters())
    if export_format(request):
        return export_response(request, f"learned-payers-{timezone.localdate():%Y%m%d}",
                               cash_tables.alias_table(aliases))
    template = "cash/aliases.html#results" if request.htmx else "cash/aliases.html"
    return render(request, template, {"form": form, "page": paginate(request, aliases),
                                      "can_remove": request.user.has_perm("bank.delete_payeralias")})


# ---------------------------------------------------------------- unapplied cash by age


def bucket_label_of_age(age: int) -> str:
    for bucket in selectors.unapplied_buckets():
        if bucket.holds(age):
            return bucket_label(bucket.key)
    return ""


@require_GET
@login_required
@permission_required("ledger.view_payment", raise_exception=True)
def unapplied_list(request):
    today = timezone.localdate()
    form = UnappliedFilterForm(request.GET)
    filters = form.filters()
    visible = ledger.payment_list(user=request.user, search=filters["search"])
    payments = selectors.unapplied_cash_list(payments=visible, today=today, bucket=filters["bucket"])
    if export_format(request):
        return export_response(request, f"unapplied-cash-{today:%Y%m%d}",
                               cash_tables.unapplied_table(payments, today=today, bucket_label=bucket_label_of_age))
    page = paginate(request, payments)
    for payment in page:
        payment.age_days = selectors.age_in_days(payment.received_date, today)
        payment.age_label = bucket_label_of_age(payment.age_days)
    template = "cash/unapplied.html#results" if request.htmx else "cash/unapplied.html"
    return render(request, template, {
        "form": form, "page": page, "today": today,
        "bucket_labels": [bucket_label(b.key) for b in selectors.unapplied_buckets()],
        "totals": selectors.unapplied_totals(payments, today=today),
    })


# ---------------------------------------------------------------- bank reconciliation


@require_GET
@login_required
@permission_required("bank.view_statementline", raise_exception=True)
def reconciliation(request):
    """银行余额调节表 of one account on one day; the items explaining the difference, paginated and exportable."""
    data = request.GET if request.GET.get("account") else {**ReconciliationForm.initial_for_today(),
                                                           **request.GET.dict()}
    form = ReconciliationForm(data)
    context: dict = {"form": form, "rec": None}
    if form.is_valid():
        account, on = form.cleaned_data["account"], form.cleaned_data["on"]
        rec = selectors.bank_reconciliation(account=account, on=on)
        bank_only = selectors.bank_only_lines(account, on)
        book_only = selectors.book_only_entries(account, on)
        if export_format(request):
            return export_response(request, f"bank-reconciliation-{account.account_number[-4:]}-{on:%Y%m%d}",
                                   cash_tables.reconciliation_table(rec, bank_only, book_only))
        book_page = paginate(request, book_only, param="book_page")
        context.update({
            "rec": rec,
            "bank_page": paginate(request, bank_only, param="bank_page"),
            "book_page": book_page,
            "book_items": selectors.book_only_items(book_page.object_list),
        })
    return render(request, "cash/reconciliation.html", context, status=200 if form.is_valid() or not
                  request.GET.get("account") else 400)


def review_url(line: StatementLine, scope: ReviewScope | None = None) -> str:
    url = reverse("cash:review", args=[line.pk])
    return f"{url}?{scope.query}" if scope and scope.query else url


def _decided(request, line: StatementLine, message: str):
    """After a decision: the next line still to decide (after this one in the list, else the first), its panel for
    htmx with the address pushed, a redirect otherwise."""
    if pending_approval_ids(line):
        message = " ".join((message, _("Its allocation is above the approval amount and waits for another person's "
                                       "approval.")))
    scope = ReviewScope.of(request)
    following = scope.next_line(line) or scope.next_line(None)
    if not request.htmx:
        messages.success(request, message)
        return redirect(review_url(following, scope) if following else reverse("cash:lines"))
    if following is None:
        response = render(request, "cash/review.html#review", {"line": None, "scope": scope, "done": message})
        response["HX-Push-Url"] = reverse("cash:lines")
        return response
    response = render(request, "cash/review.html#review", review_context(request, following, done=message))
    response["HX-Push-Url"] = review_url(following, scope)
    return response


def _refused(request, line: StatementLine, **forms):
    """The same line again with the refusal beside its field (htmx swaps only a 200, so the panel comes with 200;
    a page without htmx says 400)."""
    context = review_context(request, line, **forms)
    if request.htmx:
        return render(request, "cash/review.html#review", context)
    return render(request, "cash/review.html", context, status=400)


@require_POST
@login_required
@permission_required("bank.apply_cash", raise_exception=True)
def line_accept(request, line_id: int):
    line = _line_or_404(line_id)
    try:
        applying.line_accept(actor=request.user, line=line)
    except ArmsError as error:
        return _refused(request, _line_or_404(line_id), refusal=error.message)
    return _decided(request, line, _("Applied as suggested: %(payer)s %(amount)s.") % _said(line))


@require_POST
@login_required
@permission_required("bank.apply_cash", raise_exception=True)
def line_ignore(request, line_id: int):
    line = _line_or_404(line_id)
    form = IgnoreForm(request.POST)
    if form.run_service(lambda data: applying.line_ignore(actor=request.user, line=line, kind=data["kind"],
                                                          note=data["note"].strip())):
        return _decided(request, line, _("Set aside: %(payer)s %(amount)s.") % _said(line))
    return _refused(request, _line_or_404(line_id), ignore_form=form)


@require_POST
@login_required
@permission_required("bank.apply_cash", raise_exception=True)
def line_apply(request, line_id: int):
    """Apply as the clerk edited it: one share per customer (a split when several), ticked items with amounts,
    a bank charge."""
    line = _line_or_404(line_id)
    form = ApplyForm(request.POST, currency=line.currency)

    def apply(data):
        several = len(form.shares) > 1
        shares = [applying.Share(customer_id=s.customer_id, allocations=s.allocations, charge_minor=s.charge_minor,
                                 amount_minor=(s.cash_minor if s.cash_minor is not None
                                               else sum(a for _i, a in s.allocations)) if several else None)
                  for s in form.shares]
        visible = set(customers_visible_to(request.user).filter(pk__in=[s.customer_id for s in shares])
                      .values_list("pk", flat=True))
        if any(s.customer_id not in visible for s in shares):
            raise Http404(_("Customer not found."))
        return applying.line_apply(actor=request.user, line=line, shares=shares, note=data["note"].strip())

    if form.run_service(apply):
        return _decided(request, line, _("Applied: %(payer)s %(amount)s.") % _said(line))
    return _refused(request, _line_or_404(line_id), apply_form=form)


@require_POST
@login_required
@permission_required("bank.apply_cash", raise_exception=True)
def line_remittance(request, line_id: int):
    """Apply the line as the customer's uploaded remittance advice lists it."""
    line = _line_or_404(line_id)
    form = RemittanceForm(request.POST, request.FILES)
    raw = request.POST.get("customer") or ""
    customer = customer_or_404(request.user, int(raw)) if raw.isdigit() else None
    if form.run_service(lambda data: remittance_apply(actor=request.user, line=line, file=data["file"],
                                                      customer=customer, note=data["note"].strip())):
        return _decided(request, line, _("Applied as the remittance advice lists it: %(payer)s %(amount)s.")
                        % _said(line))
    return _refused(request, _line_or_404(line_id), remittance_form=form)


@require_POST
@login_required
@permission_required("bank.apply_cash", raise_exception=True)
def line_reset(request, line_id: int):
    """Undo a decision: the line's receipts are reversed through the ledger and it waits for review again; the
    same line comes back, open."""
    line = _line_or_404(line_id)
    form = ResetForm(request.POST)
    if form.run_service(lambda data: applying.line_reset(actor=request.user, line=line,
                                                         reason=data["reason"].strip())):
        line = _line_or_404(line_id)
        if not request.htmx:
            messages.success(request, _("Undone; the line waits for review again."))
            return redirect(review_url(line, ReviewScope.of(request)))
        return render(request, "cash/review.html#review",
                      review_context(request, line, done=_("Undone; the line waits for review again.")))
    return _refused(request, _line_or_404(line_id), reset_form=form)


def _said(line: StatementLine) -> dict:
    return {"payer": line.counterparty_name or _("unknown payer"),
            "amount": f"{line.currency} {money(line.amount_minor, line.currency)}"}


@require_POST
@login_required
@permission_required("bank.delete_payeralias", raise_exception=True)
def alias_remove(request, alias_id: int):
    alias = get_object_or_404(PayerAlias, pk=alias_id)
    try:
        applying.alias_remove(actor=request.user, alias=alias)
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Learned payer removed: %(value)s.") % {"value": alias.value})
    if request.htmx:
        return render(request, "cash/aliases.html#removed", {"alias": alias})
    return redirect("cash:aliases")
