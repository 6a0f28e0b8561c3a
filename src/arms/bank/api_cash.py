"""REST API of cash application: statement lines, their matches, learned aliases, unapplied cash and the bank
reconciliation, mounted at /api/v1/cash."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["cash"])
