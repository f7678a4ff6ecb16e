"""The import of one statement file: its statements, its lines in chunks, what it did.

See :mod:`wsis_funding.services.bank_import` for what an import does with each line; this
module is how: the parser's items are taken as they come, lines are looked up and stored a
chunk at a time (:data:`CHUNK`), and each new credit is matched and recorded.

A payment the books refuse leaves its line refused and the import going. A chunk is written
in one savepoint; when one of its payments is refused, the chunk is rolled back and done
again with each payment in a savepoint of its own, so that only the refused one is undone.
(A savepoint per payment costs more than the rest of a matched line: chunks that the books
take whole, the usual case, are written without them.)
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any, BinaryIO, Final

from wsis_funding.errors import WsisFundingError
from wsis_funding.imports.camt import (
    Credit,
    CreditReversal,
    FileSummary,
    Statement,
    StatementRefused,
    StatementSummary,
    parse_statement,
)
from wsis_funding.imports.camt.keys import entry_key, line_key
from wsis_funding.imports.camt.matching import (
    Booking,
    ImportedCredit,
    Rule,
    find_original,
    match_credit,
    reversal_reason,
    shape_of,
)
from wsis_funding.ledger.inputs import fits
from wsis_funding.money import Money, from_minor, to_minor
from wsis_funding.services.bank_facts import BooksFacts
from wsis_funding.services.bank_rows import (
    bank_figures,
    bank_reference,
    checked_minor,
    line_row,
    where,
)
from wsis_funding.services.bank_values import (
    ImportedStatement,
    ImportProgress,
    ProgressCallback,
    StatementImport,
    Tally,
)
from wsis_funding.services.payments import record_payment
from wsis_funding.storage.banking import EntryFound
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["CHUNK", "Counting", "FileImport"]

CHUNK: Final = 256
"""Lines looked up and stored together: one query per chunk recognises what was imported."""

_Line = Credit | CreditReversal


class _Retry(Exception):
    """A payment of the chunk was refused: the chunk is written again, payment by payment."""


class Counting:
    """A binary stream that counts what is read from it (for progress)."""

    def __init__(self, raw: BinaryIO) -> None:
        """Count what is read from ``raw``."""
        self._raw = raw
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        """Read up to ``n`` bytes from the stream, counting them."""
        chunk = self._raw.read(n)
        self.read_bytes += len(chunk)
        return chunk


class FileImport:
    """The import of one file: its statements, its lines in chunks, its counts."""

    def __init__(
        self,
        uow: UnitOfWork,
        facts: BooksFacts,
        label: str,
        total: int | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.uow, self.bank, self.facts = uow, uow.bank, facts
        self.label, self.total, self.progress = label, total, progress
        self.stream: Counting | None = None
        self.import_id: int | None = None
        self.statement_row = 0
        self.pending: list[_Line] = []
        self.lines = 0
        self.statements: list[ImportedStatement] = []
        rules = [rule for rule in Rule if rule is not Rule.PERSON]
        self.matched: dict[Rule, Tally] = {rule: Tally() for rule in rules}
        self.already, self.queued, self.refused = Tally(), Tally(), Tally()
        self.reversals, self.not_booked, self.debits = Tally(), Tally(), Tally()
        self.last_entry: object = None
        self.last_state: tuple[int, str | None] = (0, None)

    def read(self, stream: Counting, accounts: frozenset[str], max_bytes: int) -> StatementImport:
        """Read the file to its end, importing as it goes; return what was done."""
        self.stream = stream
        end: FileSummary | None = None
        for item in parse_statement(
            stream,  # type: ignore[arg-type]
            name=self.label,
            accounts=accounts,
            max_bytes=max_bytes,
        ):
            if isinstance(item, Credit | CreditReversal):
                self.pending.append(item)
                if len(self.pending) >= CHUNK:
                    self._flush()
            elif isinstance(item, Statement):
                self._open_statement(item)
            elif isinstance(item, StatementSummary):
                self._flush()
                self._close_statement(item)
            elif isinstance(item, FileSummary):
                end = item
        assert end is not None
        assert self.import_id is not None
        self.bank.finish_import(self.import_id, end.sha256, end.size)
        self._report()
        return StatementImport(
            file=self.label,
            sha256=end.sha256,
            message=f"{end.message}.{end.version}",
            import_id=self.import_id,
            dry_run=False,
            earlier_imports=tuple(self.bank.imports_of_file(end.sha256, self.import_id)),
            statements=tuple(self.statements),
            matched=tuple((rule, tally.frozen()) for rule, tally in self.matched.items()),
            already_imported=self.already.frozen(),
            queued=self.queued.frozen(),
            refused=self.refused.frozen(),
            reversals=self.reversals.frozen(),
            not_booked=self.not_booked.frozen(),
            debits=self.debits.frozen(),
        )

    def _report(self) -> None:
        if self.progress is not None and self.stream is not None:
            self.progress(
                ImportProgress(file=self.label, bytes_read=self.stream.read_bytes,
                               bytes_total=self.total, lines=self.lines)
            )  # fmt: skip

    # --- statements ----------------------------------------------------------------------

    def _open_statement(self, s: Statement) -> None:
        if self.import_id is None:
            self.import_id = self.bank.add_import(self.label, s.message, s.version, s.message_id)
        self.statement_row = self.bank.add_statement(
            {
                "import_id": self.import_id, **bank_figures(s, self.label),
                "credit_count": 0, "credit_minor": 0, "debit_count": 0, "debit_minor": 0,
                "unbooked_count": 0, "charges_minor": 0, "discrepancies": "",
            }
        )  # fmt: skip

    def _close_statement(self, summary: StatementSummary) -> None:
        s = summary.statement
        credits, debits = summary.booked_credits, summary.booked_debits

        def minor(amount: Money, what: str) -> int:
            return checked_minor(amount, what, self.label, s.where)

        self.bank.finish_statement(
            self.statement_row,
            {
                "credit_count": credits.count,
                "credit_minor": minor(credits.total, "the booked credits"),
                "debit_count": debits.count,
                "debit_minor": minor(debits.total, "the booked debits"),
                "unbooked_count": summary.unbooked_credits.count + summary.unbooked_debits.count,
                "charges_minor": minor(summary.charges, "the charges"),
                "discrepancies": "\n".join(summary.discrepancies),
            },
        )
        for tally, counted in (
            (self.not_booked, summary.unbooked_credits),
            (self.not_booked, summary.unbooked_debits),
            (self.debits, debits),
        ):
            if counted.count:
                code = counted.total.currency.code
                tally.add(code, minor(counted.total, "the entries"), counted.count)
        self.statements.append(
            ImportedStatement(
                id=self.statement_row, position=s.position, statement_id=s.statement_id,
                account=s.account, currency=s.currency,
                opening=None if s.opening is None else s.opening.amount,
                closing=None if s.closing is None else s.closing.amount,
                credit_lines=summary.credit_lines, discrepancies=summary.discrepancies,
            )
        )  # fmt: skip

    # --- lines ---------------------------------------------------------------------------

    def _flush(self) -> None:
        lines, self.pending = self.pending, []
        if not lines:
            return
        before = self._counts()
        try:
            with self.uow.savepoint():
                self._chunk(lines, careful=False)
        except _Retry:
            self._restore(before)
            self._chunk(lines, careful=True)
        self._report()

    def _counts(self) -> tuple[Any, ...]:
        """Return what a chunk changes in this import's counts, to go back to it."""
        tallies = [self.already, self.queued, self.refused, self.reversals]
        return (
            {rule: tally.copy() for rule, tally in self.matched.items()},
            [tally.copy() for tally in tallies],
            self.lines, self.last_entry, self.last_state,
        )  # fmt: skip

    def _restore(self, counts: tuple[Any, ...]) -> None:
        matched, tallies, self.lines, self.last_entry, self.last_state = counts
        self.matched = matched
        self.already, self.queued, self.refused, self.reversals = tallies
        self.facts.changed()

    def _chunk(self, lines: list[_Line], *, careful: bool) -> None:
        """Store a chunk of lines; ``careful``: each payment in a savepoint of its own.

        Otherwise a refused payment raises :class:`_Retry` (the caller rolls the chunk back).
        """
        keys = [line_key(line) for line in lines]
        known = self.bank.lines(keys)
        entry_keys: list[str] = []
        last: object = None
        for line in lines:
            if line.entry is not last:
                last, key = line.entry, entry_key(line.entry.key, line.entry.credit)
            entry_keys.append(key)
        entries = self.bank.entries(entry_keys)
        self.facts.prefetch(
            x.references.rf for x in lines if isinstance(x, Credit) and x.references.rf
        )
        rows: list[tuple[Any, ...]] = []
        sightings: list[tuple[int, int, int]] = []
        for line, key, ekey in zip(lines, keys, entry_keys, strict=True):
            entry_id, superseded = self._entry(line, ekey, entries)
            self.lines += 1
            found = known.get(key)
            if found is not None:
                sightings.append((self.statement_row, found, line.entry.position))
                if isinstance(line, Credit):  # a debit seen again is among the debits
                    self.already.add(*self._received(line))
            elif isinstance(line, CreditReversal):
                self.bank.add_lines(rows)  # a reversal may take back a line of this chunk
                rows = [self._reversal(line, key, entry_id)]
            else:
                rows.append(self._credit(line, key, entry_id, superseded, careful))
        self.bank.add_lines(rows)
        self.bank.add_sightings(sightings)

    def _received(self, line: _Line) -> tuple[str, int]:
        return line.amount.currency.code, checked_minor(
            line.received, "a line", self.label, where(line)
        )

    def _row(self, line: _Line, key: str, entry_id: int, **what: Any) -> tuple[Any, ...]:
        return line_row(line, key=key, entry_id=entry_id, statement_row=self.statement_row,
                        file=self.label, **what)  # fmt: skip

    def _entry(
        self, line: _Line, key: str, entries: dict[str, list[EntryFound]]
    ) -> tuple[int, str | None]:
        """Return the entry's id (storing it when new), and why its lines are superseded.

        ``key`` is the entry's key. The lines are superseded when they are the same money as
        an earlier shape of the entry.
        """
        if line.entry is self.last_entry:
            return self.last_state
        entry = line.entry
        shape = shape_of(entry)
        shapes = {found.shape: found for found in entries.get(key, [])}
        superseded = None
        if shape in shapes:
            entry_id = shapes[shape].id
        else:
            entry_id = self._store_entry(line, key, shape)
            entries.setdefault(key, []).append(EntryFound(entry_id, shape, None, None))
        summary = shapes.get("summary")
        if shape == "batch" and summary is not None and summary.line_id is not None:
            if summary.line_status == "queued":
                self.bank.set_line(
                    summary.line_id, status="superseded",
                    reason=f"its {entry.transaction_count} transactions are lines of their "
                    f"own, from {self.label}, {where(line)}",
                )  # fmt: skip
            elif summary.line_status != "superseded":
                superseded = f"the batch is line {summary.line_id}, {summary.line_status}"
        elif shape == "summary" and "batch" in shapes:
            superseded = "its transactions were imported before, as lines of their own"
        self.last_entry, self.last_state = entry, (entry_id, superseded)
        return entry_id, superseded

    def _store_entry(self, line: _Line, key: str, shape: str) -> int:
        entry, d, place = line.entry, self.uow.driver, where(line)
        batch = entry.declared_batch_size
        if batch is not None and not fits(batch):
            raise StatementRefused(self.label, f"Btch/NbOfTxs {batch} is absurd", place)

        def minor(amount: Money, what: str) -> int:
            return checked_minor(amount, what, self.label, place)

        return self.bank.add_entry(
            (
                key, shape, self.statement_row, entry.position, entry.credit, entry.reversal,
                entry.amount.currency.code, minor(entry.amount, "the entry"),
                minor(entry.charges, "the entry's charges"), d.opt_day(entry.booking_date),
                d.opt_day(entry.value_date), entry.key.reference, entry.transaction_count,
                batch, entry.raw_xml,
            )
        )  # fmt: skip

    def _credit(
        self, line: Credit, key: str, entry_id: int, superseded: str | None, careful: bool
    ) -> tuple[Any, ...]:
        received = self._received(line)
        if superseded is not None:
            self.already.add(*received)
            return self._row(line, key, entry_id, status="superseded", reason=superseded)
        decision = match_credit(line, self.facts)
        if not isinstance(decision, Booking):
            self.queued.add(*received)
            return self._row(line, key, entry_id, status="queued", reason=decision.reason)
        on = line.value_date or line.booking_date
        assert on is not None  # match_credit queues a line without dates
        try:
            with self.uow.savepoint() if careful else nullcontext():
                payment = record_payment(
                    self.uow, decision.partner_id, line.received, received_on=on,
                    reference=bank_reference(line), idempotency_key=key,
                    bank_charges=line.charges if line.charges.amount else None,
                    invoice=decision.invoice, settles=decision.settles,
                )  # fmt: skip
        except WsisFundingError as exc:
            if not careful:
                raise _Retry from exc
            self.refused.add(*received)
            return self._row(line, key, entry_id, status="refused", reason=str(exc),
                             rule=decision.rule, partner=decision.partner_id)  # fmt: skip
        self.facts.changed()
        self.matched[decision.rule].add(*received)
        return self._row(line, key, entry_id, status="matched", rule=decision.rule,
                         partner=decision.partner_id, payment=payment.id)  # fmt: skip

    def _reversal(self, line: CreditReversal, key: str, entry_id: int) -> tuple[Any, ...]:
        code = line.amount.currency.code
        rows = self.bank.credit_candidates(code, to_minor(line.amount))
        candidates = [
            ImportedCredit(
                line_id=r["id"],
                amount=from_minor(r["amount_minor"], code),
                received=from_minor(r["amount_minor"] - r["charges_minor"], code),
                booking_date=r["booking_date"],
                end_to_end_id=r["end_to_end_id"],
                servicer_reference=r["servicer_reference"],
                rf=r["rf"],
                debtor_account=r["debtor_account"],
                payment_id=r["payment_id"],
            )
            for r in rows
        ]
        originals = find_original(line, candidates)
        self.reversals.add(*self._received(line))
        return self._row(
            line, key, entry_id, status="queued", reason=reversal_reason(line, originals),
            original=originals[0].line_id if len(originals) == 1 else None,
        )  # fmt: skip
