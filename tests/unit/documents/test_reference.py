"""ISO 11649 creditor references derived from invoice numbers."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iso11649

from wsis_funding.documents.errors import InvalidCreditorReference
from wsis_funding.documents.reference import creditor_reference, is_valid_creditor_reference

ALNUM = string.ascii_uppercase + string.digits
bodies = st.text(alphabet=ALNUM, min_size=1, max_size=21)


def test_invoice_number_gives_known_reference() -> None:
    assert creditor_reference("WSIS-2024-0001") == "RF73WSIS20240001"


def test_published_example_reference_is_valid() -> None:
    assert is_valid_creditor_reference("RF18 5390 0754 7034")
    assert not is_valid_creditor_reference("RF19 5390 0754 7034")


@given(bodies)
def test_every_derived_reference_is_valid_and_agrees_with_python_stdnum(body: str) -> None:
    """For any body of 1..21 letters and digits, the reference validates and stdnum agrees."""
    reference = creditor_reference(body)
    assert reference.endswith(body)
    assert is_valid_creditor_reference(reference)
    assert iso11649.is_valid(reference)


@given(bodies, st.text(alphabet="-/ ._", max_size=5))
def test_separators_and_case_do_not_change_the_reference(body: str, noise: str) -> None:
    """Punctuation is stripped and letters upper-cased before the check digits are computed."""
    messy = noise + body[:1].lower() + noise + body[1:] + noise
    assert creditor_reference(messy) == creditor_reference(body)


@given(bodies, st.data())
def test_changing_one_character_invalidates_the_reference(body: str, data: st.DataObject) -> None:
    """The mod-97 check catches every substitution of a digit by a digit or a letter by a letter.

    (A letter replaced by a digit changes the length of the digit string, which ISO 7064
    does not promise to detect.)
    """
    reference = creditor_reference(body)
    position = data.draw(st.integers(min_value=2, max_value=len(reference) - 1))
    same_class = string.digits if reference[position].isdigit() else string.ascii_uppercase
    replacement = data.draw(st.sampled_from(same_class).filter(lambda c: c != reference[position]))
    altered = reference[:position] + replacement + reference[position + 1 :]
    assert not is_valid_creditor_reference(altered)


def test_number_with_more_than_21_letters_and_digits_is_refused() -> None:
    with pytest.raises(InvalidCreditorReference) as info:
        creditor_reference("WSIS-2024-0001-ABCDEFGHIJKLMNOP")
    assert isinstance(info.value, ValueError)
    assert info.value.text == "WSIS-2024-0001-ABCDEFGHIJKLMNOP"


def test_number_without_letters_or_digits_is_refused() -> None:
    with pytest.raises(InvalidCreditorReference, match="no ASCII letter or digit"):
        creditor_reference("--/--")


@pytest.mark.parametrize("bad", ["", "RF", "RF73", "XX73WSIS20240001", "rf73wsis20240001", "RF7A1"])
def test_malformed_references_are_invalid(bad: str) -> None:
    assert not is_valid_creditor_reference(bad)
