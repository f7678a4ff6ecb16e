"""Read partners, pledges (with instalments) and exchange rates from CSV or XLSX files.

Each reader returns an :class:`Imported`: every record when the file is good, otherwise no
record and every problem, in file order. The format follows the file's suffix (``.csv``,
``.xlsx`` or ``.xlsm``). In a workbook the sheet named after the kind is read (``partners``,
``pledges`` with ``instalments``, ``rates``), or its only sheet; an ``about`` sheet (as in
the templates) is ignored and any other sheet is a problem. A file that cannot be read at
all (missing, no permission) raises ``OSError``: that is not a problem of its content.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

from wsis_funding.imports.sheets import records
from wsis_funding.imports.sheets.kinds import (
    INSTALMENTS,
    KINDS,
    PARTNERS,
    PLEDGES,
    RATES,
    SheetSpec,
)
from wsis_funding.imports.sheets.model import (
    Imported,
    PartnerRow,
    PledgeRow,
    Problem,
    RateRow,
    Source,
)
from wsis_funding.imports.sheets.sources import XlsxBook, read_csv
from wsis_funding.imports.sheets.table import Table, normalise

__all__ = ["read_partners", "read_pledges", "read_rates"]

R = TypeVar("R")
PathLike = str | os.PathLike[str]

_IGNORED_SHEETS = frozenset({"about"})


def _file_problem(path: Path, message: str) -> Problem:
    return Problem(file=path.name, sheet=None, row=None, column=None, value="", message=message)


def _tables(
    stack: ExitStack, path: Path, specs: Sequence[SheetSpec], problems: list[Problem]
) -> dict[str, Table]:
    """Open ``path`` and return a table for each spec found in it; ``specs[0]`` is the main one."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        csv_file = read_csv(path)
        problems.extend(csv_file.problems)
        if not csv_file.rows and csv_file.problems:
            return {}
        table = Table(
            specs[0],
            path.name,
            None,
            csv_file.rows,
            check_utf8=csv_file.invalid_utf8,
            problems=problems,
        )
        return {specs[0].name: table}
    if suffix in (".xlsx", ".xlsm"):
        book = stack.enter_context(XlsxBook(path, problems))
        return {
            name: Table(KINDS[name], path.name, sheet, book.rows(sheet), problems=problems)
            for name, sheet in _pick_sheets(path, book.sheetnames, specs, problems).items()
        }
    if suffix == ".xls":
        problems.append(_file_problem(path, "an Excel 97-2003 .xls file: save it as .xlsx"))
    else:
        problems.append(_file_problem(path, "not a .csv or .xlsx file"))
    return {}


def _pick_sheets(
    path: Path, names: Sequence[str], specs: Sequence[SheetSpec], problems: list[Problem]
) -> dict[str, str]:
    """Return the sheet to read for each spec, by name (the main spec may be the only sheet)."""
    if not names:
        return {}
    chosen: dict[str, str] = {}
    by_name = {normalise(n): n for n in names}
    for spec in specs:
        if spec.name in by_name:
            chosen[spec.name] = by_name[spec.name]
    used = set(chosen.values())
    leftover = [n for n in names if n not in used and normalise(n) not in _IGNORED_SHEETS]
    main = specs[0].name
    if main not in chosen:
        if len(leftover) == 1:
            chosen[main] = leftover.pop()
        else:
            problems.append(
                _file_problem(
                    path, f"no sheet named {main!r}; the workbook's sheets are {', '.join(names)}"
                )
            )
            return chosen
    wanted = ", ".join(spec.name for spec in specs)
    for name in leftover:
        problems.append(
            Problem(
                file=path.name,
                sheet=name,
                row=None,
                column=None,
                value="",
                message=f"a {main} import reads only the sheets {wanted} (and about): "
                "remove or rename this sheet",
            )
        )
    return chosen


def _result(found: list[R], problems: list[Problem], opened: Sequence[Table]) -> Imported[R]:
    """All records when there is no problem; else no record and the problems in file order.

    File order: the files and sheets in the order they were opened (a file's own problems
    first, then each sheet's), then by row; within a row, in column order as found.
    """
    sources = {t.spec.name: Source(file=t.file, sheet=t.sheet, headers=t.headers) for t in opened}
    if not problems:
        return Imported(tuple(found), (), sources)
    files = {t.file: -1 for t in opened}
    sheets = {(t.file, t.sheet): i for i, t in enumerate(opened)}
    rank = {name: i for i, name in enumerate(files)}

    def key(p: Problem) -> tuple[int, int, int]:
        return (rank.get(p.file, len(rank)), sheets.get((p.file, p.sheet), -1), p.row or 0)

    return Imported((), tuple(sorted(problems, key=key)), sources)


def read_partners(path: PathLike) -> Imported[PartnerRow]:
    """Read a partners file (CSV, or XLSX with a ``partners`` sheet); see :data:`PARTNERS`.

    Raises ``OSError`` if the file cannot be read at all.
    """
    problems: list[Problem] = []
    with ExitStack() as stack:
        tables = _tables(stack, Path(path), [PARTNERS], problems)
        table = tables.get(PARTNERS.name)
        found = records.partners(table) if table is not None else []
    return _result(found, problems, list(tables.values()))


def read_pledges(path: PathLike, instalments: PathLike | None = None) -> Imported[PledgeRow]:
    """Read a pledges file with its instalments; see :data:`PLEDGES` and :data:`INSTALMENTS`.

    The instalments are on the ``instalments`` sheet of a pledges workbook, or in the file
    ``instalments`` (CSV, or XLSX with an ``instalments`` sheet) when it is given; then the
    pledges workbook may not have an instalments sheet too. A pledge with no instalment row
    is due in full on its signing date. Raises ``OSError`` if a file cannot be read at all.
    """
    problems: list[Problem] = []
    with ExitStack() as stack:
        specs = [PLEDGES] if instalments is not None else [PLEDGES, INSTALMENTS]
        tables = _tables(stack, Path(path), specs, problems)
        if instalments is not None:
            tables |= _tables(stack, Path(instalments), [INSTALMENTS], problems)
        table = tables.get(PLEDGES.name)
        found: list[PledgeRow] = []
        if table is not None:
            found = records.pledges(table, tables.get(INSTALMENTS.name))
    return _result(found, problems, list(tables.values()))


def read_rates(path: PathLike) -> Imported[RateRow]:
    """Read an exchange rates file (CSV, or XLSX with a ``rates`` sheet); see :data:`RATES`.

    Raises ``OSError`` if the file cannot be read at all.
    """
    problems: list[Problem] = []
    with ExitStack() as stack:
        tables = _tables(stack, Path(path), [RATES], problems)
        table = tables.get(RATES.name)
        found = records.rates(table) if table is not None else []
    return _result(found, problems, list(tables.values()))
