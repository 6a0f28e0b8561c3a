"""``{% portal_links customer %}``: the customer page's card of portal links (issue, list, revoke)."""

from __future__ import annotations

from django import template

from arms.customers.portal_access import portal_accesses_for_customer
from arms.web.portal_links import PortalLinkForm

register = template.Library()
SHOWN = 10


@register.inclusion_tag("web/includes/portal_links.html", takes_context=True)
def portal_links(context, customer):
    user = context["request"].user
    contacts = list(customer.contacts.order_by("-is_primary", "name"))
    links = portal_accesses_for_customer(customer)
    return {
        "customer": customer, "links": links[:SHOWN], "count": links.count(), "csrf_token": context.get("csrf_token"),
        "can_issue": user.has_perm("customers.add_portalaccess") and bool(contacts),
        "can_revoke": user.has_perm("customers.change_portalaccess"),
        "form": PortalLinkForm(contacts=contacts), "request": context["request"],
    }
