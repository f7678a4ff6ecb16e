"""Reference helpers: ISO 11649 RF (also in free text), Swiss QR and legacy ISR references."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsis_funding.imports.camt import (
    compact_rf,
    find_rf_references,
    is_valid_isr_reference,
    is_valid_qr_reference,
    is_valid_rf,
    isr_reference,
    qr_reference,
)

RF = "RF18539007547034"  # the ISO 11649 example


def _mod97_rf(body: str) -> str:
    """An RF reference for ``body``, computed here from the ISO 7064 definition."""
    digits = "".join(str(int(c, 36)) for c in body + "RF00")
    return f"RF{98 - int(digits) % 97:02d}{body}"


def _mod10_recursive(digits: str) -> str:
    """The Swiss mod 10 recursive check digit, computed here from its published table."""
    table = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5)
    carry = 0
    for d in digits:
        carry = table[(carry + int(d)) % 10]
    return str((10 - carry) % 10)


@pytest.mark.parametrize(
    "text", ["RF18539007547034", "rf18539007547034", "RF18 5390 0754 7034", " rf18 5390 0754 7034 "]
)
def test_an_rf_is_recognised_in_any_case_and_spacing(text: str) -> None:
    assert compact_rf(text) == RF
    assert is_valid_rf(text)


@pytest.mark.parametrize(
    "text", ["RF19539007547034", "RF18539007547035", "RF18", "XX18539007547034", ""]
)
def test_an_rf_with_wrong_check_digits_or_shape_is_not_valid(text: str) -> None:
    assert compact_rf(text) is None
    assert not is_valid_rf(text)


def test_an_rf_typed_with_spaces_in_free_text_is_found_without_the_next_word() -> None:
    assert find_rf_references("Payment for rf18 5390 0754 7034 thank you") == (RF,)


def test_several_rf_references_in_free_text_are_found_in_order() -> None:
    other = _mod97_rf("WSIS20240001")
    text = f"Inv. {other.lower()} and {RF[:4]} {RF[4:8]} {RF[8:12]} {RF[12:]}; ok"
    assert find_rf_references(text) == (other, RF)


@pytest.mark.parametrize(
    "text",
    [
        "RF19 5390 0754 7034",  # wrong check digits
        "XRF18539007547034",  # glued to a word
        "REF18539007547034",  # not RF
        "no reference at all",
    ],
)
def test_no_rf_is_found_where_there_is_none(text: str) -> None:
    assert find_rf_references(text) == ()


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=21))
def test_every_rf_made_by_the_definition_is_found_in_text_printed_in_groups(body: str) -> None:
    """Property: an RF computed from ISO 7064 mod 97-10, printed in lower-case groups of four
    inside a sentence, is found and returned compact and upper case."""
    ref = _mod97_rf(body)
    printed = " ".join(ref[i : i + 4] for i in range(0, len(ref), 4)).lower()
    assert ref in find_rf_references(f"Payment {printed}, thanks")


def test_a_qr_reference_is_27_digits_with_a_mod_10_recursive_check() -> None:
    body = "21000000000313947143000901"
    ref = body + _mod10_recursive(body)
    assert ref == "210000000003139471430009017"
    assert qr_reference("21 00000 00003 13947 14300 09017") == ref
    assert is_valid_qr_reference(ref)
    assert not is_valid_qr_reference(body + str((int(ref[-1]) + 1) % 10))
    assert not is_valid_qr_reference(ref[1:])  # 26 digits are not a QR reference
    assert not is_valid_qr_reference(ref[:-1] + "A")


def test_a_legacy_isr_may_omit_its_leading_zeros_and_comes_back_padded() -> None:
    body = "1234"
    printed = body + _mod10_recursive(body)
    assert isr_reference(printed) == printed.zfill(27)
    assert is_valid_isr_reference("00 00000 00000 00000 00000 " + printed)
    assert not is_valid_isr_reference(body + str((int(printed[-1]) + 1) % 10))
    assert not is_valid_isr_reference("1" * 28)
