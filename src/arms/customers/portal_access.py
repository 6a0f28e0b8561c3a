"""Links into the customer portal: issued for one contact of one customer, expiring, revocable, stored hashed.

The raw token (32 random bytes, URL-safe) exists only in the link handed to the contact: ARMS keeps its
SHA-256 (``PortalAccess.token_hash``) and finds an access by looking that hash up, so a token is never compared
character by character and a copy of the database opens nothing. The portal (``arms.portal``) resolves the token
with ``portal_access_resolve`` and keeps only the access id in the contact's session; every portal request
re-reads it with ``portal_access_live`` so that a link revoked mid-session ends the session.

This lives in the foundation (``arms.customers``) so that any app (confirmations, dunning) can mint a link for a
contact without importing the portal.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from arms.audit.services import ExternalActor, audit_record
from arms.common.actors import user_or_none
from arms.common.errors import Conflict, ErrorCode, ValidationFailed
from arms.common.links import absolute_url
from arms.common.locks import lock_one
from arms.customers.models import Contact, Customer, PortalAccess, PortalLogin

if TYPE_CHECKING:

    from arms.common.typing import Actor, JsonDict

#: the longest a link may stay valid (a year and a day: a yearly confirmation still reaches its contact)
PORTAL_LINK_MAX_DAYS = 366
#: how long a purpose may be (the model's column)
PURPOSE_MAX = 200


def token_hash(raw: str) -> str:
    """The SHA-256 stored for a raw token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def portal_enter_path(raw: str) -> str:
    return reverse("portal:enter", kwargs={"token": raw})



def access_snapshot(access: PortalAccess) -> JsonDict:
    return {"customer": access.customer.code, "contact": access.contact_id, "contact_name": access.contact.name,
            "purpose": access.purpose, "expires_at": access.expires_at.isoformat()}


def portal_access_issue(*, contact: Contact, actor: Actor, purpose: str = "",
                        valid_days: int | None = None) -> tuple[PortalAccess, str]:
    """A new access for ``contact`` and its raw token (shown once, never stored). Runs in the caller's transaction
    (or its own); audited as ``portal_link_issued``."""
    days = settings.ARMS_PORTAL_LINK_DAYS if valid_days is None else valid_days
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= PORTAL_LINK_MAX_DAYS:
        raise ValidationFailed(_("A portal link is valid for 1 to %(max)s days.") % {"max": PORTAL_LINK_MAX_DAYS},
                               field="valid_days")
    purpose = (purpose or "").strip()
    if len(purpose) > PURPOSE_MAX:
        raise ValidationFailed(_("The purpose is at most %(max)s characters.") % {"max": PURPOSE_MAX},
                               field="purpose")
    if not isinstance(contact, Contact) or contact.pk is None:
        raise ValidationFailed(_("A portal link is issued to a contact of the customer."), field="contact")
    with transaction.atomic():
        raw = secrets.token_urlsafe(32)
        now = timezone.now()
        access = PortalAccess.objects.create(
            customer_id=contact.customer_id, contact=contact, token_hash=token_hash(raw), purpose=purpose,
            created_by=user_or_none(actor), expires_at=now + timedelta(days=days))
        audit_record(actor=actor, action="portal_link_issued", subject=access, after=access_snapshot(access))
    return access, raw


def portal_link_issue(*, contact: Contact, actor: Actor, purpose: str = "", valid_days: int | None = None) -> str:
    """The absolute URL of a fresh portal link for ``contact`` (``ARMS_BASE_URL`` + ``/portal/enter/<token>/``).

    Only the token's hash is stored; the URL returned is the one and only copy of the token. ``valid_days``
    defaults to ``ARMS_PORTAL_LINK_DAYS`` (30) and is 1..366."""
    _access, raw = portal_access_issue(contact=contact, actor=actor, purpose=purpose, valid_days=valid_days)
    return portal_link_url(raw)


def portal_link_url(raw: str) -> str:
    """The absolute URL that enters the portal with the raw token ``raw``."""
    return absolute_url(portal_enter_path(raw))


@transaction.atomic
def portal_access_revoke(*, access: PortalAccess, actor: Actor) -> None:
    """End ``access`` now: its link opens nothing from here on and a session entered with it ends at its next
    request. Audited as ``portal_link_revoked``; revoking twice is refused."""
    locked = lock_one(PortalAccess.objects.select_related("customer", "contact"), pk=access.pk)
    if locked.revoked_at is not None:
        raise Conflict(_("This portal link was already revoked."), field="access", code=ErrorCode.ALREADY_REVOKED)
    locked.revoked_at = timezone.now()
    locked.revoked_by = user_or_none(actor)
    locked.save(update_fields=["revoked_at", "revoked_by"])
    access.revoked_at, access.revoked_by = locked.revoked_at, locked.revoked_by
    audit_record(actor=actor, action="portal_link_revoked", subject=locked, before=access_snapshot(locked),
                 after={"revoked_at": locked.revoked_at.isoformat()})


