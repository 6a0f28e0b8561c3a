"""Choices of limitation periods (诉讼时效). Values are stable codes (API, database); labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from arms.domain.limitation import ClockStatus


class InterruptionKind(models.TextChoices):
    """What interrupted a claim's limitation period (民法典 第一百九十五条)."""

    DEMAND_DELIVERED = "demand_delivered", _("Demand delivered")
    CONFIRMATION = "confirmation", _("Balance confirmed by the customer")
    PART_PAYMENT = "part_payment", _("Part payment")
    PROMISE = "promise", _("Promise to pay")
    INSTALLMENT_PLAN = "installment_plan", _("Installment plan agreed")
    LAWSUIT = "lawsuit", _("Lawsuit filed")
    ARBITRATION = "arbitration", _("Arbitration filed")
    OTHER = "other", _("Other interruption")


class Status(models.TextChoices):
    """A claim's clock, as ``arms.domain.limitation.ClockStatus``."""

    RUNNING = ClockStatus.RUNNING.value, _("Running")
    EXPIRING = ClockStatus.EXPIRING.value, _("Expiring")
    EXPIRED = ClockStatus.EXPIRED.value, _("Expired")
    STOPPED = ClockStatus.STOPPED.value, _("Stopped (paid or written off)")


#: kinds people record by hand (the others come from the records ARMS already keeps, and from legal cases)
MANUAL_KINDS = tuple(InterruptionKind)
