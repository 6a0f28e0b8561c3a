"""Choices of legal: the issuer of lawyer's letters, case kinds and states, costs, mandates, settlements, assets."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IssuerMode(models.TextChoices):
    LAW_FIRM = "law_firm", _("A law firm (律师函)")
    OWN_LEGAL = "own_legal", _("Our own legal department (催告函)")


class CaseKind(models.TextChoices):
    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")


class CaseStatus(models.TextChoices):
    PREPARING = "preparing", pgettext_lazy("legal case status", "Preparing")
    FILED = "filed", pgettext_lazy("legal case status", "Filed")
    PRESERVATION = "preservation", _("Property preservation")
    HEARING = "hearing", _("Hearing")
    JUDGMENT = "judgment", _("Judgment")
    ENFORCEMENT = "enforcement", _("Enforcement")
    SETTLED = "settled", pgettext_lazy("legal case status", "Settled")
    CLOSED_WON = "closed_won", _("Closed, won")
    CLOSED_LOST = "closed_lost", _("Closed, lost")
    WITHDRAWN = "withdrawn", pgettext_lazy("legal case status", "Withdrawn")


#: a case's status moves only along these steps (closing states are final)
CLOSED = {CaseStatus.SETTLED, CaseStatus.CLOSED_WON, CaseStatus.CLOSED_LOST, CaseStatus.WITHDRAWN}
_ENDINGS = {CaseStatus.SETTLED, CaseStatus.WITHDRAWN}
TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.PREPARING: {CaseStatus.FILED, CaseStatus.WITHDRAWN},
    CaseStatus.FILED: {CaseStatus.PRESERVATION, CaseStatus.HEARING, CaseStatus.JUDGMENT, *_ENDINGS},
    CaseStatus.PRESERVATION: {CaseStatus.HEARING, CaseStatus.JUDGMENT, *_ENDINGS},
    CaseStatus.HEARING: {CaseStatus.JUDGMENT, *_ENDINGS},
    CaseStatus.JUDGMENT: {CaseStatus.ENFORCEMENT, CaseStatus.CLOSED_WON, CaseStatus.CLOSED_LOST, *_ENDINGS},
    CaseStatus.ENFORCEMENT: {CaseStatus.CLOSED_WON, CaseStatus.CLOSED_LOST, *_ENDINGS},
}


class CostKind(models.TextChoices):
    COURT_FEE = "court_fee", _("Court or arbitration fee")
    LAWYER_FEE = "lawyer_fee", _("Lawyer's fee")
    PRESERVATION_FEE = "preservation_fee", _("Preservation fee")
    OTHER = "other", _("Other cost")


class EnforcementStatus(models.TextChoices):
    NONE = "", _("Not applied for")
    APPLIED = "applied", _("Applied for")
    IN_PROGRESS = "in_progress", _("In progress")
    CONCLUDED = "concluded", _("Concluded")
    TERMINATED = "terminated", _("Terminated without full recovery (终本)")


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class SettlementStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AssetKind(models.TextChoices):
    REAL_ESTATE = "real_estate", _("Real estate")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    EQUITY = "equity", _("Equity")
    VEHICLE = "vehicle", _("Vehicle")
    RECEIVABLE = "receivable", _("Receivable")
    OTHER = "other", _("Other")
