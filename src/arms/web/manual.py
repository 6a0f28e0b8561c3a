"""Pages of manual cash application (手工核销): apply a payment's unapplied cash to the items a clerk ticks, undo an
allocation with a reason, record a payment against one invoice, post a credit note (红字) or an invoice, and the
four-eyes approvals (``/approvals/``) a second person decides.

Each view parses its form, checks the permission, calls one service of ``arms.ledger.services.approvals`` (which
does it at once, or above the company's amount leaves it waiting for a second person) and redirects; a refusal
is shown beside the field it names, with status 400, and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from arms.domain.money import format_money, to_decimal
from arms.ledger import selectors as ledger
from arms.ledger.enums import ApprovalKind, ApprovalStatus, PaymentStatus
from arms.ledger.models import Allocation, Invoice, Payment
from arms.ledger.services import approvals
from arms.ledger.services.writeoffs import payment_apply_to_written_off
from arms.web.delivery_forms import delivery_block
from arms.web.exports import AMOUNT, DATETIME, Column, Table, export_format, export_response
from arms.web.forms import _choices_with_all
from arms.web.manual_forms import (
    AllocationReverseForm,
    ApplyCashForm,
    ApprovalDecisionForm,
    CreditNoteForm,
    InvoicePaymentForm,
    LedgerSettingsForm,
    RecoveryForm,
)
from arms.web.outlook import payment_outlook
from arms.web.paging import paginate
from arms.web.templatetags.arms_web import person


def go(request, url: str):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def told(request, outcome: approvals.Outcome, done: str) -> None:
    """The message after a manual action: done, or waiting for a second person."""
    if outcome.approval is not None:
        messages.warning(request, _("Above %(threshold)s: it waits for another person's approval.") % {
            "threshold": format_money(outcome.approval.threshold_minor, "CNY")})
    else:
        messages.success(request, done)


def _payment_or_404(user, payment_id: int) -> Payment:
    payment = ledger.payment_list(user=user).filter(pk=payment_id).first()
    if payment is None:
        raise Http404(_("Payment not found."))
    return payment


def _invoice_or_404(user, invoice_id: int) -> Invoice:
    invoice = ledger.invoice_list(user=user).filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404(_("Invoice not found."))
    return invoice


def _open_items(payment: Payment):
    return ledger.open_items_for_customer(payment.customer_id).filter(currency=payment.currency)


def payment_context(request, payment: Payment, *, apply_form: ApplyCashForm | None = None) -> dict:
    """What /payments/<id>/ shows: the payment, its allocations (each with an undo form), the customer's open
    items to apply it to, and the approvals waiting for it."""
    user = request.user
    can_apply = (user.has_perm("ledger.add_allocation") and payment.status == PaymentStatus.POSTED
                 and payment.amount_unallocated_minor > 0)
    items = _open_items(payment)
    page = paginate(request, items, param="items_page", default_size=10)
    if can_apply and apply_form is None:
        apply_form = ApplyCashForm(payment=payment, items=page.object_list)
    rows = apply_form.rows(apply_form.items if apply_form.is_bound else page.object_list) if apply_form else []
    return {
        "payment": payment,
        "allocations": ledger.allocation_list(user=user, payment_id=payment.pk).select_related("reversed_by"),
        "can_apply": can_apply,
        "can_undo": user.has_perm("ledger.add_allocation") and payment.status == PaymentStatus.POSTED,
        "apply_form": apply_form,
        "apply_rows": rows,
        "items_page": page,
        "reverse_form": AllocationReverseForm(),
        "approvals": ledger.approval_list(user=user, payment_id=payment.pk, status=ApprovalStatus.PENDING)
        if user.has_perm("ledger.view_ledgerapproval") else [],
    }


@require_POST
@login_required
@permission_required("ledger.add_allocation", raise_exception=True)
def payment_apply(request, payment_id: int):
    """Apply the payment to the ticked items, each with the amount typed beside it."""
    payment = _payment_or_404(request.user, payment_id)
    picked = [int(key[5:]) for key in request.POST if key.startswith("pick_") and key[5:].isdigit()]
    items = _open_items(payment).filter(pk__in=picked[:500])
    form = ApplyCashForm(request.POST, payment=payment, items=items)
    if form.run_service(lambda data: approvals.manual_allocate(
            actor=request.user, payment=payment, lines=form.lines, on=data["date"],
            idempotency_key=f"web-apply-{data['idempotency_key']}")):
        total = sum(line.amount_minor for line in form.lines)
        told(request, form.result, _("%(amount)s applied to %(count)s item(s).") % {
            "amount": format_money(total, payment.currency), "count": len(form.lines)})
        return go(request, reverse("web:payment_detail", args=[payment.pk]))
    context = payment_context(request, payment, apply_form=form)
    if request.htmx:  # htmx swaps only a 2xx answer: the section with the errors beside their fields
        return render(request, "web/payment_detail.html#apply_section", context)
    return render(request, "web/payment_detail.html", context, status=400)


@require_POST
@login_required
@permission_required("ledger.add_allocation", raise_exception=True)
def allocation_undo(request, allocation_id: int):
    """Undo one allocation, saying why."""
    allocation = ledger.allocation_list(user=request.user).filter(pk=allocation_id, payment__isnull=False).first()
    if allocation is None:
        raise Http404(_("Allocation not found."))
    payment = _payment_or_404(request.user, allocation.payment_id)
    form = AllocationReverseForm(request.POST)
    if form.run_service(lambda data: approvals.manual_allocation_reverse(
            actor=request.user, allocation=allocation, reason=data["reason"], on=data["date"])):
        told(request, form.result, _("Allocation to %(invoice)s undone.") % {"invoice": allocation.invoice.number})
        return go(request, reverse("web:payment_detail", args=[payment.pk]))
    context = payment_context(request, payment)
    context.update({"reverse_form": form, "reverse_allocation": allocation.pk})
    if request.htmx:
        return render(request, "web/payment_detail.html#allocations_section", context)
    return render(request, "web/payment_detail.html", context, status=400)


def invoice_context(request, invoice: Invoice, **forms) -> dict:
    """What /invoices/<id>/ shows: the invoice, its allocations and credit notes, the forms to record a payment
    for it and to credit it, the approvals waiting for it, and its delivery block (state, history, forms)."""
    user = request.user
    is_open = invoice.amount_open_minor > 0
    can_pay = is_open and user.has_perm("ledger.add_payment") and user.has_perm("ledger.add_allocation")
    can_credit = is_open and user.has_perm("ledger.add_creditnote")
    return {
        "invoice": invoice,
        "today": timezone.localdate(),
        "allocations": ledger.allocation_list(user=user, invoice_id=invoice.pk),
        "credit_notes": invoice.credit_notes.order_by("date", "id"),
        "payment_form": forms.get("payment_form")
        or (InvoicePaymentForm(initial=InvoicePaymentForm.initial_for_invoice(invoice)) if can_pay else None),
        "credit_note_form": forms.get("credit_note_form")
        or (CreditNoteForm(invoice=invoice, initial=CreditNoteForm.initial_for(invoice)) if can_credit else None),
        "approvals": ledger.approval_list(user=user, invoice_id=invoice.pk, status=ApprovalStatus.PENDING)
        if user.has_perm("ledger.view_ledgerapproval") else [],
        **delivery_block(request, invoice, **forms),
        **_write_off_block(request, invoice, **forms),
        "outlook": payment_outlook([invoice.pk]).get(invoice.pk) if is_open else None,
    }


def _write_off_block(request, invoice: Invoice, **forms) -> dict:
    """The invoice's write-offs (核销坏账) with what was recovered, and, while some stays written off, the form that
    applies a payment's unapplied cash to it as a recovery."""
    write_offs = list(ledger.write_offs_with_net(invoice.write_offs.all()).order_by("date", "pk"))
    written_off = sum(w.net_minor for w in write_offs)
    form = forms.get("recovery_form")
    if form is None and written_off > 0 and request.user.has_perm("ledger.add_allocation"):
        payments = list(Payment.objects.filter(customer_id=invoice.customer_id, currency=invoice.currency,
                                               status=PaymentStatus.POSTED, amount_unallocated_minor__gt=0)
                        .order_by("received_date", "pk")[:50])
        form = RecoveryForm(invoice=invoice, payments=payments) if payments else None
    return {"write_offs": write_offs, "written_off_minor": written_off, "recovery_form": form}


