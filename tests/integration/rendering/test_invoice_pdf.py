"""Rendering invoices and credit notes to PDF/A-3b with Factur-X and the Swiss QR-bill."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import facturx
import pypdf
import pytest
import zxingcpp
from lxml import etree
from PIL import Image

from wsis_funding.documents.model import BankAccount, InvoiceSnapshot
from wsis_funding.documents.reference import is_valid_creditor_reference
from wsis_funding.examples import example_credit_note, example_invoice, example_party
from wsis_funding.rendering.errors import MissingGlyphs, MissingIban
from wsis_funding.rendering.render import render_pdf

PdfText = Callable[..., str]
PageImages = Callable[[bytes, int], list[Image.Image]]
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


def squash(text: str) -> str:
    """Drop format characters and all whitespace, NFKC-normalise (Arabic presentation forms)."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", "".join(c for c in text if unicodedata.category(c) != "Cf"))


def qr_payloads(pdf: bytes, page_images: PageImages) -> list[str]:
    texts: list[str] = []
    for image in page_images(pdf, 150):
        texts.extend(b.text for b in zxingcpp.read_barcodes(image))
    return texts


def embedded_xml(pdf: bytes) -> bytes:
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert filename == "factur-x.xml"
    return bytes(xml)


def test_english_invoice_shows_number_dates_partner_amounts_and_reference(
    english_invoice_pdf: bytes, pdf_text: PdfText
) -> None:
    text = pdf_text(english_invoice_pdf)
    for expected in [
        "Invoice",
        "WSIS-2024-0001",
        "March 1, 2024",
        "March 31, 2024",
        "Acme Telecom SA",
        "Rue du Rhône 12",
        "CHF50,000.00",
        "CHF5,001.00",
        "CHF55,001.00",
        "RF73 WSIS 2024 0001",
        "CH93 0076 2011 6238 5295 7",
        "ITU is an international organisation, not subject to VAT.",
    ]:
        assert expected in text, expected


def test_qr_code_is_a_valid_swiss_qr_bill_with_iban_amount_currency_and_rf_reference(
    english_invoice_pdf: bytes, page_images: PageImages
) -> None:
    payloads = qr_payloads(english_invoice_pdf, page_images)
    assert len(payloads) == 1
    fields = payloads[0].replace("\r\n", "\n").split("\n")
    assert fields[:3] == ["SPC", "0200", "1"]
    assert fields[3] == "CH9300762011623852957"
    assert fields[4] == "S"  # structured creditor address
    assert fields[5:11] == [
        "International Telecommunication Union (ITU)",
        "Place des Nations",
        "",
        "1211",
        "Geneva 20",
        "CH",
    ]
    assert fields[18:20] == ["55001.00", "CHF"]
    assert fields[20] == "S"  # structured debtor address
    assert fields[27:29] == ["SCOR", "RF73WSIS20240001"]
    assert is_valid_creditor_reference(fields[28])
    assert fields[-1] == "EPD"


def test_eur_invoice_on_swiss_iban_has_a_qr_bill_in_euros(page_images: PageImages) -> None:
    payloads = qr_payloads(render_pdf(example_invoice(currency="EUR")), page_images)
    assert len(payloads) == 1
    assert "\r\n55001.00\r\nEUR\r\n" in payloads[0]


def test_usd_invoice_has_bank_transfer_instructions_and_no_qr_code(
    pdf_text: PdfText, page_images: PageImages
) -> None:
    pdf = render_pdf(example_invoice(currency="USD"))
    text = pdf_text(pdf)
    assert "Payment instructions" in text
    assert "CH93 0076 2011 6238 5295 7" in text
    assert "UBSWCHZH80A" in text
    assert "RF73 WSIS 2024 0001" in text
    assert "$55,001.00" in text
    assert qr_payloads(pdf, page_images) == []


def test_eur_invoice_on_a_french_iban_has_no_qr_code(page_images: PageImages) -> None:
    invoice = example_invoice(currency="EUR")
    account = BankAccount(iban="FR7630006000011234567890189", bic="AGRIFRPP", holder="ITU")
    issuer = attrs.evolve(invoice.issuer, bank_account=account)
    pdf = render_pdf(attrs.evolve(invoice, issuer=issuer))
    assert qr_payloads(pdf, page_images) == []


def test_embedded_facturx_xml_validates_and_its_totals_equal_the_invoice(
    english_invoice_pdf: bytes,
) -> None:
    xml = embedded_xml(english_invoice_pdf)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    root = etree.fromstring(xml)
    assert root.findtext(f".//{{{RAM}}}GrandTotalAmount") == "55001.00"
    assert root.findtext(f".//{{{RAM}}}DuePayableAmount") == "55001.00"
    assert root.findtext(f".//{{{RAM}}}InvoiceCurrencyCode") == "CHF"
    assert root.findtext(f".//{{{RAM}}}PaymentReference") == "RF73WSIS20240001"
    assert Decimal(root.findtext(f".//{{{RAM}}}GrandTotalAmount") or "") == (
        example_invoice().total.amount
    )


