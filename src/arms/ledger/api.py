"""/api/v1 ledger endpoints: invoices, credit notes, payments, allocations, exchange rates, and a customer's
open items, balances and statement (under /api/v1/customers/{id}/..., read from the ledger).

Posting an invoice or a credit note, allocating and undoing an allocation are manual actions under the one
four-eyes rule (``services.approvals``): worth more than the company's amount they answer 202 with the pending
approval (``/ledger-approvals``) instead of doing it; another person approves or rejects it there.

Each endpoint checks the permission, finds the documents through the viewer's visibility (another
salesperson's customer, and everything of theirs, is 404), calls one service and renders the result.
Balance rules (over-allocation, currency, reversed payments) are checked by the services on locked rows.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.common.access import require_perm
from arms.common.api_types import idempotency_header
from arms.common.errors import NotFound, ValidationFailed
from arms.common.pagination import PageParams, paginate
from arms.contracts.models import Contract
from arms.customers.selectors import customer_get, customers_visible_to
from arms.domain.money import BASE_CURRENCY
from arms.ledger import selectors, services
from arms.ledger.models import ExchangeRate
from arms.ledger.schemas import (
    AllocateIn,
    AllocationFilters,
    AllocationOut,
    AllocationPage,
    AllocationResultOut,
    AllocationReverseIn,
    ApprovalDecisionIn,
    ApprovalFilters,
    ApprovalOut,
    ApprovalPage,
    AutoAllocateIn,
    BalancesOut,
    CreditNoteCreateIn,
    CreditNoteFilters,
    CreditNoteIn,
    CreditNoteOut,
    CreditNotePage,
    ExchangeRateFilters,
    ExchangeRateIn,
    ExchangeRateOut,
    ExchangeRatePage,
    InvoiceDetailOut,
    InvoiceFilters,
    InvoiceIn,
    InvoicePage,
    LedgerSettingsIn,
    LedgerSettingsOut,
    OpenItemPage,
    PaymentDetailOut,
    PaymentFilters,
    PaymentIn,
    PaymentPage,
    PaymentReverseIn,
    StatementQuery,
    StatementsOut,
    balances_out,
    statements_out,
)
from arms.ledger.services import approvals
from arms.ledger.services.allocations import AllocationRequest

router = Router(tags=["ledger"])


def _one(qs: QuerySet, pk: int, *, label: str, field: str):
    """The row ``pk`` of a visibility-filtered queryset, or 404 naming ``field``."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("%(label)s %(id)s not found.") % {"label": label, "id": pk}, field=field)
    return obj


def _invoice(request, invoice_id: int, field: str = "invoice_id"):
    return _one(selectors.invoice_list(user=request.user).select_related("posted_by"), invoice_id,
                label=_("Invoice"), field=field)


def _payment(request, payment_id: int):
    return _one(selectors.payment_list(user=request.user).select_related("posted_by"), payment_id,
                label=_("Payment"), field="payment_id")


def _check_range(start, end, field: str) -> None:
    if start and end and end < start:
        raise ValidationFailed(_("The end of the range is before its start."), field=field)


# ---------------------------------------------------------------- customers' ledger views


@router.get("/customers/{customer_id}/open-items", response=OpenItemPage, tags=["customers"],
            summary="A customer's open invoices, oldest due first")
def customer_open_items(request, customer_id: int, page: Query[PageParams]):
    require_perm(request, "customers.view_customer", "ledger.view_invoice")
    customer = customer_get(user=request.user, customer_id=customer_id)
    return paginate(selectors.open_items_for_customer(customer.pk), limit=page.limit, offset=page.offset)


@router.get("/customers/{customer_id}/balances", response=BalancesOut, tags=["customers"],
            summary="Open, unapplied and net balance per currency")
def customer_balances(request, customer_id: int):
    require_perm(request, "customers.view_customer", "ledger.view_invoice", "ledger.view_payment")
    customer = customer_get(user=request.user, customer_id=customer_id)
    return balances_out(customer.pk, selectors.customer_balances(customer.pk))


@router.get("/customers/{customer_id}/statement", response=StatementsOut, tags=["customers"],
            summary="Statement of account (对账单): opening, movements with running balance, closing")
