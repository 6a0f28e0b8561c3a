"""Choices of balance confirmations (对账确认函 / 询证函)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: the seeds' number: a difference is checked and settled within 5 working days
DEFAULT_DIFFERENCE_WORKING_DAYS = 5
DEFAULT_REMINDER_WORKING_DAYS = 5
DEFAULT_TASK_WORKING_DAYS = 10


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


#: months a period of each frequency spans
FREQUENCY_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}


class RunStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ConfirmationStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    SENT = "sent", _("Sent")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    SUPERSEDED = "superseded", _("Superseded")


#: statuses a reply can still be recorded in
AWAITING_REPLY = (ConfirmationStatus.PREPARED, ConfirmationStatus.SENT)


class Answer(models.TextChoices):
    CONFIRMED = "confirmed", _("Balance confirmed (信息无误)")
    DISPUTED = "disputed", _("Balance disputed (信息不符)")


class ReplyChannel(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    SCAN = "scan", _("Signed and sealed scan")
    EMAIL = "email", _("E-mail reply")
    POST = "post", _("Letter by post")
    OTHER = "other", _("Other")


class DispatchChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")


class DifferenceKind(models.TextChoices):
    AMOUNT_DIFFERS = "amount_differs", _("Amount differs")
    NOT_IN_CUSTOMER_BOOKS = "not_in_customer_books", _("Missing from the customer's books")
    NOT_IN_OUR_BOOKS = "not_in_our_books", _("Missing from our books")
    OTHER = "other", _("Other difference")


class DifferenceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Resolution(models.TextChoices):
    CREDIT_NOTE = "credit_note", _("Credit note issued")
    CORRECTED_INVOICE = "corrected_invoice", _("Corrected invoice issued")
    PAYMENT_APPLIED = "payment_applied", _("Payment found and applied")
    REJECTED = "rejected", _("Rejected with an explanation")
