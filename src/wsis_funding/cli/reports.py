"""``wsis-funding report``: write report files from the books (PDF, CSV, XLSX, JSON).

Every command reads existing books (never creates them) and writes one file, ``--out FILE``,
whole: it appears complete or not at all. ``--format`` defaults to the file's suffix when the
report is written in that format, else to the report's first format. Errors are one line on
stderr with exit status 2, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from wsis_funding.cli.books import open_books
from wsis_funding.cli.settings import ENV_ISSUER, Settings
from wsis_funding.cli.terminal import (
    TEXT,
    check_output_file,
    console,
    shown,
    write_file,
    write_file_with,
)
from wsis_funding.documents import load_issuer
from wsis_funding.i18n import LANGUAGES
from wsis_funding.reports.files import ReportFormat
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.services.report_files import FORMATS

__all__ = ["report"]

_DATE = click.DateTime(formats=["%Y-%m-%d"])
_JOURNAL_FORMATS = (ReportFormat.CSV, ReportFormat.XLSX)


def _open(settings: Settings, *, issuer: bool) -> Tracker:
    """Open the existing books; with ``issuer``, with the issuer settings if there are some."""
    if not issuer or settings.issuer is None or settings.database_url is None:
        return open_books(settings)
    details = load_issuer(settings.issuer)  # a bad file is the error, before the books open
    return open_tracker(settings.database_url, create=False, issuer=details)


def _format(value: str | None, out: Path, report: str) -> str:
    """Return the format asked for, or the one the file's suffix names, or the first.

    A suffix naming a format the report is not written in is refused rather than ignored
    (``--out revenue.pdf`` would otherwise hold a spreadsheet).
    """
    supported = _JOURNAL_FORMATS if report == "journal" else FORMATS[report]
    if value is not None:
        return value
    suffix = out.suffix.lower().lstrip(".")
    names = [f.value for f in supported]
    if suffix in names:
        return suffix
    if suffix in {f.value for f in ReportFormat}:
        raise click.BadParameter(
            f"{shown(out)}: the {report} report is not written as {suffix}; "
            f"name a .{' or .'.join(names)} file or pass --format",
            param_hint="--out",
        )
    return names[0]


def _need_issuer(settings: Settings, what: str) -> None:
    if settings.issuer is None:
        raise click.UsageError(
            f"{what} needs the issuer settings: pass --issuer FILE or set ${ENV_ISSUER}"
        )


def _partner(tracker: Tracker, partner: str) -> int:
    """Return the id of PARTNER, given as an id or a short name."""
    if partner.isdigit() and partner.isascii():
        return int(partner)
    found = tracker.partner_by_short_name(partner)
    assert found.id is not None
    return found.id


def _day(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else value.date()


def _write(out: Path, data: bytes) -> None:
    write_file(out, data)
    if out.is_file():  # not on a pipe such as --out /dev/stdout, where it would join the file
        click.echo(f"wrote {shown(out)} ({len(data)} bytes)")


F = TypeVar("F", bound=Callable[..., Any])


def _options(formats: tuple[ReportFormat, ...]) -> Callable[[F], F]:
    """Add ``--out`` and ``--format`` (one of ``formats``) to a command."""

    def decorate(command: F) -> F:
        click.option(
            "--out", type=click.Path(path_type=Path), required=True, help="The file to write."
        )(command)
        click.option(
            "--format",
            "fmt",
            type=click.Choice([f.value for f in formats]),
            help=f"File format (default: the --out suffix, else {formats[0].value}).",
        )(command)
        return command

    return decorate


@click.group()
def report() -> None:
    """Write report files from the books at --database; they must exist."""


@report.command("statement")
@click.argument("partner", type=TEXT)
@click.argument("edition", type=TEXT, required=False)
@click.option("--date", "dated", type=_DATE, help="Statement date (default: its latest line).")
@_options(FORMATS["statement"])
@click.pass_obj
def statement(
    settings: Settings,
    partner: str,
    edition: str | None,
    dated: dt.datetime | None,
    fmt: str | None,
    out: Path,
) -> None:
    """Write PARTNER's (id or short name) statement of account, of EDITION or all editions.

    The PDF is in the partner's language and needs the issuer settings (--issuer).
    """
    fmt_ = _format(fmt, out, "statement")
    check_output_file(out, "--out")
    if fmt_ == "pdf":
        _need_issuer(settings, "the statement PDF (on the issuer's letterhead)")
    with _open(settings, issuer=fmt_ == "pdf") as tracker:
        data = tracker.statement_file(
            _partner(tracker, partner), edition, format=fmt_, dated=_day(dated)
        )
    _write(out, data)


@report.command("ageing")
@click.option("--as-of", "as_of", type=_DATE, required=True, help="The day the report is for.")
@click.option("--edition", type=TEXT, help="Only this edition's pledges (default: all).")
@_options(FORMATS["ageing"])
@click.pass_obj
def ageing(
    settings: Settings, as_of: dt.datetime, edition: str | None, fmt: str | None, out: Path
) -> None:
    """Write receivables in ageing buckets (days past due) as of a date."""
    fmt_ = _format(fmt, out, "ageing")
    check_output_file(out, "--out")
    with _open(settings, issuer=False) as tracker:
        data = tracker.ageing_file(as_of.date(), edition=edition, format=fmt_)
    _write(out, data)


@report.command("revenue")
@click.argument("edition", type=TEXT)
@click.option("--as-of", "as_of", type=_DATE, help="Only entries up to this day.")
@_options(FORMATS["revenue"])
@click.pass_obj
def revenue(
    settings: Settings, edition: str, as_of: dt.datetime | None, fmt: str | None, out: Path
) -> None:
    """Write EDITION's revenue: gross, PSC and net, per currency and in base currency."""
    fmt_ = _format(fmt, out, "revenue")
    check_output_file(out, "--out")
    with _open(settings, issuer=False) as tracker:
        data = tracker.revenue_file(edition, as_of=_day(as_of), format=fmt_)
    _write(out, data)


