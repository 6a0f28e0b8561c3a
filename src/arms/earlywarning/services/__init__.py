"""Every write of early warning (indicators, evaluation, acknowledgements, risk signals)."""

from arms.earlywarning.services.evaluation import indicator_evaluate, warnings_evaluate
from arms.earlywarning.services.indicators import (
    IndicatorFields,
    indicator_create,
    indicator_update,
    indicators_ensure_default,
)
from arms.earlywarning.services.signals import risk_signal_acknowledge, risk_signal_raise
from arms.earlywarning.services.warnings import may_acknowledge, warning_acknowledge

__all__ = ["IndicatorFields", "indicator_create", "indicator_evaluate", "indicator_update",
           "indicators_ensure_default", "may_acknowledge", "risk_signal_acknowledge", "risk_signal_raise",
           "warning_acknowledge", "warnings_evaluate"]
