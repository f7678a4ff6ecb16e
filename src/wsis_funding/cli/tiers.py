"""``wsis-funding tiers``: show a schedule and classify an amount."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from rich.table import Table

from wsis_funding.cli.settings import Settings
from wsis_funding.cli.terminal import console
from wsis_funding.money import ExchangeRate, RateTable, format_money, money
from wsis_funding.money.errors import InvalidAmount
from wsis_funding.tiers import (
    Contribution,
    TierSchedule,
    illustrative_schedule,
    load_schedule,
    standing,
)

__all__ = ["tiers"]


def _schedule(settings: Settings, schedule: Path | None) -> TierSchedule:
    path = schedule if schedule is not None else settings.schedule
    if path is None:
        return illustrative_schedule()
    return load_schedule(path)


# Given after the command (``tiers show --schedule FILE``) it wins over the group's option
# (``wsis-funding --schedule FILE tiers show``), which wins over the environment and config.
_schedule_option = click.option(
    "--schedule",
    type=click.Path(path_type=Path),
    help="Tier schedule TOML (default: $WSIS_FUNDING_SCHEDULE, else the illustrative one).",
)


@click.group()
def tiers() -> None:
    """Tier schedules: thresholds, benefits, activity packages, classification."""


@tiers.command("show")
@_schedule_option
@click.pass_obj
def show(settings: Settings, schedule: Path | None) -> None:
    """Show the tiers, their minimums and benefits, and the activity packages."""
    s = _schedule(settings, schedule)
    out = console()
    heading = f"{s.title} [{s.edition}], base currency {s.base_currency}"
    if s.illustrative:
        heading += "  (ILLUSTRATIVE: not ITU prices)"
    table = Table(title=heading, title_justify="left")
    table.add_column("Tier")
    table.add_column("Minimum", justify="right")
    table.add_column("Benefits")
    for tier in reversed(s.tiers):
        table.add_row(
            tier.title,
            format_money(s.minimums[tier], "en"),
            "\n".join(s.benefits.get(tier, ())),
        )
    out.print(table)
    if s.packages:
        packages = Table(title="Partners for Specific Activities", title_justify="left")
        packages.add_column("Code")
        packages.add_column("Activity")
        packages.add_column("Price", justify="right")
        packages.add_column("Capacity", justify="right")
        packages.add_column("Benefits")
        for p in s.packages:
            packages.add_row(
                p.code, p.title, format_money(p.price, "en"), str(p.capacity), "\n".join(p.benefits)
            )
        out.print(packages)
    counts = "counts" if s.activity_counts_toward_tier else "does not count"
    out.print(f"Activity money {counts} toward a strategic tier.")


def _parse_rate(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        rate = Decimal(value)
    except InvalidOperation:
        raise click.BadParameter(
            f"{value!r} is not a decimal number", param_hint="--rate"
        ) from None
    if not rate.is_finite() or rate <= 0:
        raise click.BadParameter(f"{value!r} must be above zero", param_hint="--rate")
    if not _RATES[0] <= rate <= _RATES[1]:
        raise click.BadParameter(
            f"{value!r} is not between {_RATES[0]} and {_RATES[1]}", param_hint="--rate"
        )
    return rate


# What the command line classifies: any sponsorship, and every amount it converts stays
# within the digits that money formatting can show.
_RATES = (Decimal("1e-9"), Decimal("1e9"))
_INTEGER_DIGITS = 12


class _Classify(click.Command):
    """``classify``, where a negative AMOUNT (-5) is refused as an amount, not as an option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as e:
            if re.fullmatch(r"-[0-9.,]+", e.option_name):
                raise click.BadParameter(
                    f"{e.option_name}: a contribution cannot be negative", param_hint="AMOUNT"
                ) from None
            raise


@tiers.command("classify", cls=_Classify)
@click.argument("amount")
@click.argument("currency")
@click.option("--rate", "rate_text", help="Units of the base currency per unit of CURRENCY.")
@click.option(
    "--rate-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date the rate is in force from (YYYY-MM-DD); required with --rate.",
)
@_schedule_option
@click.pass_obj
def classify_command(
    settings: Settings,
    amount: str,
    currency: str,
    rate_text: str | None,
    rate_date: dt.datetime | None,
    schedule: Path | None,
) -> None:
    """Classify AMOUNT in CURRENCY: tier reached, next tier and the shortfall to it."""
    s = _schedule(settings, schedule)
    rate = _parse_rate(rate_text)
    if (rate is None) != (rate_date is None):
        raise click.UsageError("--rate and --rate-date go together: a rate is always dated")
    if "," in amount:
        raise InvalidAmount(amount, "write amounts without grouping commas, e.g. 150000.00")
    m = money(amount, currency.upper())
    if m.amount.adjusted() >= _INTEGER_DIGITS:
        raise InvalidAmount(amount, f"too large: at most {_INTEGER_DIGITS} digits before the point")
    if rate is not None and m.currency.code == s.base_currency:
        raise click.UsageError(
            f"--rate converts another currency: {m.currency.code} is the schedule's base currency"
        )
    if rate is None and m.currency.code != s.base_currency:
        base, code = s.base_currency, m.currency.code
        raise click.UsageError(
            f"no exchange rate {code}->{base}: the command line keeps no rates; pass --rate "
            f"({base} per {code}) and --rate-date YYYY-MM-DD, the date it is in force from"
        )
    on = rate_date.date() if rate_date is not None else dt.date.today()
    rates = RateTable()
    if rate is not None:
        rates = RateTable(
            [
                ExchangeRate(
                    from_currency=m.currency.code,
                    to_currency=s.base_currency,
                    rate=rate,
                    effective=on,
                    source="given on the command line",
                )
            ]
        )
    result = standing([Contribution(amount=m, on=on)], s, rates)
    out = console()
    table = Table(show_header=False, title=f"{s.title} [{s.edition}]", title_justify="left")
    table.add_row("Amount", format_money(m, "en"))
    if m.currency.code != s.base_currency:
        table.add_row(
            "Counted",
            f"{format_money(result.total, 'en')} at {rate} {s.base_currency}/{m.currency.code} "
            f"in force {on.isoformat()}",
        )
    table.add_row("Tier", result.tier.title if result.tier else "none (below the lowest tier)")
    table.add_row("Next tier", result.next_tier.title if result.next_tier else "none (top tier)")
    table.add_row("Shortfall", format_money(result.shortfall, "en") if result.shortfall else "none")
    out.print(table)