@require_POST
@login_required
@permission_required("ledger.add_allocation", raise_exception=True)
def invoice_recovery(request, invoice_id: int):
    """Apply unapplied cash to a written-off invoice: recover the write-off, then allocate, in one transaction."""
    invoice = _invoice_or_404(request.user, invoice_id)
    payments = list(Payment.objects.filter(customer_id=invoice.customer_id, currency=invoice.currency,
                                           status=PaymentStatus.POSTED, amount_unallocated_minor__gt=0)
                    .order_by("received_date", "pk")[:50])
    form = RecoveryForm(request.POST, invoice=invoice, payments=payments)
    if form.run_service(lambda data: payment_apply_to_written_off(
            actor=request.user, payment=next(p for p in payments if p.pk == data["payment"]), invoice=invoice,
            amount_minor=data["amount"])):
        messages.success(request, _("The written-off amount was recovered and the payment applied."))
        return go(request, reverse("web:invoice_detail", args=[invoice.pk]))
    return render(request, "web/invoice_detail.html", invoice_context(request, invoice, recovery_form=form),
                  status=400)


@require_POST
@login_required
@permission_required(["ledger.add_payment", "ledger.add_allocation"], raise_exception=True)
def invoice_payment_record(request, invoice_id: int):
    """Record a payment that settles this invoice (up to its open amount)."""
    invoice = _invoice_or_404(request.user, invoice_id)
    form = InvoicePaymentForm(request.POST)
    if form.run_service(lambda data: approvals.payment_record_for_invoice(
            actor=request.user, invoice=invoice, **form.service_arguments())):
        payment, outcome = form.result
        told(request, outcome, _("Payment %(number)s recorded and applied to %(invoice)s.") % {
            "number": payment.number, "invoice": invoice.number})
        return go(request, reverse("web:payment_detail", args=[payment.pk]))
    return render(request, "web/invoice_detail.html", invoice_context(request, invoice, payment_form=form),
                  status=400)


