"""Build ISO 20022 bank statement files (camt.053, camt.054) for tests, and strategies for them.

The builder writes what a bank would send, in each supported version (.001.02, .001.04,
.001.08), modelled on the Swiss Payment Standards examples: batch bookings, charges at entry
and transaction level, instructed amounts with exchange details, reversals, entries not
booked, structured (SCOR, QRR, ISR) and unstructured references. The bank's totals
(``TxsSummry``) and balances are computed from the entries, as a bank would, unless a test
overrides them. Every file a test builds is meant to be checked with :func:`validate`
against the schema of its version.

    xml = statement(
        "CH9300762011623852957",
        "CHF",
        [entry("100.00", details=tx(scor="RF18539007547034")), entry(batch=[tx("1"), tx("2")])],
        version="04",
    )
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Final
from xml.sax.saxutils import escape, quoteattr

import attrs
from hypothesis import strategies as st
from lxml import etree

VERSIONS: Final = ("02", "04", "08")
MESSAGES: Final = ("053", "054")
IBAN: Final = "CH9300762011623852957"
OTHER_IBAN: Final = "CH5604835012345678009"
DEBTOR_IBAN: Final = "DE89370400440532013000"
DAY: Final = dt.date(2024, 6, 3)
# A valid QR reference and a valid RF (SIX and ISO 11649 examples).
QR_REF: Final = "210000000003139471430009017"
RF_REF: Final = "RF18539007547034"


# --- what a test asks for ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Charge:
    """A charge record: ``included`` means already deducted (``ChrgInclInd`` true)."""

    amount: str
    included: bool = True
    credit: bool = False


def _charge_tuple(values: Iterable[Charge]) -> tuple[Charge, ...]:
    return tuple(values)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class InstructedSpec:
    """An instructed amount in the payer's currency, with an optional exchange rate."""

    amount: str
    currency: str
    rate: str | None = None
    source: str | None = None
    target: str | None = None


@attrs.frozen(kw_only=True)
class Tx:
    """One transaction (``TxDtls``) of an entry."""

    amount: str | None = None
    currency: str | None = None
    charges: tuple[Charge, ...] = attrs.field(default=(), converter=_charge_tuple)
    instructed: InstructedSpec | None = None
    end_to_end: str | None = None
    servicer_ref: str | None = None
    scor: str | None = None
    qrr: str | None = None
    isr: str | None = None
    isr_kind: str = "ISR Reference"
    ustrd: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    addtl_rmt: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    debtor: str | None = None
    debtor_iban: str | None = None
    ultimate_debtor: str | None = None
    addtl_tx_info: str | None = None
    direction: str | None = None


@attrs.frozen(kw_only=True)
class EntrySpec:
    """One entry (``Ntry``): a single credit, a batch, a debit, a pending entry."""

    amount: str
    currency: str | None = None
    credit: bool = True
    booked: bool = True
    reversal: bool | None = None
    charges: tuple[Charge, ...] = attrs.field(default=(), converter=_charge_tuple)
    instructed: InstructedSpec | None = None
    transactions: tuple[Tx, ...] = ()
    ntry_ref: str | None = None
    servicer_ref: str | None = None
    booking_date: dt.date = DAY
    value_date: dt.date | None = DAY
    addtl_ntry_info: str | None = None
    batch_size: int | None = None


@attrs.frozen(kw_only=True)
class Totals:
    """The bank's ``TxsSummry`` figures; None leaves a figure out."""

    count: int | None
    total: Decimal | None
    net: Decimal | None
    credits: tuple[int, Decimal] | None
    debits: tuple[int, Decimal] | None


@attrs.frozen(kw_only=True)
class StatementSpec:
    """One statement (camt.053 ``Stmt``) or notification (camt.054 ``Ntfctn``)."""

    account: str
    currency: str
    entries: Iterable[EntrySpec]
    id: str = "STMT-1"
    opening: str = "1000.00"
    totals: Totals | str | None = "auto"
    closing: str | None = None
    sequence: int | None = 1
    account_currency: bool = True
    account_is_iban: bool = True


