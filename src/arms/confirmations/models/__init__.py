"""Balance confirmations (对账确认函 / 询证函): every month (or quarter, per settings) each customer with a balance
or a movement is sent a letter with the period's figures and answers "信息无误" or "信息不符，差异如下".

Design overview and invariants:

- ``ConfirmationSettings`` (one per company): the default frequency, rules by credit grade / industry / region
  (``ConfirmationRule``), and the working days before a reminder, before a collector's task, and to settle a
  difference (5, the seeds' number).
- ``ConfirmationRun``: one per company and period end (a month end); starting it again returns the same run and
  only adds customers not yet in it.
- ``Confirmation``: one per customer and period end (superseded ones aside). Its figures (opening and closing
  balance per currency, invoices, credit notes, payments, open items at period end) are frozen at preparation
  as canonical JSON (``snapshot``) with its SHA-256 (``sha256``). The snapshot and hash never change; once the
  customer confirmed, nothing on the row changes. The services keep this and database triggers refuse an UPDATE
  around them on SQLite and PostgreSQL (and a DELETE of a confirmed row on PostgreSQL). A confirmed
  confirmation is the customer's written acknowledgement of the debt.
- ``ConfirmationDispatch``: each time the letter left (e-mail with its message id, or post with carrier and
  tracking number, and the delivery date when known).
- ``ConfirmationDifference``: an item the customer says is wrong; work for an owner (collector, else
  salesperson) with a deadline in Chinese working days and a collection task, until resolved by a credit note,
  a corrected invoice, a payment found and applied, or rejected with an explanation sent back.
"""

from arms.confirmations.models.confirmation import Confirmation, ConfirmationDispatch, ConfirmationRun
from arms.confirmations.models.difference import ConfirmationDifference
from arms.confirmations.models.settings import ConfirmationRule, ConfirmationSettings

__all__ = ["Confirmation", "ConfirmationDifference", "ConfirmationDispatch", "ConfirmationRule", "ConfirmationRun",
           "ConfirmationSettings"]