def customer_statement(request, customer_id: int, period: Query[StatementQuery]):
    require_perm(request, "customers.view_customer", "ledger.view_invoice", "ledger.view_creditnote",
                 "ledger.view_payment")
    _check_range(period.date_from, period.date_to, "to")
    customer = customer_get(user=request.user, customer_id=customer_id)
    statements = selectors.customer_statement(customer_id=customer.pk, date_from=period.date_from,
                                              date_to=period.date_to)
    return statements_out(customer.pk, period.date_from, period.date_to, statements)


# ---------------------------------------------------------------- invoices and credit notes


def _approval(request, approval_id: int):
    return _one(selectors.approval_list(user=request.user), approval_id, label=_("Approval"), field="approval_id")


def _pending(request, outcome: approvals.Outcome):
    """202 with the approval a second person must give, or None when it was done at once."""
    if outcome.approval is None:
        return None
    return Status(202, _approval(request, outcome.approval.pk))


@router.post("/invoices", response={201: InvoiceDetailOut, 202: ApprovalOut},
             summary="Post an invoice (above the company's amount: 202, waits for a second person)")
def invoice_post(request, payload: InvoiceIn, idempotency_key: str | None = idempotency_header()):
    require_perm(request, "ledger.add_invoice")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    contract = None
    if payload.contract_id is not None:
        visible = Contract.objects.filter(customer__in=customers_visible_to(request.user))
        contract = _one(visible, payload.contract_id, label=_("Contract"), field="contract_id")
    data = payload.model_dump(exclude={"customer_id", "contract_id"})
    outcome = approvals.manual_invoice(actor=request.user, customer=customer, contract=contract,
                                       idempotency_key=idempotency_key, **data)
    return _pending(request, outcome) or Status(201, _invoice(request, outcome.done.pk))


@router.get("/invoices", response=InvoicePage, summary="List invoices")
def invoice_list(request, filters: Query[InvoiceFilters], page: Query[PageParams]):
    require_perm(request, "ledger.view_invoice")
    _check_range(filters.issued_from, filters.issued_to, "issued_to")
    qs = selectors.invoice_list(user=request.user, **filters.model_dump()).select_related("posted_by")
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/invoices/{invoice_id}", response=InvoiceDetailOut, summary="One invoice with its settlements")
def invoice_detail(request, invoice_id: int):
    require_perm(request, "ledger.view_invoice")
    return _invoice(request, invoice_id)


def _credit_note_post(request, invoice, payload: CreditNoteIn, idempotency_key: str | None):
    outcome = approvals.manual_credit_note(
        actor=request.user, invoice=invoice, on=payload.date, net_minor=payload.net_minor,
        tax_minor=payload.tax_minor, reason=payload.reason, number=payload.number, idempotency_key=idempotency_key,
    )
    return _pending(request, outcome) or Status(201, outcome.done)


@router.post("/invoices/{invoice_id}/credit-notes", response={201: CreditNoteOut, 202: ApprovalOut},
             summary="Credit part or all of an invoice (红字发票); above the company's amount: 202")
def invoice_credit_note_post(request, invoice_id: int, payload: CreditNoteIn,
                             idempotency_key: str | None = idempotency_header()):
    require_perm(request, "ledger.add_creditnote")
    return _credit_note_post(request, _invoice(request, invoice_id), payload, idempotency_key)


@router.post("/credit-notes", response={201: CreditNoteOut, 202: ApprovalOut},
             summary="Post a credit note naming its invoice; above the company's amount: 202")
def credit_note_post(request, payload: CreditNoteCreateIn, idempotency_key: str | None = idempotency_header()):
    require_perm(request, "ledger.add_creditnote")
    return _credit_note_post(request, _invoice(request, payload.invoice_id), payload, idempotency_key)


@router.get("/credit-notes", response=CreditNotePage, summary="List credit notes")
def credit_note_list(request, filters: Query[CreditNoteFilters], page: Query[PageParams]):
    require_perm(request, "ledger.view_creditnote")
    qs = selectors.credit_note_list(user=request.user, **filters.model_dump())
    return paginate(qs, limit=page.limit, offset=page.offset)


