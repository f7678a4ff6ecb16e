"""Importing bank statements (camt.053, camt.054): every credit line once, matched or queued.

The file is streamed through :func:`~wsis_funding.imports.camt.parse_statement` (for one of
the accounts of the issuer settings) and imported in the caller's transaction: a file that
turns out bad at its last byte leaves nothing behind. For each line:

- a line another file brought already (same identity: see
  :func:`~wsis_funding.imports.camt.keys.line_key`) is a sighting, counted as already imported;
- a camt.054 detailing a batch that a camt.053 booked as one entry (or the reverse) is the
  same money: the summary line waiting for a person gives way to the detailed lines, and a
  summary arriving after its details, or details after a person settled the summary, are
  counted as already imported (stored as superseded);
- every other credit is matched by the rules of :mod:`wsis_funding.imports.camt.matching`
  and recorded with :func:`~wsis_funding.services.payments.record_payment`, the line's key as
  idempotency key; when the books refuse the payment (no rate for the value date, ...) the
  line is refused with the reason and waits for a person, like the lines no rule matched;
- a debit taking back a credit waits for a person, with the original line named when found.

Each entry is stored once per shape with its raw XML, each line with what became of it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from wsis_funding.imports.camt import DEFAULT_MAX_BYTES
from wsis_funding.services.bank_facts import BooksFacts
from wsis_funding.services.bank_file import Counting, FileImport
from wsis_funding.services.bank_values import ProgressCallback, StatementImport
from wsis_funding.services.errors import NoBankAccount
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["Source", "import_statement", "import_statements"]

Source = Path | bytes | BinaryIO


def import_statement(
    uow: UnitOfWork,
    source: Source,
    *,
    name: str | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> StatementImport:
    """Import a camt.053 or camt.054 file: store every line, match credits, queue the rest.

    ``source`` is a path, the file's bytes or a binary stream; ``name`` names it in the
    books and in errors (default: the path, or ``<bytes>``). Each new credit line is matched
    (RF reference naming an invoice, known payer IBAN or alias, a unique partner with exactly
    that amount open) and recorded as a payment whose idempotency key is the line's key;
    lines no rule matches, debits taking back credits, and payments the books refuse wait
    for a person (``bank_queue``). Lines imported before, from this file or an overlapping
    one, are counted and not imported again. ``dry_run`` does all of it, then undoes it:
    the summary is what the import would do. ``progress`` is called as the file is read.
    A file larger than ``max_bytes`` (512 MiB by default) is refused.

    Posts what ``record_payment`` posts, once per matched line. Raises
    :class:`NoBankAccount` when the issuer settings name no bank account,
    :class:`~wsis_funding.imports.camt.UnknownBankAccount` for a statement of another
    account, and :class:`~wsis_funding.imports.camt.StatementRefused` (and its kinds) for a
    file that cannot be used (unsafe, malformed, unsupported, a batch that does not add up,
    an amount beyond 64 bits of minor units): then nothing is written. ``TypeError`` for a
    ``str`` source.
    """
    return _import(uow, [(source, name)], dry_run, progress, max_bytes)[0]


def import_statements(
    uow: UnitOfWork,
    sources: Sequence[Source],
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[StatementImport, ...]:
    """Import several files in order, all or nothing; see :func:`import_statement`.

    ``sources`` are paths, bytes or binary streams, each read as ``import_statement``
    reads one (each refused beyond ``max_bytes``); ``progress`` is called as each is read.
    A line in two of the files is imported once. With ``dry_run`` every file is imported
    and then everything is undone. Raises :class:`NoBankAccount` when the issuer settings
    name no bank account, :class:`~wsis_funding.imports.camt.UnknownBankAccount` for a
    statement of another account, :class:`~wsis_funding.imports.camt.StatementRefused`
    (and its kinds) for a file that cannot be used, then nothing of any file is written;
    ``TypeError`` when ``sources`` is not a sequence or holds a ``str``.
    """
    if isinstance(sources, str | bytes | Path) or not isinstance(sources, Sequence):
        raise TypeError("sources must be a list of paths, bytes or binary streams")
    return _import(uow, [(s, None) for s in sources], dry_run, progress, max_bytes)


def _import(
    uow: UnitOfWork,
    sources: list[tuple[Source, str | None]],
    dry_run: bool,
    progress: ProgressCallback | None,
    max_bytes: int,
) -> tuple[StatementImport, ...]:
    if not isinstance(dry_run, bool):
        raise TypeError(f"dry_run must be True or False, not {dry_run!r}")
    issuer = uow._issuer  # only its bank account is needed
    if issuer is None or issuer.bank_account is None:
        raise NoBankAccount()
    facts = BooksFacts(uow)
    accounts = frozenset({issuer.bank_account.iban})

    def run() -> tuple[StatementImport, ...]:
        done = []
        for source, name in sources:
            stream, label, total, close = _open(source, name)
            try:
                file = FileImport(uow, facts, label, total, progress)
                done.append(file.read(Counting(stream), accounts, max_bytes))
            finally:
                close()
        return tuple(done)

    if not dry_run:
        return run()
    try:
        with uow.savepoint():
            raise _Undo(run())
    except _Undo as undo:
        return tuple(_undone(result) for result in undo.results)


class _Undo(Exception):
    """Raised to roll a dry run back, carrying what it did."""

    def __init__(self, results: tuple[StatementImport, ...]) -> None:
        self.results = results


def _undone(result: StatementImport) -> StatementImport:
    statements = tuple(attrs.evolve(s, id=None) for s in result.statements)
    return attrs.evolve(result, dry_run=True, import_id=None, statements=statements)


def _open(source: Any, name: str | None) -> tuple[Any, str, int | None, Callable[[], None]]:
    if isinstance(source, str):
        raise TypeError("pass the statement as a Path, bytes or a binary stream, not a str")
    if isinstance(source, Path):
        stream = source.open("rb")
        return stream, name or str(source), os.fstat(stream.fileno()).st_size, stream.close
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return io.BytesIO(data), name or "<bytes>", len(data), lambda: None
    if not callable(getattr(source, "read", None)):
        raise TypeError(f"a statement is a Path, bytes or a binary stream, not {source!r}")
    label = name or str(getattr(source, "name", None) or "<stream>")
    return source, label, None, lambda: None
