"""Glyph coverage: a character that no installed font draws is an error, not a box."""

from __future__ import annotations

import pytest

from wsis_funding.examples import example_invoice, example_party
from wsis_funding.rendering.errors import MissingGlyphs
from wsis_funding.rendering.fonts import check_glyphs, drawn_text, missing_characters
from wsis_funding.rendering.render import prepare

TOTO_PA = "\U0001e290"  # TOTO LETTER PA (Unicode 14): no Debian Noto font covers it.


def test_text_of_the_six_un_scripts_is_covered() -> None:
    text = "Invoice Facture Счёт فاتورة 发票 Factura 12\u202f345,50\xa0CHF «»–€"
    assert missing_characters([text]) == set()


def test_bidi_marks_and_isolates_need_no_glyph() -> None:
    assert missing_characters(["\u200f\u2068\u2069\u061c\n\t"]) == set()


def test_toto_letter_is_reported_missing_with_its_code_point() -> None:
    with pytest.raises(MissingGlyphs) as info:
        check_glyphs([f"Name {TOTO_PA}"])
    assert info.value.characters == (TOTO_PA,)
    assert info.value.code_points == ("U+1E290",)
    assert "U+1E290" in str(info.value)


def test_rendering_a_partner_name_in_an_uncovered_script_raises_missing_glyphs() -> None:
    partner = example_party(f"Partner {TOTO_PA}")
    with pytest.raises(MissingGlyphs) as info:
        prepare(example_invoice(partner=partner))
    assert info.value.code_points == ("U+1E290",)


def test_drawn_text_ignores_head_and_styles() -> None:
    html = "<html><head><title>T\u0001</title><style>p{}</style></head><body><p>a&amp;b</p></body>"
    assert drawn_text(html) == "a&b"
