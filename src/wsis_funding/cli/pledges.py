"""``wsis-funding pledge``: create (with instalments), confirm, amend, cancel, write off, show.

Every command that changes money (confirming, amending, cancelling, writing off) says what it
will do and asks first, unless ``--yes``. A PLEDGE argument is the pledge's id.
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
    id_of,
    instalments_of,
    json_option,
    partner_of,
    read_books,
    shown_money,
    write_books,
    yes_option,
)
from wsis_funding.cli.settings import Settings
from wsis_funding.cli.terminal import TEXT, console
from wsis_funding.ledger.model import Pledge
from wsis_funding.services import Books, PledgeChange, Tracker

__all__ = ["pledge"]

_INSTALMENT = click.option(
    "--instalment",
    "instalments",
    multiple=True,
    metavar="DATE=AMOUNT",
    help="An instalment due on DATE, in the pledge currency; repeat for each.",
)


@click.group()
def pledge() -> None:
    """Pledges: what a partner commits to an edition, and its instalment schedule."""


def _described(tracker: Tracker, p: Pledge) -> str:
    who = tracker.partner(p.partner_id)
    what = p.tier or p.package or "no tier"
    return (
        f"pledge {p.id} of {who.short_name} to {p.edition_code}: {shown_money(p.amount)} "
        f"({what}), signed {p.signed_on.isoformat()}, {p.status.value}"
    )


def _pledge(tracker: Tracker, given: str) -> Pledge:
    return tracker.pledge(id_of(given, "PLEDGE"))


@pledge.command("create")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@click.argument("edition", type=TEXT)
@click.argument("amount")
@click.argument("currency", type=TEXT)
@click.option("--signed-on", type=DATE, required=True, help="When the agreement was signed.")
@click.option("--tier", type=TEXT, help="The tier the pledge aims at (gold, supporting, ...).")
@click.option("--package", type=TEXT, help="The activity package sponsored (HACKATHON, ...).")
@click.option("--discount-reason", type=TEXT, help="Why a package pledge is below its price.")
@_INSTALMENT
@click.option("--confirm", is_flag=True, help="Confirm it at once (posts its revenue).")
@yes_option
@click.pass_obj
def create(
    settings: Settings,
    partner_name: str,
    edition: str,
    amount: str,
    currency: str,
    signed_on: dt.date,
    tier: str | None,
    package: str | None,
    discount_reason: str | None,
    instalments: tuple[str, ...],
    confirm: bool,
    yes: bool,
) -> None:
    """Create a draft pledge of AMOUNT CURRENCY (by default due in full on signing)."""
    total = amount_of(amount, currency, "AMOUNT")
    schedule = instalments_of(instalments, total.currency.code) or None
    with write_books(settings) as tracker:
        who = partner_of(tracker, partner_name)
        assert who.id is not None
        partner_id = who.id

        def work(books: Books) -> Pledge:
            made = books.create_pledge(
                partner_id,
                edition,
                amount=total,
                signed_on=signed_on,
                instalments=schedule,
                tier=tier,
                package=package,
                discount_reason=discount_reason,
            )
            return books.confirm(made) if confirm else made

        what = f"a pledge of {who.short_name} to {edition}"
        made = consented(
            tracker,
            yes or not confirm,  # a draft posts nothing: only confirming asks
            f"create and confirm {what}",
            work,
            lambda p: [
                f"create and confirm {_described(tracker, p)}",
                f"This posts its revenue: {_posted(p)}.",
            ],
        )
        click.echo(f"created {_described(tracker, made)}")


def _posted(p: Pledge) -> str:
    if p.rate is None:
        return shown_money(p.base_amount)
    return (
        f"{shown_money(p.base_amount)} at {p.rate.text} from {p.rate.effective.isoformat()} "
        f"({p.rate.source})"
    )


@pledge.command("confirm")
@click.argument("pledge_id", metavar="PLEDGE")
@yes_option
@click.pass_obj
def confirm(settings: Settings, pledge_id: str, yes: bool) -> None:
    """Confirm a draft pledge: post its revenue at the signing-date rate (IPSAS 23)."""
    with write_books(settings) as tracker:
        p = _pledge(tracker, pledge_id)
        done = consented(
            tracker,
            yes,
            f"confirm pledge {p.id}",
            lambda books: books.confirm(p.id),
            lambda c: [
                f"confirm {_described(tracker, p)}",
                f"This posts its revenue: {_posted(c)}.",
            ],
        )
        click.echo(f"confirmed {_described(tracker, done)}")


def _notes(change: PledgeChange) -> str:
    if not change.credit_notes:
        return ""
    notes = ", ".join(f"{n.number} ({shown_money(n.total)})" for n in change.credit_notes)
    return f"; issuing credit notes {notes}"


def _change(tracker: Tracker, change: PledgeChange, verb: str) -> None:
    click.echo(f"{verb} {_described(tracker, change.pledge)}")
    for note in change.credit_notes:
        click.echo(f"issued credit note {note.number} for {shown_money(note.total)}")


@pledge.command("amend")
@click.argument("pledge_id", metavar="PLEDGE")
@click.argument("amount")
@click.option("--on", "on", type=DATE, required=True, help="Date of the amendment.")
@_INSTALMENT
@click.option("--discount-reason", type=TEXT, help="Why a package pledge goes below its price.")
@yes_option
@click.pass_obj
def amend(
    settings: Settings,
    pledge_id: str,
    amount: str,
    on: dt.date,
    instalments: tuple[str, ...],
    discount_reason: str | None,
    yes: bool,
) -> None:
    """Change the amount to AMOUNT; the --instalment options are the new unpaid schedule."""
    if not instalments:
        raise click.UsageError("give the new schedule of what is not yet paid with --instalment")
    with write_books(settings) as tracker:
        p = _pledge(tracker, pledge_id)
        new = amount_of(amount, p.currency, "AMOUNT")
        schedule = instalments_of(instalments, p.currency)
        change = consented(
            tracker,
            yes,
            f"amend pledge {p.id}",
            lambda books: books.amend(
                p.id, new, instalments=schedule, on=on, discount_reason=discount_reason
            ),
            lambda c: [
                f"amend {_described(tracker, p)}",
                f"to {shown_money(new)} on {on.isoformat()}, in {len(schedule)} new "
                f"instalment(s){_notes(c)}",
            ],
        )
        _change(tracker, change, "amended")


@pledge.command("cancel")
@click.argument("pledge_id", metavar="PLEDGE")
@click.option("--on", "on", type=DATE, required=True, help="Date of the cancellation.")
@yes_option
@click.pass_obj
def cancel(settings: Settings, pledge_id: str, on: dt.date, yes: bool) -> None:
    """Cancel a pledge on which nothing is paid (its open invoices are credited)."""
    with write_books(settings) as tracker:
        p = _pledge(tracker, pledge_id)
        change = consented(
            tracker,
            yes,
            f"cancel pledge {p.id}",
            lambda books: books.cancel(p.id, on=on),
            lambda c: [f"cancel {_described(tracker, p)} on {on.isoformat()}{_notes(c)}"],
        )
        _change(tracker, change, "cancelled")


@pledge.command("write-off")
@click.argument("pledge_id", metavar="PLEDGE")
@click.option("--reason", type=TEXT, required=True, help="Why the rest will not be paid.")
@click.option("--on", "on", type=DATE, required=True, help="Date of the write-off.")
@yes_option
@click.pass_obj
def write_off(settings: Settings, pledge_id: str, reason: str, on: dt.date, yes: bool) -> None:
    """Write off the unpaid rest of a confirmed pledge."""
    with write_books(settings) as tracker:
        p = _pledge(tracker, pledge_id)
        done = consented(
            tracker,
            yes,
            f"write off pledge {p.id}",
            lambda books: books.write_off(p.id, reason, on=on),
            lambda w: [
                f"write off {shown_money(w.written_off)} of {_described(tracker, p)} on "
                f"{on.isoformat()} ({reason})"
            ],
        )
        click.echo(f"wrote off {shown_money(done.written_off)}: {_described(tracker, done)}")


def _instalments_table(p: Pledge) -> Table:
    table = Table(title=f"Instalments of pledge {p.id}", title_justify="left")
    for heading in ("No.", "Due", "Amount", "Settled", "Open", "State"):
        table.add_column(heading, justify="right" if heading not in ("Due", "State") else "left")
    for i in p.instalments:
        state = "replaced" if i.replaced else "written off" if i.written_off else ""
        table.add_row(
            "" if i.number is None else str(i.number),
            i.due_on.isoformat(),
            shown_money(i.amount),
            shown_money(i.settled),
            shown_money(i.open_amount),
            state,
        )
    return table


@pledge.command("show")
@click.argument("pledge_id", metavar="PLEDGE")
@json_option
@click.pass_obj
def show(settings: Settings, pledge_id: str, as_json: bool) -> None:
    """Show a pledge: amounts, carrying rate, status and instalments."""
    with read_books(settings) as tracker:
        p = _pledge(tracker, pledge_id)
        title = _described(tracker, p)
    if as_json:
        jsonout.emit("pledge", {"pledge": jsonout.pledge(p)})
        return
    table = Table(show_header=False)
    table.add_row("Amount", shown_money(p.amount))
    if p.status.posted:
        table.add_row("Carrying value", shown_money(p.base_amount))
    if p.rate is not None:
        table.add_row(
            "Rate", f"{p.rate.text} from {p.rate.effective.isoformat()} ({p.rate.source})"
        )
    table.add_row("Settled", shown_money(p.settled))
    table.add_row("Written off", shown_money(p.written_off))
    table.add_row("Outstanding", shown_money(p.outstanding))
    out = console()
    out.print(title)
    out.print(table)
    out.print(_instalments_table(p))


@pledge.command("list")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@click.option("--edition", type=TEXT, help="Only the pledges to this edition.")
@json_option
@click.pass_obj
def list_pledges(settings: Settings, partner_name: str, edition: str | None, as_json: bool) -> None:
    """List a partner's pledges, oldest first."""
    with read_books(settings) as tracker:
        who = partner_of(tracker, partner_name)
        assert who.id is not None
        found = tracker.partner_pledges(who.id, edition)
    if as_json:
        jsonout.emit("pledges", {"pledges": [jsonout.pledge(p) for p in found]})
        return
    table = Table(title=f"Pledges of {who.short_name}", title_justify="left")
    for heading in (
        "Id",
        "Edition",
        "Signed",
        "Amount",
        "Tier or package",
        "Status",
        "Outstanding",
    ):
        table.add_column(heading)
    for p in found:
        table.add_row(
            str(p.id), p.edition_code, p.signed_on.isoformat(), shown_money(p.amount),
            p.tier or p.package or "", p.status.value, shown_money(p.outstanding),
        )  # fmt: skip
    console().print(table)
