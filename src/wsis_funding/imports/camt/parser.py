"""Stream an ISO 20022 bank statement file (camt.053, camt.054) into frozen values.

:func:`parse_statement` reads the file once, through the hardened reader of
:mod:`~wsis_funding.imports.camt.xmlsafe`, and yields each statement's header, its lines and
its summary as soon as they are read; every entry is dropped from memory once it is turned
into values, so a file of hundreds of megabytes is never held whole. :func:`read_statement`
collects the same values into one :class:`StatementFile`, for small files.

Nothing is written anywhere: the caller decides what to import, after the file has been read
to the end (a file that turns out truncated at its last byte is refused as a whole).
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import BinaryIO, Final

from wsis_funding.imports.camt.dialect import Dialect, dialect_of
from wsis_funding.imports.camt.elements import Element, Place, text
from wsis_funding.imports.camt.entries import Occurrences, read_head, read_lines
from wsis_funding.imports.camt.errors import (
    MalformedStatement,
    UnknownBankAccount,
    UnsafeStatement,
    UnsupportedStatement,
)
from wsis_funding.imports.camt.header import GroupHeader, read_group_header, read_statement_header
from wsis_funding.imports.camt.indexed import Indexed
from wsis_funding.imports.camt.model import (
    Credit,
    CreditReversal,
    FileSummary,
    Statement,
    StatementFile,
    StatementItem,
    StatementRecord,
    StatementSummary,
)
from wsis_funding.imports.camt.summary import Tallies
from wsis_funding.imports.camt.xmlsafe import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    GuardedReader,
    events,
)

__all__ = ["normalise_account", "parse_statement", "read_statement"]

Source = Path | bytes | BinaryIO

#: The most elements held in memory at once: one entry (or the header before the first
#: entry) may not have more. A batch of some 10,000 transactions fits; a hostile file that
#: hides hundreds of megabytes inside one element does not get to build them into a tree.
MAX_HELD_ELEMENTS: Final = 250_000


def normalise_account(account: str) -> str:
    """Return an account identification as banks compare it: no spaces, upper case."""
    return "".join(account.split()).upper()


def parse_statement(
    source: Source,
    *,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    accounts: Collection[str] | None = None,
) -> Iterator[StatementItem]:
    """Yield the statements, lines and summaries of a camt.053 or camt.054 file, streaming.

    ``source`` is a path, the file's bytes, or a binary stream (read, not closed). ``name``
    names the file in errors (default: the path, or ``<bytes>``/the stream's name). Items come
    in file order: for each statement a :class:`Statement`, then a :class:`Credit` per booked
    credit transaction and a :class:`CreditReversal` per booked reversal of a credit, then a
    :class:`StatementSummary`; last, one :class:`FileSummary` with the file's SHA-256.

    ``accounts``, when given, are the bank accounts (IBANs) we hold: a statement for any other
    account raises :class:`UnknownBankAccount`. Errors are raised while iterating, and mean
    the whole file must be set aside: :class:`UnsafeStatement` (DOCTYPE or entities, more
    than ``max_bytes`` bytes or ``max_depth`` nested elements, not UTF-8),
    :class:`MalformedStatement` (not well-formed, truncated, a mandatory element missing),
    :class:`UnsupportedStatement` (another message or version),
    :class:`~wsis_funding.imports.camt.errors.UnbalancedBatch`, and
    :class:`~wsis_funding.imports.camt.errors.StatementRefused` for any value that cannot be
    used exactly (an amount with more decimals than its currency has, an entry in another
    currency than the account's). ``TypeError`` for a ``str`` source (a path, or XML?).
    """
    if isinstance(source, str):
        raise TypeError("pass the statement as a Path, bytes or a binary stream, not a str")
    known = None if accounts is None else frozenset(normalise_account(a) for a in accounts)
    if isinstance(source, Path):
        label = name or str(source)
        size = source.stat().st_size
        if size > max_bytes:
            raise UnsafeStatement(label, f"the file is larger than the limit of {max_bytes} bytes")
        with source.open("rb") as raw:
            yield from _parse(GuardedReader(raw, name=label, max_bytes=max_bytes), max_depth, known)
    elif isinstance(source, bytes | bytearray | memoryview):
        label = name or "<bytes>"
        yield from _parse(
            GuardedReader(io.BytesIO(bytes(source)), name=label, max_bytes=max_bytes),
            max_depth,
            known,
        )
    else:
        label = name or str(getattr(source, "name", None) or "<stream>")
        yield from _parse(GuardedReader(source, name=label, max_bytes=max_bytes), max_depth, known)


def read_statement(
    source: Source,
    *,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    accounts: Collection[str] | None = None,
) -> StatementFile:
    """Read a whole statement file into one :class:`StatementFile` (for small files).

    Same arguments and errors as :func:`parse_statement`.
    """
    records: list[StatementRecord] = []
    credits: list[Credit] = []
    reversals: list[CreditReversal] = []
    for item in parse_statement(
        source, name=name, max_bytes=max_bytes, max_depth=max_depth, accounts=accounts
    ):
        if isinstance(item, Credit):
            credits.append(item)
        elif isinstance(item, CreditReversal):
            reversals.append(item)
        elif isinstance(item, StatementSummary):
            records.append(
                StatementRecord(
                    statement=item.statement,
                    credits=tuple(credits),
                    reversals=tuple(reversals),
                    summary=item,
                )
            )
            credits, reversals = [], []
        elif isinstance(item, FileSummary):
            return StatementFile(summary=item, statements=tuple(records))
    raise AssertionError("parse_statement ended without a FileSummary")  # pragma: no cover


class _State:
    """Where the parse is: which statement and entry, for values and for error messages."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.group: GroupHeader | None = None
        self.statements = 0
        self.statement: Statement | None = None
        self.statement_id: str | None = None
        self.entry = 0
        self.in_entry = False
        self.tallies: Tallies | None = None
        self.credit_lines = 0
        self.occurrences: Occurrences = {}

    def where(self) -> str | None:
        if not self.statements:
            return None
        label = f"statement {self.statements}"
        if self.statement_id:
            label += f" (id {self.statement_id})"
        return f"{label}, entry {self.entry}" if self.in_entry else label

    def place(self) -> Place:
        return Place(self.name, self.where())


def _parse(
    reader: GuardedReader, max_depth: int, known: frozenset[str] | None
) -> Iterator[StatementItem]:
    state = _State(reader.name)
    d: Dialect | None = None
    message_seen = False
    in_statement = False
    held = 0
    # Qualified tags, computed once: this loop sees every element of the file.
    document_tag = statement_tag = entry_tag = group_tag = ""
    for event, element, depth in events(reader, max_depth=max_depth, where=state.where):
        if depth > 4:
            # Inside an entry or a header element: only counted, read when it ends.
            if event == "start":
                held += 1
                if held > MAX_HELD_ELEMENTS:
                    raise UnsafeStatement(
                        reader.name,
                        f"more than {MAX_HELD_ELEMENTS} elements in one entry or header",
                        state.where(),
                    )
            continue
        if d is None:
            d, why = dialect_of(element.tag)
            if d is None:
                raise UnsupportedStatement(reader.name, why)
            document_tag, statement_tag = d.document_tag, d.statement_tag
            entry_tag, group_tag = d.tag("Ntry"), d.tag("GrpHdr")
            continue
        tag = element.tag
        held += event == "start"
        if depth == 2:
            if tag != document_tag:
                raise UnsupportedStatement(
                    reader.name,
                    f"the {d.label} document holds {_local(tag)!r}, not {_local(document_tag)!r}",
                )
            message_seen = True
        elif depth == 3 and tag == statement_tag:
            if event == "start":
                if state.group is None:
                    raise MalformedStatement(
                        reader.name, "GrpHdr is missing before the first statement"
                    )
                in_statement = True
                state.statements += 1
                state.statement, state.statement_id = None, None
                state.entry, state.tallies = 0, None
                continue
            in_statement = False
            if state.statement is None:
                yield _open_statement(state, d, element, None, known)
            assert state.statement is not None
            assert state.tallies is not None
            yield state.tallies.summary(state.statement)
            held = _drop(element)
        elif depth == 3:
            if event == "end":
                if tag == group_tag:
                    state.group = read_group_header(element, d, Place(reader.name, "GrpHdr"))
                held = _drop(element)
        elif in_statement and tag == entry_tag:
            parent = element.getparent()
            if event == "start":
                if state.statement_id is None:
                    state.statement_id = text(parent, d.path("Id"))
                state.entry += 1
                state.in_entry = True
                continue
            if state.statement is None:
                yield _open_statement(state, d, parent, element, known)
            yield from _entry(state, d, element)
            state.in_entry = False
            held = _drop(element)
        elif in_statement and event == "end" and state.statement is not None:
            # Anything after the entries began (AddtlStmtInf, or junk) is not needed.
            held = _drop(element)
    if d is None or not message_seen:
        raise MalformedStatement(reader.name, "the document holds no message")
    if not state.statements:
        raise MalformedStatement(reader.name, f"the {d.label} message holds no statement")
    yield FileSummary(
        file=reader.name,
        sha256=reader.hexdigest(),
        size=reader.size,
        message=d.message,
        version=f"001.{d.version}",
        statements=state.statements,
        credit_lines=state.credit_lines,
    )


def _open_statement(
    state: _State,
    d: Dialect,
    element: Element,
    first_entry: Element | None,
    known: frozenset[str] | None,
) -> Statement:
    assert state.group is not None
    place = Place(state.name, f"statement {state.statements}")
    statement = read_statement_header(
        element,
        d,
        group=state.group,
        file=state.name,
        position=state.statements,
        first_entry=first_entry,
        place=place,
    )
    state.statement, state.statement_id = statement, statement.statement_id
    if known is not None and normalise_account(statement.account) not in known:
        raise UnknownBankAccount(state.name, statement.account, statement.where)
    state.tallies = Tallies(statement.currency)
    return statement


def _entry(state: _State, d: Dialect, element: Element) -> Iterator[Credit | CreditReversal]:
    statement, tallies = state.statement, state.tallies
    assert statement is not None
    assert tallies is not None
    place = state.place()
    node = Indexed(element)
    head = read_head(node, d, statement.currency, place)
    tallies.count(head)
    if not head.booked or not (head.credit or head.reversal):
        return
    entry, lines = read_lines(
        node,
        head,
        d=d,
        statement=statement,
        position=state.entry,
        occurrences=state.occurrences,
        place=place,
    )
    kind = Credit if head.credit else CreditReversal
    if head.credit:
        tallies.charges = tallies.add(tallies.charges, entry.charges.amount)
        tallies.credit_lines += len(lines)
        state.credit_lines += len(lines)
    for parts in lines:
        yield kind(
            statement=statement,
            entry=entry,
            identity=parts.identity,
            transaction_position=parts.transaction_position,
            amount=parts.amount,
            charges=parts.charges,
            instructed=parts.instructed,
            references=parts.references,
            debtor_name=parts.debtor_name,
            debtor_account=parts.debtor_account,
            ultimate_debtor_name=parts.ultimate_debtor_name,
        )


def _drop(element: Element) -> int:
    """Free an element that has been read, and its already-read previous siblings.

    Returns how many elements are still held (the ancestors: none of them has content).
    """
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
    return 0


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
