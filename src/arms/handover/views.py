"""Pages of hand-overs at /handovers/: the list (filters, Excel/CSV), opening one, one hand-over with its frozen list
(逾期账款交接表), the acknowledge and cancel buttons and its PDF and Excel; and the key accounts with the "route
key accounts" action. Each view checks the permission, calls one selector or service, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from arms.common.errors import ArmsError, NotFound
from arms.common.files import file_response
from arms.common.jobs import CONTENT_TYPES
from arms.customers.selectors import customers_visible_to
from arms.customers.services import customer_update
from arms.handover import exports, selectors
from arms.handover.documents import file_stem, handover_data, handover_table, render_handover_pdf
from arms.handover.enums import HandoverStatus, Side
from arms.handover.forms import AcknowledgeForm, HandoverFilterForm, HandoverForm, KeyAccountForm
from arms.handover.models import Handover
from arms.handover.services import handover_acknowledge, handover_cancel, handover_open, key_accounts_route
from arms.web.exports import export_format, export_response, xlsx_file
from arms.web.paging import paginate

VIEW = "handover.view_handover"


def _handover(request, handover_id: int):
    try:
        return selectors.handover_get(user=request.user, handover_id=handover_id)
    except NotFound as exc:
        if Handover.objects.filter(pk=handover_id).exists():  # someone else's hand-over: not for this user
            raise PermissionDenied from exc
        raise Http404(exc.message) from exc


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def home(request):
    filters = HandoverFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    handovers = selectors.handover_list(user=request.user, status=data.get("status", ""),
                                        role=data.get("role", ""), search=data.get("search", ""))
    if export_format(request):
        return export_response(request, f"handovers-{timezone.localdate():%Y%m%d}",
                               exports.handover_list_table(handovers))
    return render(request, "handover/list.html", {"page": paginate(request, handovers), "filters": filters})


def _new(request, form, *, status: int = 200):
    return render(request, "handover/new.html", {"form": form}, status=status)


@login_required
@permission_required("handover.add_handover", raise_exception=True)
def new(request):
    if request.method != "POST":
        return _new(request, HandoverForm(initial=request.GET.dict()))
    form = HandoverForm(request.POST)
    if form.run_service(lambda data: handover_open(
            actor=request.user, role=data["role"], from_user=data["from_user"], to_user=data["to_user"],
            customer_ids=data["customers"] or None, reason=data["reason"], effective_on=data["effective_on"])):
        messages.success(request, _("Hand-over %(ref)s opened: it waits for both acknowledgements.")
                         % {"ref": form.result.reference})
        return redirect("handover:detail", form.result.pk)
    return _new(request, form, status=400)


def _detail(request, handover, *, form=None, status: int = 200):
    user = request.user
    side = None
    if handover.status == HandoverStatus.AWAITING:
        if user.pk == handover.to_user_id and handover.incoming_ack_at is None:
            side = Side.INCOMING
        elif handover.outgoing_ack_at is None and (
                user.pk == handover.from_user_id
                or (not handover.from_user.is_active and user.has_perm("handover.acknowledge_for_outgoing")
                    and user.pk != handover.opened_by_id)):
            side = Side.OUTGOING
    return render(request, "handover/detail.html", {
        "h": handover, "data": handover_data(handover), "side": side, "side_label": Side(side).label if side else "",
        "ack_form": form or AcknowledgeForm(), "can_cancel": handover.status == HandoverStatus.AWAITING
        and user.has_perm("handover.change_handover")}, status=status)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def detail(request, handover_id: int):
    return _detail(request, _handover(request, handover_id))


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def pdf(request, handover_id: int):
    handover = _handover(request, handover_id)
    return file_response(render_handover_pdf(handover), filename=f"{file_stem(handover)}.pdf",
                         content_type="application/pdf")


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def xlsx(request, handover_id: int):
    handover = _handover(request, handover_id)
    return file_response(xlsx_file(handover_table(handover)), filename=f"{file_stem(handover)}.xlsx",
                         content_type=CONTENT_TYPES[".xlsx"])


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def acknowledge(request, handover_id: int):
    handover = _handover(request, handover_id)
    form = AcknowledgeForm(request.POST)
    if form.run_service(lambda data: handover_acknowledge(actor=request.user, handover=handover, note=data["note"])):
        done = form.result.status == HandoverStatus.COMPLETED
        messages.success(request, _("Hand-over complete: the customers, tasks and plans moved to the successor.")
                         if done else _("Acknowledged; the hand-over waits for the other side."))
        return redirect("handover:detail", handover.pk)
    return _detail(request, _handover(request, handover_id), form=form, status=400)


@require_POST
@login_required
@permission_required("handover.change_handover", raise_exception=True)
def cancel(request, handover_id: int):
    handover = _handover(request, handover_id)
    form = AcknowledgeForm(request.POST)
    if form.run_service(lambda data: handover_cancel(actor=request.user, handover=handover, note=data["note"])):
        messages.success(request, _("Hand-over cancelled; nothing moved."))
        return redirect("handover:detail", handover.pk)
    return _detail(request, _handover(request, handover_id), form=form, status=400)


@require_GET
@login_required
@permission_required(VIEW, raise_exception=True)
def key_accounts(request):
    search = request.GET.get("search", "")[:100]
    customers = selectors.key_account_list(search=search)
    if export_format(request):
        return export_response(request, f"key-accounts-{timezone.localdate():%Y%m%d}",
                               exports.key_account_table(customers))
    return render(request, "handover/key_accounts.html", {
        "page": paginate(request, customers), "search": search, "seniors": selectors.senior_collector_loads()})


@require_POST
@login_required
@permission_required("handover.route_key_accounts", raise_exception=True)
def key_accounts_route_view(request):
    try:
        result = key_accounts_route(actor=request.user)
    except ArmsError as error:
        messages.error(request, error.message)
        return redirect("handover:key_accounts")
    messages.success(request, _("%(n)s key accounts routed to senior collectors; %(skipped)s wait for a hand-over.")
                     % {"n": result["routed"], "skipped": result["skipped"]})
    return redirect("handover:key_accounts")


@require_POST
@login_required
@permission_required("customers.set_key_account", raise_exception=True)
def key_account_set(request, customer_id: int):
    """The key-account flag from the customer page."""
    customer = customers_visible_to(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404("no customer")
    form = KeyAccountForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    try:
        customer_update(actor=request.user, customer=customer, key_account=form.cleaned_data["key_account"])
    except ArmsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(code)s is now a key account.") % {"code": customer.code}
                         if form.cleaned_data["key_account"] else
                         _("%(code)s is no longer a key account.") % {"code": customer.code})
    return redirect("web:customer_detail", customer.pk)
