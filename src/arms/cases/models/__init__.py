"""Collection cases (催收案件): what was done with a customer who owes money, and what is to be done next.

Design overview and invariants:

- ``Activity`` is the contact history: calls, e-mails, visits, letters, notes, hand-offs, system events. It is
  evidence (for the limitation clock and in court), so it is append-only: ``save()`` refuses an update, the
  queryset and the admin refuse deletes and updates, and database triggers refuse UPDATE on both databases
  and DELETE on PostgreSQL (SQLite's test flush deletes rows, so there the guard is the model's).
  An attachment is stored once per SHA-256 (``arms.common.models.Attachment``), and is immutable too.
  ``(source, source_ref)`` is unique when ``source_ref`` is given, so a caller that retries records once.
- ``Task`` is a to-do for one person at one escalation level (sales → finance → credit/legal); completing
  it records an Activity. ``(source, source_ref)`` is unique when given.
- ``PromiseToPay``: an amount by a date, optionally for named invoices; open until the payments received
  from ``made_on`` up to ``promised_on`` reach the amount (kept) or the date passes short of it (broken, with
  the shortfall). A broken promise escalates to the next level.
- ``InstallmentPlan`` (分期付款) with ``InstallmentLine``s that add up exactly to the plan's total (largest
  remainder split); approved by a finance manager who did not request it; tracked against the payments
  allocated to its invoices; an installment unpaid ``grace_days`` after its date breaches the plan.
- ``Dispute`` (争议) on one invoice for at most its open amount; one open dispute per invoice; an SLA in
  Chinese working days; resolved by a credit note, a corrected invoice, or rejected. Open disputed amounts
  are kept out of dunning and shown apart in aging.
"""

from arms.cases.models.activity import Activity, Attachment
from arms.cases.models.dispute import Dispute, DisputeReasonSetting
from arms.cases.models.plan import InstallmentLine, InstallmentPlan
from arms.cases.models.promise import PromiseToPay
from arms.cases.models.task import Task

__all__ = ["Activity", "Attachment", "Dispute", "DisputeReasonSetting", "InstallmentLine", "InstallmentPlan",
           "PromiseToPay", "Task"]
