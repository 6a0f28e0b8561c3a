"""The customer portal's pages (filled in below the entry)."""

from __future__ import annotations

from django.http import HttpResponse


def enter(request, token: str):
    return HttpResponse(status=404)


def home(request):
    return HttpResponse(status=404)
