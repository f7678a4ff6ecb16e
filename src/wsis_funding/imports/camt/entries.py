"""One entry (``Ntry``) into its lines: the batch rule, charges, references and parties.

The rule for amounts and charges (documented once, here):

- An entry with several transactions (``NtryDtls/TxDtls``) is a batch: each transaction is
  one line, whose amount is the transaction's own amount in the account currency
  (``TxDtls/Amt``, else ``AmtDtls/TxAmt/Amt``; .02 has only the latter).
- Deducted charges (see :func:`~wsis_funding.imports.camt.elements.deducted_charges`) may be
  stated on the entry, on the transactions, or both. The entry's are the total for the entry
  when present (ISO: "charges included in the entry amount ... used on entry level in case of
  batch bookings"); otherwise the total is the sum of the transactions' charges. A line
  carries the charges stated on its own transaction when those add up to the total;
  otherwise (charges stated on the entry only, or transactions' charges that do not add up
  to the entry's) the total is spread over the lines in proportion to their amounts, by
  largest remainder. Either way the lines' charges add up to what the bank deducted, so
  that each line's amount less its charges is what reached the account for it, and the
  lines add up to the entry: charges are never lost on a batch.
- The batch must balance: the transactions' amounts less the total deducted charges equal the
  entry amount, exactly; otherwise the whole file is refused with
  :class:`~wsis_funding.imports.camt.errors.UnbalancedBatch`.
- An entry with one transaction or none is one line whose amount is the entry amount plus
  its deducted charges: the payment before the bank took its charges. A transaction amount
  that the bank may also state is not used (banks differ on whether it is net or gross).
- A transaction whose ``CdtDbtInd`` differs from its entry's is refused: netted batches are
  not supported.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import attrs
from lxml import etree

from wsis_funding.imports.camt.dialect import Dialect
from wsis_funding.imports.camt.elements import (
    Element,
    Place,
    amount_of,
    boolean,
    date_of,
    deducted_charges,
    instructed_of,
    money_of,
    text,
)
from wsis_funding.imports.camt.errors import UnbalancedBatch
from wsis_funding.imports.camt.indexed import Indexed
from wsis_funding.imports.camt.model import (
    CreditorReference,
    Entry,
    EntryKey,
    Instructed,
    LineId,
    References,
    Statement,
)
from wsis_funding.imports.camt.references import (
    compact_rf,
    find_rf_references,
    isr_reference,
    qr_reference,
)
from wsis_funding.money import CONTEXT, Money, allocate, money

__all__ = ["EntryHead", "LineParts", "Occurrences", "read_head", "read_lines"]

Occurrences = dict[bytes, int]
"""How often each entry key and line identity was seen in the file so far, by a digest of
its fields: the file's every entry and line is counted here, so each costs a 16-byte key
rather than a tuple of its values (a 100 MB statement holds some 500,000)."""


def _seen(occurrences: Occurrences, fields: tuple[object, ...]) -> int:
    """Count one more occurrence of ``fields``; return how many there are now."""
    key = hashlib.blake2b(repr(fields).encode(), digest_size=16).digest()
    occurrences[key] = count = occurrences.get(key, 0) + 1
    return count


@attrs.frozen(kw_only=True)
class EntryHead:
    """What every entry is counted by: amount, direction, status, reversal."""

    amount: Decimal
    credit: bool
    booked: bool
    reversal: bool
    status: str


@attrs.frozen(kw_only=True)
class LineParts:
    """One line of an entry, before it is wrapped as a Credit or CreditReversal."""

    identity: LineId
    transaction_position: int
    amount: Money
    charges: Money
    instructed: Instructed | None
    references: References
    debtor_name: str | None
    debtor_account: str | None
    ultimate_debtor_name: str | None


def read_head(entry: Element, d: Dialect, currency: str, place: Place) -> EntryHead:
    """Read an entry's amount, direction, status and reversal indicator.

    Raises :class:`StatementRefused` for an amount not in the account currency or with more
    decimals than it has, and for a missing or unknown direction or status.
    """
    value, code = amount_of(entry.find(d.path("Amt")), "Ntry/Amt", place)
    if code != currency:
        raise place.refuse(f"the entry amount is in {code}, the account is in {currency}")
    money_of(value, code, "Ntry/Amt", place)
    status = text(entry, d.status_path)
    if status is None and d.version == "08":
        status = text(entry, d.path("Sts/Prtry"))
    if status is None:
        raise place.missing("Ntry/Sts")
    return EntryHead(
        amount=value,
        credit=_direction(entry, d, place),
        booked=status == "BOOK",
        reversal=bool(boolean(entry, d.path("RvslInd"), place)),
        status=status,
    )


def _direction(element: Element, d: Dialect, place: Place) -> bool:
    indicator = text(element, d.path("CdtDbtInd"))
    if indicator not in ("CRDT", "DBIT"):
        raise place.refuse(f"CdtDbtInd is {indicator!r}, not CRDT or DBIT")
    return indicator == "CRDT"


def read_lines(
    element: Indexed,
    head: EntryHead,
    *,
    d: Dialect,
    statement: Statement,
    position: int,
    occurrences: Occurrences,
    place: Place,
) -> tuple[Entry, list[LineParts]]:
    """Read a booked entry into its :class:`Entry` and one :class:`LineParts` per line.

    ``element`` is the entry, viewed through :class:`Indexed` (its raw XML is the element's).

    Raises :class:`UnbalancedBatch` for a batch that does not add up, and
    :class:`StatementRefused` for amounts, charges or directions that cannot be used.
    """
    currency = statement.currency
    reference = text(element, d.path("AcctSvcrRef")) or text(element, d.path("NtryRef")) or ""
    booking = date_of(element, d.path("BookgDt"), place)
    transactions = element.findall(d.path("NtryDtls/TxDtls"))
    entry_charges = deducted_charges(element, d, currency, place)
    tx_charges = [deducted_charges(tx, d, currency, place) for tx in transactions]
    zero = Decimal(0)
    for i, each in enumerate(transactions, start=1):
        if (
            text(each, d.path("CdtDbtInd")) is not None
            and _direction(each, d, place) != head.credit
        ):
            raise place.refuse(
                f"transaction {i} goes the other way than its entry (netted batches are "
                "not supported)"
            )
    if len(transactions) >= 2:
        amounts = [_tx_amount(tx, d, currency, i, place) for i, tx in enumerate(transactions, 1)]
        charges = [c if c is not None else zero for c in tx_charges]
        total_charges = entry_charges if entry_charges is not None else _sum(charges)
        total = _sum(amounts)
        if CONTEXT.subtract(total, total_charges) != head.amount:
            raise UnbalancedBatch(
                place.file,
                place.where or "",
                entry_amount=head.amount,
                transactions_total=total,
                charges=total_charges,
                currency=currency,
            )
        if _sum(charges) != total_charges:
            charges = _spread(total_charges, amounts, currency)
    else:
        own = tx_charges[0] if tx_charges else None
        total_charges = entry_charges if entry_charges is not None else (own or zero)
        amounts = [CONTEXT.add(head.amount, total_charges)]
        charges = [total_charges]
    entry_instructed = instructed_of(element, d, "entry", place)
    entry_amount = money_of(head.amount, currency, "Ntry/Amt", place)
    # Credits and debits are counted apart: a credit and the debit that reverses it may share
    # every other field, and a later file holding only one of them must give it the same
    # occurrence.
    key_fields = (head.credit, statement.account, booking, reference, entry_amount.amount, currency)
    occurrence = _seen(occurrences, key_fields)
    entry = Entry(
        key=EntryKey(
            account=statement.account,
            booking_date=booking,
            reference=reference,
            amount=entry_amount,
            occurrence=occurrence,
        ),
        position=position,
        status=head.status,
        credit=head.credit,
        reversal=head.reversal,
        amount=entry_amount,
        charges=money_of(total_charges, currency, "deducted charges", place),
        booking_date=booking,
        value_date=date_of(element, d.path("ValDt"), place),
        transaction_count=len(transactions),
        declared_batch_size=_batch_size(element, d, place),
        instructed=entry_instructed,
        raw_xml=etree.tostring(element.element, method="c14n", exclusive=True, with_comments=False),
    )
    entry_refs = _EntryRefs(
        entry=text(element, d.path("NtryRef")),
        servicer=text(element, d.path("AcctSvcrRef")),
        info=text(element, d.path("AddtlNtryInf")),
    )
    lines = []
    txs: list[Element | None] = list(transactions) or [None]
    for i, (tx, amount, charge) in enumerate(zip(txs, amounts, charges, strict=True), start=1):
        line_amount = money_of(amount, currency, "transaction amount", place)
        line_fields = (
            head.credit,
            statement.account,
            booking,
            reference,
            i,
            line_amount.amount,
            currency,
        )
        occurrence = _seen(occurrences, line_fields)
        instructed = instructed_of(tx, d, "transaction", place) if tx is not None else None
        if instructed is None and len(txs) == 1:
            instructed = entry_instructed
        parties = None if tx is None else tx.find(d.path("RltdPties"))
        lines.append(
            LineParts(
                identity=LineId(
                    account=statement.account,
                    booking_date=booking,
                    entry_reference=reference,
                    transaction_position=i,
                    amount=line_amount,
                    occurrence=occurrence,
                ),
                transaction_position=i,
                amount=line_amount,
                charges=money_of(charge, currency, "deducted charges", place),
                instructed=instructed,
                references=_references(entry_refs, tx, d, search_entry_text=len(txs) == 1),
                debtor_name=None if parties is None else text(parties, d.party_name_path("Dbtr")),
                debtor_account=None if parties is None else _debtor_account(parties, d),
                ultimate_debtor_name=(
                    None if parties is None else text(parties, d.party_name_path("UltmtDbtr"))
                ),
            )
        )
    return entry, lines


def _spread(total: Decimal, amounts: list[Decimal], currency: str) -> list[Decimal]:
    """Split ``total`` over lines in proportion to their ``amounts`` (largest remainder)."""
    if not any(amounts):
        # No amounts to weigh by (a batch of zero amounts): the first line carries it all.
        return [total] + [Decimal(0)] * (len(amounts) - 1)
    shares = allocate(money(total, currency), amounts)
    return [share.amount for share in shares]


def _sum(values: list[Decimal]) -> Decimal:
    total = Decimal(0)
    for value in values:
        total = CONTEXT.add(total, value)
    return total


def _tx_amount(tx: Element, d: Dialect, currency: str, i: int, place: Place) -> Decimal:
    """Return a batch transaction's amount in the account currency (``Amt``, else ``TxAmt``)."""
    seen = []
    for path in ("Amt", "AmtDtls/TxAmt/Amt"):
        found = tx.find(d.path(path))
        if found is None:
            continue
        value, code = amount_of(found, f"transaction {i} {path}", place)
        if code == currency:
            money_of(value, code, f"transaction {i} {path}", place)
            return value
        seen.append(f"{path} in {code}")
    got = f" (only {', '.join(seen)})" if seen else ""
    raise place.refuse(
        f"transaction {i} of the batch has no amount in the account currency {currency}{got}"
    )


def _batch_size(entry: Element, d: Dialect, place: Place) -> int | None:
    sizes = [text(b, d.path("NbOfTxs")) for b in entry.iterfind(d.path("NtryDtls/Btch"))]
    numbers = [s for s in sizes if s is not None]
    if not numbers:
        return None
    if not all(s.isascii() and s.isdigit() for s in numbers):
        raise place.refuse(f"Btch/NbOfTxs {numbers!r} is not a whole number")
    return sum(int(s) for s in numbers)


def _debtor_account(parties: Element, d: Dialect) -> str | None:
    account = parties.find(d.path("DbtrAcct/Id"))
    if account is None:
        return None
    iban = text(account, d.path("IBAN"))
    return iban.replace(" ", "").upper() if iban else text(account, d.path("Othr/Id"))


@attrs.frozen
class _EntryRefs:
    """The entry-level references, read once for all the lines of an entry."""

    entry: str | None
    servicer: str | None
    info: str | None


def _references(
    entry_refs: _EntryRefs,
    tx: Element | None,
    d: Dialect,
    *,
    search_entry_text: bool,
) -> References:
    """Every reference of one line; ``search_entry_text``: look for an RF in AddtlNtryInf.

    A batch's AddtlNtryInf describes the whole batch, so an RF there cannot name one line's
    invoice and is not looked for.
    """
    creditor: list[CreditorReference] = []
    unstructured: list[str] = []
    tx_info = None
    if tx is not None:
        tx_info = text(tx, d.path("AddtlTxInf"))
        remittance = tx.find(d.path("RmtInf"))
        if remittance is not None:
            unstructured.extend(
                t for u in remittance.iterfind(d.path("Ustrd")) if (t := (u.text or "").strip())
            )
            for structured in remittance.iterfind(d.path("Strd")):
                info = structured.find(d.path("CdtrRefInf"))
                ref = None if info is None else text(info, d.path("Ref"))
                if info is not None and ref is not None:
                    kind = (
                        text(info, d.path("Tp/CdOrPrtry/Cd"))
                        or text(info, d.path("Tp/CdOrPrtry/Prtry"))
                        or ""
                    )
                    creditor.append(
                        CreditorReference(kind=kind, reference=ref, valid=_valid(kind, ref))
                    )
                unstructured.extend(
                    t
                    for a in structured.iterfind(d.path("AddtlRmtInf"))
                    if (t := (a.text or "").strip())
                )
    rf = next(
        (compact_rf(c.reference) for c in creditor if c.valid and _kind(c.kind) in ("SCOR", "")),
        None,
    )
    rf_in_text = False
    if rf is None:
        texts = [*unstructured, tx_info or ""]
        if search_entry_text:
            texts.append(entry_refs.info or "")
        for free in texts:
            found = find_rf_references(free)
            if found:
                rf, rf_in_text = found[0], True
                break
    qr = next(
        (qr_reference(c.reference) for c in creditor if c.valid and _kind(c.kind) == "QRR"), None
    )
    isr = next(
        (isr_reference(c.reference) for c in creditor if c.valid and _kind(c.kind) == "ISR"),
        None,
    )
    refs = None if tx is None else tx.find(d.path("Refs"))
    return References(
        entry_reference=entry_refs.entry,
        entry_servicer_reference=entry_refs.servicer,
        servicer_reference=None if refs is None else text(refs, d.path("AcctSvcrRef")),
        end_to_end_id=None if refs is None else text(refs, d.path("EndToEndId")),
        creditor=tuple(creditor),
        rf=rf,
        rf_in_text=rf_in_text,
        qr=qr,
        isr=isr,
        unstructured=tuple(unstructured),
        additional_transaction_info=tx_info,
        additional_entry_info=entry_refs.info,
    )


def _kind(kind: str) -> str:
    """Normalise a reference type: SCOR, QRR, ISR (ISR/ESR/BVR in any spelling) or as given."""
    upper = kind.strip().upper()
    if upper.startswith(("ISR", "ESR", "BVR")):
        return "ISR"
    return upper


def _valid(kind: str, ref: str) -> bool:
    normal = _kind(kind)
    if normal == "QRR":
        return qr_reference(ref) is not None
    if normal == "ISR":
        return isr_reference(ref) is not None
    return compact_rf(ref) is not None
