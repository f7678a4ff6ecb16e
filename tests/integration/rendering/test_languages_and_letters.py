"""Documents in the six UN languages, right-to-left Arabic, and acknowledgement letters."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pypdf
import pytest
import zxingcpp
from PIL import Image

from wsis_funding.examples import example_invoice, example_letter, example_party
from wsis_funding.i18n import format_amount, format_day
from wsis_funding.rendering.render import render_pdf

PdfText = Callable[..., str]
PageImages = Callable[[bytes, int], list[Image.Image]]

INVOICE_WORD = {
    "ar": "فاتورة",
    "zh": "发票",
    "en": "Invoice",
    "fr": "Facture",
    "ru": "Счёт",
    "es": "Factura",
}
LETTER_WORD = {
    "ar": "نتطلع",
    "zh": "衷心感谢",
    "en": "thank",
    "fr": "remercions",
    "ru": "благодарим",
    "es": "agradecemos",
}


def squash(text: str) -> str:
    """Drop format characters and all whitespace, NFKC-normalise (Arabic presentation forms)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", "".join(c for c in text if unicodedata.category(c) != "Cf"))


def appears(text: str, expected: str, language: str) -> bool:
    """Whether ``expected`` (a formatted amount or date) is in the extracted ``text``.

    For Arabic, pdftotext returns mixed Arabic and Latin runs (dates, "CHF") in visual order,
    so each word of ``expected`` is looked for on its own.
    """
    if language == "ar":
        words = "".join(c if c.isalnum() or c in ".," else " " for c in expected).split()
        return all(squash(word) in squash(text) for word in words)
    return squash(expected) in squash(text)


@pytest.mark.parametrize("language", list(INVOICE_WORD))
def test_invoice_is_written_in_the_partner_language(language: str, pdf_text: PdfText) -> None:
    invoice = example_invoice(language=language)
    text = pdf_text(render_pdf(invoice))
    assert squash(INVOICE_WORD[language]) in squash(text)
    assert "WSIS-2024-0001" in text
    assert "Acme Telecom SA" in text
    assert "RF73 WSIS 2024 0001" in text
    assert "CHF" in text
    assert appears(text, format_day(invoice.issued_on, language), language)
    assert appears(text, format_amount(invoice.total, language), language)


@pytest.mark.parametrize("language", list(LETTER_WORD))
def test_letter_is_written_in_the_partner_language(language: str, pdf_text: PdfText) -> None:
    letter = example_letter(language=language)
    text = pdf_text(render_pdf(letter))
    assert squash(LETTER_WORD[language]) in squash(text)
    assert appears(text, format_day(letter.received_on, language), language)
    assert appears(text, format_amount(letter.amount_received, language), language)
    assert appears(text, format_amount(letter.remaining_balance, language), language)
    assert squash("Strategic Partner Gold") in squash(text)
    assert "Jane Doe" in text


def word_box(pdf: bytes, pdf_text: PdfText, word: str) -> tuple[float, float, float]:
    """Return (xMin, xMax, page width) of the first occurrence of ``word`` on page 1."""
    html = pdf_text(pdf, "-bbox", "-f", "1", "-l", "1")
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    for match in re.finditer(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', html):
        # Words of right-to-left runs come out in visual order, that is reversed.
        if squash(match.group(3)) in (squash(word), squash(word)[::-1]):
            return float(match.group(1)), float(match.group(2)), width
    raise AssertionError(f"{word!r} not found")


def test_arabic_invoice_is_right_to_left(pdf_text: PdfText) -> None:
    x_min, _, width = word_box(render_pdf(example_invoice(language="ar")), pdf_text, "فاتورة")
    assert x_min > width / 2


def test_english_invoice_title_is_on_the_left(
    english_invoice_pdf: bytes, pdf_text: PdfText
) -> None:
    _, x_max, width = word_box(english_invoice_pdf, pdf_text, "Invoice")
    assert x_max < width / 2


def test_arabic_partner_name_is_drawn_and_extracted(pdf_text: PdfText) -> None:
    letter = example_letter(language="ar", partner=example_party("شركة الاتصالات العربية"))
    assert squash("شركة") in squash(pdf_text(render_pdf(letter)))


def test_chinese_partner_name_in_a_chinese_letter(pdf_text: PdfText) -> None:
    letter = example_letter(language="zh", partner=example_party("中国电信集团有限公司"))
    assert "中国电信集团有限公司" in pdf_text(render_pdf(letter))


def test_letter_lists_the_benefits_and_the_signatory(pdf_text: PdfText) -> None:
    text = pdf_text(render_pdf(example_letter()))
    assert "Logo on the WSIS Forum website" in text
    assert "Two VIP passes to the opening ceremony" in text
    assert "Head, WSIS Secretariat" in text
    assert "March 28, 2024" in text
    assert "CHF30,000.00" in text
    assert "CHF25,001.00" in text


def test_letter_has_no_qr_bill_and_no_attachment(page_images: PageImages) -> None:
    pdf = render_pdf(example_letter())
    assert all(zxingcpp.read_barcodes(image) == [] for image in page_images(pdf, 100))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root: Any = reader.trailer["/Root"]
    assert "/AF" not in root
    assert len(reader.attachments) == 0


def test_letter_renders_byte_identical_twice() -> None:
    assert render_pdf(example_letter(language="ru")) == render_pdf(example_letter(language="ru"))