# ---------------------------------------------------------------- payments and allocations


@router.post("/payments", response={201: PaymentDetailOut}, summary="Record a payment received")
def payment_record(request, payload: PaymentIn, idempotency_key: str | None = idempotency_header()):
    require_perm(request, "ledger.add_payment")
    if payload.auto_allocate:
        require_perm(request, "ledger.add_allocation")
    customer = customer_get(user=request.user, customer_id=payload.customer_id)
    contract = None
    if payload.contract_id is not None:  # the deposit for a contract
        visible = Contract.objects.filter(customer__in=customers_visible_to(request.user))
        contract = _one(visible, payload.contract_id, label=_("Contract"), field="contract_id")
    data = payload.model_dump(exclude={"customer_id", "contract_id"})
    payment = services.payment_record(actor=request.user, customer=customer, idempotency_key=idempotency_key,
                                      contract=contract, **data)
    return Status(201, _payment(request, payment.pk))


@router.get("/payments", response=PaymentPage, summary="List payments")
def payment_list(request, filters: Query[PaymentFilters], page: Query[PageParams]):
    require_perm(request, "ledger.view_payment")
    _check_range(filters.received_from, filters.received_to, "received_to")
    data = filters.model_dump()
    data["method"] = data["method"] or ""
    qs = selectors.payment_list(user=request.user, **data).select_related("posted_by")
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/payments/{payment_id}", response=PaymentDetailOut, summary="One payment with its allocations")
def payment_detail(request, payment_id: int):
    require_perm(request, "ledger.view_payment")
    return _payment(request, payment_id)


def _allocation_result(request, payment_id: int, allocations) -> dict:
    ids = [a.pk for a in allocations]
    rows = selectors.allocation_list(user=request.user).filter(pk__in=ids).select_related("reversed_by")
    return {"payment": _payment(request, payment_id), "allocations": sorted(rows, key=lambda a: a.pk)}


@router.post("/payments/{payment_id}/allocations", response={201: AllocationResultOut, 202: ApprovalOut},
             summary="Allocate a payment to invoices (核销); all lines or none; above the company's amount: 202")
def payment_allocate(request, payment_id: int, payload: AllocateIn,
                     idempotency_key: str | None = idempotency_header()):
    require_perm(request, "ledger.add_allocation")
    payment = _payment(request, payment_id)
    lines = [AllocationRequest(invoice_id=line.invoice_id, amount_minor=line.amount_minor) for line in payload.lines]
    outcome = approvals.manual_allocate(actor=request.user, payment=payment, lines=lines, on=payload.date,
                                        idempotency_key=idempotency_key)
    return _pending(request, outcome) or Status(201, _allocation_result(request, payment.pk, outcome.done))


@router.post("/payments/{payment_id}/auto-allocate", response=AllocationResultOut,
             summary="Settle the open item equal to what is left of the payment, else the oldest")
def payment_auto_allocate(request, payment_id: int, payload: AutoAllocateIn | None = None):
    require_perm(request, "ledger.add_allocation")
    payment = _payment(request, payment_id)
    made = services.payment_auto_allocate(actor=request.user, payment=payment, on=payload.date if payload else None)
    return _allocation_result(request, payment.pk, made)


@router.post("/payments/{payment_id}/reverse", response=PaymentDetailOut,
             summary="Reverse a payment (bounced, wrong customer); its allocations are undone")
def payment_reverse(request, payment_id: int, payload: PaymentReverseIn):
    require_perm(request, "ledger.reverse_payment")
    payment = _payment(request, payment_id)
    services.payment_reverse(actor=request.user, payment=payment, reason=payload.reason, on=payload.date)
    return _payment(request, payment.pk)


@router.get("/allocations", response=AllocationPage, summary="List allocations")
def allocation_list(request, filters: Query[AllocationFilters], page: Query[PageParams]):
    require_perm(request, "ledger.view_allocation")
    qs = selectors.allocation_list(user=request.user, **filters.model_dump()).select_related("reversed_by")
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/allocations/{allocation_id}/reverse", response={200: AllocationOut, 202: ApprovalOut},
             summary="Undo one allocation with a reason; answers with the reversing row (above the company's "
                     "amount: 202)")
