"""Statuses and kinds of the bank app, defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LineStatus(models.TextChoices):
    """Where a statement line stands in cash application (认款/核销)."""

    NEW = "new", _("Not yet matched")
    AUTO = "auto", _("Applied automatically")
    SUGGESTED = "suggested", _("Suggested, awaiting review")
    MANUAL = "manual", _("Applied by a clerk")
    UNMATCHED = "unmatched", _("Unmatched")
    IGNORED = "ignored", _("Not a customer receipt")


class IgnoredKind(models.TextChoices):
    """Why a line was set aside (never forced onto a customer)."""

    NONE = "", _("—")
    OUTGOING = "outgoing", _("Money out")
    INTEREST = "interest", _("Interest")
    FEE = "fee", _("Bank fee")
    REFUND = "refund", _("Refund or return")
    TRANSFER = "transfer", _("Transfer between own accounts")
    OTHER = "other", _("Other, set aside by a clerk")


class AliasKind(models.TextChoices):
    """What a learned alias remembers about a payer."""

    ACCOUNT = "account", _("Payer account")
    NAME = "name", _("Payer name")
    THIRD_PARTY = "third_party", _("Third party paying for the customer")


OPEN_STATUSES = (LineStatus.NEW, LineStatus.SUGGESTED, LineStatus.UNMATCHED)
"""Lines a clerk still has to deal with."""