@require_POST
@login_required
@permission_required("ledger.add_creditnote", raise_exception=True)
def invoice_credit_note(request, invoice_id: int):
    """Post a credit note (红字) on this invoice."""
    invoice = _invoice_or_404(request.user, invoice_id)
    form = CreditNoteForm(request.POST, invoice=invoice)
    if form.run_service(lambda data: approvals.manual_credit_note(
            actor=request.user, invoice=invoice, **form.service_arguments())):
        done = form.result.done
        told(request, form.result, _("Credit note %(number)s posted.") % {"number": done.number if done else ""})
        return go(request, reverse("web:invoice_detail", args=[invoice.pk]))
    return render(request, "web/invoice_detail.html", invoice_context(request, invoice, credit_note_form=form),
                  status=400)


# ---------------------------------------------------------------- approvals


def approval_table(rows) -> Table:
    columns = [Column(_("Requested at"), DATETIME), Column(_("Kind")), Column(_("Status")),
               Column(_("Customer code")), Column(_("Customer"), width=32), Column(_("Currency")),
               Column(_("Amount"), AMOUNT), Column(_("Reason"), width=32), Column(_("Requested by")),
               Column(_("Decided by")), Column(_("Decided at"), DATETIME), Column(_("Note"), width=32)]
    data = ([a.requested_at, a.get_kind_display(), a.get_status_display(), a.customer.code, a.customer.name,
             a.currency, to_decimal(a.amount_minor, a.currency), a.reason, person(a.requested_by),
             person(a.decided_by) if a.decided_by_id else "", a.decided_at, a.decision_note]
            for a in rows.iterator(chunk_size=2000))
    return Table(_("Approvals"), columns, data)


def describe(approval) -> list[tuple[str, str]]:
    """What the approval will do, as (label, value) lines people read."""
    args = approval.arguments
    currency = approval.currency
    lines: list[tuple[str, str]] = []
    if approval.kind == ApprovalKind.ALLOCATION:
        numbers = dict(Invoice.objects.filter(pk__in=[i for i, _a in args["lines"]]).values_list("pk", "number"))
        lines.append((_("Payment"), approval.payment.number if approval.payment_id else "—"))
        lines += [(_("Apply to %(number)s") % {"number": numbers.get(i, i)}, format_money(a, currency))
                  for i, a in args["lines"]]
    elif approval.kind == ApprovalKind.ALLOCATION_REVERSAL:
        allocation = Allocation.objects.select_related("invoice", "payment").filter(pk=args["allocation_id"]).first()
        if allocation is not None:
            lines.append((_("Undo"), _("%(payment)s -> %(invoice)s") % {
                "payment": allocation.payment.number if allocation.payment_id else "—",
                "invoice": allocation.invoice.number}))
        lines.append((_("Reason"), args["reason"]))
    elif approval.kind == ApprovalKind.CREDIT_NOTE:
        lines += [(_("Invoice"), approval.invoice.number if approval.invoice_id else "—"),
                  (_("Date"), args["on"]), (_("Net amount"), format_money(args["net_minor"], currency)),
                  (_("VAT"), format_money(args["tax_minor"], currency)), (_("Reason"), args["reason"])]
    else:
        lines += [(_("Issue date"), args["issue_date"]), (_("Net amount"), format_money(args["net_minor"], currency)),
                  (_("VAT"), format_money(args["tax_minor"], currency)),
                  (_("Invoice number"), args["number"] or _("from the series")),
                  (_("Description"), args["description"] or "—")]
    if args.get("on") and approval.kind in (ApprovalKind.ALLOCATION, ApprovalKind.ALLOCATION_REVERSAL):
        lines.append((_("Date"), args["on"]))
    return lines


