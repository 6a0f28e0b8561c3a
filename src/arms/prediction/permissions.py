"""What each role may do with payment-date prediction; merged into the role groups by `arms.accounts.roles`.

Everyone who sees invoices sees their predicted payment dates (``view_paymentprediction``: the invoice page, the
collections case page and worklist, the API). The prediction page, its model versions and their measured error
(``view_modelversion``) are for the finance and credit teams, collectors, auditors and executives. A finance manager
or a credit manager (or an administrator) trains a model and activates a version.
"""

from arms.accounts.roles import Role

_SEE = ["prediction.view_paymentprediction"]
_VIEW = [*_SEE, "prediction.view_modelversion"]
_TRAIN = [*_VIEW, "prediction.add_modelversion", "prediction.change_modelversion"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.SALES: [*_SEE],
    Role.COLLECTOR: [*_VIEW],
    Role.CREDIT_MANAGER: [*_TRAIN],
    Role.FINANCE_CLERK: [*_VIEW],
    Role.FINANCE_MANAGER: [*_TRAIN],
    Role.LEGAL: [*_SEE],
    Role.AUDITOR: [*_VIEW],
    Role.EXECUTIVE: [*_VIEW],
}
