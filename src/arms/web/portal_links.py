"""Staff manage a customer's portal links from the customer page: issue one for a contact (the link is shown
once, and can be e-mailed to the contact), see every link issued, revoke one (arms.customers.portal_access)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arms.customers.portal_access import (
    PORTAL_LINK_MAX_DAYS,
    portal_access_issue,
    portal_access_revoke,
    portal_accesses_for_customer,
    portal_link_url,
)
from arms.web.forms import ServiceErrorMixin
from arms.web.shortcuts import customer_or_404


class PortalLinkForm(ServiceErrorMixin, forms.Form):
    contact = forms.ChoiceField(label=gettext_lazy("Contact"))
    valid_days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1,
                                    max_value=PORTAL_LINK_MAX_DAYS, required=False)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200, required=False)
    send_email = forms.BooleanField(label=gettext_lazy("E-mail the link to the contact"), required=False)

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contacts = {str(c.pk): c for c in contacts}
        self.fields["contact"].choices = [(str(c.pk), c.name + (f" <{c.email}>" if c.email else ""))
                                          for c in contacts]


def _mail_link(contact, url: str, expires_at) -> None:
    subject = _("Your link to our customer portal")
    body = _("Dear %(name)s,\n\nwith this link you can see your statement, invoices and payments with us, confirm "
             "your balance and tell us about anything that is wrong:\n\n%(url)s\n\nThe link is for you only and "
             "works until %(date)s.") % {"name": contact.name, "url": url, "date": expires_at.date().isoformat()}
    transaction.on_commit(lambda: send_mail(subject, body, None, [contact.email]))


@require_POST
@login_required
@permission_required("customers.add_portalaccess", raise_exception=True)
def portal_link_issue(request, customer_id: int):
    """Issue a link and show it once (the page is the only place the token ever appears)."""
    customer = customer_or_404(request.user, customer_id)
    form = PortalLinkForm(request.POST, contacts=customer.contacts.order_by("-is_primary", "name"))

    def issue(data):
        contact = form.contacts[data["contact"]]
        with transaction.atomic():
            access, raw = portal_access_issue(contact=contact, actor=request.user, purpose=data["purpose"],
                                              valid_days=data["valid_days"])
            url = portal_link_url(raw)
            if data["send_email"] and contact.email:
                _mail_link(contact, url, access.expires_at)
        return access, url

    if form.run_service(issue):
        access, url = form.result
        return render(request, "web/portal_link_issued.html", {
            "customer": customer, "access": access, "url": url,
            "emailed": form.cleaned_data["send_email"] and bool(access.contact.email)})
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("web:customer_detail", customer.pk)


@require_POST
@login_required
@permission_required("customers.change_portalaccess", raise_exception=True)
def portal_link_revoke(request, customer_id: int, link_id: int):
    customer = customer_or_404(request.user, customer_id)
    access = get_object_or_404(portal_accesses_for_customer(customer), pk=link_id)
    if access.revoked_at is None:
        portal_access_revoke(access=access, actor=request.user)
        messages.success(request, _("The portal link of %(name)s is revoked.") % {"name": access.contact.name})
    return redirect("web:customer_detail", customer.pk)
