"""Who acted: the one rule for the user a change records."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def user_or_none(actor: object) -> User | None:
    """The user to record as the one who acted: None for the system, an anonymous request, or someone outside the
    company (``arms.audit.services.ExternalActor``, a portal contact)."""
    return cast("User", actor) if getattr(actor, "is_authenticated", False) else None
