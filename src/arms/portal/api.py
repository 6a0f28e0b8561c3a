"""/api/v1/portal: the customer portal as JSON, for the contact's own tools (docs/portal.md).

It answers only a portal session (the cookie of a contact who entered with a link), never a staff login or a
bearer token; unsafe methods need the CSRF token, as on the pages. Every read is scoped by the access's customer
in the queryset (``arms.portal.selectors``): another customer's id is a 404, and nothing is written.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.security import APIKeyCookie

from arms.cases.services.disputes import dispute_raise
from arms.common.pagination import PageParams, paginate
from arms.confirmations.services import confirmation_reply
from arms.customers.portal_access import portal_access_live
from arms.portal import selectors
from arms.portal.schemas import (
    PortalConfirmationOut,
    PortalConfirmationPage,
    PortalDisputeIn,
    PortalDisputeOut,
    PortalInvoiceOut,
    PortalInvoicePage,
    PortalMeOut,
    PortalPaymentPage,
    PortalReceiptOut,
    PortalReplyIn,
)
from arms.portal.services import portal_receipt_confirm, portal_text
from arms.portal.session import PORTAL_SESSION_KEY, portal_actor


class PortalSession(APIKeyCookie):
    """A contact's portal session (``arms.portal.session``); a staff session or token is not one."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def __call__(self, request):
        if PORTAL_SESSION_KEY not in request.session:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        access = portal_access_live(request.session.get(PORTAL_SESSION_KEY))
        if access is not None:
            request.portal = access
        return access


router = Router(tags=["portal"], auth=PortalSession())


@router.get("/me", response=PortalMeOut, summary="The contact, their customer and its balances")
def portal_me(request):
    access = request.portal
    summary = selectors.portal_summary(access.customer, today=timezone.localdate())
    return {"customer_code": access.customer.code, "customer_name": access.customer.name,
            "contact_name": access.contact.name, "link_expires_at": access.expires_at,
            "balances": [{"currency": row["currency"], "open_minor": row["open"], "unapplied_minor": row["unapplied"],
                          "balance_minor": row["balance"], "overdue_minor": row["overdue"]}
                         for row in summary["balances"]]}


@router.get("/invoices", response=PortalInvoicePage,
            summary="The customer's open invoices (and the settled ones with include_settled=true)")
def portal_invoice_list(request, page: Query[PageParams], include_settled: bool = False):
    customer = request.portal.customer
    invoices = (selectors.invoices_of(customer).order_by("-issue_date", "-pk") if include_settled
                else selectors.open_invoices_of(customer))
    return paginate(invoices, limit=page.limit, offset=page.offset)


@router.get("/invoices/{invoice_id}", response=PortalInvoiceOut, summary="One of the customer's invoices")
def portal_invoice_detail(request, invoice_id: int):
    return get_object_or_404(selectors.invoices_of(request.portal.customer), pk=invoice_id)


@router.get("/payments", response=PortalPaymentPage, summary="The customer's payments and how they were applied")
def portal_payment_list(request, page: Query[PageParams]):
    return paginate(selectors.payments_of(request.portal.customer), limit=page.limit, offset=page.offset)


@router.post("/invoices/{invoice_id}/disputes", response={201: PortalDisputeOut},
             summary="Dispute (part of) one of the customer's invoices")
def portal_dispute_raise(request, invoice_id: int, payload: PortalDisputeIn):
    invoice = get_object_or_404(selectors.invoices_of(request.portal.customer), pk=invoice_id)
    dispute = dispute_raise(invoice=invoice, amount_minor=payload.amount_minor, reason_code=payload.reason_code,
                            description=portal_text(request.portal, payload.description),
                            actor=portal_actor(request))
    return Status(201, dispute)


@router.post("/invoices/{invoice_id}/receipt", response={201: PortalReceiptOut},
             summary="Confirm the receipt of one of the customer's invoices")
def portal_invoice_receipt(request, invoice_id: int):
    invoice = get_object_or_404(selectors.invoices_of(request.portal.customer), pk=invoice_id)
    receipt = portal_receipt_confirm(access=request.portal, actor=portal_actor(request), invoice=invoice)
    return Status(201, receipt)


@router.get("/confirmations", response=PortalConfirmationPage, summary="The balance confirmations sent")
def portal_confirmation_list(request, page: Query[PageParams]):
    return paginate(selectors.confirmations_of(request.portal.customer), limit=page.limit, offset=page.offset)


@router.post("/confirmations/{confirmation_id}/reply", response=PortalConfirmationOut,
             summary="Confirm the balance, or dispute it listing the differences")
def portal_confirmation_reply(request, confirmation_id: int, payload: PortalReplyIn):
    confirmation = get_object_or_404(selectors.confirmations_of(request.portal.customer), pk=confirmation_id)
    return confirmation_reply(confirmation=confirmation, actor=portal_actor(request), answer=payload.answer,
                              channel="portal", differences=[d.model_dump() for d in payload.differences],
                              note=payload.note, contact=request.portal.contact)