@report.command("roster")
@click.argument("edition", type=TEXT)
@click.option("--amounts", is_flag=True, help="Add each partner's committed and paid money.")
@_options(FORMATS["roster"])
@click.pass_obj
def roster(settings: Settings, edition: str, amounts: bool, fmt: str | None, out: Path) -> None:
    """Write EDITION's tier roster for other services: names, tiers, activity packages."""
    fmt_ = _format(fmt, out, "roster")
    check_output_file(out, "--out")
    with _open(settings, issuer=False) as tracker:
        data = tracker.roster_file(edition, amounts=amounts, format=fmt_)
    _write(out, data)


@report.command("funding")
@click.argument("edition", type=TEXT)
@click.option(
    "--language", type=click.Choice(list(LANGUAGES)), default="en", show_default=True,
    help="Language of the PDF.",
)  # fmt: skip
@_options(FORMATS["funding"])
@click.pass_obj
def funding(settings: Settings, edition: str, language: str, fmt: str | None, out: Path) -> None:
    """Write EDITION's funding against its target, with charts (issuer letterhead if set)."""
    fmt_ = _format(fmt, out, "funding")
    check_output_file(out, "--out")
    with _open(settings, issuer=fmt_ == "pdf") as tracker:
        data = tracker.funding_file(edition, format=fmt_, language=language)
    _write(out, data)


@report.command("journal")
@click.option("--from", "since", type=_DATE, help="Only entries dated on or after this day.")
@click.option("--to", "until", type=_DATE, help="Only entries dated on or before this day.")
@_options(_JOURNAL_FORMATS)
@click.pass_obj
def journal(
    settings: Settings,
    since: dt.datetime | None,
    until: dt.datetime | None,
    fmt: str | None,
    out: Path,
) -> None:
    """Write every journal entry with its postings, for the ERP (streamed, any size)."""
    fmt_ = _format(fmt, out, "journal")
    check_output_file(out, "--out")
    written = 0
    with _open(settings, issuer=False) as tracker:
        err = console(stderr=True)
        bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed:,} postings"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,  # a bar only for a person watching
        )
        with bar:
            task = bar.add_task("journal", total=None)

            def fill(stream: IO[bytes]) -> None:
                nonlocal written
                written = tracker.write_journal(
                    stream,
                    format=fmt_,
                    since=_day(since),
                    until=_day(until),
                    progress=lambda n: bar.update(task, completed=n),
                )

            write_file_with(out, fill)
    if out.is_file():
        click.echo(f"wrote {shown(out)} ({written:,} postings)")
