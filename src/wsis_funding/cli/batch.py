"""``wsis-funding batch``: issue invoices, letters and reminders for a whole edition at once.

Each document is issued in its own transaction: one that fails is listed with its reason and
the others are issued; running the same batch again skips what is already issued. A progress
bar is drawn on stderr when it is a terminal; the summary goes to stdout. Exit status 0 when
every document was issued or skipped, 1 when some failed, 2 for bad input (one line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from wsis_funding.cli.settings import ENV_DATABASE, ENV_ISSUER, Settings
from wsis_funding.cli.terminal import TEXT, check_output_folder, console, shown
from wsis_funding.documents import load_issuer
from wsis_funding.services import BatchItem, BatchSummary, Tracker, open_tracker

__all__ = ["batch"]

_DATE = click.DateTime(formats=["%Y-%m-%d"])
Run = Callable[[Tracker, dict[str, Any]], BatchSummary]


def _options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the options every batch command takes (applied bottom up, shown top down)."""
    for option in reversed(
        [
            click.option("--edition", type=TEXT, required=True, help="Edition code (WSIS2024)."),
            click.option(
                "--up-to",
                "up_to",
                type=_DATE,
                required=True,
                metavar="DATE",
                help="Count what falls due (invoices), was received (letters) or is overdue "
                "(reminders) up to this day, YYYY-MM-DD.",
            ),
            click.option(
                "--on",
                "on",
                type=_DATE,
                metavar="DATE",
                help="Date of the documents (default: --up-to).",
            ),
            click.option(
                "--workers",
                type=click.IntRange(min=1),
                default=1,
                show_default=True,
                help="Processes rendering the PDFs.",
            ),
            click.option(
                "--out",
                type=click.Path(path_type=Path),
                metavar="DIR",
                help="Folder to write each issued document's PDF to (NUMBER.pdf).",
            ),
        ]
    ):
        command = option(command)
    return command


def _open(settings: Settings) -> Tracker:
    """Open the existing books with the issuer settings documents are issued with."""
    if settings.database_url is None:
        raise click.UsageError(f"no database given: pass --database URL or set ${ENV_DATABASE}")
    if settings.issuer is None:
        raise click.UsageError(f"no issuer settings given: pass --issuer FILE or set ${ENV_ISSUER}")
    issuer = load_issuer(settings.issuer)
    return open_tracker(settings.database_url, issuer=issuer, create=False)


def _summary(kind: str, edition: str, summary: BatchSummary, out: Path | None) -> None:
    """Print the counts as a table, then one line per failure (subject, reason, error)."""
    con = console()
    con.print(f"Batch {kind} of {edition}")
    table = Table()
    table.add_column("Outcome")
    table.add_column("Documents", justify="right")
    for outcome, items in (
        ("issued", summary.issued),
        ("skipped", summary.skipped),
        ("failed", summary.failed),
    ):
        table.add_row(outcome, str(len(items)))
    con.print(table)
    for item in summary.failed:
        click.echo(f"failed: {item.subject}: {item.reason} ({item.error})")
    if out is not None and summary.issued:
        click.echo(f"PDFs written to {shown(out)}")


def _run(settings: Settings, kind: str, options: dict[str, Any], run: Run) -> None:
    out: Path | None = options["out"]
    if out is not None:
        check_output_folder(out, "--out")
    err = console(stderr=True)
    with (
        _open(settings) as tracker,
        Progress(
            TextColumn(f"{kind}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err,
            transient=True,
            auto_refresh=False,  # no drawing thread: worker processes may be forked
            disable=not err.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("", total=None)

        def progress(item: BatchItem, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=item.partner)
            bar.refresh()

        summary = run(tracker, {**options, "progress": progress})
    _summary(kind, options["edition"], summary, out)
    if summary.failed:
        click.get_current_context().exit(1)


def _common(options: dict[str, Any]) -> dict[str, Any]:
    """Return the library's keyword arguments from the parsed options (dates as dates)."""
    on: dt.datetime | None = options["on"]
    return {
        "on": None if on is None else on.date(),
        "workers": options["workers"],
        "out": options["out"],
        "progress": options["progress"],
    }


@click.group()
def batch() -> None:
    """Issue documents for a whole edition; each in its own transaction, reruns skip.

    Needs --database and --issuer (or their environment variables). Exit status 1 when a
    document failed (each is listed with its reason), 2 for bad input.
    """


@batch.command("invoices")
@_options
@click.option(
    "--terms",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Days after the issue date an invoice is due (never before its instalment).",
)
@click.pass_obj
def invoices(settings: Settings, /, **options: Any) -> None:
    """Invoice every instalment of --edition due by --up-to that no open invoice asks for."""

    def run(tracker: Tracker, o: dict[str, Any]) -> BatchSummary:
        return tracker.issue_due_invoices(
            o["edition"], o["up_to"].date(), terms_days=o["terms"], **_common(o)
        )

    _run(settings, "invoices", options, run)


@batch.command("letters")
@_options
@click.pass_obj
def letters(settings: Settings, /, **options: Any) -> None:
    """Acknowledge every payment received by --up-to, per pledge of --edition it settled."""

    def run(tracker: Tracker, o: dict[str, Any]) -> BatchSummary:
        return tracker.acknowledge_payments(o["edition"], o["up_to"].date(), **_common(o))

    _run(settings, "letters", options, run)


@batch.command("reminders")
@_options
@click.option(
    "--repeat-after",
    "repeat_after",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Days before an unchanged reminder is sent again.",
)
@click.pass_obj
def reminders(settings: Settings, /, **options: Any) -> None:
    """Remind each open pledge of --edition of its invoices overdue on --up-to."""

    def run(tracker: Tracker, o: dict[str, Any]) -> BatchSummary:
        return tracker.issue_reminders(
            o["edition"], o["up_to"].date(), repeat_after_days=o["repeat_after"], **_common(o)
        )

    _run(settings, "reminders", options, run)
