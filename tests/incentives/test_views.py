"""The incentive pages: a finance manager makes the scheme on the form, the ratings are entered on their page, the
sheet is computed, approved by another finance manager, drilled down and exported to Excel."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from arms.incentives.models import IncentiveRating, IncentiveScheme, PayoutLine, SchemeStatus

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-05")]

FORM = {"period": "2026-11-01", "base_pool": "10,000.00", "weight_collections": "60", "weight_recovery": "15",
        "weight_dunning": "15", "weight_rating": "10", "dso_step_days": "2", "dso_step": "1",
        "overdue_days": "90", "deduction_mode": "per_item", "deduction_per_item": "100.00", "deduction_share": "1",
        "note": "十一月奖金"}


def test_a_scheme_made_rated_computed_approved_and_exported_on_the_pages(client, book):
    client.force_login(book.fm1)
    response = client.post(reverse("incentives:scheme_new"),
                           {**FORM, "salespeople": [book.s1.pk, book.s2.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme = IncentiveScheme.objects.get()
    assert (scheme.base_pool_minor, scheme.weight_rating_bp, scheme.dso_step_bp) == (1_000_000, 1000, 100)

    ratings = reverse("incentives:ratings", args=[scheme.pk])
    assert client.post(ratings, {"ratee": book.s1.pk, "score": "80"}).status_code == 302
    refused = client.post(ratings, {"ratee": book.s1.pk, "score": "101"})
    assert refused.status_code == 400 and 'id="error-score"' in refused.content.decode()
    client.force_login(book.clerk)
    assert client.post(ratings, {"ratee": book.s1.pk, "score": "90"}).status_code == 302
    client.force_login(book.fm1)
    assert client.post(ratings, {"ratee": book.s2.pk, "score": "70"}).status_code == 302
    assert IncentiveRating.objects.count() == 3

    client.post(reverse("incentives:scheme_compute", args=[scheme.pk]))
    assert PayoutLine.objects.get(scheme=scheme, user=book.s1).total_minor == 560_487
    client.post(reverse("incentives:scheme_approve", args=[scheme.pk]))  # fm1 computed it: refused
    assert IncentiveScheme.objects.get().status == SchemeStatus.COMPUTED
    client.force_login(book.fm2)
    client.post(reverse("incentives:scheme_approve", args=[scheme.pk]))
    assert IncentiveScheme.objects.get().status == SchemeStatus.APPROVED

    page = client.get(reverse("incentives:scheme", args=[scheme.pk])).content.decode()
    assert "5,604.87" in page and "4,395.13" in page
    person = client.get(reverse("incentives:person", args=[scheme.pk, book.s1.pk]), {"part": "collections"})
    assert person.status_code == 200 and "R-X-1" in person.content.decode() and "R-X-2" not in person.content.decode()
    book_ = load_workbook(io.BytesIO(client.get(reverse("incentives:scheme", args=[scheme.pk]),
                                                {"export": "xlsx"}).getvalue())).active
    values = [c.value for row in book_.iter_rows() for c in row]
    assert 5604.87 in [float(v) for v in values if isinstance(v, (int, float))] or any(
        str(v) == "5604.87" for v in values)
    assert not [c for row in book_.iter_rows() for c in row if c.data_type == "f"]


def test_a_salesperson_sees_only_their_own_line_and_drill_down(client, book):
    from arms.customers.services import company_ensure
    from arms.incentives import services

    scheme = services.scheme_create(actor=book.fm1, company=company_ensure(), period=IncentiveScheme._meta.get_field(
        "period").to_python("2026-11-01"), members=[(book.s1, "salesperson"), (book.s2, "salesperson")])
    services.scheme_compute(actor=book.fm1, scheme=scheme)
    client.force_login(book.s1)
    page = client.get(reverse("incentives:scheme", args=[scheme.pk])).content.decode()
    assert f'data-person="{book.s1.pk}"' in page and f'data-person="{book.s2.pk}"' not in page
    assert client.get(reverse("incentives:person", args=[scheme.pk, book.s2.pk])).status_code == 403
    assert client.get(reverse("incentives:person", args=[scheme.pk, book.s1.pk])).status_code == 200
    assert client.post(reverse("incentives:scheme_compute", args=[scheme.pk])).status_code == 403