def charge(amount: str, *, included: bool = True, credit: bool = False) -> Charge:
    """A charge record (deducted unless ``included=False``)."""
    return Charge(amount=amount, included=included, credit=credit)


def instructed(
    amount: str,
    currency: str,
    *,
    rate: str | None = None,
    source: str | None = None,
    target: str | None = None,
) -> InstructedSpec:
    """An instructed amount, with ``CcyXchg`` when ``rate`` is given."""
    return InstructedSpec(amount=amount, currency=currency, rate=rate, source=source, target=target)


def tx(amount: str | None = None, **fields: Any) -> Tx:
    """A transaction; ``fields`` are those of :class:`Tx` (lists become tuples)."""
    return Tx(amount=amount, **fields)


def entry(
    amount: str | None = None,
    *,
    booked: bool = True,
    credit: bool = True,
    reversal: bool | None = None,
    batch: Sequence[Tx] | None = None,
    details: Tx | None = None,
    charges: Sequence[Charge] = (),
    instructed: InstructedSpec | None = None,
    **fields: Any,
) -> EntrySpec:
    """An entry: a batch (``batch``), one transaction (``details``) or no details at all.

    Without ``amount``, a batch's entry amount is what a bank books: the transactions' sum
    less the deducted charges (entry-level if any, else transaction-level).
    """
    transactions = tuple(batch) if batch is not None else ((details,) if details else ())
    if amount is None:
        if not transactions:
            raise ValueError("an entry without transactions needs an amount")
        amount = fmt(booked_amount(transactions, tuple(charges)))
    return EntrySpec(
        amount=amount,
        booked=booked,
        credit=credit,
        reversal=reversal,
        transactions=transactions,
        charges=tuple(charges),
        instructed=instructed,
        **fields,
    )


def deducted(charges: Sequence[Charge]) -> Decimal:
    """The deducted total of charge records: included ones, a CRDT charge counting negative."""
    total = Decimal(0)
    for c in charges:
        if c.included:
            total += -Decimal(c.amount) if c.credit else Decimal(c.amount)
    return total


def booked_amount(transactions: Sequence[Tx], entry_charges: Sequence[Charge]) -> Decimal:
    """What a bank books for a batch: the transactions less the deducted charges."""
    total = sum((Decimal(t.amount or "0") for t in transactions), Decimal(0))
    if any(c.included for c in entry_charges):
        return total - deducted(entry_charges)
    return total - sum((deducted(t.charges) for t in transactions), Decimal(0))


def account_statement(
    account: str, currency: str, entries: Iterable[EntrySpec], **fields: Any
) -> StatementSpec:
    """One statement's specification; ``fields`` are those of :class:`StatementSpec`."""
    return StatementSpec(account=account, currency=currency, entries=entries, **fields)


def statement(
    account: str,
    currency: str,
    entries: Iterable[EntrySpec],
    *,
    message: str = "053",
    version: str = "04",
    **fields: Any,
) -> bytes:
    """A whole file holding one statement (or notification) of ``entries``."""
    return document(
        account_statement(account, currency, entries, **fields), message=message, version=version
    )


def document(*statements: StatementSpec, message: str = "053", version: str = "04") -> bytes:
    """A whole file holding ``statements``."""
    out: list[bytes] = []

    class _Sink:
        def write(self, data: bytes) -> int:
            out.append(data)
            return len(data)

    write_document(_Sink(), statements, message=message, version=version)  # type: ignore[arg-type]
    return b"".join(out)


# --- writing XML ------------------------------------------------------------------------


def namespace(message: str, version: str) -> str:
    """The ISO namespace of a message and version."""
    return f"urn:iso:std:iso:20022:tech:xsd:camt.{message}.001.{version}"


def _el(name: str, *children: str | None, **attrs_: str) -> str:
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in attrs_.items())
    return f"<{name}{attributes}>{''.join(c for c in children if c)}</{name}>"