def test_attachment_is_declared_as_associated_file_with_data_relationship(
    english_invoice_pdf: bytes,
) -> None:
    reader = pypdf.PdfReader(io.BytesIO(english_invoice_pdf))
    root: Any = reader.trailer["/Root"]
    associated = root["/AF"]
    assert len(associated) == 1
    filespec = associated[0].get_object()
    assert filespec["/F"] == "factur-x.xml"
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/text/xml"


def test_xmp_declares_pdfa_3b_and_facturx_en16931(english_invoice_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(english_invoice_pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None
    rdf = etree.fromstring(xmp.rdf_root.toxml().encode())
    pdfaid = "http://www.aiim.org/pdfa/ns/id/"
    fx = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
    assert rdf.findtext(f".//{{{pdfaid}}}part") == "3"
    assert rdf.findtext(f".//{{{pdfaid}}}conformance") == "B"
    assert rdf.findtext(f".//{{{fx}}}ConformanceLevel") == "EN 16931"
    assert rdf.findtext(f".//{{{fx}}}DocumentFileName") == "factur-x.xml"
    assert rdf.findtext(".//{http://ns.adobe.com/xap/1.0/}CreateDate") == "2024-03-01T00:00:00Z"


def test_info_dates_are_the_issue_date_and_match_the_xmp(english_invoice_pdf: bytes) -> None:
    info: Any = pypdf.PdfReader(io.BytesIO(english_invoice_pdf)).metadata
    assert info is not None
    assert info["/CreationDate"] == "D:20240301000000Z"
    assert info["/ModDate"] == "D:20240301000000Z"
    assert info["/Title"] == "Invoice"


def test_all_fonts_are_embedded(
    english_invoice_pdf: bytes, tmp_path: pytest.TempPathFactory
) -> None:
    path = tmp_path / "invoice.pdf"  # type: ignore[operator]
    path.write_bytes(english_invoice_pdf)
    lines = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert len(lines) >= 2
    for line in lines:
        assert line.split()[-5] == "yes", line  # the "emb" column


def test_same_invoice_renders_byte_identical_in_the_same_process(
    english_invoice_pdf: bytes,
) -> None:
    assert render_pdf(example_invoice()) == english_invoice_pdf


def test_same_invoice_renders_byte_identical_in_another_process(
    english_invoice_pdf: bytes,
) -> None:
    code = (
        "import sys; from wsis_funding.examples import example_invoice;"
        "from wsis_funding.rendering.render import render_pdf;"
        "sys.stdout.buffer.write(render_pdf(example_invoice()))"
    )
    other = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True).stdout
    assert other == english_invoice_pdf


def test_a_different_snapshot_gives_a_different_pdf_identifier(english_invoice_pdf: bytes) -> None:
    other = render_pdf(example_invoice(number="WSIS-2024-0002"))
    first: Any = pypdf.PdfReader(io.BytesIO(english_invoice_pdf)).trailer
    second: Any = pypdf.PdfReader(io.BytesIO(other)).trailer
    first_id, second_id = first["/ID"][0], second["/ID"][0]
    assert first_id != second_id


def test_credit_note_refers_to_the_invoice_and_has_no_qr_bill(
    pdf_text: PdfText, page_images: PageImages
) -> None:
    pdf = render_pdf(example_credit_note())
    text = pdf_text(pdf)
    assert "Credit note" in text
    assert "WSIS-CN-2024-0001" in text
    assert "This credit note corrects invoice WSIS-2024-0001." in text
    assert "CHF5,001.00" in text
    assert qr_payloads(pdf, page_images) == []
    root = etree.fromstring(embedded_xml(pdf))
    assert root.findtext(f".//{{{RAM}}}TypeCode") == "381"
    assert root.findtext(f".//{{{RAM}}}IssuerAssignedID") == "WSIS-2024-0001"


@pytest.mark.parametrize(
    "name", ['<img src="file:///etc/passwd">', "Evil Corp url(http://127.0.0.1:9/x)"]
)
def test_partner_markup_prints_literally_and_fetches_nothing(
    name: str, pdf_text: PdfText, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="wsis_funding.rendering.fetcher")
    invoice = example_invoice(partner=example_party(name), currency="USD")
    pdf = render_pdf(invoice)
    assert squash(name) in squash(pdf_text(pdf))
    requested = [r.getMessage() for r in caplog.records if "requested" in r.getMessage()]
    assert "asset requested: wsis-asset:style.css" in requested
    assert not any("passwd" in m or "127.0.0.1" in m for m in requested)
    assert not any(r.levelno >= logging.WARNING for r in caplog.records)


def test_invoice_with_an_undrawable_character_is_not_rendered() -> None:
    partner = example_party("Vithkuqi \U00010570 Ltd")
    with pytest.raises(MissingGlyphs) as info:
        render_pdf(example_invoice(partner=partner))
    assert info.value.code_points == ("U+10570",)


def test_invoice_without_bank_account_is_not_rendered() -> None:
    invoice: InvoiceSnapshot = example_invoice()
    issuer = attrs.evolve(invoice.issuer, bank_account=None)
    with pytest.raises(MissingIban):
        render_pdf(attrs.evolve(invoice, issuer=issuer))
