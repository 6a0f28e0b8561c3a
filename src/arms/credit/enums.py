"""Choices of credit management: grades, how a limit is derived, the states of proposals and requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    A = "A", _("A (excellent)")
    B = "B", _("B (good)")
    C = "C", _("C (watch)")
    D = "D", _("D (prepayment only)")


class LimitKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    REVENUE_PCT = "revenue_pct", _("Share of the customer's annual revenue")
    AVG_MONTHLY_SALES_MULTIPLE = "avg_monthly_sales_multiple", _("Multiple of our average monthly sales to them")


class RatingTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled review")
    ON_DEMAND = "on_demand", _("On demand")
    NEW_FACTS = "new_facts", _("New financial or external facts")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded by a newer rating")


class LimitRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled by the requester")


class LimitRequestSource(models.TextChoices):
    MANUAL = "manual", _("Request")
    RATING = "rating", _("Accepted rating proposal")


class BureauRating(models.TextChoices):
    AAA = "AAA", "AAA"
    AA = "AA", "AA"
    A = "A", "A"
    BBB = "BBB", "BBB"
    BB = "BB", "BB"
    B = "B", "B"
    CCC = "CCC", "CCC"
    CC = "CC", "CC"
    C = "C", "C"
