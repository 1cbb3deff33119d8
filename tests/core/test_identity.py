import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.identity import (
    USCC_ALPHABET,
    check_resident_id,
    check_uscc,
    make_uscc,
    ric_check_char,
)


def test_known_valid_uscc_passes():
    assert check_uscc("91110000600037341L").value == "91110000600037341L"


def test_lowercase_and_spaces_are_normalized():
    assert check_uscc(" 91110000600037341l ").value == "91110000600037341L"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("91110000600037341", "length"),
        ("91110000600037341I", "charset"),  # I is never used
        ("91110000600037341M", "checksum"),
    ],
)
def test_bad_uscc_is_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as info:
        check_uscc(raw)
    assert info.value.code == code


def test_letter_registration_authority_is_accepted_with_checksum():
    # Codes of social organizations start with letters (e.g. N, Y); only the checksum is hard.
    code = make_uscc("N2320400MJ5000001")
    assert check_uscc(code).value == code


def test_unknown_region_part_only_warns():
    code = make_uscc("91990000MA0000001")
    result = check_uscc(code)
    assert result.warnings


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_every_completed_code_validates_and_any_other_check_char_fails(prefix):
    code = make_uscc(prefix)
    assert check_uscc(code).value == code
    wrong = next(c for c in USCC_ALPHABET if c != code[17])
    with pytest.raises(ValidationError):
        check_uscc(prefix + wrong)


def test_resident_id_derives_birth_date_and_gender():
    body = "32040219900307123"
    rid = check_resident_id(body + ric_check_char(body))
    assert rid.birth_date == dt.date(1990, 3, 7)
    assert rid.gender == "male"  # 17th digit 3 is odd


def test_legacy_15_digit_id_is_converted():
    rid = check_resident_id("320402900307124")
    assert rid.value.startswith("32040219900307124")
    assert len(rid.value) == 18
    assert rid.gender == "female"


def test_hk_residence_permit_prefix_is_accepted():
    body = "81000019900101001"
    assert check_resident_id(body + ric_check_char(body)).warnings == []


@given(st.from_regex(r"\A[0-9]{17}\Z"))
def test_resident_id_check_digit_is_the_hard_rule(body):
    try:
        rid = check_resident_id(body + ric_check_char(body))
    except ValidationError as exc:
        assert exc.code == "birth_date"  # random digits rarely form a valid date
        return
    wrong = next(c for c in "0123456789X" if c != rid.value[17])
    with pytest.raises(ValidationError):
        check_resident_id(body + wrong)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_the_check_digit_is_gb_11643s_weighted_sum(body):
    # GB 11643: the weights 2^(17-i) mod 11, the sum mod 11 mapped to "10X98765432".
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body))
    assert ric_check_char(body) == "10X98765432"[total % 11]


def test_a_full_width_body_is_checked_digit_by_digit():
    body = "11010519491231002"
    wide = body.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert ric_check_char(wide) == ric_check_char(body) == "X"
