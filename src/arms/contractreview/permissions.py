"""What each role may do with contracts' review and signing; merged into the role groups by `arms.accounts.roles`.

Sales and finance submit contracts for review; sales management signs off as the executive role (管理层), credit
as the credit manager, legal as legal, finance as the finance manager. Finance (clerk and manager) signs an
approved contract, or records one already signed; the finance manager sets the review amounts.
"""

from arms.accounts.roles import Role

_VIEW = ["contractreview.view_contractreview", "contractreview.view_contractreviewsettings"]
_SUBMIT = [*_VIEW, "contractreview.add_contractreview"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: _SUBMIT,
    Role.COLLECTOR: _VIEW,
    Role.CREDIT_MANAGER: [*_VIEW, "contractreview.signoff_credit_contractreview"],
    Role.FINANCE_CLERK: [*_SUBMIT, "contracts.sign_contract"],
    Role.FINANCE_MANAGER: [*_SUBMIT, "contractreview.signoff_finance_contractreview", "contracts.sign_contract",
                           "contractreview.change_contractreviewsettings"],
    Role.LEGAL: [*_VIEW, "contractreview.signoff_legal_contractreview"],
    Role.AUDITOR: _VIEW,
    Role.EXECUTIVE: [*_VIEW, "contractreview.signoff_sales_contractreview"],
}