def fmt(value: Decimal) -> str:
    """A decimal as XML wants it: never in exponent notation."""
    return format(value, "f")


def _text(name: str, value: object | None) -> str | None:
    if value is None:
        return None
    shown = fmt(value) if isinstance(value, Decimal) else str(value)
    return f"<{name}>{escape(shown)}</{name}>"


def _amt(name: str, amount: object, currency: str) -> str:
    shown = fmt(amount) if isinstance(amount, Decimal) else amount
    return f'<{name} Ccy="{currency}">{shown}</{name}>'


def write_document(
    out: BinaryIO,
    statements: Iterable[StatementSpec],
    *,
    message: str = "053",
    version: str = "04",
    message_id: str = "MSG-2024-06-03",
) -> None:
    """Write a whole file to ``out``, streaming: entries may be a generator (for benchmarks).

    With a generator of entries, give ``totals=None`` and a ``closing`` balance (or None):
    totals need the entries before they are written.
    """
    if version not in VERSIONS or message not in MESSAGES:
        raise ValueError(f"camt.{message}.001.{version} is not built here")
    root = "BkToCstmrStmt" if message == "053" else "BkToCstmrDbtCdtNtfctn"
    out.write(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{namespace(message, version)}">'
        f"<{root}>".encode()
    )
    out.write(
        _el(
            "GrpHdr",
            _text("MsgId", message_id),
            _text("CreDtTm", "2024-06-03T18:00:00+02:00"),
        ).encode()
    )
    for spec in statements:
        _write_statement(out, spec, message, version)
    out.write(f"</{root}></Document>\n".encode())


def _write_statement(out: BinaryIO, spec: StatementSpec, message: str, version: str) -> None:
    tag = "Stmt" if message == "053" else "Ntfctn"
    entries = spec.entries
    totals = spec.totals
    closing = spec.closing
    if totals == "auto" or (closing is None and message == "053"):
        entries = tuple(entries)
        if totals == "auto":
            totals = bank_totals(entries)
        if closing is None:
            closing = fmt(Decimal(spec.opening) + net_booked(entries))
    account_id = (
        _text("IBAN", spec.account)
        if spec.account_is_iban
        else _el("Othr", _text("Id", spec.account))
    )
    head = [
        _text("Id", spec.id),
        _text("ElctrncSeqNb", spec.sequence),
        _text("CreDtTm", "2024-06-03T18:00:00+02:00"),
        _el(
            "Acct",
            _el("Id", account_id),
            _text("Ccy", spec.currency) if spec.account_currency else None,
        ),
    ]
    if message == "053":
        head.append(_balance("OPBD", spec.opening, spec.currency))
        if closing is not None:
            head.append(_balance("CLBD", closing, spec.currency))
    if isinstance(totals, Totals):
        head.append(_summary(totals, version))
    out.write(f"<{tag}>{''.join(h for h in head if h)}".encode())
    for e in entries:
        out.write(entry_xml(e, spec.currency, version).encode())
    out.write(f"</{tag}>".encode())


def _balance(code: str, amount: str, currency: str) -> str:
    value = Decimal(amount)
    return _el(
        "Bal",
        _el("Tp", _el("CdOrPrtry", _text("Cd", code))),
        _amt("Amt", abs(value), currency),
        _text("CdtDbtInd", "DBIT" if value < 0 else "CRDT"),
        _el("Dt", _text("Dt", DAY.isoformat())),
    )


def _summary(totals: Totals, version: str) -> str:
    net = None
    if totals.net is not None:
        direction = "DBIT" if totals.net < 0 else "CRDT"
        if version != "02":
            net = _el("TtlNetNtry", _text("Amt", abs(totals.net)), _text("CdtDbtInd", direction))
        else:
            net = f"{_text('TtlNetNtryAmt', abs(totals.net))}{_text('CdtDbtInd', direction)}"
    everything = _el(
        "TtlNtries", _text("NbOfNtries", totals.count), _text("Sum", totals.total), net
    )
    parts = [everything]
    for name, pair in (("TtlCdtNtries", totals.credits), ("TtlDbtNtries", totals.debits)):
        if pair is not None:
            parts.append(_el(name, _text("NbOfNtries", pair[0]), _text("Sum", pair[1])))
    return _el("TxsSummry", *parts)


