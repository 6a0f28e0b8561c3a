"""What incentives refuse, each naming the field (or the rule) and writing nothing."""

from __future__ import annotations

import pytest

from arms.common.approvals import FourEyes
from arms.common.errors import Conflict, ErrorCode, Forbidden, ValidationFailed
from arms.customers.services import company_ensure
from arms.incentives import services
from arms.incentives.models import IncentiveRating, IncentiveScheme, SchemeStatus
from tests.incentives.conftest import NOVEMBER
from tests.incentives.test_sheet import scheme_of

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-05")]


def test_weights_not_adding_up_to_100_percent_are_refused(book):
    with pytest.raises(ValidationFailed) as refused:
        services.scheme_create(actor=book.fm1, company=company_ensure(), period=NOVEMBER,
                               terms={"weight_collections_bp": 6000, "weight_recovery_bp": 1500,
                                      "weight_dunning_bp": 1500, "weight_rating_bp": 500})
    assert refused.value.field == "weights" and "95" in refused.value.message
    assert not IncentiveScheme.objects.exists()
    scheme = scheme_of(book)
    with pytest.raises(ValidationFailed) as refused:
        services.scheme_update(actor=book.fm1, scheme=scheme, terms={"weight_rating_bp": 2000})
    assert refused.value.field == "weights"
    assert IncentiveScheme.objects.get().weight_rating_bp == 1000
    with pytest.raises(ValidationFailed) as refused:
        services.scheme_update(actor=book.fm1, scheme=scheme, terms={"weight_rating_bp": 10_001})
    assert refused.value.field == "weight_rating_bp"


def test_a_rating_outside_0_to_100_of_oneself_or_by_the_wrong_side_is_refused(book):
    scheme = scheme_of(book)
    for score in (-1, 101, "80"):
        with pytest.raises(ValidationFailed) as refused:
            services.rating_set(actor=book.fm1, scheme=scheme, ratee=book.s1, score=score)
        assert refused.value.field == "score"
    with pytest.raises(ValidationFailed) as refused:
        services.rating_set(actor=book.s1, scheme=scheme, ratee=book.s1, score=90)
    assert refused.value.field == "ratee"
    with pytest.raises(Forbidden) as refused:  # sales rate collectors, not each other
        services.rating_set(actor=book.s2, scheme=scheme, ratee=book.s1, score=90)
    assert refused.value.field == "ratee"
    with pytest.raises(ValidationFailed) as refused:  # not in the scheme
        services.rating_set(actor=book.fm1, scheme=scheme, ratee=book.clerk, score=90)
    assert refused.value.field == "ratee"
    assert not IncentiveRating.objects.exists()


def test_whoever_computed_or_edited_the_sheet_does_not_approve_it(book):
    scheme = scheme_of(book)
    with pytest.raises(Conflict) as refused:
        services.scheme_approve(actor=book.fm2, scheme=scheme)
    assert refused.value.code == ErrorCode.INCENTIVE_NOT_COMPUTED
    services.scheme_compute(actor=book.fm1, scheme=scheme)
    with pytest.raises(FourEyes):
        services.scheme_approve(actor=book.fm1, scheme=scheme)
    services.scheme_update(actor=book.fm2, scheme=scheme, terms={"base_pool_minor": 2_000_000})
    scheme = services.scheme_compute(actor=book.fm1, scheme=scheme)
    with pytest.raises(FourEyes):  # fm2 edited the terms
        services.scheme_approve(actor=book.fm2, scheme=scheme)
    assert IncentiveScheme.objects.get().status == SchemeStatus.COMPUTED


def test_an_approved_scheme_is_never_changed(book):
    scheme = scheme_of(book)
    services.rating_set(actor=book.fm1, scheme=scheme, ratee=book.s1, score=80)
    services.scheme_compute(actor=book.fm1, scheme=scheme)
    scheme = services.scheme_approve(actor=book.fm2, scheme=scheme)
    lines = list(scheme.lines.values_list("user_id", "total_minor"))
    for change in (lambda: services.scheme_update(actor=book.fm1, scheme=scheme, terms={"base_pool_minor": 1}),
                   lambda: services.rating_set(actor=book.clerk, scheme=scheme, ratee=book.s1, score=10),
                   lambda: services.scheme_compute(actor=book.fm1, scheme=scheme)):
        with pytest.raises(Conflict) as refused:
            change()
        assert refused.value.code == ErrorCode.INCENTIVE_SCHEME_LOCKED
    scheme.refresh_from_db()
    assert scheme.base_pool_minor == 1_000_000 and list(scheme.lines.values_list("user_id", "total_minor")) == lines
    assert IncentiveRating.objects.get().score == 80


def test_editing_a_computed_scheme_sends_it_back_to_draft(book):
    scheme = services.scheme_compute(actor=book.fm1, scheme=scheme_of(book))
    assert scheme.lines.count() == 2
    scheme = services.scheme_update(actor=book.fm1, scheme=scheme, terms={"note": "十一月"})
    assert scheme.status == SchemeStatus.DRAFT and scheme.lines.count() == 0
