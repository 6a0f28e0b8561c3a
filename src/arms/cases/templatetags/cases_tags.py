"""Template helpers of the collections pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from arms.cases.enums import ActivityOutcome

register = template.Library()

#: outcomes the services record that the form does not offer
_RECORDED = {"kept": _("Kept"), "broken": _("Broken"), "approved": _("Approved"), "rejected": _("Rejected"),
             "active": _("Active"), "completed": _("Completed"), "breached": _("Breached"),
             "handed_off": _("Handed off"), "dispute_credit_note": _("Credit note"),
             "dispute_corrected_invoice": _("Corrected invoice"), "dispute_rejected": _("Rejected")}


@register.filter
def outcome_label(code: str) -> str:
    """An outcome code as people read it; an unknown code (another app's) as it is."""
    if code in ActivityOutcome.values:
        return str(ActivityOutcome(code).label)
    return str(_RECORDED.get(code, code))