def bank_totals(entries: Sequence[EntrySpec]) -> Totals:
    """The totals a bank states for ``entries``: booked ones only, as in a statement."""
    booked = [e for e in entries if e.booked]
    credits = [Decimal(e.amount) for e in booked if e.credit]
    debits = [Decimal(e.amount) for e in booked if not e.credit]
    return Totals(
        count=len(booked),
        total=sum(credits, Decimal(0)) + sum(debits, Decimal(0)),
        net=sum(credits, Decimal(0)) - sum(debits, Decimal(0)),
        credits=(len(credits), sum(credits, Decimal(0))),
        debits=(len(debits), sum(debits, Decimal(0))),
    )


def net_booked(entries: Sequence[EntrySpec]) -> Decimal:
    """Booked credits less booked debits."""
    return sum(
        (Decimal(e.amount) * (1 if e.credit else -1) for e in entries if e.booked), Decimal(0)
    )


def entry_xml(e: EntrySpec, account_currency: str, version: str) -> str:
    """The ``Ntry`` element of one entry, in the given version's shape."""
    currency = e.currency or account_currency
    status = "BOOK" if e.booked else "PDNG"
    details = None
    if e.transactions or e.batch_size is not None:
        batch = None
        if e.batch_size is not None:
            batch = _el("Btch", _text("NbOfTxs", e.batch_size))
        single = len(e.transactions) == 1
        txs = [_tx_xml(t, e, currency, version, single=single) for t in e.transactions]
        details = _el("NtryDtls", batch, *txs)
    return _el(
        "Ntry",
        _text("NtryRef", e.ntry_ref),
        _amt("Amt", e.amount, currency),
        _text("CdtDbtInd", "CRDT" if e.credit else "DBIT"),
        _text("RvslInd", None if e.reversal is None else str(e.reversal).lower()),
        _el("Sts", _text("Cd", status)) if version == "08" else _text("Sts", status),
        _el("BookgDt", _text("Dt", e.booking_date.isoformat())),
        _el("ValDt", _text("Dt", e.value_date.isoformat())) if e.value_date else None,
        _text("AcctSvcrRef", e.servicer_ref),
        _bank_code(),
        _amount_details(e.instructed, None, version),
        _charges(e.charges, currency, version),
        details,
        _text("AddtlNtryInf", e.addtl_ntry_info),
    )


def _bank_code() -> str:
    return _el(
        "BkTxCd",
        _el(
            "Domn",
            _text("Cd", "PMNT"),
            _el("Fmly", _text("Cd", "RCDT"), _text("SubFmlyCd", "ESCT")),
        ),
    )


def _amount_details(
    spec: InstructedSpec | None, tx_amount: tuple[str, str] | None, version: str
) -> str | None:
    if spec is None and tx_amount is None:
        return None
    instd = None
    if spec is not None:
        xchg = None
        if spec.rate is not None:
            xchg = _el(
                "CcyXchg",
                _text("SrcCcy", spec.source or spec.currency),
                _text("TrgtCcy", spec.target),
                _text("XchgRate", spec.rate),
            )
        instd = _el("InstdAmt", _amt("Amt", spec.amount, spec.currency), xchg)
    txamt = None if tx_amount is None else _el("TxAmt", _amt("Amt", *tx_amount))
    return _el("AmtDtls", instd, txamt)


