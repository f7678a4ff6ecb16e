"""Spreadsheet imports into the books: partners, pledges with instalments, exchange rates.

Each import is one use case, so one unit of work: it reads the file (CSV or XLSX, see
:mod:`wsis_funding.imports.sheets`), checks every row against the file's own rules and then
against the books (a short name the books already hold, an unknown partner or edition, a
rate that contradicts a stored one, a pledge that could not be confirmed), and writes all of
it or nothing. When anything is wrong it raises :class:`SpreadsheetRejected` carrying every
problem, each with its file, sheet, row, column, value and what is wrong; nothing is written.
A dry run does all of that, writes too (so that the database's own checks run), then rolls
its work back and returns the same report a real import would.

``progress``, if given, is called as ``progress(stage, done, total)`` while rows are checked
(``"checking"``) and written (``"writing"``); the library never prints.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import attrs

from wsis_funding.imports.sheets import (
    Imported,
    Problem,
    Source,
    SpreadsheetRejected,
    read_partners,
    read_pledges,
    read_rates,
)
from wsis_funding.ledger.model import Partner
from wsis_funding.services.pledge_sheet import CHUNK, Progress, check_pledges
from wsis_funding.services.pledge_writing import write_pledges
from wsis_funding.services.reference_sheet import check_partner, check_rates
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["ImportReport", "Progress", "import_partners", "import_pledges", "import_rates"]

PathLike = str | os.PathLike[str]
R = TypeVar("R")


@attrs.frozen(kw_only=True)
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``rows`` is how many records the file held; ``added`` how many were (or would be) added
    to the books and ``skipped`` how many the books already held exactly (a partner or rate
    given again, unchanged); ``confirmed`` how many pledges were confirmed. ``ids`` are the
    new partner or pledge ids in file order (none for rates, and none for a dry run).
    """

    kind: str
    file: str
    rows: int
    added: int
    skipped: int = 0
    confirmed: int = 0
    dry_run: bool = False
    ids: tuple[int, ...] = ()


class _Rollback(Exception):
    """Raised inside a dry run's savepoint to undo its work and carry its report out."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report


def _run(uow: UnitOfWork, dry_run: bool, work: Callable[[], ImportReport]) -> ImportReport:
    """Run ``work``; for a dry run inside a savepoint that is rolled back afterwards."""
    if not isinstance(dry_run, bool):
        raise TypeError(f"dry_run must be True or False, not {dry_run!r}")
    if not dry_run:
        return work()
    try:
        with uow.savepoint():
            raise _Rollback(work())
    except _Rollback as done:
        return attrs.evolve(done.report, dry_run=True, ids=())


@contextmanager
def _bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import builds its records and rows.

    An import of 10,000 pledges makes some hundred thousand objects that all live until it
    ends, and the collector would walk them again and again as they pile up (a fifth of the
    import's time). Reference counting still frees everything; the collector is switched
    back on (if it was on) when the import ends, however it ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _records(imported: Imported[R]) -> tuple[R, ...]:
    return imported.or_raise()


def _reject(problems: Sequence[Problem]) -> None:
    if problems:
        raise SpreadsheetRejected(problems)


def _report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def import_partners(
    uow: UnitOfWork, path: PathLike, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Add the partners of a CSV or XLSX file (see :data:`.sheets.PARTNERS`).

    ``path`` is the file (its suffix says which); with ``dry_run`` everything is checked and
    nothing written. All or nothing. A row whose partner the books already hold unchanged (same
    short name, every field equal) is skipped; a short name the books hold with other details is
    a problem (a stored partner is corrected with ``update_partner``), as is a short name used
    twice in the file once case, spacing and width are ignored, and a character the document
    fonts cannot draw. Raises :class:`SpreadsheetRejected` with every problem, ``OSError`` if
    the file cannot be read, ``TypeError`` for a ``dry_run`` that is not a bool.
    """
    with _bulk_allocation():
        return _import_partners(uow, path, dry_run, progress)


