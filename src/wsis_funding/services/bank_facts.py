"""The books' answers to the matching rules (``MatchFacts`` of ``imports.camt.matching``).

Invoices named by creditor reference are fetched a chunk of lines at a time; the payers are
read once per import; the partners' open amounts are read when the amount rule first needs
them and read again after any payment changed them.
"""

from __future__ import annotations

from collections.abc import Iterable

from wsis_funding.imports.camt import normalise_account
from wsis_funding.imports.camt.matching import InvoiceFacts, OpenAmounts, PartnerOpen
from wsis_funding.ledger.validation import identity_key
from wsis_funding.money import Money
from wsis_funding.services.documents import invoice_balance
from wsis_funding.storage.banking import InvoiceRef
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["BooksFacts", "alias_key", "iban_key"]


def iban_key(account: str) -> str:
    """Return the key an account is known by: no spaces, upper case."""
    return normalise_account(account)


def alias_key(name: str) -> str:
    """Return the key an alias is known by: case, spacing and width ignored."""
    return identity_key(name)


class BooksFacts:
    """What the matching rules ask, answered from the books of one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        """Answer from ``uow``."""
        self._uow = uow
        self._invoices: dict[str, InvoiceRef | None] = {}
        self._open: OpenAmounts | None = None
        self._payers: tuple[dict[str, int], dict[str, int]] | None = None

    def prefetch(self, references: Iterable[str]) -> None:
        """Fetch the invoices these RF references name (replacing the previous chunk's)."""
        wanted = list(dict.fromkeys(references))
        found = self._uow.bank.invoices(wanted)
        self._invoices = {rf: found.get(rf) for rf in wanted}

    def invoice(self, rf: str) -> InvoiceFacts | None:
        """Return the invoice whose creditor reference is ``rf``, if any."""
        if rf not in self._invoices:
            self._invoices[rf] = self._uow.bank.invoices([rf]).get(rf)
        found = self._invoices[rf]
        if found is None:
            return None
        return InvoiceFacts(number=found.number, partner_id=found.partner_id,
                            currency=found.currency)  # fmt: skip

    def invoice_due(self, number: str) -> Money:
        """Return what the invoice still asks for."""
        return invoice_balance(self._uow, number).open

    def _payer_index(self) -> tuple[dict[str, int], dict[str, int]]:
        if self._payers is None:
            ibans: dict[str, int] = {}
            aliases: dict[str, int] = {}
            for payer in self._uow.payers.all():
                (ibans if payer.kind == "iban" else aliases)[payer.value_key] = payer.partner_id
            self._payers = (ibans, aliases)
        return self._payers

    def payer_of_account(self, account: str) -> int | None:
        """Return the partner known to pay from ``account``, if any."""
        return self._payer_index()[0].get(iban_key(account))

    def payer_of_name(self, name: str) -> int | None:
        """Return the partner known by the alias ``name``, if any."""
        key = alias_key(name)
        return self._payer_index()[1].get(key) if key else None

    def open_amounts(self) -> OpenAmounts:
        """Return every partner's open amounts as they stand now."""
        if self._open is None:
            self._open = OpenAmounts(self._open_parts())
        return self._open

    def changed(self) -> None:
        """Forget the open amounts: a payment was recorded."""
        self._open = None

    def _open_parts(self) -> list[PartnerOpen]:
        rows = self._uow.bank.open_instalments()
        open_on = self._uow.documents.open_on(r.id for r in rows)
        invoice_ids = {i for found in open_on.values() for i, amount in found if amount > 0}
        numbers = self._uow.bank.invoice_numbers(sorted(invoice_ids))
        groups: dict[tuple[int, str], tuple[list[int], dict[str, int]]] = {}
        for row in rows:
            instalments, invoices = groups.setdefault((row.partner_id, row.currency), ([], {}))
            instalments.append(row.open_minor)
            for invoice_id, amount in open_on.get(row.id, ()):
                if amount > 0:
                    number = numbers[invoice_id]
                    invoices[number] = invoices.get(number, 0) + amount
        return [
            PartnerOpen(
                partner_id=partner,
                currency=currency,
                total=sum(instalments),
                instalments=tuple(instalments),
                invoices=tuple(sorted(invoices.items())),
            )
            for (partner, currency), (instalments, invoices) in groups.items()
        ]
