"""``wsis-funding payment``: record money received, apply a partner's credit, list payments.

Both writes change money: they say what they will do and ask first, unless ``--yes``.
"""

from __future__ import annotations

import datetime as dt

import click
from rich.table import Table

from wsis_funding.cli import jsonout
from wsis_funding.cli.access import (
    DATE,
    amount_of,
    consented,
    json_option,
    partner_of,
    read_books,
    shown_money,
    write_books,
    yes_option,
)
from wsis_funding.cli.settings import Settings
from wsis_funding.cli.terminal import TEXT, console
from wsis_funding.ledger.model import Payment

__all__ = ["payment"]


@click.group()
def payment() -> None:
    """Payments: money received from partners, and their unapplied credit."""


def _done(p: Payment, short_name: str) -> str:
    line = (
        f"payment {p.id} from {short_name}: {shown_money(p.amount)} on "
        f"{p.received_on.isoformat()}; settled {shown_money(p.settled)}, kept as credit "
        f"{shown_money(p.unapplied)}"
    )
    if p.invoice is not None:
        line += f"; paid invoice {p.invoice}"
    return line


@payment.command("record")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@click.argument("amount")
@click.argument("currency", type=TEXT)
@click.option("--received-on", type=DATE, required=True, help="The value date.")
@click.option("--reference", type=TEXT, required=True, help="The bank's reference of the line.")
@click.option("--key", type=TEXT, help="Idempotency key: recording it again changes nothing.")
@click.option("--charges", help="Bank charges deducted on the way, in CURRENCY.")
@click.option("--invoice", type=TEXT, help="The invoice it pays (number or RF reference).")
@click.option(
    "--duplicate-ok",
    is_flag=True,
    help="The bank really credited the same line twice: record it although one like it exists.",
)
@click.option(
    "--settles",
    nargs=2,
    metavar="AMOUNT CURRENCY",
    help="How much of the instalments' currency it settles (money in another currency).",
)
@yes_option
@click.pass_obj
def record(
    settings: Settings,
    partner_name: str,
    amount: str,
    currency: str,
    received_on: dt.date,
    reference: str,
    key: str | None,
    charges: str | None,
    invoice: str | None,
    settles: tuple[str, str] | None,
    duplicate_ok: bool,
    yes: bool,
) -> None:
    """Record AMOUNT CURRENCY received from PARTNER.

    It settles the oldest open instalments, or the --invoice named; what is left becomes the
    partner's credit.
    """
    received = amount_of(amount, currency, "AMOUNT")
    fee = None if charges is None else amount_of(charges, currency, "--charges")
    settled = None if not settles else amount_of(settles[0], settles[1], "--settles")
    with write_books(settings) as tracker:
        who = partner_of(tracker, partner_name)
        assert who.id is not None
        partner_id = who.id
        done = consented(
            tracker,
            yes,
            f"record {shown_money(received)} from {who.short_name}",
            lambda books: books.record_payment(
                partner_id,
                received,
                received_on=received_on,
                reference=reference,
                idempotency_key=key,
                bank_charges=fee,
                invoice=invoice,
                settles=settled,
                duplicate_ok=duplicate_ok,
            ),
            lambda p: [
                f"record {_done(p, f'{who.short_name} ({who.legal_name})')}",
                f"bank reference {reference!r}"
                + ("" if fee is None else f", bank charges {shown_money(fee)}"),
            ],
        )
        click.echo(f"recorded {_done(done, who.short_name)}")


@payment.command("apply-credit")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@click.argument("currency", type=TEXT)
@click.option("--on", "on", type=DATE, required=True, help="Date of the application.")
@click.option("--amount", help="How much of the credit to apply (default: all of it).")
@click.option("--invoice", type=TEXT, help="The invoice to apply it to.")
@yes_option
@click.pass_obj
def apply_credit(
    settings: Settings,
    partner_name: str,
    currency: str,
    on: dt.date,
    amount: str | None,
    invoice: str | None,
    yes: bool,
) -> None:
    """Apply PARTNER's unapplied credit in CURRENCY to its open instalments."""
    code = currency.strip().upper()
    part = None if amount is None else amount_of(amount, code, "--amount")
    with write_books(settings) as tracker:
        who = partner_of(tracker, partner_name)
        assert who.id is not None
        partner_id = who.id
        done = consented(
            tracker,
            yes,
            f"apply {who.short_name}'s {code} credit",
            lambda books: books.apply_credit(partner_id, code, on=on, amount=part, invoice=invoice),
            lambda p: [f"apply {_done(p, who.short_name)}"],
        )
        click.echo(f"applied {_done(done, who.short_name)}")


@payment.command("list")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@json_option
@click.pass_obj
def list_payments(settings: Settings, partner_name: str, as_json: bool) -> None:
    """List PARTNER's payments and credit applications by value date."""
    with read_books(settings) as tracker:
        who = partner_of(tracker, partner_name)
        assert who.id is not None
        found = tracker.partner_payments(who.id)
    if as_json:
        jsonout.emit("payments", jsonout.payments(found))
        return
    table = Table(title=f"Payments of {who.short_name}", title_justify="left")
    for heading in ("Id", "Received", "Amount", "Charges", "Settled", "Credit", "Invoice", "Ref"):
        table.add_column(heading)
    for p in found:
        table.add_row(
            str(p.id), p.received_on.isoformat(), shown_money(p.amount),
            shown_money(p.bank_charges), shown_money(p.settled), shown_money(p.unapplied),
            p.invoice or "", p.reference,
        )  # fmt: skip
    console().print(table)
