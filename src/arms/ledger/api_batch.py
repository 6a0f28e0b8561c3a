"""/api/v1 batches: many invoices, or many payments with their allocations (核销), in one call, all or none,
through the bulk path (``arms.ledger.services.bulk``: the single services' checks, the credit check under the
customer locks, balanced journal entries, one audit sub-chain, set-based writes).

A refused item names its place (``arms.common.errors.refused_at``): ``invoices[3].net_minor``,
``payments[0].allocations``, ``details.index`` 3; nothing
of the call is written. Customers, contracts and invoices are found through the caller's visibility (another
salesperson's customer is 404). An item worth more than the company's four-eyes amount is refused
(``needs_approval``): a batch cannot wait for a second person, so that one is posted on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Router, Status

from arms.common.access import require_perm
from arms.common.errors import NotFound, refused_at
from arms.contracts.models import Contract
from arms.customers.selectors import customers_visible_to
from arms.ledger import selectors
from arms.ledger.schemas import BatchOut, InvoiceBatchIn, PaymentBatchIn
from arms.ledger.services.approvals import amount_in_base, four_eyes_refusal
from arms.ledger.services.bulk import (
    BulkAllocation,
    BulkResult,
    InvoiceInput,
    PaymentInput,
    invoices_post_bulk,
    payments_record_bulk,
)

router = Router(tags=["ledger"])


def _found(qs: Any, wanted: list[tuple[int | None, str]], *, label: str) -> dict[int, Any]:
    """The rows of ``qs`` (visibility-filtered) for the ids in ``wanted`` (``(id, field)``, None skipped), in one
    query; the first id not found is 404 naming its field."""
    ids = {pk for pk, _field in wanted if pk is not None}
    rows = qs.filter(pk__in=ids).in_bulk() if ids else {}
    for pk, field in wanted:
        if pk is not None and pk not in rows:
            raise NotFound(_("%(label)s %(id)s not found.") % {"label": label, "id": pk}, field=field)
    return rows


def _parties(request, items: Sequence[Any], within: str) -> tuple[dict[int, Any], dict[int, Any]]:
    """The customers and contracts the items name, as the caller may see them, in one query each."""
    visible = customers_visible_to(request.user)
    customers = _found(visible.select_related("company"),
                       [(item.customer_id, f"{within}[{i}].customer_id") for i, item in enumerate(items)],
                       label=_("Customer"))
    contracts = _found(Contract.objects.filter(customer__in=visible),
                       [(item.contract_id, f"{within}[{i}].contract_id") for i, item in enumerate(items)],
                       label=_("Contract"))
    return customers, contracts


def _out(result: BulkResult) -> Status:
    return Status(201, {"created_ids": result.created_ids, "skipped": result.skipped,
                        "allocations": result.allocations, "audit_batch": result.audit_batch_id})


@router.post("/invoices/batch", response={201: BatchOut},
             summary="Post up to 1,000 invoices in one call, all or none (the bulk path)")
def invoices_batch(request, payload: InvoiceBatchIn):
    require_perm(request, "ledger.add_invoice")
    items = payload.invoices
    customers, contracts = _parties(request, items, "invoices")
    inputs = []
    for index, item in enumerate(items):
        customer, contract = customers[item.customer_id], contracts.get(item.contract_id)
        with refused_at(index, within="invoices"):
            _currency, base = amount_in_base(
                item.net_minor + item.tax_minor,
                item.currency or (contract.currency if contract else customer.currency), item.issue_date)
            four_eyes_refusal(company=customer.company, amount_base_minor=base, field="net_minor")
        inputs.append(InvoiceInput(
            customer=customer, contract=contract,
            **item.model_dump(exclude={"customer_id", "contract_id"})))
    with refused_at(within="invoices"), transaction.atomic():
        return _out(invoices_post_bulk(actor=request.user, invoices=inputs))


@router.post("/payments/batch", response={201: BatchOut},
             summary="Record up to 1,000 payments with their allocations (核销) in one call, all or none")
def payments_batch(request, payload: PaymentBatchIn):
    require_perm(request, "ledger.add_payment")
    items = payload.payments
    if any(item.allocations for item in items):
        require_perm(request, "ledger.add_allocation")
    customers, contracts = _parties(request, items, "payments")
    _found(selectors.invoice_list(user=request.user),
           [(line.invoice_id, f"payments[{i}].allocations[{n}].invoice_id")
            for i, item in enumerate(items) for n, line in enumerate(item.allocations)], label=_("Invoice"))
    inputs = []
    for index, item in enumerate(items):
        customer = customers[item.customer_id]
        if item.allocations:
            # what the allocations may settle: their amounts, or the whole payment where one takes what is open
            settles = item.amount_minor if any(line.amount_minor is None for line in item.allocations) \
                else min(item.amount_minor, sum(line.amount_minor or 0 for line in item.allocations))
            with refused_at(index, within="payments"):
                _currency, base = amount_in_base(settles, item.currency or customer.currency, item.received_date)
                four_eyes_refusal(company=customer.company, amount_base_minor=base, field="allocations")
        inputs.append(PaymentInput(
            customer=customer, contract=contracts.get(item.contract_id),
            allocations=tuple(BulkAllocation(line.invoice_id, line.amount_minor) for line in item.allocations),
            **item.model_dump(exclude={"customer_id", "contract_id", "allocations"})))
    with refused_at(within="payments"), transaction.atomic():
        return _out(payments_record_bulk(actor=request.user, payments=inputs))
