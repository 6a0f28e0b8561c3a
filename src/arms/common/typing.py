"""Names for the types that services and selectors share, for mypy (``make lint``).

Import them under ``if TYPE_CHECKING:``; nothing here runs at import time, so any module may use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.utils.functional import _StrPromise

#: Who acts: a user (a request's user may be anonymous), or None for the system (the CLI, the queue, the seed).
Actor: TypeAlias = "User | AnonymousUser | None"
#: Whose view a read takes: the request's user (a selector scopes what it sees by it).
Viewer: TypeAlias = "User | AnonymousUser"
#: A JSON-able mapping: audit snapshots, idempotency payloads, stored inputs.
JsonDict: TypeAlias = dict[str, Any]
#: User-facing text: a string, or a lazy translation (``gettext_lazy``) that becomes one when shown.
StrOrPromise: TypeAlias = "str | _StrPromise"
