import pytest


@pytest.fixture(autouse=True)
def _roles():
    """The domain core is plain Python: no database, so no roles to create (overrides tests/conftest.py)."""
