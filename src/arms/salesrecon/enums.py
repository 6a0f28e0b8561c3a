"""Choices of the sales–finance reconciliation. Values are stable codes (API, database); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReconStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the salesperson")
    AGREED = "agreed", _("Agreed by the salesperson")
    DIFFERENCES = "differences", _("Differences listed")
    SIGNED_OFF = "signed_off", _("Signed off")


class DifferenceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
