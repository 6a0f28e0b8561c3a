"""ArmsError: a refusal users and API clients can act on.

Every service raises an ``ArmsError`` subclass with a stable ``code`` (for programs), a translated
``message`` (for people) and, where one input is at fault, the ``field`` that names it. The API maps
them to 4xx JSON; the web UI shows the message beside the field; the CLI prints it and exits non-zero.
"""

from __future__ import annotations


class ArmsError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None, **details):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        if code:
            self.code = code
        self.details = details

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(ArmsError):
    status = 422
    code = "invalid"


class NotFound(ArmsError):
    status = 404
    code = "not_found"


class Conflict(ArmsError):
    """The request is well-formed but the current state refuses it (over-allocation, already reversed ...)."""

    status = 409
    code = "conflict"


class Forbidden(ArmsError):
    status = 403
    code = "forbidden"


def money_message(error) -> str:
    """A domain ``MoneyError`` (an amount or currency that cannot be understood) as a sentence in the active
    language, for every edge that parses what a person typed: forms, imports, the services' field errors."""
    from django.utils.translation import gettext as _

    from arms.domain.money import MoneyError

    texts = {
        MoneyError.CURRENCY: _("'%(currency)s' is not a three-letter ISO 4217 currency code"),
        MoneyError.EMPTY: _("amount is empty"),
        MoneyError.NOT_AMOUNT: _("'%(text)s' is not an amount like 1,234.56"),
        MoneyError.NOT_FINITE: _("'%(text)s' is not a finite number"),
        MoneyError.DECIMALS: _("'%(text)s' has more than %(places)s decimal places for %(currency)s"),
    }
    text = texts.get(error.code)
    return text % error.params if text else str(error)