def _live(queryset: QuerySet[PortalAccess]) -> QuerySet[PortalAccess]:
    return queryset.select_related("customer", "contact").filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


def portal_access_resolve(raw: str) -> PortalAccess | None:
    """The live access a raw token opens, or None (unknown, altered, expired or revoked: all alike). Writes nothing.

    The token is hashed and the hash looked up, so no comparison runs over the secret itself."""
    if not isinstance(raw, str) or not 20 <= len(raw) <= 100:
        return None
    return _live(PortalAccess.objects.filter(token_hash=token_hash(raw))).first()


def portal_access_live(access_id: Any) -> PortalAccess | None:
    """The access a portal session holds, if it is still live (each portal request asks again)."""
    if not isinstance(access_id, int):
        return None
    return _live(PortalAccess.objects.filter(pk=access_id)).first()


@transaction.atomic
def portal_access_enter(*, access: PortalAccess, actor: ExternalActor) -> None:
    """Record that the contact entered the portal with the link (``last_used_at``, ``use_count``; audited as
    ``portal_entered`` with the contact and address)."""
    now = timezone.now()
    PortalAccess.objects.filter(pk=access.pk).update(last_used_at=now, use_count=F("use_count") + 1)
    access.last_used_at = now
    audit_record(actor=actor, action="portal_entered", subject=access,
                 after={"customer": access.customer.code, "contact": access.contact_id})


def portal_accesses_for_customer(customer: Customer) -> QuerySet[PortalAccess]:
    """Every link issued for ``customer``, newest first (staff's list on the customer page and in the API)."""
    return PortalAccess.objects.filter(customer=customer).select_related("contact", "created_by", "revoked_by")


# --- contact login (optional: ARMS_PORTAL_CONTACT_LOGIN) --------------------------------------------------------


def contact_login_enabled() -> bool:
    return bool(getattr(settings, "ARMS_PORTAL_CONTACT_LOGIN", False))


@transaction.atomic
def portal_password_set(*, access: PortalAccess, actor: Any, password: str) -> PortalLogin:
    """Let the contact of ``access`` (in a portal session entered with a link) log in with ``password`` from now
    on; their e-mail address is the login name. Audited as ``portal_password_set`` (never the password)."""
    if not contact_login_enabled():
        raise ValidationFailed(_("This company does not let contacts log in with a password."), field="password")
    contact = access.contact
    if not contact.email:
        raise ValidationFailed(_("Logging in needs your e-mail address on file: ask your contact at our company."),
                               field="password")
    if not isinstance(password, str) or len(password) > 128:
        raise ValidationFailed(_("At most 128 characters."), field="password")
    try:
        validate_password(password)
    except ValidationError as error:
        raise ValidationFailed(" ".join(error.messages), field="password") from error
    login, _created = PortalLogin.objects.update_or_create(
        contact=contact, defaults={"password": make_password(password), "set_at": timezone.now()})
    audit_record(actor=actor, action="portal_password_set", subject=login,
                 after={"customer": access.customer.code, "contact": contact.pk})
    return login


def portal_login(*, email: str, password: str, address: str = "") -> PortalAccess | None:
    """The short access a contact's e-mail address and password open (``ARMS_PORTAL_LOGIN_HOURS``), or None
    (unknown address, wrong password, login not enabled: all alike, nothing written). Audited as
    ``portal_logged_in`` by the contact from ``address``."""
    if not contact_login_enabled() or not isinstance(email, str) or not isinstance(password, str):
        return None
    email = email.strip()
    if not email or len(email) > 254 or len(password) > 128:
        return None
    candidates = PortalLogin.objects.select_related("contact", "contact__customer").filter(
        contact__email__iexact=email).order_by("pk")
    login = next((c for c in candidates if check_password(password, c.password)), None)
    if login is None:
        return None
    with transaction.atomic():
        now = timezone.now()
        # a session opened by the password has no link: its token is drawn and thrown away
        access = PortalAccess.objects.create(
            customer_id=login.contact.customer_id, contact=login.contact,
            token_hash=token_hash(secrets.token_urlsafe(32)), purpose="login", created_by=None,
            expires_at=now + timedelta(hours=settings.ARMS_PORTAL_LOGIN_HOURS), last_used_at=now, use_count=1)
        PortalLogin.objects.filter(pk=login.pk).update(last_login_at=now)
        actor = ExternalActor(kind="portal", name=login.contact.name, address=address)
        audit_record(actor=actor, action="portal_logged_in", subject=access, after=access_snapshot(access))
    return access