def _charges(charges: Sequence[Charge], currency: str, version: str) -> str | None:
    if not charges:
        return None
    if version == "02":
        if not all(c.included for c in charges):
            raise ValueError(".001.02 charges are always deducted: it has no ChrgInclInd")
        return "".join(
            _el(
                "Chrgs",
                _amt("Amt", c.amount, currency),
                _text("CdtDbtInd", "CRDT" if c.credit else "DBIT"),
            )
            for c in charges
        )
    records = [
        _el(
            "Rcrd",
            _amt("Amt", c.amount, currency),
            _text("CdtDbtInd", "CRDT" if c.credit else "DBIT"),
            _text("ChrgInclInd", "true" if c.included else "false"),
        )
        for c in charges
    ]
    return _el("Chrgs", *records)


def _tx_xml(t: Tx, e: EntrySpec, currency: str, version: str, *, single: bool) -> str:
    amount = t.amount
    if amount is None:
        # A single transaction states the payment before charges, as SPS examples do.
        amount = fmt(Decimal(e.amount) + deducted(e.charges or t.charges)) if single else "0"
    tx_currency = t.currency or currency
    direction = t.direction or ("CRDT" if e.credit else "DBIT")
    refs = None
    if t.servicer_ref or t.end_to_end:
        refs = _el("Refs", _text("AcctSvcrRef", t.servicer_ref), _text("EndToEndId", t.end_to_end))
    if version == "02":
        own_amount = None
        amount_details = _amount_details(t.instructed, (amount, tx_currency), version)
    else:
        own_amount = _amt("Amt", amount, tx_currency) + (_text("CdtDbtInd", direction) or "")
        amount_details = _amount_details(t.instructed, None, version)
    return _el(
        "TxDtls",
        refs,
        own_amount,
        amount_details,
        _charges(t.charges, currency, version),
        _parties(t, version),
        _remittance(t, version),
        _text("AddtlTxInf", t.addtl_tx_info),
    )


def _party(role: str, name: str | None, version: str) -> str | None:
    if name is None:
        return None
    inner = _text("Nm", name)
    return _el(role, _el("Pty", inner) if version == "08" else inner)


def _parties(t: Tx, version: str) -> str | None:
    if t.debtor is None and t.debtor_iban is None and t.ultimate_debtor is None:
        return None
    account = (
        None if t.debtor_iban is None else _el("DbtrAcct", _el("Id", _text("IBAN", t.debtor_iban)))
    )
    return _el(
        "RltdPties",
        _party("Dbtr", t.debtor, version),
        account,
        _party("UltmtDbtr", t.ultimate_debtor, version),
    )


def _remittance(t: Tx, version: str) -> str | None:
    structured = []
    for kind, ref in (("SCOR", t.scor), ("QRR", t.qrr), (t.isr_kind, t.isr)):
        if ref is None:
            continue
        choice = _text("Cd", kind) if kind == "SCOR" else _text("Prtry", kind)
        structured.append(
            _el("Strd", _el("CdtrRefInf", _el("Tp", _el("CdOrPrtry", choice)), _text("Ref", ref)))
        )
    if t.addtl_rmt:
        structured.append(_el("Strd", *(_text("AddtlRmtInf", a) for a in t.addtl_rmt)))
    if not structured and not t.ustrd:
        return None
    return _el("RmtInf", *(_text("Ustrd", u) for u in t.ustrd), *structured)


# --- validating -------------------------------------------------------------------------


def _schema_dir() -> Path:
    """The published camt schemas, kept with the tests (tests/iso20022)."""
    return Path(__file__).parent / "iso20022"


@functools.cache
def _schema(message: str, version: str) -> etree.XMLSchema:
    path = _schema_dir() / f"camt.{message}.001.{version}.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def validate(xml: bytes) -> None:
    """Raise AssertionError unless ``xml`` is valid against the schema of its namespace."""
    doc = etree.fromstring(xml)
    ns = doc.tag[1:].partition("}")[0]
    message, version = ns.rsplit(":", 1)[1].split(".")[1], ns.rsplit(".", 1)[1]
    schema = _schema(message, version)
    if not schema.validate(doc):
        errors = "\n".join(str(e) for e in list(schema.error_log)[:5])
        raise AssertionError(f"camt.{message}.001.{version} file is not schema-valid:\n{errors}")


