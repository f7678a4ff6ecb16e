"""Reminder letters read as a partner would read them, in each of the six UN languages.

A USD pledge of three instalments; the first two are invoiced, the first partly paid late, the
third not yet invoiced. On 15 April the reminder must list what is still open on each
invoice, since when (the invoice's due date), how many days late, the total in dollars and
the reference to pay each invoice with; and nothing about the instalment never invoiced.
Every figure is worked out here (Decimal, date arithmetic, ISO 11649 by hand) and looked for
in the text pdftotext extracts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

from tests.factories import SIGNED, Books, example_issuer, make_partner
from tests.integration.rendering.pdftext import appears, count, has
from wsis_funding.i18n import LANGUAGES, format_amount, format_day, format_number, translations
from wsis_funding.ledger.model import Language
from wsis_funding.money import money
from wsis_funding.services import open_tracker

PdfText = Callable[..., str]
INSTALMENTS = (
    (dt.date(2024, 3, 1), Decimal("30000.10")),
    (dt.date(2024, 4, 1), Decimal("40000.20")),
    (dt.date(2024, 5, 1), Decimal("20000.00")),
)
PAID = Decimal("12345.67")
ON = dt.date(2024, 4, 15)
INVOICES = (  # number, issued, due, instalment (1-based), open on the reminder's date
    ("WSIS-2024-0001", dt.date(2024, 2, 1), dt.date(2024, 3, 2), 1, INSTALMENTS[0][1] - PAID),
    ("WSIS-2024-0002", dt.date(2024, 3, 1), dt.date(2024, 3, 31), 2, INSTALMENTS[1][1]),
)
IBAN = "CH93 0076 2011 6238 5295 7"  # the example issuer's account


def rf(number: str) -> str:
    """The ISO 11649 creditor reference of an invoice number, worked out by hand, grouped."""
    body = number.replace("-", "")
    digits = "".join(str(int(c, 36)) for c in body + "RF00")
    compact = f"RF{98 - int(digits) % 97:02d}{body}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _(language: str, msgid: str) -> str:
    return str(translations(language).gettext(msgid))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reminder_states_what_is_overdue_since_when_and_how_to_pay_it(
    language: str, db_url: str, pdf_text: PdfText
) -> None:
    with open_tracker(db_url, issuer=example_issuer()) as tracker:
        books = Books(tracker)
        partner = tracker.add_partner(
            attrs.evolve(make_partner("REM"), language=Language(language))
        )
        assert partner.id is not None
        total = sum((a for _, a in INSTALMENTS), Decimal(0))
        pledge = tracker.confirm(
            tracker.create_pledge(
                partner.id, "WSIS2024", amount=money(total, "USD"), signed_on=SIGNED,
                instalments=[(d, money(a, "USD")) for d, a in INSTALMENTS],
            )
        )  # fmt: skip
        first = tracker.issue_invoice(pledge.instalments[0], INVOICES[0][1], due_on=INVOICES[0][2])
        tracker.issue_invoice(pledge.instalments[1], INVOICES[1][1], due_on=INVOICES[1][2])
        tracker.record_payment(partner.id, money(PAID, "USD"), received_on=dt.date(2024, 3, 20),
                               reference="late and short", idempotency_key="rem-1",
                               invoice=first.number)  # fmt: skip
        summary = tracker.issue_reminders("WSIS2024", ON)
        assert [(i.partner, i.outcome, i.number) for i in summary.items] == [
            ("REM", "issued", "WSIS-REM-2024-0001")
        ]
        text = pdf_text(tracker.render_pdf("WSIS-REM-2024-0001"))
        assert books.partner.id != partner.id  # ACME, with nothing invoiced, got none

    def shown(amount: Decimal) -> str:
        return format_amount(money(amount, "USD"), language)

    assert has(text, _(language, "Payment reminder"))
    assert has(text, "WSIS-REM-2024-0001")
    intro = _(
        language,
        "According to our records, the following amounts invoiced to %(partner)s for "
        "%(edition)s were due and remain unpaid on %(date)s:",
    ) % {
        "partner": "REM Corporation",
        "edition": "WSIS+20 Forum High-Level Event",
        "date": format_day(ON, language),
    }
    # pdftotext drops a hyphen where a line breaks ("High-Level" at the end of a line).
    assert appears(text.replace("-", ""), intro.replace("-", ""), language), intro
    for label in ("Invoice", "Instalment", "Due date", "Days overdue", "Amount open"):
        assert has(text, _(language, label)), label
    for number, _issued, due, seq, still in INVOICES:
        cells = [
            number,
            _(language, "%(seq)s of %(count)s") % {"seq": seq, "count": 3},
            format_day(due, language),  # since when: the invoice's due date
            format_number(Decimal((ON - due).days), language),  # days overdue on 15 April
            shown(still),
        ]
        if language == "ar":  # cells of a right-to-left row come out in another order
            assert all(appears(text, cell, language) for cell in cells), cells
        else:
            assert has(text, "".join(cells)), cells
        assert count(text, shown(still), language) == 1
        label = _(language, "Payment reference for invoice %(number)s") % {"number": number}
        assert appears(text, label, language), label
        assert appears(text, rf(number), language)
    overdue = sum((i[4] for i in INVOICES), Decimal(0))
    assert overdue == Decimal("57654.63")
    assert count(text, shown(overdue), language) == 2  # the table's total and the payment box
    assert has(text, _(language, "Total overdue"))
    assert count(text, shown(INSTALMENTS[2][1]), language) == 0  # never invoiced: not reminded
    assert appears(text, IBAN, language)
    assert has(text, _(language, "If you have made this payment in the meantime, please "
                                 "disregard this reminder."))  # fmt: skip
