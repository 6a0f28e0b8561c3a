"""Form of the prediction page: train a model now (the window of history to learn from)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.prediction.services import MAX_WINDOW_MONTHS, WINDOW_MONTHS
from arms.web.forms import ServiceErrorMixin


class TrainForm(ServiceErrorMixin, forms.Form):
    window_months = forms.IntegerField(
        label=_("Months of history"), min_value=3, max_value=MAX_WINDOW_MONTHS, initial=WINDOW_MONTHS,
        help_text=_("The model learns from the invoices settled in these last months."))
