"""The queue of bank lines waiting for a person, and the payers known for partners.

A line waits when no rule matched it, when the books refused the payment a rule chose, or
when it is a debit taking back a credit. A person assigns a credit to a partner (optionally
to an invoice or to instalments), which records the payment, with the line's key as
idempotency key, and remembers the payer's IBAN for that partner; or dismisses a line as not
ours, with a reason. Partners' payers (IBANs, aliases) are what the matching rules use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wsis_funding.documents.model import iban_is_valid
from wsis_funding.ledger.errors import AlreadyExists, InvalidField
from wsis_funding.ledger.model import Instalment, Partner, Payment
from wsis_funding.money import Money, from_minor
from wsis_funding.services.bank_facts import alias_key, iban_key
from wsis_funding.services.bank_values import Assignment, BankLine, Payer
from wsis_funding.services.checks import partner_of
from wsis_funding.services.errors import BankLineClosed, UnknownBankLine
from wsis_funding.services.payments import record_payment
from wsis_funding.storage.payers import PayerRow
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = [
    "add_payer",
    "assign_bank_line",
    "bank_line",
    "bank_queue",
    "dismiss_bank_line",
    "line_from_row",
    "partner_payers",
]

_WAITING = ("queued", "refused")
_IDS = range(1, 2**31)


def line_from_row(r: Mapping[str, Any]) -> BankLine:
    """Return a stored line (a row of ``Bank.line``) as a :class:`BankLine`."""
    code = r["currency"]
    instructed = None
    if r["instructed_currency"] is not None:
        instructed = from_minor(r["instructed_minor"], r["instructed_currency"])
    return BankLine(
        id=r["id"], statement=r["statement_id"], kind=r["kind"], status=r["status"],
        rule=r["rule"], reason=r["reason"], booking_date=r["booking_date"],
        value_date=r["value_date"], amount=from_minor(r["amount_minor"], code),
        charges=from_minor(r["charges_minor"], code), instructed=instructed, rf=r["rf"],
        reference=r["servicer_reference"] or r["end_to_end_id"], remittance=r["remittance"],
        debtor_name=r["debtor_name"] or r["ultimate_debtor_name"],
        debtor_account=r["debtor_account"], partner_id=r["partner_id"],
        partner=r["partner_short_name"], payment_id=r["payment_id"],
        invoice=r["invoice_number"], original_line=r["original_line_id"],
    )  # fmt: skip


def _row(uow: UnitOfWork, line: int) -> Mapping[str, Any]:
    if isinstance(line, bool) or not isinstance(line, int):
        raise TypeError(f"a bank line is named by its id, not {line!r}")
    row = uow.bank.line(line) if line in _IDS else None
    if row is None:
        raise UnknownBankLine(line)
    return row


def bank_line(uow: UnitOfWork, line: int) -> BankLine:
    """Return bank line ``line`` and what became of it.

    Raises :class:`UnknownBankLine` if the books hold no line ``line`` (its id, as
    ``bank_queue`` and the reconciliation show it).
    """
    return line_from_row(_row(uow, line))


def bank_queue(uow: UnitOfWork) -> list[BankLine]:
    """Return the bank lines waiting for a person (queued or refused), oldest first.

    Each says why it waits. Raises nothing: books with no bank statement have none.
    """
    return [line_from_row(r) for r in uow.bank.waiting()]


def _waiting(row: Mapping[str, Any], action: str) -> None:
    status = row["status"]
    if status not in _WAITING:
        how = row["reason"] or ""
        if row["payment_id"] is not None:
            how = f"payment {row['payment_id']}"
            if row["rule"]:
                how += f", by {row['rule'].replace('_', ' ')}"
        raise BankLineClosed(row["id"], status, action, how)


def assign_bank_line(
    uow: UnitOfWork,
    line: int,
    partner: Partner | int,
    *,
    invoice: str | None = None,
    apply_to: Sequence[int | Instalment] | None = None,
    settles: Money | None = None,
) -> Assignment:
    """Record a waiting credit line as a payment of ``partner``; remember the payer's IBAN.

    The payment is what reached the account, with the deducted charges, on the value date
    (else the booking date), settling the ``invoice`` named (number or RF reference), or the
    instalments in ``apply_to``, or the partner's open instalments oldest first (see
    ``record_payment``). For money in another currency, ``settles`` states the amount of the
    instalments' currency it settles; without it, the bank's instructed amount is used when
    it is in another currency than the money, else the stored rates of the value date. The
    line's key is the payment's idempotency key. The payer's IBAN, when the line has one
    that no partner has yet, is remembered for the partner.

    Posts what ``record_payment`` posts. Raises :class:`UnknownBankLine`,
    :class:`BankLineClosed` for a line that does not wait (or is a debit taking back a
    credit: that is no payment; dismiss it once handled), and what ``record_payment`` raises.
    """
    row = _row(uow, line)
    _waiting(row, "assign")
    if row["kind"] != "credit":
        raise BankLineClosed(
            row["id"], "a debit taking back a credit", "assign",
            "it is no payment: handle the refund, then dismiss the line with a reason",
        )  # fmt: skip
    p = partner_of(uow, partner)
    assert p.id is not None
    found = line_from_row(row)
    instructed = found.instructed
    if settles is None and instructed is not None and instructed.currency != found.amount.currency:
        settles = instructed
    on = found.value_date or found.booking_date
    if on is None:
        raise BankLineClosed(row["id"], row["status"], "assign", "the bank gave it no date")
    payment: Payment = record_payment(
        uow, p.id, found.received, received_on=on,
        reference=found.reference or f"bank line {found.id}", idempotency_key=row["line_key"],
        bank_charges=found.charges if found.charges.amount else None, apply_to=apply_to,
        invoice=invoice, settles=settles,
    )  # fmt: skip
    uow.bank.set_line(
        found.id, status="assigned", rule="person", reason=None, partner_id=p.id,
        payment_id=payment.id,
    )  # fmt: skip
    remembered = None
    if found.debtor_account and iban_is_valid(found.debtor_account):
        key = iban_key(found.debtor_account)
        if uow.payers.find("iban", key) is None:
            stored = uow.payers.add(p.id, "iban", key, key, found.id)
            remembered = _payer(stored)
    return Assignment(line=bank_line(uow, found.id), payment=payment, remembered=remembered)


def dismiss_bank_line(uow: UnitOfWork, line: int, *, reason: str) -> BankLine:
    """Mark a waiting line as not ours (or handled outside the books), with ``reason``.

    Posts nothing. Raises :class:`UnknownBankLine`, :class:`BankLineClosed` for a line that
    does not wait, and ``ValueError`` for an empty reason.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError(f"dismissing a bank line needs a reason, got {reason!r}")
    row = _row(uow, line)
    _waiting(row, "dismiss")
    uow.bank.set_line(row["id"], status="dismissed", reason=reason.strip())
    return bank_line(uow, row["id"])


