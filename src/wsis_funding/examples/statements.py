"""Example bank statements: a camt.053 (ISO 20022, version .001.04) crediting given payments.

For the demo, the documentation and the benchmarks: :func:`statement_paying` writes the
statement a Swiss bank would send after the partners paid the given invoices (each its
amount due, with its RF creditor reference), and :func:`camt053` writes one for any list of
:class:`ExampleCredit`. The files are valid against the published camt.053.001.04 schema
(the tests check it), with balances and the bank's totals computed from the entries.
Standard library only; nothing is read or written but the returned bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import attrs

from wsis_funding.documents.model import InvoiceSnapshot, IssuedDocument
from wsis_funding.money import CONTEXT, Money, from_minor, minor_unit_exponent, quantize, to_minor

__all__ = ["ExampleCredit", "camt053", "statement_paying"]

_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"


@attrs.frozen(kw_only=True)
class ExampleCredit:
    """One payment received: a single-transaction credit entry of the statement.

    ``amount`` is what the payer sent, in the account's currency; ``charges`` what the
    banks deducted (the entry books ``amount - charges``). ``instructed`` is the amount the
    payer instructed in its own currency, when it differs from the account's, and
    ``exchange_rate`` the bank's rate from it to the account's (``CcyXchg``). ``reference``
    is a structured creditor reference (RF), ``text`` free remittance text.
    """

    amount: Money
    reference: str | None = None
    text: str | None = None
    debtor: str | None = None
    debtor_iban: str | None = None
    instructed: Money | None = None
    charges: Money | None = None
    value_date: dt.date | None = None
    exchange_rate: Decimal | None = None


def _el(name: str, *children: str | None, **attributes: str) -> str:
    attrs_text = "".join(f" {k}={quoteattr(v)}" for k, v in attributes.items())
    return f"<{name}{attrs_text}>{''.join(c for c in children if c)}</{name}>"


def _text(name: str, value: object | None) -> str | None:
    return None if value is None else f"<{name}>{escape(str(value))}</{name}>"


def _amount(name: str, amount: Money) -> str:
    digits = minor_unit_exponent(amount.currency.code)
    shown = format(amount.amount.quantize(Decimal(1).scaleb(-digits)), "f")
    return _el(name, shown, Ccy=amount.currency.code)


def _balance(code: str, amount: Money, day: dt.date) -> str:
    sign = "DBIT" if amount.amount < 0 else "CRDT"
    positive = from_minor(abs(to_minor(amount)), amount.currency.code)
    return _el(
        "Bal",
        _el("Tp", _el("CdOrPrtry", _text("Cd", code))),
        _amount("Amt", positive),
        _text("CdtDbtInd", sign),
        _el("Dt", _text("Dt", day.isoformat())),
    )


def _entry(credit: ExampleCredit, number: int, day: dt.date, statement_id: str) -> str:
    code = credit.amount.currency.code
    charges = credit.charges if credit.charges is not None else from_minor(0, code)
    booked = credit.amount - charges
    value_day = (credit.value_date or day).isoformat()
    instructed = None
    if credit.instructed is not None:
        exchange = None
        if credit.exchange_rate is not None:
            exchange = _el(
                "CcyXchg",
                _text("SrcCcy", credit.instructed.currency.code),
                _text("TrgtCcy", code),
                _text("XchgRate", credit.exchange_rate),
            )
        instructed = _el("AmtDtls", _el("InstdAmt", _amount("Amt", credit.instructed), exchange))
    charge_records = None
    if charges.amount:
        charge_records = _el(
            "Chrgs",
            _el("Rcrd", _amount("Amt", charges), _text("CdtDbtInd", "DBIT"),
                _text("ChrgInclInd", "true")),
        )  # fmt: skip
    parties = None
    if credit.debtor is not None or credit.debtor_iban is not None:
        parties = _el(
            "RltdPties",
            _el("Dbtr", _text("Nm", credit.debtor)) if credit.debtor else None,
            _el("DbtrAcct", _el("Id", _text("IBAN", credit.debtor_iban)))
            if credit.debtor_iban
            else None,
        )
    remittance = None
    if credit.reference is not None or credit.text is not None:
        structured = None
        if credit.reference is not None:
            structured = _el(
                "Strd",
                _el("CdtrRefInf", _el("Tp", _el("CdOrPrtry", _text("Cd", "SCOR"))),
                    _text("Ref", credit.reference)),
            )  # fmt: skip
        remittance = _el("RmtInf", _text("Ustrd", credit.text), structured)
    servicer = f"{statement_id}-{number:06d}"
    transaction = _el(
        "TxDtls",
        _el("Refs", _text("AcctSvcrRef", servicer), _text("EndToEndId", f"E2E-{servicer}")),
        _amount("Amt", credit.amount),
        _text("CdtDbtInd", "CRDT"),
        instructed,
        parties,
        remittance,
    )
    return _el(
        "Ntry",
        _amount("Amt", booked),
        _text("CdtDbtInd", "CRDT"),
        _text("Sts", "BOOK"),
        _el("BookgDt", _text("Dt", day.isoformat())),
        _el("ValDt", _text("Dt", value_day)),
        _text("AcctSvcrRef", servicer),
        _el("BkTxCd", _el("Domn", _text("Cd", "PMNT"),
                          _el("Fmly", _text("Cd", "RCDT"), _text("SubFmlyCd", "ESCT")))),
        instructed,
        charge_records,
        _el("NtryDtls", transaction),
    )  # fmt: skip


def camt053(
    account: str,
    currency: str,
    credits: Sequence[ExampleCredit],
    *,
    day: dt.date,
    statement_id: str = "STMT-1",
    opening: Money | None = None,
) -> bytes:
    """Return a camt.053.001.04 statement of ``account`` crediting ``credits`` on ``day``.

    Every credit must be in ``currency`` (``ValueError`` otherwise). The closing balance
    and the bank's totals (``TxsSummry``) are computed from the entries.
    """
    start = opening if opening is not None else from_minor(0, currency)
    total = from_minor(0, currency)
    entries = []
    for number, credit in enumerate(credits, start=1):
        if credit.amount.currency.code != currency:
            raise ValueError(
                f"credit {number} is in {credit.amount.currency.code}, the account in {currency}"
            )
        charges = credit.charges or from_minor(0, currency)
        total = total + credit.amount - charges
        entries.append(_entry(credit, number, day, statement_id))
    count = str(len(entries))
    summary = _el(
        "TxsSummry",
        _el("TtlNtries", _text("NbOfNtries", count), _text("Sum", total.amount),
            _el("TtlNetNtry", _text("Amt", total.amount), _text("CdtDbtInd", "CRDT"))),
        _el("TtlCdtNtries", _text("NbOfNtries", count), _text("Sum", total.amount)),
        _el("TtlDbtNtries", _text("NbOfNtries", "0"), _text("Sum", "0")),
    )  # fmt: skip
    created = f"{day.isoformat()}T18:00:00+02:00"
    head = _el("GrpHdr", _text("MsgId", f"MSG-{statement_id}"), _text("CreDtTm", created))
    statement = (
        f"<Stmt>{_text('Id', statement_id)}{_text('ElctrncSeqNb', 1)}"
        f"{_text('CreDtTm', created)}"
        f"{_el('Acct', _el('Id', _text('IBAN', account)), _text('Ccy', currency))}"
        f"{_balance('OPBD', start, day)}{_balance('CLBD', start + total, day)}{summary}"
        f"{''.join(entries)}</Stmt>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{_NAMESPACE}">'
        f"<BkToCstmrStmt>{head}{statement}</BkToCstmrStmt></Document>\n"
    ).encode()


def statement_paying(
    invoices: Sequence[IssuedDocument],
    *,
    account: str,
    day: dt.date,
    statement_id: str = "STMT-1",
    currency: str = "CHF",
    amounts: Sequence[Money] | None = None,
    rates: Mapping[str, Decimal] | None = None,
) -> bytes:
    """Return a camt.053 of ``account`` (in ``currency``) in which each invoice is paid.

    Each invoice's partner pays ``amounts[i]`` (default: what the invoice asked for when it
    was issued; pass ``Tracker.invoice_balance(number).open`` for what it asks now), in the
    invoice's currency, quoting the invoice's RF reference. An invoice in another currency
    than the account's is paid as a foreign payer does: the payer instructs the amount in
    the invoice's currency and the bank credits it converted at ``rates[code]`` (units of
    ``currency`` per unit of the invoice's, rounded half up), stating both. Raises
    ``ValueError`` for no invoices, a document that is not an invoice, amounts that do not
    go one to one with the invoices, or a missing rate.
    """
    if not invoices:
        raise ValueError("a statement paying invoices needs at least one invoice")
    if amounts is not None and len(amounts) != len(invoices):
        raise ValueError(f"{len(amounts)} amounts for {len(invoices)} invoices")
    credits = []
    for i, invoice in enumerate(invoices):
        snapshot = invoice.snapshot
        if invoice.kind != "invoice" or not isinstance(snapshot, InvoiceSnapshot):
            raise ValueError(f"{invoice.number} is not an invoice")
        due = snapshot.amount_due if amounts is None else amounts[i]
        code = due.currency.code
        credited, instructed, rate = due, None, None
        if code != currency:
            rate = (rates or {}).get(code)
            if rate is None:
                raise ValueError(f"{invoice.number} is in {code}: give rates[{code!r}]")
            credited = quantize(CONTEXT.multiply(due.amount, rate), currency)
            instructed = due
        credits.append(
            ExampleCredit(
                amount=credited,
                reference=invoice.payment_reference,
                text=f"Invoice {invoice.number}",
                debtor=snapshot.partner.name,
                instructed=instructed,
                exchange_rate=rate,
            )
        )
    return camt053(account, currency, credits, day=day, statement_id=statement_id)
