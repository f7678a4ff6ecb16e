"""Documents of snapshot format 3, read as a partner would read the PDF.

Invoices that list money already received ask for the rest (table, payment box, QR-bill,
e-invoice); credit notes say whether they correct a document or reduce the pledge; letters
state the facts of the payment they acknowledge. Every figure expected here is computed in the
test with Decimal from what the example documents say happened, never read back from the
snapshot, and looked for in the text pdftotext extracts, in English, French, Arabic and Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import attrs
import facturx
import pytest
import zxingcpp
from lxml import etree
from PIL import Image

from tests.integration.rendering.pdftext import appears, count, has
from wsis_funding.examples import (
    example_credit_note,
    example_invoice,
    example_letter,
    example_partly_paid_invoice,
    example_payment_letter,
)
from wsis_funding.examples.documents import PaymentLetterCase
from wsis_funding.i18n import format_amount, format_day, format_number, translations
from wsis_funding.money import money
from wsis_funding.rendering.facturx import cii_xml
from wsis_funding.rendering.render import render_pdf

PdfText = Callable[..., str]
PageImages = Callable[[bytes, int], list[Image.Image]]
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
LANGUAGES = ["en", "fr", "ar", "zh"]

# The example invoice: one Strategic Partner Gold at 50,000.00 and two booths at 2,500.50.
LINES = ((Decimal(1), Decimal("50000.00")), (Decimal(2), Decimal("2500.50")))
TOTAL = sum((q * p for q, p in LINES), Decimal(0))
RECEIVED = ((dt.date(2024, 3, 5), Decimal("30000.00")), (dt.date(2024, 3, 12), Decimal("5000.50")))
USD_TO_CHF = Decimal("0.8812")


def gettext(language: str, msgid: str) -> str:
    return str(translations(language).gettext(msgid))


def qr_payloads(pdf: bytes, page_images: PageImages) -> list[str]:
    return [b.text for image in page_images(pdf, 150) for b in zxingcpp.read_barcodes(image)]


def embedded_xml(pdf: bytes) -> etree._Element:
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert filename == "factur-x.xml"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    return etree.fromstring(xml)


def amount_at(root: etree._Element, name: str) -> Decimal:
    return Decimal(root.findtext(f".//{{{RAM}}}{name}") or "nan")


# Invoices after money was already received -------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("currency", "payments"), [("CHF", 1), ("CHF", 2), ("USD", 1), ("USD", 2)])
def test_an_invoice_shows_what_was_received_and_asks_for_the_rest(
    language: str,
    currency: str,
    payments: int,
    pdf_text: PdfText,
    page_images: PageImages,
) -> None:
    invoice = example_partly_paid_invoice(language=language, currency=currency, payments=payments)
    received = RECEIVED[:payments]
    due = TOTAL - sum((amount for _, amount in received), Decimal(0))
    pdf = render_pdf(invoice)
    text = pdf_text(pdf)

    def shown(amount: Decimal, code: str = currency) -> str:
        return format_amount(money(amount, code), language)

    # The table: the lines' total, each payment received (date and amount), the amount due.
    assert count(text, shown(TOTAL), language) == 1  # only the total line asks for it
    for day, amount in received:
        label = gettext(language, "Already received on %(date)s") % {
            "date": format_day(day, language)
        }
        assert appears(text, label, language), label
        assert appears(text, shown(-amount), language)
    assert has(text, gettext(language, "Amount due"))
    # ... and the payment instructions ask for the amount due too.
    assert count(text, shown(due), language) == 2
    assert has(text, gettext(language, "Payment instructions"))

    # The QR-bill (CHF on a Swiss IBAN) carries the amount due; a USD invoice has none.
    payloads = qr_payloads(pdf, page_images)
    if currency == "CHF":
        assert len(payloads) == 1
        fields = payloads[0].replace("\r\n", "\n").split("\n")
        assert fields[18:20] == [f"{due:.2f}", "CHF"]
        assert fields[28] == "RF19WSIS20240003"
    else:
        assert payloads == []
        # The CHF equivalent printed is that of the amount due, at the pledge's rate.
        equivalent = (due * USD_TO_CHF).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        sentence = gettext(
            language,
            "Equivalent of the amount due: %(amount)s at the rate of %(rate)s of %(date)s "
            "(source: %(source)s).",
        ) % {
            "amount": shown(equivalent, "CHF"),
            "rate": format_number(USD_TO_CHF, language),
            "date": format_day(dt.date(2024, 3, 1), language),
            "source": "UN operational rate of exchange (illustrative)",
        }
        assert appears(text, sentence, language), sentence

    # The e-invoice: totals of the lines, the money received as paid (BT-113), the rest due.
    root = embedded_xml(pdf)
    assert amount_at(root, "GrandTotalAmount") == TOTAL
    assert amount_at(root, "TaxBasisTotalAmount") == TOTAL
    assert amount_at(root, "TotalPrepaidAmount") == TOTAL - due
    assert amount_at(root, "DuePayableAmount") == due
    assert root.findtext(f".//{{{RAM}}}InvoiceCurrencyCode") == currency
    assert etree.tostring(root) == etree.tostring(etree.fromstring(cii_xml(invoice)))


def test_an_invoice_with_nothing_received_prints_no_received_or_due_line(
    english_invoice_pdf: bytes, pdf_text: PdfText
) -> None:
    text = pdf_text(english_invoice_pdf)
    assert "Already received" not in text
    assert "Amount due" not in text
    assert text.count("CHF55,001.00") == 2  # the total line and the payment instructions


# Credit notes: a correction or a reduction --------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_correction_credits_the_invoice_and_leaves_the_pledge_unchanged(
    language: str, pdf_text: PdfText, page_images: PageImages
) -> None:
    note = example_credit_note(example_invoice(language=language), kind="correction")
    pdf = render_pdf(note)
    text = pdf_text(pdf)
    assert has(text, gettext(language, "Credit note"))
    assert has(text, gettext(language, "Correction of an invoice"))
    assert has(text, gettext(language, "Corrected invoice"))
    sentence = gettext(
        language, "This credit note corrects invoice %(number)s; the amount pledged is unchanged."
    ) % {"number": "WSIS-2024-0001"}
    assert appears(text, sentence, language), sentence
    if language != "ar":  # the format-2 sentence is not printed as well
        old = gettext(language, "This credit note corrects invoice %(number)s.")
        assert not has(text, old % {"number": "WSIS-2024-0001"})
    # A correction credits the whole invoice: both lines.
    assert appears(text, format_amount(money(TOTAL, "CHF"), language), language)
    assert qr_payloads(pdf, page_images) == []
    root = embedded_xml(pdf)
    assert root.findtext(f".//{{{RAM}}}TypeCode") == "381"
    assert amount_at(root, "DuePayableAmount") == TOTAL
    assert root.find(f".//{{{RAM}}}TotalPrepaidAmount") is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reduction_says_by_how_much_the_pledge_is_reduced(
    language: str, pdf_text: PdfText
) -> None:
    note = example_credit_note(example_invoice(language=language), kind="reduction")
    pdf = render_pdf(note)
    text = pdf_text(pdf)
    quantity, price = LINES[1]
    credited = format_amount(money(quantity * price, "CHF"), language)
    assert has(text, gettext(language, "Reduction of the amount pledged"))
    assert has(text, gettext(language, "Credited invoice"))
    sentence = gettext(
        language,
        "This credit note refers to invoice %(number)s and reduces the amount pledged by "
        "%(amount)s.",
    ) % {"number": "WSIS-2024-0001", "amount": credited}
    assert appears(text, sentence, language), sentence
    assert appears(text, credited, language)
    assert not has(text, gettext(language, "Payment instructions"))
    root = embedded_xml(pdf)
    assert root.findtext(f".//{{{RAM}}}TypeCode") == "381"
    assert amount_at(root, "GrandTotalAmount") == quantity * price


# Letters stating the facts of a payment ------------------------------------------------------

PLEDGE = TOTAL  # the pledge is what the example invoice WSIS-2024-0001 asked for


@attrs.frozen
class Payment:
    """What happened, as the books would have it: the test works out the rest."""

    currency: str
    credited: Decimal
    charges: Decimal
    settles_up_to: Decimal  # what the pledge (or the invoice paid) still asked for
    earlier: Decimal = Decimal(0)  # settled on the pledge before this payment
    instructed: Decimal | None = None  # the pledge-currency amount a foreign payment settles
    invoice: str | None = None
    reference: str | None = None  # the invoice's RF reference as printed

    @property
    def settled(self) -> Decimal:
        if self.instructed is not None:
            return self.instructed
        return min(self.credited + self.charges, self.settles_up_to)

    @property
    def kept(self) -> Decimal:
        if self.instructed is not None:
            return Decimal(0)
        return self.credited + self.charges - self.settled

    @property
    def balance(self) -> Decimal:
        return PLEDGE - self.earlier - self.settled


PAYMENTS: dict[PaymentLetterCase, Payment] = {
    "exact": Payment(
        "CHF", Decimal("55001.00"), Decimal(0), TOTAL,
        invoice="WSIS-2024-0001", reference="RF73 WSIS 2024 0001",
    ),
    "charges": Payment(
        "CHF", Decimal("29975.00"), Decimal("25.00"), TOTAL,
        invoice="WSIS-2024-0001", reference="RF73 WSIS 2024 0001",
    ),
    "overpayment": Payment(
        "CHF", Decimal("60000.00"), Decimal(0), TOTAL,
        invoice="WSIS-2024-0001", reference="RF73 WSIS 2024 0001",
    ),
    "cross_currency": Payment(
        "EUR", Decimal("26190.00"), Decimal("10.00"), TOTAL - RECEIVED[0][1],
        earlier=RECEIVED[0][1], instructed=TOTAL - RECEIVED[0][1],
        invoice="WSIS-2024-0003", reference="RF19 WSIS 2024 0003",
    ),
    "no_invoice": Payment("CHF", Decimal("10000.00"), Decimal(0), TOTAL),
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", list(PAYMENTS))
def test_a_letter_states_the_facts_of_the_payment(
    case: PaymentLetterCase, language: str, pdf_text: PdfText
) -> None:
    facts = PAYMENTS[case]
    text = pdf_text(render_pdf(example_payment_letter(case, language=language)))

    def shows(label: str, amount: Decimal | None, currency: str) -> None:
        assert has(text, gettext(language, label)), label
        if amount is not None:
            assert appears(text, format_amount(money(amount, currency), language), language)

    def omits(label: str) -> None:
        assert not has(text, gettext(language, label)), label

    assert appears(text, format_day(dt.date(2024, 3, 28), language), language)
    shows("Amount credited by the bank", facts.credited, facts.currency)
    if facts.charges:
        shows("Bank charges deducted", facts.charges, facts.currency)
    else:
        omits("Bank charges deducted")
    shows("Settled on this pledge", facts.settled, "CHF")
    if facts.kept:
        shows("Kept as credit in your favour", facts.kept, facts.currency)
    else:
        omits("Kept as credit in your favour")
    shows("Balance of the pledge after this payment", facts.balance, "CHF")
    before = gettext(language, "Remaining balance of the pledge")
    if before not in gettext(language, "Balance of the pledge after this payment"):  # zh: it is
        omits("Remaining balance of the pledge")
    if facts.invoice is not None:
        shows("Invoice paid", None, "")
        assert facts.invoice in text
        assert facts.reference is not None
        assert facts.reference in text
        omits("Bank reference")
        assert "ZKB-20240328-0042" not in text
    else:
        shows("Bank reference", None, "")
        assert "ZKB-20240328-0042" in text
        omits("Invoice paid")
        omits("Payment reference")


def test_an_old_letter_prints_as_it_always_did(pdf_text: PdfText) -> None:
    text = pdf_text(render_pdf(example_letter()))
    assert "Remaining balance of the pledge" in text
    assert "Amount credited by the bank" not in text
    assert "Settled on this pledge" not in text
