"""Choices of collection cases. Values are stable codes (API, database); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from arms.domain.dunning import LEVELS


class ActivityKind(models.TextChoices):
    CALL = "call", _("Phone call")
    EMAIL = "email", _("E-mail")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    LAWYER_LETTER = "lawyer_letter", _("Lawyer's letter")
    SMS = "sms", _("SMS")
    MEETING = "meeting", _("Meeting")
    NOTE = "note", _("Note")
    HANDOFF = "handoff", _("Hand-off")
    SYSTEM = "system", _("System")


class Direction(models.TextChoices):
    OUT = "out", _("Outgoing")
    IN = "in", _("Incoming")


class ActivityOutcome(models.TextChoices):
    """Outcome codes the UI offers; other lower-case codes (a dunning stage's "sent") are accepted too."""

    REACHED = "reached", _("Reached the contact")
    NO_ANSWER = "no_answer", _("No answer")
    LEFT_MESSAGE = "left_message", _("Left a message")
    WRONG_CONTACT = "wrong_contact", _("Wrong contact")
    PROMISED = "promised", _("Promised to pay")
    REFUSED = "refused", _("Refused to pay")
    DISPUTED = "disputed", _("Disputes the invoice")
    PAID = "paid", _("Says it is paid")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned undelivered")
    DONE = "done", _("Done")
    OTHER = "other", _("Other")


#: outcomes the services record that the form does not offer: promises and plans closing, dispute decisions, the
#: hand-off, and what a dunning stage did (dunning records through ``activity_record`` with these codes)
RECORDED_OUTCOMES = {
    "kept": _("Kept"), "broken": _("Broken"), "approved": _("Approved"), "rejected": _("Rejected"),
    "active": _("Active"), "completed": _("Completed"), "breached": _("Breached"), "handed_off": _("Handed off"),
    "dispute_credit_note": _("Credit note"), "dispute_corrected_invoice": _("Corrected invoice"),
    "dispute_rejected": _("Rejected"),
    "issued": _("Letter issued"), "queued": _("E-mail queued"), "hold_placed": _("Supply stopped"),
    "escalated": _("Escalated"),
}


def outcome_label(code: str) -> str:
    """An outcome code as people read it. A code nobody labelled is shown as "Other", never as the code."""
    if not code:
        return ""
    if code in ActivityOutcome.values:
        return str(ActivityOutcome(code).label)
    return str(RECORDED_OUTCOMES.get(code, ActivityOutcome.OTHER.label))


class Source(models.TextChoices):
    """What recorded an activity or made a task (``source``); empty when a person typed it in."""

    TYPED = "", _("Entered by hand")
    TASK = "task", _("Task")
    PROMISE = "promise", _("Promise to pay")
    PLAN = "plan", _("Installment plan")
    DISPUTE = "dispute", _("Dispute")
    DUNNING = "dunning", _("Dunning")
    DEMO = "demo", _("Demo data")
    PORTAL = "portal", _("Customer portal")


def source_label(code: str) -> str:
    """A source code as people read it; one nobody labelled as "Other"."""
    return str(Source(code).label) if code in Source.values else str(ActivityOutcome.OTHER.label)


class TaskKind(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    LEGAL_REVIEW = "legal_review", _("Legal review")
    HANDOFF = "handoff", _("Hand-off")
    FOLLOW_UP = "follow_up", _("Follow-up")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    """The escalation ladder: sales first, then finance (the collector), then credit and legal."""

    SALES = "sales", _("Sales")
    FINANCE = "finance", _("Finance")
    CREDIT_LEGAL = "credit_legal", _("Credit / legal")


#: the order a claim climbs, from the domain rule (``arms.domain.dunning.LEVELS``) that checks dunning ladders
LEVEL_ORDER = [Level(value) for value in LEVELS]


def next_level(level: str) -> str:
    """The next rung up the ladder; the top rung stays where it is."""
    index = [str(x) for x in LEVEL_ORDER].index(str(level))
    return str(LEVEL_ORDER[min(index + 1, len(LEVEL_ORDER) - 1)])


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PromiseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")
    CANCELLED = "cancelled", _("Cancelled")


class PlanStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    BREACHED = "breached", _("Breached")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class DisputeReason(models.TextChoices):
    PRICE = "price", _("Price")
    QUANTITY = "quantity", _("Quantity")
    QUALITY = "quality", _("Quality")
    NOT_RECEIVED = "not_received", _("Goods not received")
    DUPLICATE_BILLING = "duplicate_billing", _("Duplicate billing")
    OTHER = "other", _("Other")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")


class DisputeResolution(models.TextChoices):
    CREDIT_NOTE = "credit_note", _("Credit note")
    CORRECTED_INVOICE = "corrected_invoice", _("Corrected invoice")
    REJECTED = "rejected", _("Rejected")


class Department(models.TextChoices):
    SALES = "sales", _("Sales")
    LOGISTICS = "logistics", _("Logistics")
    QUALITY = "quality", _("Quality")
    FINANCE = "finance", _("Finance")
    LEGAL = "legal", _("Legal")


#: the department that owns a dispute of each reason unless another is named
DEFAULT_DEPARTMENT = {
    DisputeReason.PRICE: Department.SALES,
    DisputeReason.QUANTITY: Department.LOGISTICS,
    DisputeReason.QUALITY: Department.QUALITY,
    DisputeReason.NOT_RECEIVED: Department.LOGISTICS,
    DisputeReason.DUPLICATE_BILLING: Department.FINANCE,
    DisputeReason.OTHER: Department.FINANCE,
}
#: Chinese working days a dispute's owner has unless a DisputeReasonSetting says otherwise; the letters and
#: statements ask the customer to report a difference within the same number (差异项需在5个工作日内核查处理)
DEFAULT_SLA_WORKING_DAYS = 5
