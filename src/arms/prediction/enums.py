"""Codes of payment-date prediction with the labels people read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    """How an open item's payment dates were predicted (``Outlook.method``)."""

    MODEL = "model", _("Prediction model")
    CUSTOMER_HISTORY = "customer_history", _("Customer's own payment history")
    DUE_DATE = "due_date", _("Due date (no history)")


class BacktestMethod(models.TextChoices):
    """The methods a backtest compares."""

    MODEL = "model", _("Prediction model")
    CUSTOMER_AVERAGE = "customer_average", _("Customer's average days late")
    DUE_DATE = "due_date", _("Due date")


class Source(models.TextChoices):
    """The history a backtest runs on."""

    DEMO = "demo", _("This installation's ledger")
    IBM = "ibm", _("IBM accounts receivable sample")


def method_label(code: str) -> str:
    return str(dict(Method.choices).get(code, code))
