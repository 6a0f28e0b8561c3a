"""The run form of the forecast page; it submits to the run job through ``run_service``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from arms.forecast.models import Granularity
from arms.web.forms import DATE_INPUT, ServiceErrorMixin


class RunForm(ServiceErrorMixin, forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DATE_INPUT,
                            help_text=_("The open items of this day are forecast."))
    granularity = forms.ChoiceField(label=_("Buckets"), choices=Granularity.choices, initial=Granularity.WEEK)
    periods = forms.IntegerField(label=_("Periods"), required=False, min_value=1, max_value=52,
                                 help_text=_("13 weeks or 12 months when empty."))
    include_new_sales = forms.BooleanField(label=_("Add new sales at the run-rate"), required=False)
