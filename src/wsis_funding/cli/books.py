"""``wsis-funding books``: read the books and render issued documents from the command line.

Every command here only reads: the books are opened with ``create=False``, so a missing
database or a typo in its path is an error, never a new empty file reported as sound books.

Keyed books (an HMAC chain) are verified with their key, read from ``--chain-key-file``,
``$WSIS_FUNDING_CHAIN_KEY_FILE`` or ``$WSIS_FUNDING_CHAIN_KEY`` (the key itself), in that
order; a key is never given on the command line, where other users could see it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click
from rich.table import Table

from wsis_funding.cli.settings import ENV_DATABASE, Settings
from wsis_funding.cli.terminal import TEXT, check_output_file, console, shown, write_file
from wsis_funding.ledger.chain import ChainHead
from wsis_funding.ledger.errors import UnknownPartner
from wsis_funding.money import format_money
from wsis_funding.services import BUCKETS, Tracker, open_tracker
from wsis_funding.storage.chainkey import ChainKeyInput

__all__ = ["books"]

# Partner ids are INTEGER columns (32 bits on PostgreSQL): no partner has an id outside this.
_IDS = range(1, 2**31)


ENV_CHAIN_KEY = "WSIS_FUNDING_CHAIN_KEY"
ENV_CHAIN_KEY_FILE = "WSIS_FUNDING_CHAIN_KEY_FILE"


_KEY_FILE = "wsis_funding.chain_key_file"


def _chain_key() -> ChainKeyInput | None:
    """Return the chain key named by ``--chain-key-file`` or the environment, if any."""
    path = click.get_current_context().meta.get(_KEY_FILE)
    if path is not None:
        return Path(path)
    return os.environ.get(ENV_CHAIN_KEY) or None


def open_books(settings: Settings) -> Tracker:
    """Open the existing books named by the settings for reading; never create them.

    Raises ``click.UsageError`` when no database is given, and the library's errors
    (``BooksNotFound``, ``BooksUnavailable``, ``InvalidDatabaseUrl``, ``InvalidChainKey``,
    ``ChainKeyMismatch``) otherwise.
    """
    if settings.database_url is None:
        raise click.UsageError(f"no database given: pass --database URL or set ${ENV_DATABASE}")
    # Documents are rendered from their stored snapshots: reading needs no issuer settings.
    return open_tracker(settings.database_url, create=False, chain_key=_chain_key())


@click.group()
@click.option(
    "--chain-key-file",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar=ENV_CHAIN_KEY_FILE,
    help=f"File holding the key of a keyed hash chain (default: ${ENV_CHAIN_KEY_FILE}, else "
    f"the key itself in ${ENV_CHAIN_KEY}).",
)
@click.pass_context
def books(ctx: click.Context, chain_key_file: Path | None) -> None:
    """Read the books at --database (or $WSIS_FUNDING_DATABASE_URL); they must exist."""
    ctx.meta[_KEY_FILE] = chain_key_file


def _head(value: str | None) -> ChainHead | None:
    if value is None:
        return None
    try:
        return ChainHead.parse(value)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--head") from None


@books.command("verify")
@click.option(
    "--head",
    "head_text",
    metavar="SEQ:HASH",
    help="A chain head printed earlier by `books head`: report whether the chain still passes "
    "through it, and check only what was appended since.",
)
@click.pass_obj
def verify(settings: Settings, head_text: str | None) -> None:
    """Check the books: balances, hash chain, what it seals, receivables; exit 1 if not sound."""
    expected = _head(head_text)
    with open_books(settings) as tracker:
        problems = tracker.verify(expected_head=expected)
        now = tracker.head()
    if problems:
        for p in problems:
            click.echo(p)
        click.get_current_context().exit(1)
    if expected is None:
        click.echo("the books are sound")
    else:
        click.echo(
            f"the books are sound: the chain passes through entry {expected.seq} and the "
            f"{now.seq - expected.seq} entries appended since are intact"
        )


@books.command("head")
@click.pass_obj
def head(settings: Settings) -> None:
    """Print the head of the hash chain, SEQ:HASH, to keep outside the database.

    Give it back later to `books verify --head SEQ:HASH`: a chain that no longer passes
    through it was truncated or rewritten.
    """
    with open_books(settings) as tracker:
        click.echo(str(tracker.head()))


@books.command("standing")
@click.argument("partner", type=int)
@click.argument("edition", type=TEXT)
@click.pass_obj
def standing(settings: Settings, partner: int, edition: str) -> None:
    """Show PARTNER's (id) committed and paid totals and tier in EDITION (code)."""
    with open_books(settings) as tracker:
        if partner not in _IDS:
            raise UnknownPartner(partner)
        s = tracker.standing(partner, edition)
    table = Table(show_header=False, title=f"Partner {partner} in {edition}", title_justify="left")
    table.add_row("Committed", format_money(s.committed, "en"))
    table.add_row("Paid", format_money(s.paid, "en"))
    table.add_row("Tier", s.tier.title if s.tier else "none")
    table.add_row("Next tier", s.next_tier.title if s.next_tier else "none")
    table.add_row("Shortfall", format_money(s.shortfall, "en") if s.shortfall else "none")
    console().print(table)


@books.command("receivables")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.pass_obj
def receivables(settings: Settings, as_of: dt.datetime) -> None:
    """Show open receivables per currency in ageing buckets (days past due) as of a date."""
    with open_books(settings) as tracker:
        report = tracker.receivables(as_of.date())
    table = Table(title=f"Receivables as of {as_of.date().isoformat()}", title_justify="left")
    table.add_column("Currency")
    for bucket in BUCKETS:
        table.add_column(bucket, justify="right")
    for currency, buckets in sorted(report.by_currency.items()):
        table.add_row(
            currency, *(format_money(buckets[b], "en") if b in buckets else "-" for b in BUCKETS)
        )
    console().print(table)


@books.command("render")
@click.argument("number", type=TEXT)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="PDF to write (default: NUMBER.pdf)."
)
@click.pass_obj
def render(settings: Settings, number: str, output: Path | None) -> None:
    """Render the issued document NUMBER (invoice, credit note, letter, reminder) to PDF."""
    with open_books(settings) as tracker:
        tracker.document(number)  # an unknown number is the error, before the file name is
        target = output if output is not None else Path(f"{number}.pdf")
        check_output_file(target, "-o / --output")
        pdf = tracker.render_pdf(number)
    write_file(target, pdf)
    if target.is_file():  # not on a pipe such as -o /dev/stdout, where it would join the PDF
        click.echo(f"wrote {shown(target)} ({len(pdf)} bytes)")
