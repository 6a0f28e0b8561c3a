"""Choices of collection plans. Values are stable codes (API, database, URLs); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("collection plan", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("collection plan", "Submitted for approval")
    APPROVED = "approved", pgettext_lazy("collection plan", "Approved")
    CLOSED = "closed", pgettext_lazy("collection plan", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("collection plan", "Cancelled")


#: a plan in one of these is still being worked on: it can be drafted, is waiting or is tracked (the hand-over moves
#: these to the successor)
OPEN_STATUSES = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED)


class LineKind(models.TextChoices):
    MILESTONE = "milestone", _("Contract milestone")
    INVOICE = "invoice", _("Invoice")
    OTHER = "other", pgettext_lazy("collection plan line", "Other")
