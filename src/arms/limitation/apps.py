from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitationConfig(AppConfig):
    name = "arms.limitation"
    label = "limitation"
    verbose_name = _("Limitation periods")
