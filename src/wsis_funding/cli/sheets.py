"""``wsis-funding import``, ``export`` and ``templates``: spreadsheets in and out of the books.

An import is all or nothing. When a file is refused, every problem is printed on stderr, one
per line (``error: FILE, sheet S, row N, column C 'value': what is wrong``), and the exit
status is 2; nothing is written. Importing pledges changes money (confirmed pledges post
their revenue), so, unless ``--yes``, it first does a dry run, says what the import will do
and asks. Long imports draw a progress bar on stderr when it is a terminal.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from wsis_funding.cli.access import ask, read_books, require_terminal, write_books
from wsis_funding.cli.settings import Settings
from wsis_funding.cli.terminal import (
    check_output_file,
    check_output_folder,
    console,
    shown,
    write_file,
)
from wsis_funding.imports.sheets import SpreadsheetRejected, write_templates
from wsis_funding.services import ImportReport, Tracker

__all__ = ["export", "import_group", "run_import", "templates"]

_KINDS = click.Choice(["partners", "pledges", "rates"])
_FILE = click.Path(path_type=Path, dir_okay=False)
# Below this many rows an import is over before a bar could say anything.
_BAR_FROM = 1000


@contextmanager
def _bar() -> Iterator[Callable[[str, int, int], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None when it is no terminal."""
    err = console(stderr=True)
    if not err.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=err, transient=True,
    ) as progress:  # fmt: skip
        tasks: dict[str, object] = {}

        def update(stage: str, done: int, total: int) -> None:
            if total < _BAR_FROM:
                return
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done)  # type: ignore[arg-type]

        yield update


def _call(
    tracker: Tracker,
    kind: str,
    path: Path,
    instalments: Path | None,
    dry_run: bool,
    progress: Callable[[str, int, int], None] | None,
) -> ImportReport:
    if kind == "partners":
        return tracker.import_partners(path, dry_run=dry_run, progress=progress)
    if kind == "rates":
        return tracker.import_rates(path, dry_run=dry_run, progress=progress)
    return tracker.import_pledges(path, instalments=instalments, dry_run=dry_run, progress=progress)


def _summary(report: ImportReport) -> str:
    verb = "would add" if report.dry_run else "added"
    line = f"{report.file}: {report.rows} {report.kind} read, {verb} {report.added}"
    if report.skipped:
        line += f", {report.skipped} already in the books"
    if report.kind == "pledges":
        line += f", {'would confirm' if report.dry_run else 'confirmed'} {report.confirmed}"
    return line + (" (dry run: nothing written)" if report.dry_run else "")


def run_import(
    settings: Settings,
    kind: str,
    path: Path,
    instalments: Path | None,
    dry_run: bool,
    yes: bool,
) -> None:
    """Import ``path`` into the books and print what was done; the shared body of the commands."""
    if instalments is not None and kind != "pledges":
        raise click.UsageError("--instalments goes with an import of pledges")
    try:
        with write_books(settings) as tracker:
            if kind == "pledges" and not dry_run and not yes:
                require_terminal(f"importing pledges from {shown(path)}")
                with _bar() as progress:  # closed before asking: a bar and a prompt clash
                    preview = _call(tracker, kind, path, instalments, True, progress)
                ask([_summary(preview).replace("would ", "will "), "Confirmed pledges post "
                     "their revenue to the journal."], yes)  # fmt: skip
            with _bar() as progress:
                report = _call(tracker, kind, path, instalments, dry_run, progress)
    except SpreadsheetRejected as rejected:
        err = console(stderr=True)
        for problem in rejected.problems:
            err.print(f"error: {problem}")
        err.print(
            f"error: {path.name} refused: {len(rejected.problems)} problem(s); nothing written"
        )
        click.get_current_context().exit(2)
    click.echo(_summary(report))


@click.group("import")
def import_group() -> None:
    """Import partners, pledges (with instalments) or exchange rates from CSV or XLSX."""


@import_group.command("partners")
@click.argument("path", metavar="FILE", type=_FILE)
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.pass_obj
def import_partners(settings: Settings, path: Path, dry_run: bool) -> None:
    """Import partners; a partner the books hold unchanged is skipped."""
    run_import(settings, "partners", path, None, dry_run, yes=True)


@import_group.command("pledges")
@click.argument("path", metavar="FILE", type=_FILE)
@click.option("--instalments", type=_FILE, help="The instalments CSV of a pledges CSV.")
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option("-y", "--yes", is_flag=True, help="Import without asking (for scripts).")
@click.pass_obj
def import_pledges(
    settings: Settings, path: Path, instalments: Path | None, dry_run: bool, yes: bool
) -> None:
    """Import pledges with their instalments, confirming those marked to confirm."""
    run_import(settings, "pledges", path, instalments, dry_run, yes)


@import_group.command("rates")
@click.argument("path", metavar="FILE", type=_FILE)
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.pass_obj
def import_rates(settings: Settings, path: Path, dry_run: bool) -> None:
    """Import exchange rates; a rate the books hold unchanged is skipped."""
    run_import(settings, "rates", path, None, dry_run, yes=True)


def _check_export(kind: str, path: Path, instalments: Path | None) -> None:
    for target, option in ((path, "FILE"), (instalments, "--instalments")):
        if target is not None and target.suffix.lower() not in (".csv", ".xlsx"):
            raise click.BadParameter(
                f"{shown(target)}: write a .csv or .xlsx file", param_hint=option
            )
    if instalments is not None and kind != "pledges":
        raise click.UsageError("--instalments goes with an export of pledges")
    if kind != "pledges":
        return
    is_csv = path.suffix.lower() == ".csv"
    if is_csv and (instalments is None or instalments.suffix.lower() != ".csv"):
        raise click.UsageError(
            "pledges to a .csv file need --instalments FILE.csv for their instalments"
        )
    if not is_csv and instalments is not None:
        raise click.UsageError(
            "a .xlsx pledges file holds its instalments on its own sheet: drop --instalments"
        )


@click.command("export")
@click.argument("kind", type=_KINDS)
@click.argument("path", metavar="FILE", type=_FILE)
@click.option("--instalments", type=_FILE, help="Where the instalments of a pledges CSV go.")
@click.pass_obj
def export(settings: Settings, kind: str, path: Path, instalments: Path | None) -> None:
    """Write the books' partners, pledges or rates to FILE (.csv or .xlsx) as an import file.

    Pledges go to one workbook (.xlsx, with an instalments sheet) or to two CSV files: FILE
    and --instalments.
    """
    _check_export(kind, path, instalments)
    targets = [path] if instalments is None else [path, instalments]
    for target in targets:
        check_output_file(target, "FILE" if target == path else "--instalments")
    with tempfile.TemporaryDirectory() as folder, read_books(settings) as tracker:
        inside = [Path(folder) / t.name for t in targets]
        if kind == "partners":
            tracker.export_partners(inside[0])
        elif kind == "rates":
            tracker.export_rates(inside[0])
        else:
            tracker.export_pledges(inside[0], inside[1] if len(inside) > 1 else None)
        data = [p.read_bytes() for p in inside]
    for target, content in zip(targets, data, strict=True):
        write_file(target, content)
        click.echo(f"wrote {shown(target)} ({len(content)} bytes)")


@click.command("templates")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path, file_okay=False))
def templates(folder: Path) -> None:
    """Write empty, documented import files (CSV and XLSX) for every kind into DIR."""
    check_output_folder(folder, "DIR")
    for written in write_templates(folder):
        click.echo(f"wrote {shown(written)}")
