"""API tokens for integrations. Only a SHA-256 of the secret is stored; the secret is shown once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("The user the token acts as; it has exactly that user's permissions."),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. 'ERP sync'."))
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("First characters, to recognise the token."))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, help_text=_("SHA-256 of the secret."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When it was made."))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, help_text=_("Last request."))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, help_text=_("Set when revoked."))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
