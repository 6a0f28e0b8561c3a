"""Every write of dunning; see each module."""

from arms.dunning.services.actions import action_process, actions_pending, process_actions
from arms.dunning.services.emails import email_send, emails_retry
from arms.dunning.services.policies import (
    exclusion_add,
    exclusion_lift,
    policy_create,
    policy_ensure_default,
    policy_update,
    profile_set,
)
from arms.dunning.services.runs import dunning_run

__all__ = ["action_process", "actions_pending", "dunning_run", "email_send", "emails_retry", "exclusion_add",
           "exclusion_lift", "policy_create", "policy_ensure_default", "policy_update", "process_actions",
           "profile_set"]
