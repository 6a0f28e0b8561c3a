"""The confirmation letter (对账确认函 / 询证函) as PDF and as Excel, from the frozen snapshot only: what the
customer is asked to confirm is exactly what was hashed, whatever the ledger says later."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation

from arms.common.pdf import render_pdf
from arms.confirmations.models import Confirmation
from arms.domain.money import to_decimal
from arms.dunning.selectors import customer_language
from arms.web.exports import AMOUNT, DATE, Column, Table

KIND_LABELS = {
    "zh-hans": {"invoice": "发票", "credit_note": "红字发票/贷项", "payment": "收款", "payment_reversal": "收款冲回"},
    "en": {"invoice": "Invoice", "credit_note": "Credit note", "payment": "Payment",
           "payment_reversal": "Payment reversed"},
}


def file_stem(confirmation: Confirmation) -> str:
    return f"confirmation-{confirmation.customer.code}-{confirmation.period_end:%Y%m}"


def _dates(data: Any) -> Any:
    """ISO date strings of the snapshot back to dates (for the template's date filter)."""
    if isinstance(data, dict):
        return {k: _dates(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates(v) for v in data]
    if isinstance(data, str) and len(data) == 10 and data[4] == "-" and data[7] == "-":
        try:
            return date.fromisoformat(data)
        except ValueError:
            return data
    return data


def letter_context(confirmation: Confirmation) -> dict:
    language = customer_language(confirmation.customer)
    language = language if language in ("zh-hans", "en") else "zh-hans"
    data = _dates(confirmation.snapshot_data)
    kinds = KIND_LABELS[language]
    for statement in data["statements"]:
        for line in statement["lines"]:
            line["kind_label"] = kinds.get(line["kind"], line["kind"])
    return {"confirmation": confirmation, "data": data, "language": language, "sha256": confirmation.sha256,
            "company": data["company"], "customer": data["customer"]}


def render_confirmation_pdf(confirmation: Confirmation) -> bytes:
    context = letter_context(confirmation)
    with translation.override(context["language"]):
        return render_pdf("confirmations/pdf/letter.html", context)


def confirmation_table(confirmation: Confirmation) -> Table:
    """The letter as one sheet: a preamble with who and which period, then per currency the opening balance,
    every movement and the closing balance, then the open items at the period end."""
    context = letter_context(confirmation)
    english = context["language"] == "en"
    data = context["data"]
    kinds = KIND_LABELS[context["language"]]

    def amount(minor: int, currency: str) -> Decimal:
        return to_decimal(minor, currency)

    rows: list[list] = []
    for statement in data["statements"]:
        currency = statement["currency"]
        rows.append([None, "Opening balance" if english else "期初余额", "", currency, None, None,
                     amount(statement["opening_minor"], currency)])
        for line in statement["lines"]:
            rows.append([line["date"], kinds.get(line["kind"], line["kind"]), line["number"], currency,
                         amount(line["debit_minor"], currency) if line["debit_minor"] else None,
                         amount(line["credit_minor"], currency) if line["credit_minor"] else None,
                         amount(line["balance_minor"], currency)])
        rows.append([data["period_end"], "Closing balance" if english else "期末余额", "", currency, None, None,
                     amount(statement["closing_minor"], currency)])
    rows.append([])
    rows.append([None, "Open items at period end" if english else "期末未清项", "", "", None, None, None])
    for item in data["open_items"]:
        rows.append([item["due_date"], item["number"], item["vat_invoice_number"], item["currency"],
                     amount(item["gross_minor"], item["currency"]), None, amount(item["open_minor"], item["currency"])])
    title = "Balance confirmation" if english else "对账确认函"
    preamble = [
        [title],
        [f"{data['company']['name']} → {data['customer']['code']} {data['customer']['name']}"],
        [f"{data['period_start']} – {data['period_end']}"],
        [f"SHA-256 {confirmation.sha256}"],
    ]
    columns = [Column("Date" if english else "日期", DATE), Column("Item" if english else "项目"),
               Column("Number" if english else "单号"), Column("Currency" if english else "币种"),
               Column("Debit" if english else "借方（应收增加）", AMOUNT),
               Column("Credit" if english else "贷方（应收减少）", AMOUNT),
               Column("Balance" if english else "余额", AMOUNT)]
    return Table(title, columns, rows=rows, preamble=preamble)
