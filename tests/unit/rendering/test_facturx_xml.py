"""The embedded EN 16931 XML: schema-valid, business-rule valid, totals equal the document's."""

from __future__ import annotations

import facturx
from lxml import etree

from wsis_funding.examples import example_credit_note, example_invoice
from wsis_funding.rendering.facturx import cii_xml

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def first(xml: bytes, path: str) -> str:
    found = etree.fromstring(xml).xpath(path, namespaces=NS)
    assert found, path
    return str(found[0].text)


def test_invoice_xml_is_valid_against_the_en16931_schema_and_schematron() -> None:
    xml = cii_xml(example_invoice())
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert facturx.xml_check_schematron(xml, flavor="factur-x", level="en16931")


def test_credit_note_xml_is_valid_type_381_and_refers_to_the_invoice() -> None:
    xml = cii_xml(example_credit_note())
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert facturx.xml_check_schematron(xml, flavor="factur-x", level="en16931")
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


def test_vat_category_is_not_subject_to_vat_with_reason() -> None:
    xml = cii_xml(example_invoice())
    assert (
        first(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode")
        == "O"
    )
    assert "not subject to VAT" in first(xml, "//ram:ExemptionReason")
    assert not etree.fromstring(xml).xpath("//ram:SpecifiedTaxRegistration", namespaces=NS)
