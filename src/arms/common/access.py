"""The API's permission check, shared by every app's ``api.py``.

It lives here, not in ``arms.api``, so that no app's API imports the module that mounts it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_perm(request, *perms: str) -> None:
    """Refuse with 403 unless the user has every permission named (app_label.codename)."""
    user = request.user
    missing = [p for p in perms if not user.has_perm(p)]
    if missing:
        raise PermissionDenied(_("Your role lacks the permission %(permission)s.") % {"permission": missing[0]})
