"""What the ``arms`` commands do alike: find the user a command acts as (``--user``), read a day (``--date``), and
report a refusal.

A service refuses with an ``ArmsError`` naming the field; a command shows it as ``field: message`` and exits 1
(Django's ``CommandError``), the same words the API and the pages show.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from arms.common.errors import ArmsError


def command_user(username: str | None, *, option: str = "--user", required: bool = False) -> Any:
    """The active user named ``username``; None when no name is given (the system acts) unless ``required``."""
    if not username:
        if required:
            raise CommandError(f"{option} is required")
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"{option}: no active user '{username}'")
    return user


def command_date(text: str | None, *, option: str = "--date", required: bool = False) -> date:
    """The day ``text`` names (YYYY-MM-DD); today when none is given, unless ``required``."""
    if not text:
        if required:
            raise CommandError(f"{option} YYYY-MM-DD is required")
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: '{text}' is not a date like 2026-11-20") from None


def command_error(error: ArmsError) -> CommandError:
    """A service's refusal as the command's error: ``field: message``."""
    return CommandError(f"{error.field + ': ' if error.field else ''}{error.message}")
