"""/api/v1/customers: customers and their contacts.

Every read goes through the viewer's visibility (``customer_get`` / ``customer_list``): a salesperson asking
for another salesperson's customer gets 404, exactly as for a customer that does not exist. A customer's
open items, balances and statement are ledger reads, so they live in ``arms.ledger.api`` (same URLs).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from arms.accounts.roles import sees_all_customers
from arms.common.access import require_perm
from arms.common.api_types import idempotency_header
from arms.common.errors import NotFound, ValidationFailed
from arms.common.pagination import PageParams, paginate
from arms.customers import portal_access, services
from arms.customers.schemas import (
    ContactIn,
    ContactOut,
    CustomerDetailOut,
    CustomerFilters,
    CustomerIn,
    CustomerPage,
    CustomerPatch,
    PortalLinkIn,
    PortalLinkIssuedOut,
    PortalLinkOut,
    PortalLinkPage,
)
from arms.customers.selectors import customer_get, customer_list

router = Router(tags=["customers"])


def _user_fields(data: dict) -> dict:
    """The API names users by id (``salesperson_id``); the service takes the user as ``salesperson``."""
    for name in ("salesperson", "collector"):
        if f"{name}_id" not in data:
            continue
        user_id = data.pop(f"{name}_id")
        data[name] = None
        if user_id is not None:
            data[name] = get_user_model().objects.filter(pk=user_id, is_active=True).first()
            if data[name] is None:
                raise ValidationFailed(_("No active user %(id)s.") % {"id": user_id}, field=f"{name}_id")
    return data


@router.post("", response={201: CustomerDetailOut}, summary="Create a customer")
def customer_create(request, payload: CustomerIn, idempotency_key: str | None = idempotency_header()):
    require_perm(request, "customers.add_customer")
    data = _user_fields(payload.model_dump())
    if data["salesperson"] is None and not sees_all_customers(request.user):
        # A salesperson sees only the customers they own; one they create is theirs unless they say otherwise.
        data["salesperson"] = request.user
    customer = services.customer_create(actor=request.user, idempotency_key=idempotency_key, **data)
    return Status(201, customer)


@router.get("", response=CustomerPage, summary="List customers")
def customer_list_view(request, filters: Query[CustomerFilters], page: Query[PageParams]):
    require_perm(request, "customers.view_customer")
    qs = customer_list(user=request.user, **filters.model_dump())
    return paginate(qs, limit=page.limit, offset=page.offset)


@router.get("/{customer_id}", response=CustomerDetailOut, summary="One customer with its contacts")
def customer_detail(request, customer_id: int):
    require_perm(request, "customers.view_customer")
    return customer_get(user=request.user, customer_id=customer_id)


@router.patch("/{customer_id}", response=CustomerDetailOut, summary="Change a customer")
def customer_update(request, customer_id: int, payload: CustomerPatch):
    require_perm(request, "customers.change_customer")
    customer = customer_get(user=request.user, customer_id=customer_id)
    return services.customer_update(actor=request.user, customer=customer,
                                    **_user_fields(payload.model_dump(exclude_unset=True)))


@router.post("/{customer_id}/contacts", response={201: ContactOut}, summary="Add a contact person")
def contact_create(request, customer_id: int, payload: ContactIn,
                   idempotency_key: str | None = idempotency_header()):
    require_perm(request, "customers.change_customer")
    customer = customer_get(user=request.user, customer_id=customer_id)
    contact = services.contact_create(actor=request.user, customer=customer, idempotency_key=idempotency_key,
                                      **payload.model_dump())
    return Status(201, contact)


@router.get("/{customer_id}/portal-links", response=PortalLinkPage, summary="A customer's portal links")
def portal_link_list(request, customer_id: int, page: Query[PageParams]):
    require_perm(request, "customers.view_portalaccess")
    customer = customer_get(user=request.user, customer_id=customer_id)
    return paginate(portal_access.portal_accesses_for_customer(customer), limit=page.limit, offset=page.offset)


@router.post("/{customer_id}/portal-links", response={201: PortalLinkIssuedOut},
             summary="Issue a portal link for a contact (the URL is shown once)")
def portal_link_issue(request, customer_id: int, payload: PortalLinkIn):
    require_perm(request, "customers.add_portalaccess")
    customer = customer_get(user=request.user, customer_id=customer_id)
    contact = customer.contacts.filter(pk=payload.contact_id).first()
    if contact is None:
        raise NotFound(_("No contact %(id)s of this customer.") % {"id": payload.contact_id}, field="contact_id")
    access, raw = portal_access.portal_access_issue(contact=contact, actor=request.user, purpose=payload.purpose,
                                                    valid_days=payload.valid_days)
    access.url = portal_access.portal_link_url(raw)
    return Status(201, access)


@router.post("/{customer_id}/portal-links/{link_id}/revoke", response=PortalLinkOut, summary="Revoke a portal link")
def portal_link_revoke(request, customer_id: int, link_id: int):
    require_perm(request, "customers.change_portalaccess")
    customer = customer_get(user=request.user, customer_id=customer_id)
    access = portal_access.portal_accesses_for_customer(customer).filter(pk=link_id).first()
    if access is None:
        raise NotFound(_("No portal link %(id)s of this customer.") % {"id": link_id}, field="link_id")
    portal_access.portal_access_revoke(access=access, actor=request.user)
    access.refresh_from_db()
    return access
