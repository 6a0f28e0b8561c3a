"""Choices of hand-overs. Values are stable codes (API, database); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HandoverStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting acknowledgement")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class HandoverRole(models.TextChoices):
    """The duty that changes hands: the same codes as ``customers.AssignmentRole``."""

    SALESPERSON = "salesperson", _("Salesperson")
    COLLECTOR = "collector", _("Collector")


class Side(models.TextChoices):
    OUTGOING = "outgoing", pgettext_lazy("hand-over side", "Outgoing")
    INCOMING = "incoming", pgettext_lazy("hand-over side", "Incoming")
