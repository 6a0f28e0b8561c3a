from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    name = "arms.bench"
    label = "bench"
    verbose_name = _("Benchmark")
