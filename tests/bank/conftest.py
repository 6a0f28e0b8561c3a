from pathlib import Path

import pytest

# ../shared/data beside the checkout (see its SOURCES.md); the data stays outside the repository.
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"the shared sample data is not at {path}")
    return path


@pytest.fixture(autouse=True)
def _roles():
    """The parsers are plain Python: no database, so no roles to create (overrides tests/conftest.py)."""


@pytest.fixture
def bank_account(db, company):
    """The company's ICBC account that tests.bank.builders' statements are for."""
    from arms.bank.services.accounts import bank_account_create
    from tests.bank.builders import ACCOUNT_NUMBER

    return bank_account_create(actor=None, name="工行基本户", bank="中国工商银行", account_number=ACCOUNT_NUMBER,
                               ledger_account="100201")
