"""Template helpers of the cash workbench: the matcher's reasons in people's words, statuses."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from arms.bank.enums import IgnoredKind, LineStatus

register = template.Library()


def _reason_parts(reason) -> tuple[str, int, str]:
    """(code, points, detail) of a stored reason, whether kept as a mapping or as a list."""
    if isinstance(reason, dict):
        return str(reason.get("code", "")), int(reason.get("points") or 0), str(reason.get("detail") or "")
    if isinstance(reason, (list, tuple)):
        parts = [*reason, "", 0, ""][:3]
        return str(parts[0]), int(parts[1] or 0), str(parts[2] or "")
    return str(reason), 0, ""


def reason_sentence(code: str, detail: str) -> str:
    """Why the matcher thought so, as a sentence a clerk reads (Chinese first through the catalogue)."""
    texts = {
        "payer_account": _("The payer's account %(detail)s paid for this customer before"),
        "uscc": _("The remittance text carries the customer's unified social credit code %(detail)s"),
        "third_party": _("%(detail)s is known to pay for this customer"),
        "items_named": _("The remittance text names this customer's invoices %(detail)s"),
        "customer_code": _("The remittance text carries the customer code %(detail)s"),
        "name": _("The payer's name is the customer's name"),
        "name_fuzzy": _("The payer's name resembles the customer's (%(detail)s)"),
        "agree": _("Several independent signs name the same customer"),
        "items_settled": _("The amount settles the invoices named in the text exactly"),
        "items_part": _("One invoice named in the text, paid in part"),
        "items_some": _("Of the invoices named in the text, the amount settles exactly one set (%(detail)s)"),
        "items_and_more": _("The invoices named in the text and the only other items that make up the rest"),
        "items_over": _("More than the invoices named in the text need; the rest stays unapplied"),
        "items_guess": _("Paid in part, no telling which of the named invoices; the oldest first"),
        "items_or_other": _("One invoice named, paid in part, but another open invoice equals the amount "
                            "(%(detail)s: perhaps the number was mistyped)"),
        "one_item_or_several": _("One open invoice equals the amount, but other invoices together do too "
                                 "(%(detail)s)"),
        "month_named": _("Of several equal invoices, the one of the month named in the text (%(detail)s)"),
        "name_in_text": _("The text names the customer paid for (%(detail)s)"),
        "one_item": _("Exactly one open invoice equals the amount (%(detail)s)"),
        "all_open": _("The customer's whole open balance equals the amount"),
        "several_equal": _("Several open invoices equal the amount; the oldest is taken (%(detail)s)"),
        "combination": _("One combination of open invoices adds up to the amount"),
        "combination_ambiguous": _("Several combinations of open invoices add up to the amount; the oldest is taken"),
        "conflict": _("Other customers are named as strongly (%(detail)s): check who paid"),
        "remittance_advice": _("The customer's remittance advice lists the invoices"),
        "clerk": _("Decided by a clerk"),
        "discount": _("The amount is what is open after the early-payment discount (%(detail)s); applying it "
                      "posts the discount credit note"),
        "recovery": _("Recovery of written-off invoices (%(detail)s): applying it reverses that much of the "
                      "write-off"),
    }
    text = texts.get(code)
    if text is None:
        return _("Other sign")
    return text % {"detail": detail} if "%(detail)s" in text else text


@register.filter
def reasons(value) -> list[dict]:
    """The stored reasons as ``{"text", "points"}`` for the review screen."""
    result = []
    for reason in value or []:
        code, points, detail = _reason_parts(reason)
        result.append({"text": reason_sentence(code, detail), "points": points})
    return result


@register.filter
def status_label(status: str) -> str:
    return str(LineStatus(status).label) if status in LineStatus.values else _("Unknown")


@register.filter
def ignored_label(kind: str) -> str:
    return str(IgnoredKind(kind).label) if kind in IgnoredKind.values and kind else ""
