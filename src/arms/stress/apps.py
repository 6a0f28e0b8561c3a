from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StressConfig(AppConfig):
    name = "arms.stress"
    label = "stress"
    verbose_name = _("Stress tests")
