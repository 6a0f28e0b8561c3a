from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted word for word; English keeps them independent of the translation catalogues."""
    with translation.override("en"):
        yield
