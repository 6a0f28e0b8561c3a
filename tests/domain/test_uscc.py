"""统一社会信用代码 (GB 32100-2015): 18 characters, a mod-31 check character, no I O S V Z."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arms.domain.uscc import ALPHABET, UsccError, check_character, make_uscc, validate_uscc


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # a published sample code
        "91110000100010433L",
        "91440300708461136T",
    ],
)
def test_published_codes_validate(code):
    assert validate_uscc(code) == code


def test_codes_are_normalised_to_upper_case_without_blanks():
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_make_uscc_builds_codes_that_validate(stem):
    code = make_uscc(stem)
    assert len(code) == 18
    assert validate_uscc(code) == code


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_any_other_check_character_is_refused(stem, wrong):
    right = check_character(stem)
    if wrong == right:
        return
    with pytest.raises(UsccError, match=f"check digit is {wrong}, expected {right}"):
        validate_uscc(stem + wrong)


def test_a_wrong_check_digit_names_the_expected_one():
    with pytest.raises(UsccError, match="check digit is 2, expected L"):
        validate_uscc("911100001000104332")


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_gb32100_leaves_out_are_refused(letter):
    stem = "91350100M000100Y4"
    code = stem[:10] + letter + stem[11:] + "3"
    with pytest.raises(UsccError, match=f"does not use: {letter}"):
        validate_uscc(code)


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433", "9135"])
def test_wrong_length_is_refused(code):
    with pytest.raises(UsccError, match="must have 18 characters"):
        validate_uscc(code)


def test_none_is_refused_as_empty():
    with pytest.raises(UsccError, match="got 0"):
        validate_uscc(None)
