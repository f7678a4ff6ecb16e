"""Which partner and invoice a bank credit pays, by rules tried in order (pure functions).

The rules, each recorded with the match it made (:class:`Rule`):

1. ``reference``: the line's RF creditor reference (structured, or found in the free text,
   checksum verified by the parser) names one of our invoices; the payment settles that
   invoice.
2. ``payer_account``: the payer's account (IBAN) is known to pay for a partner.
3. ``alias``: the payer's name, or the ultimate debtor's, is an alias known for a partner (a
   subsidiary, an agency that pays for it).
4. ``amount``: exactly one partner has exactly the line's amount open (an invoice's amount
   due, an instalment's open amount, or all it has open in that currency).

Otherwise the line waits for a person (:class:`Waiting`, with the reason). Money in another
currency than the invoice's settles it automatically only when the bank's instructed amount
and currency equal the invoice's amount due; then the payment settles that instructed amount.
Lines that are not payments to us wait as well: a credit returning a debit of ours, a batch
booked as one entry whose transactions are not detailed, a line without a date, a line the
charges took whole.

A debit that takes back a credit (:class:`~wsis_funding.imports.camt.CreditReversal`) always
waits for a person, with the original line named when :func:`find_original` finds it.

What the rules need from the books comes through :class:`MatchFacts`, so that these
functions are tested with plain dictionaries and never touch a database.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeAlias

import attrs

from wsis_funding.imports.camt.model import Credit, CreditReversal, Entry
from wsis_funding.money import Money, to_minor

__all__ = [
    "Booking",
    "Decision",
    "ImportedCredit",
    "InvoiceFacts",
    "MatchFacts",
    "OpenAmounts",
    "PartnerOpen",
    "Rule",
    "Waiting",
    "find_original",
    "match_credit",
    "reversal_reason",
    "shape_of",
]


class Rule(enum.StrEnum):
    """The rule that turned a bank line into a payment."""

    REFERENCE = "reference"
    PAYER_ACCOUNT = "payer_account"
    ALIAS = "alias"
    AMOUNT = "amount"
    PERSON = "person"


@attrs.frozen(kw_only=True)
class Booking:
    """Record the line as a payment of ``partner_id`` (settling ``invoice`` when named).

    ``settles`` is the amount of the invoice's currency the payment settles, for money in
    another currency (the bank's instructed amount).
    """

    rule: Rule
    partner_id: int
    invoice: str | None = None
    settles: Money | None = None


@attrs.frozen
class Waiting:
    """The line waits for a person, for ``reason``."""

    reason: str


Decision: TypeAlias = Booking | Waiting


@attrs.frozen(kw_only=True)
class PartnerOpen:
    """What one partner has open in one currency, in minor units.

    ``total`` is everything open; ``instalments`` each open instalment's open part;
    ``invoices`` each open invoice's number and amount due.
    """

    partner_id: int
    currency: str
    total: int
    instalments: tuple[int, ...]
    invoices: tuple[tuple[str, int], ...]


class OpenAmounts:
    """Every partner's open amounts, indexed by currency and amount for the amount rule."""

    def __init__(self, parts: Iterable[PartnerOpen]) -> None:
        """Index ``parts`` (one per partner and currency)."""
        self._partners: dict[tuple[str, int], set[int]] = {}
        self._invoices: dict[tuple[int, str, int], list[str]] = {}
        self._currencies: dict[int, set[str]] = {}
        for part in parts:
            self._currencies.setdefault(part.partner_id, set()).add(part.currency)
            amounts = {part.total, *part.instalments, *(due for _, due in part.invoices)}
            for amount in amounts:
                self._partners.setdefault((part.currency, amount), set()).add(part.partner_id)
            for number, due in part.invoices:
                key = (part.partner_id, part.currency, due)
                self._invoices.setdefault(key, []).append(number)

    def partners_with(self, amount: Money) -> frozenset[int]:
        """Return the partners with exactly ``amount`` open in some way."""
        return frozenset(self._partners.get((amount.currency.code, to_minor(amount)), ()))

    def invoices_due(self, partner_id: int, amount: Money) -> tuple[str, ...]:
        """Return the partner's open invoices whose amount due is exactly ``amount``."""
        key = (partner_id, amount.currency.code, to_minor(amount))
        return tuple(self._invoices.get(key, ()))

    def currencies_of(self, partner_id: int) -> frozenset[str]:
        """Return the currencies in which the partner has something open."""
        return frozenset(self._currencies.get(partner_id, ()))


@attrs.frozen(kw_only=True)
class InvoiceFacts:
    """The invoice an RF reference names: its number, partner and currency."""

    number: str
    partner_id: int
    currency: str


class MatchFacts(Protocol):
    """What the rules ask of the books (the import use case answers from the database)."""

    def invoice(self, rf: str) -> InvoiceFacts | None:
        """Return the invoice whose creditor reference is ``rf`` (compact), if any."""

    def invoice_due(self, number: str) -> Money:
        """Return what invoice ``number`` still asks for now."""

    def payer_of_account(self, account: str) -> int | None:
        """Return the partner known to pay from ``account`` (compact IBAN), if any."""

    def payer_of_name(self, name: str) -> int | None:
        """Return the partner known by the alias ``name``, if any."""

    def open_amounts(self) -> OpenAmounts:
        """Return every partner's open amounts as they stand now."""


def shape_of(entry: Entry) -> str:
    """Return an entry's shape: ``"batch"``, ``"summary"`` or ``"single"``.

    A batch holds two or more transactions. A summary books a batch as one entry without
    detailing it: the bank declares more transactions (``Btch/NbOfTxs``) than it holds.
    """
    if entry.transaction_count >= 2:
        return "batch"
    declared = entry.declared_batch_size
    if declared is not None and declared > 1:
        return "summary"
    return "single"


def match_credit(line: Credit, facts: MatchFacts) -> Decision:
    """Decide what a booked credit line becomes: a :class:`Booking` or :class:`Waiting`.

    The rules are tried in the order of the module docstring; the first that matches wins.
    """
    if line.entry.reversal:
        return Waiting("a credit returning an earlier debit of ours (RvslInd), not a payment")
    if shape_of(line.entry) == "summary":
        return Waiting(
            f"a batch of {line.entry.declared_batch_size} payments booked as one entry: "
            "waiting for its transactions (camt.054) or for a person"
        )
    if line.value_date is None and line.booking_date is None:
        return Waiting("the bank gave neither a value date nor a booking date")
    if line.received.amount <= 0:
        return Waiting("the deducted charges take the whole amount: nothing was received")
    notes: list[str] = []
    rf = line.references.rf
    if rf is not None:
        invoice = facts.invoice(rf)
        if invoice is not None:
            return _by_invoice(line, invoice, facts, Rule.REFERENCE)
        notes.append(f"{rf} names no invoice of ours")
    else:
        notes.append("no creditor reference")
    found = _payer(line, facts)
    if found is not None:
        return _by_partner(line, found[0], found[1], facts.open_amounts())
    notes.append("the payer is not known")
    decision = _by_amount(line, facts.open_amounts())
    if isinstance(decision, Booking):
        return decision
    return Waiting("; ".join([*notes, decision.reason]))


def _payer(line: Credit, facts: MatchFacts) -> tuple[int, Rule] | None:
    if line.debtor_account:
        partner = facts.payer_of_account(line.debtor_account)
        if partner is not None:
            return partner, Rule.PAYER_ACCOUNT
    for name in (line.debtor_name, line.ultimate_debtor_name):
        if name:
            partner = facts.payer_of_name(name)
            if partner is not None:
                return partner, Rule.ALIAS
    return None


def _by_invoice(line: Credit, invoice: InvoiceFacts, facts: MatchFacts, rule: Rule) -> Decision:
    code = line.amount.currency.code
    if invoice.currency == code:
        return Booking(rule=rule, partner_id=invoice.partner_id, invoice=invoice.number)
    instructed = line.instructed
    what = f"paid in {code} for invoice {invoice.number} in {invoice.currency}"
    if instructed is None or instructed.amount.currency.code != invoice.currency:
        return Waiting(f"{what}, with no instructed amount in {invoice.currency}")
    due = facts.invoice_due(invoice.number)
    if instructed.amount != due:
        return Waiting(
            f"{what}: the instructed {_shown(instructed.amount)} is not the "
            f"{_shown(due)} it asks for"
        )
    return Booking(
        rule=rule, partner_id=invoice.partner_id, invoice=invoice.number, settles=instructed.amount
    )


def _by_partner(line: Credit, partner: int, rule: Rule, amounts: OpenAmounts) -> Decision:
    code = line.amount.currency.code
    currencies = amounts.currencies_of(partner)
    if not currencies or code in currencies:
        return Booking(rule=rule, partner_id=partner)
    instructed = line.instructed
    if instructed is not None and instructed.amount.currency.code in currencies:
        invoices = amounts.invoices_due(partner, instructed.amount)
        if len(invoices) == 1:
            return Booking(
                rule=rule, partner_id=partner, invoice=invoices[0], settles=instructed.amount
            )
    return Waiting(
        f"paid in {code} by partner {partner} (by {rule.value.replace('_', ' ')}), whose open "
        f"instalments are in {', '.join(sorted(currencies))}, and no invoice asks for the "
        "instructed amount"
    )


def _by_amount(line: Credit, amounts: OpenAmounts) -> Decision:
    partners = amounts.partners_with(line.amount)
    if len(partners) == 1:
        (partner,) = partners
        invoices = amounts.invoices_due(partner, line.amount)
        number = invoices[0] if len(invoices) == 1 else None
        return Booking(rule=Rule.AMOUNT, partner_id=partner, invoice=number)
    instructed = line.instructed
    if (
        not partners
        and instructed is not None
        and instructed.amount.currency != line.amount.currency
    ):
        for partner in sorted(amounts.partners_with(instructed.amount)):
            invoices = amounts.invoices_due(partner, instructed.amount)
            others = amounts.partners_with(instructed.amount) - {partner}
            if len(invoices) == 1 and not others:
                return Booking(
                    rule=Rule.AMOUNT,
                    partner_id=partner,
                    invoice=invoices[0],
                    settles=instructed.amount,
                )
    if partners:
        listed = ", ".join(str(p) for p in sorted(partners))
        return Waiting(f"{_shown(line.amount)} is open for several partners ({listed})")
    return Waiting(f"no partner has exactly {_shown(line.amount)} open")


@attrs.frozen(kw_only=True)
class ImportedCredit:
    """A credit line already imported, as a candidate original of a reversal."""

    line_id: int
    amount: Money
    received: Money
    booking_date: dt.date | None
    end_to_end_id: str | None
    servicer_reference: str | None
    rf: str | None
    debtor_account: str | None
    payment_id: int | None


def find_original(
    reversal: CreditReversal, candidates: Sequence[ImportedCredit]
) -> tuple[ImportedCredit, ...]:
    """Return the imported credits that ``reversal`` may take back, best first.

    A candidate has the reversal's amount (gross or received). Each identifier the reversal
    carries (end-to-end id, the bank's transaction reference, RF reference, payer account)
    narrows the candidates to those sharing it, when any does. One result names the original.
    """
    same = [c for c in candidates if reversal.amount in (c.amount, c.received)]
    refs = reversal.references
    for mine, field in (
        (refs.end_to_end_id, "end_to_end_id"),
        (refs.servicer_reference, "servicer_reference"),
        (refs.rf, "rf"),
        (reversal.debtor_account, "debtor_account"),
    ):
        if mine:
            sharing = [c for c in same if getattr(c, field) == mine]
            if sharing:
                same = sharing
    return tuple(sorted(same, key=lambda c: c.line_id))


def reversal_reason(reversal: CreditReversal, originals: Sequence[ImportedCredit]) -> str:
    """Say what a reversal takes back, for the person who must handle it."""
    shown = _shown(reversal.amount)
    if len(originals) == 1:
        original = originals[0]
        became = (
            f", which became payment {original.payment_id}"
            if original.payment_id is not None
            else ""
        )
        return f"the bank takes back {shown} of line {original.line_id}{became}"
    if originals:
        lines = ", ".join(str(o.line_id) for o in originals)
        return f"the bank takes back {shown} of one of lines {lines}"
    return f"the bank takes back {shown} of a credit that was not imported"


def _shown(amount: Money) -> str:
    return f"{amount.amount} {amount.currency.code}"
