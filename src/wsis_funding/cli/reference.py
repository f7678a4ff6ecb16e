"""``wsis-funding init``, ``edition`` and ``rate``: the books themselves and their reference data.

``init`` is the only command that creates books; every other command opens books that
exist, so that a typo in a path is an error instead of new, empty books.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from wsis_funding.cli.access import DATE, write_books
from wsis_funding.cli.settings import ENV_DATABASE, Settings
from wsis_funding.cli.sheets import run_import
from wsis_funding.cli.terminal import TEXT
from wsis_funding.ledger.model import Edition
from wsis_funding.money import ExchangeRate
from wsis_funding.services import open_tracker
from wsis_funding.storage.errors import BooksNotFound
from wsis_funding.tiers import illustrative_schedule_toml

__all__ = ["edition", "init", "rate"]


@click.command("init")
@click.option(
    "--base-currency",
    type=TEXT,
    default="CHF",
    show_default=True,
    help="The books' functional currency, fixed once they exist.",
)
@click.pass_obj
def init(settings: Settings, base_currency: str) -> None:
    """Create the books at --database (nothing happens to books that exist)."""
    if settings.database_url is None:
        raise click.UsageError(f"no database given: pass --database URL or set ${ENV_DATABASE}")
    code = base_currency.strip().upper()
    try:
        with open_tracker(settings.database_url, create=False) as tracker:
            existing = tracker.base_currency
    except BooksNotFound:
        with open_tracker(settings.database_url, base_currency=code) as tracker:
            click.echo(f"created the books, base currency {tracker.base_currency}")
        return
    if existing != code:
        raise click.UsageError(
            f"the books exist already, kept in {existing}: their base currency cannot change"
        )
    click.echo(f"the books exist already, base currency {existing}")


@click.group()
def edition() -> None:
    """Editions of the Forum, each with its tier schedule and invoice numbering."""


def _decimal(text: str, option: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise click.BadParameter(f"{text!r} is not a decimal number", param_hint=option) from None
    if not value.is_finite():
        raise click.BadParameter(f"{text!r} is not a finite number", param_hint=option)
    return value


@edition.command("add")
@click.argument("code", type=TEXT)
@click.option("--title", type=TEXT, required=True, help="Title printed on documents.")
@click.option("--start", type=DATE, required=True, help="First day of the edition.")
@click.option("--end", type=DATE, required=True, help="Last day of the edition.")
@click.option("--psc-rate", required=True, help="Programme support cost rate, e.g. 0.07.")
@click.option(
    "--invoice-prefix", type=TEXT, required=True, help="Document numbers: WSIS-2024-0001."
)
@click.option(
    "--schedule",
    "schedule_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tier schedule TOML (default: the global --schedule, else the illustrative one).",
)
@click.pass_obj
def add_edition(
    settings: Settings,
    code: str,
    title: str,
    start: dt.date,
    end: dt.date,
    psc_rate: str,
    invoice_prefix: str,
    schedule_file: Path | None,
) -> None:
    """Add the edition CODE in the books' base currency, under a tier schedule."""
    path = schedule_file or settings.schedule
    toml = illustrative_schedule_toml() if path is None else path.read_text(encoding="utf-8")
    with write_books(settings) as tracker:
        stored = tracker.add_edition(
            Edition(
                code=code,
                title=title,
                start=start,
                end=end,
                base_currency=tracker.base_currency,
                schedule_toml=toml,
                psc_rate=_decimal(psc_rate, "--psc-rate"),
                invoice_prefix=invoice_prefix,
            )
        )
    click.echo(f"added edition {stored.code} ({stored.title}), {stored.base_currency}")


@click.group()
def rate() -> None:
    """Exchange rates: dated, sourced, never changed once stored."""


@rate.command("add")
@click.argument("from_currency", metavar="FROM", type=TEXT)
@click.argument("to_currency", metavar="TO", type=TEXT)
@click.argument("value", metavar="RATE")
@click.option("--effective", type=DATE, required=True, help="First day the rate is in force.")
@click.option(
    "--source",
    type=TEXT,
    default="UN operational rate of exchange",
    show_default=True,
    help="Where the rate comes from.",
)
@click.pass_obj
def add_rate(
    settings: Settings,
    from_currency: str,
    to_currency: str,
    value: str,
    effective: dt.date,
    source: str,
) -> None:
    """Add a rate: 1 FROM is worth RATE TO, from --effective on."""
    given = ExchangeRate(
        from_currency=from_currency.strip().upper(),
        to_currency=to_currency.strip().upper(),
        rate=_decimal(value, "RATE"),
        effective=effective,
        source=source,
    )
    with write_books(settings) as tracker:
        added = tracker.add_rates([given])
    what = "added" if added else "already in the books:"
    click.echo(
        f"{what} 1 {given.from_currency} = {format(given.rate, 'f')} {given.to_currency} "
        f"from {effective.isoformat()} ({source})"
    )


@rate.command("import")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.pass_obj
def import_rates(settings: Settings, path: Path, dry_run: bool) -> None:
    """Import exchange rates from a CSV or XLSX file (as ``wsis-funding import rates``)."""
    run_import(settings, "rates", path, None, dry_run, yes=True)
