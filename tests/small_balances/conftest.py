"""Small-balance tests reuse dunning's ladder, people and PDF stub (the stages are the ones the issue names)."""

from tests.dunning.conftest import _media, _pdf_stub, people, policy  # noqa: F401