def valid(xml: bytes) -> bytes:
    """Validate ``xml`` against its schema and return it (for use inline in tests)."""
    validate(xml)
    return xml


# --- Hypothesis strategies ----------------------------------------------------------------

#: Currencies with 0, 2 and 3 decimals.
CURRENCIES: Final = ("CHF", "EUR", "JPY", "KWD")
_EXPONENT: Final = {"CHF": 2, "EUR": 2, "JPY": 0, "KWD": 3}


def _decimal(minor: int, currency: str) -> str:
    return fmt(Decimal(minor).scaleb(-_EXPONENT[currency]))


@st.composite
def charge_lists(draw: st.DrawFn, currency: str, version: str) -> tuple[Charge, ...]:
    """Up to two charge records; in .02 only deducted ones exist."""
    n = draw(st.integers(0, 2))
    return tuple(
        Charge(
            amount=_decimal(draw(st.integers(1, 500)), currency),
            included=True if version == "02" else draw(st.booleans()),
        )
        for _ in range(n)
    )


@st.composite
def transactions(draw: st.DrawFn, currency: str, version: str, *, charged: bool) -> Tx:
    """A transaction with an amount, maybe charges, maybe a reference."""
    ref = draw(st.sampled_from(["none", "scor", "qrr", "text"]))
    return Tx(
        amount=_decimal(draw(st.integers(1000, 10**7)), currency),
        charges=draw(charge_lists(currency, version)) if charged else (),
        scor=RF_REF if ref == "scor" else None,
        qrr=QR_REF if ref == "qrr" else None,
        ustrd=("Invoice rf18 5390 0754 7034",) if ref == "text" else (),
        debtor=draw(st.sampled_from([None, "ACME Ltd", "Ministère"])),
    )


@st.composite
def entry_specs(draw: st.DrawFn, currency: str, version: str, day: dt.date = DAY) -> EntrySpec:
    """An entry of any kind: booked or pending, credit or debit, reversal, batch or single."""
    credit = draw(st.booleans())
    booked = draw(st.integers(0, 4)) > 0
    reversal = draw(st.sampled_from([None, False, True]))
    size = draw(st.sampled_from([0, 1, 2, 3, 5]))
    at_entry = draw(st.booleans())
    batch = [transactions(currency, version, charged=not at_entry) for _ in range(size)]
    txs = tuple(draw(t) for t in batch)
    charges = draw(charge_lists(currency, version)) if at_entry else ()
    if size >= 2:
        amount = booked_amount(txs, charges)
        if amount < 0:
            # Charges larger than the payments: no bank books a negative entry amount.
            charges, txs = (), tuple(attrs.evolve(t, charges=()) for t in txs)
            amount = booked_amount(txs, charges)
        amount_text = fmt(amount)
    else:
        amount_text = _decimal(draw(st.integers(1000, 10**7)), currency)
    servicer = draw(st.sampled_from([None, "ASR-1", "ASR-2"]))
    return EntrySpec(
        amount=amount_text,
        credit=credit,
        booked=booked,
        reversal=reversal,
        charges=charges,
        transactions=txs,
        servicer_ref=servicer,
        booking_date=day,
        instructed=(
            InstructedSpec(amount="100.00", currency="USD", rate="0.9", source="USD")
            if draw(st.booleans()) and currency != "USD"
            else None
        ),
    )


@st.composite
def statement_specs(
    draw: st.DrawFn, version: str | None = None, message: str | None = None
) -> tuple[StatementSpec, str, str]:
    """A statement with up to 12 entries of any kind, its message and version."""
    version = version or draw(st.sampled_from(VERSIONS))
    message = message or draw(st.sampled_from(MESSAGES))
    currency = draw(st.sampled_from(CURRENCIES))
    entries = tuple(draw(st.lists(entry_specs(currency, version), max_size=12)))
    spec = StatementSpec(
        account=IBAN, currency=currency, entries=entries, opening=_decimal(0, currency)
    )
    return spec, message, version
