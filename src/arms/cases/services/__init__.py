"""Every write of collection cases. Use cases lock in the ledger's order (customer, invoices by pk) and append
an audit event in the same transaction; notifications leave only after commit (``arms.common.notify``)."""

from arms.cases.services.activities import activity_record
from arms.cases.services.disputes import dispute_raise, dispute_resolve, disputes_sla_check
from arms.cases.services.plans import ScheduleLine, plan_approve, plan_reject, plan_request, plans_check
from arms.cases.services.promises import promise_cancel, promise_record, promises_check
from arms.cases.services.tasks import task_cancel, task_complete, task_create

__all__ = [
    "ScheduleLine",
    "activity_record",
    "dispute_raise",
    "dispute_resolve",
    "disputes_sla_check",
    "plan_approve",
    "plan_reject",
    "plan_request",
    "plans_check",
    "promise_cancel",
    "promise_record",
    "promises_check",
    "task_cancel",
    "task_complete",
    "task_create",
]
