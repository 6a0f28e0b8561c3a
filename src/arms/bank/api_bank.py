"""REST API of the company's bank accounts, imported statements and column profiles, mounted at /api/v1/bank."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["bank"])