def _import_partners(
    uow: UnitOfWork, path: PathLike, dry_run: bool, progress: Progress | None
) -> ImportReport:
    imported = read_partners(path)
    records = _records(imported)
    source = imported.sources.get("partners") or Source(file=Path(path).name, sheet=None)

    def work() -> ImportReport:
        stored = uow.bulk.partner_keys()
        seen: dict[str, int] = {}
        problems: list[Problem] = []
        new: list[Partner] = []
        skipped = 0
        for done, r in enumerate(records, start=1):
            partner, known = check_partner(r, source, stored, seen, problems)
            skipped += known
            if partner is not None:
                new.append(partner)
            if done % CHUNK == 0 or done == len(records):
                _report(progress, "checking", done, len(records))
        _reject(problems)
        added = uow.bulk.add_partners(new)
        _report(progress, "writing", len(added), len(added))
        return ImportReport(
            kind="partners",
            file=source.file,
            rows=len(records),
            added=len(added),
            skipped=skipped,
            ids=tuple(p.id for p in added if p.id is not None),
        )

    return _run(uow, dry_run, work)


def import_pledges(
    uow: UnitOfWork,
    path: PathLike,
    *,
    instalments: PathLike | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Add the pledges of a file, with their instalments, and confirm those marked to confirm.

    The pledges and instalments are read as :func:`~wsis_funding.imports.sheets.read_pledges`
    reads them (an XLSX workbook with both sheets, or two CSV files: ``path`` and
    ``instalments``). Each row must pass what ``create_pledge`` and (unless its ``confirm``
    is ``no``) ``confirm_pledge`` check, against the books and the rows above it: a known
    partner short name and edition code, a tier or package the edition offers, a package
    priced or discounted with a reason and within its capacity, a rate in force on the
    signing date; a declared tier must be reached by the partner's confirmed pledges in the
    edition once the whole file is counted. Confirmed pledges post their revenue as
    ``confirm_pledge`` does. With ``dry_run`` everything is checked and nothing written.
    All or nothing. Raises :class:`SpreadsheetRejected` with every
    problem, ``OSError`` if a file cannot be read, ``TypeError`` for a non-bool ``dry_run``.
    """
    with _bulk_allocation():
        return _import_pledges(uow, path, instalments, dry_run, progress)


def _import_pledges(
    uow: UnitOfWork,
    path: PathLike,
    instalments: PathLike | None,
    dry_run: bool,
    progress: Progress | None,
) -> ImportReport:
    imported = read_pledges(path, instalments)
    records = _records(imported)
    source = imported.sources.get("pledges") or Source(file=Path(path).name, sheet=None)

    def work() -> ImportReport:
        good, problems = check_pledges(uow, records, source, progress)
        _reject(problems)
        ids, confirmed = write_pledges(uow, good, progress)
        return ImportReport(
            kind="pledges",
            file=source.file,
            rows=len(records),
            added=len(ids),
            confirmed=confirmed,
            ids=tuple(ids),
        )

    return _run(uow, dry_run, work)


def import_rates(
    uow: UnitOfWork, path: PathLike, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Add the exchange rates of a CSV or XLSX file (see :data:`.sheets.RATES`).

    ``path`` is the file (its suffix says which); with ``dry_run`` everything is checked and
    nothing written. All or nothing. A rate the books already hold for the same pair and date is
    skipped if equal and a problem if not (a stored rate is never changed). Raises
    :class:`SpreadsheetRejected` with every problem, ``OSError`` if the file cannot be read,
    ``TypeError`` for a non-bool ``dry_run``.
    """
    with _bulk_allocation():
        return _import_rates(uow, path, dry_run, progress)


def _import_rates(
    uow: UnitOfWork, path: PathLike, dry_run: bool, progress: Progress | None
) -> ImportReport:
    imported = read_rates(path)
    records = _records(imported)
    source = imported.sources.get("rates") or Source(file=Path(path).name, sheet=None)

    def work() -> ImportReport:
        new, skipped = check_rates(uow, records, source)
        _report(progress, "checking", len(records), len(records))
        added = uow.rates.add_all(new)
        _report(progress, "writing", added, added)
        return ImportReport(
            kind="rates", file=source.file, rows=len(records), added=added, skipped=skipped
        )

    return _run(uow, dry_run, work)
