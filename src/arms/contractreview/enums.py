"""Choices of contract review. Values are stable codes (API, database); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StepKind(models.TextChoices):
    """Who signs off a round, in this order: sales management, credit, then by amount legal and finance."""

    SALES = "sales", _("Sales management")
    CREDIT = "credit", pgettext_lazy("review step", "Credit")
    LEGAL = "legal", pgettext_lazy("review step", "Legal")
    FINANCE = "finance", pgettext_lazy("review step", "Finance")


#: the permission that lets a person sign off each kind of step (arms.contractreview.permissions gives them out)
STEP_PERMISSIONS = {
    StepKind.SALES: "contractreview.signoff_sales_contractreview",
    StepKind.CREDIT: "contractreview.signoff_credit_contractreview",
    StepKind.LEGAL: "contractreview.signoff_legal_contractreview",
    StepKind.FINANCE: "contractreview.signoff_finance_contractreview",
}

#: the role notified when a step is next (the people who hold the step's permission through it); sales
#: management signs as the executive role (管理层): ARMS has no sales-manager role of its own
STEP_ROLES = {StepKind.SALES: "executive", StepKind.CREDIT: "credit_manager", StepKind.LEGAL: "legal",
              StepKind.FINANCE: "finance_manager"}


class RoundStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("review round", "In review")
    APPROVED = "approved", pgettext_lazy("review round", "Approved")
    RETURNED = "returned", pgettext_lazy("review round", "Returned")
    REJECTED = "rejected", pgettext_lazy("review round", "Rejected")


class Decision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("review decision", "Waiting")
    APPROVED = "approved", pgettext_lazy("review decision", "Approved")
    RETURNED = "returned", pgettext_lazy("review decision", "Returned")
    REJECTED = "rejected", pgettext_lazy("review decision", "Rejected")


class Clause(models.TextChoices):
    """The clause checklist of a round: each pre-evaluated from the contract's fields and confirmed by a reviewer."""

    PAYMENT_TERMS = "payment_terms", _("Payment terms")
    LATE_INTEREST = "late_interest", _("Penalty and late interest")
    GUARANTEE = "guarantee", _("Guarantee")
    ACCEPTANCE = "acceptance", _("Acceptance")
    DISPUTE_VENUE = "dispute_venue", _("Dispute venue")
    GOVERNING_LAW = "governing_law", _("Governing law")
