"""The one NinjaAPI. Each app's router is mounted under /api/v1; ArmsError becomes 4xx JSON."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="ARMS API", version="1", urls_namespace="api", docs_url="/docs", openapi_url="/openapi.json")
