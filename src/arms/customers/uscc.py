"""The 统一社会信用代码 check at the edge: the domain's ``UsccError`` (a code and its parameters) in the user's
language, for the customer services, the model validator (admin) and imports alike."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arms.domain.uscc import UsccError


def uscc_message(error: UsccError) -> str:
    """``validate_uscc``'s refusal as a sentence in the active language."""
    if error.code == UsccError.LENGTH:
        return _("统一社会信用代码 must have 18 characters, got %(length)s") % error.params
    if error.code == UsccError.CHARACTERS:
        return _("统一社会信用代码 contains characters that GB 32100 does not use: %(characters)s") % error.params
    return _("统一社会信用代码 check digit is %(given)s, expected %(expected)s") % error.params
