"""What each role may do in dunning; merged into the role groups by `arms.accounts.roles`.

Everyone who works receivables sees the runs, actions, letters and e-mails of the customers they may see
(sales staff only their own). Finance managers and collectors start runs and resend e-mails; finance managers
edit the policies; finance managers, collectors and credit managers exclude customers. Lawyer's letters are
for legal, credit and finance managers (and the auditor). The auditor reads everything and changes nothing.
"""

from arms.accounts.roles import Role

_VIEW = [
    "dunning.view_dunningpolicy",
    "dunning.view_dunningstage",
    "dunning.view_dunningrun",
    "dunning.view_dunningaction",
    "dunning.view_dunningitem",
    "dunning.view_dunningemail",
    "dunning.view_dunningexclusion",
    "dunning.view_dunningprofile",
]
_RUN = ["dunning.add_dunningrun", "dunning.send_dunning_email"]
_EXCLUDE = ["dunning.add_dunningexclusion", "dunning.change_dunningexclusion", "dunning.change_dunningprofile"]
_POLICY = ["dunning.add_dunningpolicy", "dunning.change_dunningpolicy", "dunning.add_dunningstage",
           "dunning.change_dunningstage", "dunning.delete_dunningstage"]
_LAWYER = ["dunning.view_lawyer_letter"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_VIEW],
    Role.COLLECTOR: [*_VIEW, *_RUN, *_EXCLUDE],
    Role.CREDIT_MANAGER: [*_VIEW, *_EXCLUDE, *_LAWYER],
    Role.FINANCE_CLERK: [*_VIEW],
    Role.FINANCE_MANAGER: [*_VIEW, *_RUN, *_EXCLUDE, *_POLICY, *_LAWYER],
    Role.LEGAL: [*_VIEW, *_LAWYER],
    Role.AUDITOR: [*_VIEW, *_LAWYER],
    Role.EXECUTIVE: [*_VIEW],
}
