"""API token issue, check and revoke."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from arms.accounts.models import ApiToken
from arms.audit.services import audit_record
from arms.common.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from arms.common.typing import Actor


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, username: str, name: str = "cli", actor: Actor = None) -> tuple[ApiToken, str]:
    """Make a token for ``username``; returns (token, secret). The secret is never stored."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"no user named {username}", field="user")
    secret = "arms_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:12], key_hash=_hash(secret))
    audit_record(actor=actor, action="api_token_created", subject=token, after={"user": username, "name": name})
    return token, secret


def token_authenticate(secret: str) -> User | None:
    """The user a bearer secret belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor = None) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit_record(actor=actor, action="api_token_revoked", subject=token, before={"prefix": token.prefix})