def _payer(row: PayerRow) -> Payer:
    return Payer(id=row.id, partner_id=row.partner_id, kind=row.kind, value=row.value,
                 line=row.line_id)  # fmt: skip


def add_payer(
    uow: UnitOfWork,
    partner: Partner | int,
    *,
    iban: str | None = None,
    alias: str | None = None,
) -> Payer:
    """Remember that ``iban`` (an account) or ``alias`` (a name) pays for ``partner``.

    Give exactly one. Bank lines from that account, or whose payer or ultimate payer has
    that name (case, spacing and width ignored), are then matched to the partner. Posts
    nothing. Raises :class:`InvalidField` for an IBAN with a wrong checksum or an empty
    alias, :class:`AlreadyExists` naming the partner a payer already pays for (the same
    partner too), :class:`UnknownPartner`, and ``TypeError`` for neither or both.
    """
    if (iban is None) == (alias is None):
        raise TypeError("give exactly one of iban= or alias=")
    p = partner_of(uow, partner)
    assert p.id is not None
    if iban is not None:
        if not isinstance(iban, str):
            raise TypeError(f"iban must be a str, not {type(iban).__name__}")
        kind, value = "iban", iban_key(iban)
        if not iban_is_valid(value):
            raise InvalidField("iban", iban, "not an IBAN (wrong shape, length or checksum)")
        key = value
    else:
        if not isinstance(alias, str):
            raise TypeError(f"alias must be a str, not {type(alias).__name__}")
        kind, value, key = "alias", alias.strip(), alias_key(alias)
        if not key or "\x00" in key:
            raise InvalidField("alias", alias, "an alias is a name: it cannot be empty")
    taken = uow.payers.find(kind, key)
    if taken is not None:
        raise AlreadyExists(
            f"payer {kind}", value, existing=taken.partner_id,
            detail=f"it pays for partner {taken.partner_id} already",
        )  # fmt: skip
    return _payer(uow.payers.add(p.id, kind, value, key))


def partner_payers(uow: UnitOfWork, partner: Partner | int) -> list[Payer]:
    """Return the IBANs and aliases known to pay for ``partner``, in the order added.

    Raises :class:`UnknownPartner`.
    """
    p = partner_of(uow, partner)
    assert p.id is not None
    return [_payer(r) for r in uow.payers.of_partner(p.id)]
