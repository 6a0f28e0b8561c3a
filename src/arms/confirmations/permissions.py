"""What each role may do with balance confirmations; merged into the role groups by `arms.accounts.roles`.

Finance clerks and collectors start runs, send letters (e-mail, post), record the customers' answers and settle
differences; a salesperson owning a difference may settle it too; only a finance manager (or an administrator)
changes the settings (frequencies, reminder days). Auditors and the other roles read.
"""

from arms.accounts.roles import Role

_VIEW = ["confirmations.view_confirmationrun", "confirmations.view_confirmation",
         "confirmations.view_confirmationdispatch", "confirmations.view_confirmationdifference",
         "confirmations.view_confirmationsettings"]
_WORK = [*_VIEW, "confirmations.add_confirmationrun", "confirmations.add_confirmationdispatch",
         "confirmations.reply_confirmation", "confirmations.change_confirmationdifference"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_VIEW, "confirmations.change_confirmationdifference"],
    Role.COLLECTOR: _WORK,
    Role.CREDIT_MANAGER: [*_VIEW],
    Role.FINANCE_CLERK: _WORK,
    Role.FINANCE_MANAGER: [*_WORK, "confirmations.manage_confirmation_settings"],
    Role.LEGAL: [*_VIEW],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
