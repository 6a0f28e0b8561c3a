"""Choices of write-off requests. Values are stable codes (API, database, the prefill URL); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WriteOffReason(models.TextChoices):
    BANKRUPTCY = "bankruptcy", _("Bankruptcy (破产)")
    DEREGISTRATION = "deregistration", _("Deregistered or licence revoked (注销/吊销)")
    JUDGMENT_UNENFORCEABLE = "judgment_unenforceable", _("Judgment cannot be enforced (终结执行)")
    LIMITATION_EXPIRED = "limitation_expired", _("Limitation period expired (诉讼时效届满)")
    SMALL_BALANCE = "small_balance", _("Small balance")
    OTHER = "other", _("Other")


#: reasons that need at least one evidence file (a court ruling, a bankruptcy or deregistration record) before
#: anyone may sign; the collection record is attached automatically to every request and does not count
EVIDENCE_REQUIRED = frozenset({WriteOffReason.BANKRUPTCY, WriteOffReason.DEREGISTRATION,
                               WriteOffReason.JUDGMENT_UNENFORCEABLE, WriteOffReason.OTHER})


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for sign-offs")
    POSTED = "posted", _("Approved and posted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SignOffRole(models.TextChoices):
    """In whose name a person signs: finance (财务), legal (法务), audit (审计), and above the company's amount the
    executive (管理层)."""

    FINANCE = "finance", _("Finance")
    LEGAL = "legal", _("Legal")
    AUDIT = "audit", _("Audit")
    EXECUTIVE = "executive", _("Executive")


#: the permission that lets a person sign in each role (arms.writeoffs.permissions gives them to the roles)
SIGN_PERMISSIONS = {
    SignOffRole.FINANCE: "writeoffs.sign_finance_writeoffrequest",
    SignOffRole.LEGAL: "writeoffs.sign_legal_writeoffrequest",
    SignOffRole.AUDIT: "writeoffs.sign_audit_writeoffrequest",
    SignOffRole.EXECUTIVE: "writeoffs.sign_executive_writeoffrequest",
}

BASE_ROLES = (SignOffRole.FINANCE, SignOffRole.LEGAL, SignOffRole.AUDIT)


class EvidenceKind(models.TextChoices):
    JUDGMENT = "judgment", _("Court judgment or ruling (判决书/裁定书)")
    ENFORCEMENT_TERMINATED = "enforcement_terminated", _("Ruling terminating enforcement (终结执行裁定)")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy certificate (破产证明)")
    DEREGISTRATION = "deregistration", _("Deregistration record (注销证明)")
    COLLECTION_RECORD = "collection_record", _("Collection record (催收记录)")
    OTHER = "other", _("Other")