def allocation_reverse(request, allocation_id: int, payload: AllocationReverseIn):
    require_perm(request, "ledger.add_allocation")
    allocation = _one(selectors.allocation_list(user=request.user), allocation_id, label=_("Allocation"),
                      field="allocation_id")
    outcome = approvals.manual_allocation_reverse(actor=request.user, allocation=allocation, reason=payload.reason,
                                                  on=payload.date)
    return _pending(request, outcome) or selectors.allocation_list(user=request.user).select_related(
        "reversed_by").get(pk=outcome.done.pk)


# ---------------------------------------------------------------- four-eyes approvals


@router.get("/ledger-approvals", response=ApprovalPage,
            summary="Manual cash application waiting for (or decided by) a second person")
def approval_list(request, filters: Query[ApprovalFilters], page: Query[PageParams]):
    require_perm(request, "ledger.view_ledgerapproval")
    data = filters.model_dump()
    data["status"], data["kind"] = data["status"] or "", data["kind"] or ""
    return paginate(selectors.approval_list(user=request.user, **data), limit=page.limit, offset=page.offset)


@router.get("/ledger-approvals/{approval_id}", response=ApprovalOut, summary="One approval")
def approval_detail(request, approval_id: int):
    require_perm(request, "ledger.view_ledgerapproval")
    return _approval(request, approval_id)


@router.post("/ledger-approvals/{approval_id}/approve", response=ApprovalOut,
             summary="Approve (never your own request): the allocation, reversal, credit note or invoice is done now")
def approval_approve(request, approval_id: int, payload: ApprovalDecisionIn):
    require_perm(request, "ledger.view_ledgerapproval")
    approval = _approval(request, approval_id)
    approvals.ledger_approval_approve(approval=approval, actor=request.user, note=payload.note)
    return _approval(request, approval_id)


@router.post("/ledger-approvals/{approval_id}/reject", response=ApprovalOut,
             summary="Reject, saying why (never your own request); nothing moves")
def approval_reject(request, approval_id: int, payload: ApprovalDecisionIn):
    require_perm(request, "ledger.view_ledgerapproval")
    approval = _approval(request, approval_id)
    approvals.ledger_approval_reject(approval=approval, actor=request.user, note=payload.note)
    return _approval(request, approval_id)


@router.get("/ledger-settings", response=LedgerSettingsOut, summary="The four-eyes amount (CNY fen)")
def ledger_settings_get(request):
    require_perm(request, "ledger.view_ledgersettings")
    return {"four_eyes_minor": approvals.ledger_four_eyes_minor(), "currency": BASE_CURRENCY}


@router.put("/ledger-settings", response=LedgerSettingsOut,
            summary="Change the four-eyes amount (a finance manager or an administrator)")
def ledger_settings_put(request, payload: LedgerSettingsIn):
    require_perm(request, "ledger.change_ledgersettings")
    settings = approvals.ledger_settings_update(actor=request.user, four_eyes_minor=payload.four_eyes_minor)
    return {"four_eyes_minor": settings.four_eyes_minor, "currency": BASE_CURRENCY}


# ---------------------------------------------------------------- exchange rates


@router.get("/exchange-rates", response=ExchangeRatePage, summary="List exchange rates (CNY per unit)")
def exchange_rate_list(request, filters: Query[ExchangeRateFilters], page: Query[PageParams]):
    require_perm(request, "ledger.view_exchangerate")
    qs = ExchangeRate.objects.order_by("currency", "-date")
    if filters.currency:
        qs = qs.filter(currency=filters.currency.strip().upper())
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.post("/exchange-rates", response={201: ExchangeRateOut},
             summary="Set the rate of a currency on a day (replaces that day's rate)")
def exchange_rate_set(request, payload: ExchangeRateIn):
    require_perm(request, "ledger.add_exchangerate")
    rate = services.exchange_rate_set(actor=request.user, currency=payload.currency, on=payload.date,
                                      rate=payload.rate, source=payload.source)
    return Status(201, ExchangeRate.objects.get(pk=rate.pk))
