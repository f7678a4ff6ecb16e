"""The ``wsis-funding`` command line: a thin layer that parses, calls the library, prints.

Every error the user (or the environment: a missing file, an unreachable database) can cause
ends in one line ``error: ...`` on stderr and exit status 2, never a traceback. Commands that
read the books never create them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from wsis_funding.cli.bank import bank
from wsis_funding.cli.batch import batch
from wsis_funding.cli.books import books
from wsis_funding.cli.demo import demo
from wsis_funding.cli.invoices import invoice, letter
from wsis_funding.cli.lookups import balance, documents, receivables, revenue, standing, statement
from wsis_funding.cli.partners import partner
from wsis_funding.cli.payments import payment
from wsis_funding.cli.pledges import pledge
from wsis_funding.cli.reference import edition, init, rate
from wsis_funding.cli.reports import report
from wsis_funding.cli.settings import ENV_ISSUER, load_settings
from wsis_funding.cli.sheets import export, import_group, templates
from wsis_funding.cli.terminal import console
from wsis_funding.cli.tiers import tiers
from wsis_funding.documents.errors import IssuerNotConfigured
from wsis_funding.errors import WsisFundingError

__all__ = ["ENV_TRACEBACK", "cli", "main", "run"]

ENV_TRACEBACK = "WSIS_FUNDING_TRACEBACK"


@click.group()
@click.option(
    "--schedule",
    type=click.Path(path_type=Path),
    help="Tier schedule TOML (default: $WSIS_FUNDING_SCHEDULE, else the illustrative one).",
)
@click.option(
    "--database",
    help="URL of the books: sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB "
    "(default: $WSIS_FUNDING_DATABASE_URL).",
)
@click.option(
    "--issuer",
    type=click.Path(path_type=Path),
    help="Issuer settings TOML, needed to issue documents (default: $WSIS_FUNDING_ISSUER).",
)
@click.option("--config", type=click.Path(path_type=Path), help="Settings TOML file.")
@click.pass_context
def cli(
    ctx: click.Context,
    schedule: Path | None,
    database: str | None,
    issuer: Path | None,
    config: Path | None,
) -> None:
    """Track WSIS Forum sponsorship and WSIS Fund in Trust contributions."""
    ctx.obj = load_settings(schedule=schedule, database_url=database, issuer=issuer, config=config)


cli.add_command(tiers)
cli.add_command(books)
cli.add_command(demo)
# Every use case, by what it is about; then the look-ups; then spreadsheets in and out.
for command in (init, partner, edition, rate, pledge, payment, invoice, letter):
    cli.add_command(command)
for command in (statement, standing, receivables, revenue, balance, documents):
    cli.add_command(command)
for command in (import_group, export, templates):
    cli.add_command(command)
cli.add_command(bank)
cli.add_command(batch)
cli.add_command(report)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return its exit status.

    0 on success, 1 when ``books verify`` finds problems, a batch run could not issue some
    document, or the user aborts, 2 for anything
    the user or the environment got wrong (bad input, missing books, an unreachable database,
    a file that cannot be written), with one line ``error: ...`` on stderr and no traceback.
    An error that is a bug of ours is one line too, with status 70, unless
    ``$WSIS_FUNDING_TRACEBACK`` is set to show the traceback.
    """
    err = console(stderr=True)
    try:
        status = cli.main(args=list(argv) if argv is not None else None, prog_name="wsis-funding",
                          standalone_mode=False)  # fmt: skip
    except click.exceptions.Abort:
        err.print("aborted")
        return 1
    except click.exceptions.NoArgsIsHelpError as e:
        err.print(e.format_message())
        return 2
    except click.ClickException as e:
        err.print(f"error: {_one_line(e.format_message())}")
        return 2
    except IssuerNotConfigured:
        # The library's words name its API; here the issuer settings come from a flag.
        err.print(
            "error: issuing documents (credit notes too) needs the issuer settings: pass "
            f"--issuer FILE or set ${ENV_ISSUER}"
        )
        return 2
    except WsisFundingError as e:
        err.print(f"error: {_one_line(str(e))}")
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except OSError as e:
        err.print(f"error: {_one_line(_os_message(e))}")
        return 2
    except Exception as e:
        if os.environ.get(ENV_TRACEBACK):
            raise
        err.print(
            f"error: unexpected {type(e).__name__}: {_one_line(str(e))} (a bug in wsis-funding; "
            f"set {ENV_TRACEBACK}=1 to see where)"
        )
        return 70
    return status if isinstance(status, int) else 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _os_message(e: OSError) -> str:
    """Return what went wrong with which file, as the operating system says it."""
    what = e.strerror or str(e)
    if e.filename is None:
        return what
    names = [click.format_filename(os.fsdecode(e.filename))]
    if e.filename2 is not None:
        names.append(click.format_filename(os.fsdecode(e.filename2)))
    return f"{' -> '.join(names)}: {what}"


def _silence_stdout() -> None:
    """Point stdout at /dev/null: its reader has gone, and Python flushes it when exiting."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor behind stdout (a test's capture)
        pass


def run() -> None:
    """Console-script entry point: run :func:`main` and exit with its status."""
    sys.exit(main())
