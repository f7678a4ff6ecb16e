"""``wsis-funding books``: read the books and render issued documents from the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from wsis_funding.cli.settings import Settings
from wsis_funding.documents import load_issuer
from wsis_funding.money import format_money
from wsis_funding.services import BUCKETS, Tracker, open_tracker

__all__ = ["books"]


def _open(settings: Settings) -> Tracker:
    issuer = load_issuer(settings.issuer) if settings.issuer else None
    return open_tracker(settings.database_url, issuer=issuer)


@click.group()
def books() -> None:
    """Read the books at --database (default: $WSIS_FUNDING_DATABASE_URL)."""


@books.command("verify")
@click.pass_obj
def verify(settings: Settings) -> None:
    """Check every entry balances, the hash chain is intact and receivables agree; exit 1 if not."""
    with _open(settings) as tracker:
        problems = tracker.verify()
    if problems:
        for p in problems:
            click.echo(p)
        raise SystemExit(1)
    click.echo("the books are sound")


@books.command("standing")
@click.argument("partner", type=int)
@click.argument("edition")
@click.pass_obj
def standing(settings: Settings, partner: int, edition: str) -> None:
    """Show PARTNER's (id) committed and paid totals and tier in EDITION (code)."""
    with _open(settings) as tracker:
        s = tracker.standing(partner, edition)
    table = Table(show_header=False, title=f"Partner {partner} in {edition}", title_justify="left")
    table.add_row("Committed", format_money(s.committed, "en"))
    table.add_row("Paid", format_money(s.paid, "en"))
    table.add_row("Tier", s.tier.title if s.tier else "none")
    table.add_row("Next tier", s.next_tier.title if s.next_tier else "none")
    table.add_row("Shortfall", format_money(s.shortfall, "en") if s.shortfall else "none")
    Console().print(table)


@books.command("receivables")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.pass_obj
def receivables(settings: Settings, as_of: dt.datetime) -> None:
    """Show open receivables per currency in ageing buckets (days past due) as of a date."""
    with _open(settings) as tracker:
        report = tracker.receivables(as_of.date())
    table = Table(title=f"Receivables as of {as_of.date().isoformat()}", title_justify="left")
    table.add_column("Currency")
    for bucket in BUCKETS:
        table.add_column(bucket, justify="right")
    for currency, buckets in sorted(report.by_currency.items()):
        table.add_row(
            currency, *(format_money(buckets[b], "en") if b in buckets else "-" for b in BUCKETS)
        )
    Console().print(table)


@books.command("render")
@click.argument("number")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Default: NUMBER.pdf")
@click.pass_obj
def render(settings: Settings, number: str, output: Path | None) -> None:
    """Render the issued document NUMBER (invoice, credit note, letter) to PDF."""
    with _open(settings) as tracker:
        pdf = tracker.render_pdf(number)
    target = output or Path(f"{number}.pdf")
    target.write_bytes(pdf)
    click.echo(f"wrote {target} ({len(pdf)} bytes)")
