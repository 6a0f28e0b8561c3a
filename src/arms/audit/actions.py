"""The catalogue of audit actions: every ``AuditEvent.action`` is one of these (``audit_record`` refuses others).

An action is named in the past tense after what the service did (``invoice_posted``), and carries a label
people read on the audit pages (Chinese first, through the catalogue in ``arms/locale``). docs/audit.md lists
them; tests/audit/test_actions.py checks that every call site names one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    ACTIVITY_RECORDED = "activity_recorded", _("Activity recorded")
    ALLOCATION_REVERSED = "allocation_reversed", _("Allocation reversed")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    BUDGET_CREATED = "budget_created", _("Budget created")
    BUDGET_DELETED = "budget_deleted", _("Budget deleted")
    BUDGET_UPDATED = "budget_updated", _("Budget updated")
    CONTACT_ADDED = "contact_added", _("Contact added")
    CONTRACT_AMENDED = "contract_amended", _("Contract amended")
    CONTRACT_ATTACHMENT_ADDED = "contract_attachment_added", _("Contract attachment added")
    CONTRACT_CREATED = "contract_created", _("Contract created")
    CREDIT_FILE_UPDATED = "credit_file_updated", _("Credit file updated")
    CREDIT_FINANCIALS_SAVED = "credit_financials_saved", _("Credit financials saved")
    CREDIT_HOLD_PLACED = "credit_hold_placed", _("Credit hold placed")
    CREDIT_HOLD_RELEASED = "credit_hold_released", _("Credit hold released")
    CREDIT_LIMIT_APPROVED = "credit_limit_approved", _("Credit limit approved")
    CREDIT_LIMIT_CHANGED = "credit_limit_changed", _("Credit limit changed")
    CREDIT_LIMIT_REJECTED = "credit_limit_rejected", _("Credit limit rejected")
    CREDIT_LIMIT_REQUEST_CANCELLED = "credit_limit_request_cancelled", _("Credit limit request cancelled")
    CREDIT_LIMIT_REQUESTED = "credit_limit_requested", _("Credit limit requested")
    CREDIT_NOTE_POSTED = "credit_note_posted", _("Credit note posted")
    CREDIT_OVERRIDE_APPROVED = "credit_override_approved", _("Credit override approved")
    CREDIT_OVERRIDE_EXPIRED = "credit_override_expired", _("Credit override expired")
    CREDIT_OVERRIDE_REJECTED = "credit_override_rejected", _("Credit override rejected")
    CREDIT_OVERRIDE_REQUESTED = "credit_override_requested", _("Credit override requested")
    CREDIT_OVERRIDE_USED = "credit_override_used", _("Credit override used")
    CREDIT_POLICY_CHANGED = "credit_policy_changed", _("Credit policy changed")
    CREDIT_PROPOSAL_ACCEPTED = "credit_proposal_accepted", _("Credit proposal accepted")
    CREDIT_PROPOSAL_REJECTED = "credit_proposal_rejected", _("Credit proposal rejected")
    CREDIT_RATED = "credit_rated", _("Credit rated")
    CREDIT_SCORECARD_CREATED = "credit_scorecard_created", _("Credit scorecard created")
    CUSTOMER_CREATED = "customer_created", _("Customer created")
    CUSTOMER_UPDATED = "customer_updated", _("Customer updated")
    DEMO_USER_CREATED = "demo_user_created", _("Demo user created")
    DISPUTE_RAISED = "dispute_raised", _("Dispute raised")
    DISPUTE_REJECTED = "dispute_rejected", _("Dispute rejected")
    DISPUTE_RESOLVED = "dispute_resolved", _("Dispute resolved")
    DISPUTE_SLA_NOTIFIED = "dispute_sla_notified", _("Dispute SLA notified")
    DUNNING_ACTION_PROCESSED = "dunning_action_processed", _("Dunning action processed")
    DUNNING_EMAIL_FAILED = "dunning_email_failed", _("Dunning e-mail failed")
    DUNNING_EMAIL_SENT = "dunning_email_sent", _("Dunning e-mail sent")
    DUNNING_EXCLUSION_ADDED = "dunning_exclusion_added", _("Dunning exclusion added")
    DUNNING_EXCLUSION_LIFTED = "dunning_exclusion_lifted", _("Dunning exclusion lifted")
    DUNNING_POLICY_CHANGED = "dunning_policy_changed", _("Dunning policy changed")
    DUNNING_POLICY_CREATED = "dunning_policy_created", _("Dunning policy created")
    DUNNING_PROFILE_SET = "dunning_profile_set", _("Dunning profile set")
    DUNNING_RUN_FINISHED = "dunning_run_finished", _("Dunning run finished")
    EVIDENCE_BUNDLE_MADE = "evidence_bundle_made", _("Evidence bundle made")
    EXCHANGE_RATE_SET = "exchange_rate_set", _("Exchange rate set")
    IMPORT_COMPLETED = "import_completed", _("Import completed")
    INSTALLMENT_PLAN_APPROVED = "installment_plan_approved", _("Installment plan approved")
    INSTALLMENT_PLAN_BREACHED = "installment_plan_breached", _("Installment plan breached")
    INSTALLMENT_PLAN_COMPLETED = "installment_plan_completed", _("Installment plan completed")
    INSTALLMENT_PLAN_REJECTED = "installment_plan_rejected", _("Installment plan rejected")
    INSTALLMENT_PLAN_REQUESTED = "installment_plan_requested", _("Installment plan requested")
    INVOICE_POSTED = "invoice_posted", _("Invoice posted")
    JOURNAL_SEALING_STARTED = "journal_sealing_started", _("Journal sealing started")
    PAYMENT_ALLOCATED = "payment_allocated", _("Payment allocated")
    PAYMENT_RECORDED = "payment_recorded", _("Payment recorded")
    PAYMENT_REVERSED = "payment_reversed", _("Payment reversed")
    PROMISE_BROKEN = "promise_broken", _("Promise to pay broken")
    PROMISE_CANCELLED = "promise_cancelled", _("Promise to pay cancelled")
    PROMISE_KEPT = "promise_kept", _("Promise to pay kept")
    PROMISE_RECORDED = "promise_recorded", _("Promise to pay recorded")
    REPORT_EMAILED = "report_emailed", _("Report e-mailed")
    REPORT_GENERATED = "report_generated", _("Report generated")
    TASK_CANCELLED = "task_cancelled", _("Task cancelled")
    TASK_COMPLETED = "task_completed", _("Task completed")
    TASK_CREATED = "task_created", _("Task created")
    # bank statements (import)
    # cash application (matching, applying, learning)
    # cash workbench (review, remittance advice, reconciliation)
    # manual cash application and documents from the UI
    LEDGER_APPROVAL_APPROVED = "ledger_approval_approved", _("Approval given (four eyes)")
    LEDGER_APPROVAL_REJECTED = "ledger_approval_rejected", _("Approval refused (four eyes)")
    LEDGER_APPROVAL_REQUESTED = "ledger_approval_requested", _("Approval asked for (four eyes)")
    LEDGER_SETTINGS_CHANGED = "ledger_settings_changed", _("Approval amount changed")


def action_label(action: str) -> str:
    """The action's label, or the code itself for an action no longer in the catalogue (old events)."""
    return str(AuditAction(action).label) if action in AuditAction.values else action
