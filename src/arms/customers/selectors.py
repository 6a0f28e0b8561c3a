"""Reads of customers, always through the viewer's visibility: sales staff see only their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet

from arms.accounts.roles import sees_all_customers
from arms.common.errors import NotFound
from arms.customers.models import Company, Customer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def company_default() -> Company | None:
    """The company ARMS keeps the books of (``ARMS_COMPANY_CODE``), or None before ``arms setup`` made it.
    A selector only reads: ``customers.services.company_ensure`` makes the row."""
    return Company.objects.filter(code=settings.ARMS_COMPANY_CODE).first()


def customers_visible_to(user: User | AnonymousUser) -> QuerySet[Customer]:
    qs = Customer.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if sees_all_customers(user):
        return qs
    return qs.filter(salesperson=user)


def customer_list(*, user: User | AnonymousUser, search: str = "", status: str = "", region: str = "",
                  industry: str = "", salesperson_id: int | None = None,
                  collector_id: int | None = None) -> QuerySet[Customer]:
    qs = customers_visible_to(user).select_related("salesperson", "collector")
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search) | Q(uscc__iexact=search))
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region=region)
    if industry:
        qs = qs.filter(industry=industry)
    if salesperson_id:
        qs = qs.filter(salesperson_id=salesperson_id)
    if collector_id:
        qs = qs.filter(collector_id=collector_id)
    return qs.order_by("code")


def customer_get(*, user: User | AnonymousUser, customer_id: int) -> Customer:
    """A customer the user may see; one they may not see is reported as not found, not as forbidden."""
    customer = customers_visible_to(user).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound(f"customer {customer_id} not found", field="customer_id")
    return customer
