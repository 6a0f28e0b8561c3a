"""Real threads on PostgreSQL: the same statement file imported by several workers at the same moment is written
once, and every worker gets an answer (the account's row lock makes the later ones see the first one's lines)."""

from __future__ import annotations

import pytest

from arms.audit.models import AuditEvent
from arms.audit.services import audit_verify
from arms.bank.models import BankAccount, BankStatement, StatementLine
from arms.bank.services.importing import statement_import
from tests.bank.builders import days_before, rows_for, to_csv
from tests.conftest import postgres_available
from tests.ledger.concurrency import outcomes, race

pytestmark = [
    pytest.mark.skipif(not postgres_available(), reason="row-lock concurrency needs PostgreSQL: set DATABASE_URL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _roles(db):
    from arms.accounts.roles import roles_present, roles_sync

    if not roles_present():
        roles_sync()


def test_four_workers_importing_the_same_file_at_once_write_it_once(bank_account, today):
    data = to_csv(rows_for(days_before(today, 10, 3), per_day=5))

    def importer():
        account = BankAccount.objects.get(pk=bank_account.pk)
        return statement_import(actor=None, data=data, filename="same.csv", account=account, match=False)

    results = race([importer for _ in range(4)])

    assert outcomes(results) == {"ok": 4}
    assert sorted(r.lines_new for r in results) == [0, 0, 0, 40]
    assert (StatementLine.objects.count(), BankStatement.objects.count()) == (40, 1)
    assert AuditEvent.objects.filter(action="bank_statement_imported").count() == 1
    assert audit_verify().ok