def _approval_or_404(user, approval_id: int):
    approval = ledger.approval_list(user=user).select_related("payment", "invoice").filter(pk=approval_id).first()
    if approval is None:
        raise Http404(_("Approval not found."))
    return approval


@require_GET
@login_required
@permission_required("ledger.view_ledgerapproval", raise_exception=True)
def approval_list(request):
    """Manual cash application waiting for a second person (and what was decided), newest first."""
    status = request.GET.get("status", ApprovalStatus.PENDING)
    status = status if status in ApprovalStatus.values or status == "" else ApprovalStatus.PENDING
    kind = request.GET.get("kind", "")
    kind = kind if kind in ApprovalKind.values else ""
    rows = ledger.approval_list(user=request.user, status=status, kind=kind)
    if export_format(request):
        return export_response(request, f"approvals-{timezone.localdate():%Y%m%d}", approval_table(rows))
    return render(request, "web/approval_list.html", {
        "page": paginate(request, rows), "status": status, "kind": kind,
        "statuses": _choices_with_all(ApprovalStatus.choices), "kinds": _choices_with_all(ApprovalKind.choices),
        "threshold": approvals.ledger_four_eyes_minor(),
        "settings_form": LedgerSettingsForm(initial={"four_eyes": to_decimal(approvals.ledger_four_eyes_minor(),
                                                                                 "CNY")})
        if request.user.has_perm("ledger.change_ledgersettings") else None,
    })


def _approval_context(request, approval, form=None) -> dict:
    may_decide = (approval.status == ApprovalStatus.PENDING and request.user.has_perm(approvals.APPROVE_PERMISSION)
                  and approval.requested_by_id != request.user.pk)
    return {"approval": approval, "lines": describe(approval), "may_decide": may_decide,
            "own": approval.requested_by_id == request.user.pk, "form": form or ApprovalDecisionForm()}


@require_GET
@login_required
@permission_required("ledger.view_ledgerapproval", raise_exception=True)
def approval_detail(request, approval_id: int):
    approval = _approval_or_404(request.user, approval_id)
    return render(request, "web/approval_detail.html", _approval_context(request, approval))


@require_POST
@login_required
@permission_required("ledger.view_ledgerapproval", raise_exception=True)
def approval_decide(request, approval_id: int):
    """Approve (the money moves now) or reject (saying why); never one's own request."""
    approval = _approval_or_404(request.user, approval_id)
    form = ApprovalDecisionForm(request.POST)

    def decide(data):
        if data["decision"] == "approve":
            return approvals.ledger_approval_approve(approval=approval, actor=request.user, note=data["note"])
        return approvals.ledger_approval_reject(approval=approval, actor=request.user, note=data["note"])

    if form.run_service(decide):
        if form.result.status == ApprovalStatus.APPROVED:
            messages.success(request, _("Approved: it is done."))
        else:
            messages.success(request, _("Rejected: nothing was changed."))
        return go(request, reverse("web:approval_detail", args=[approval.pk]))
    return render(request, "web/approval_detail.html", _approval_context(request, approval, form), status=400)


@require_POST
@login_required
@permission_required("ledger.change_ledgersettings", raise_exception=True)
def approval_settings(request):
    """Change the amount above which manual cash application needs a second person."""
    form = LedgerSettingsForm(request.POST)
    if form.run_service(lambda data: approvals.ledger_settings_update(actor=request.user,
                                                                      four_eyes_minor=data["four_eyes"])):
        messages.success(request, _("Second approver now above %(amount)s.") % {
            "amount": format_money(form.result.four_eyes_minor, "CNY")})
        return go(request, reverse("web:approval_list"))
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("web:approval_list"))
