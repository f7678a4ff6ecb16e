"""``wsis-funding invoice`` and ``letter``: issue, credit and cancel invoices; acknowledge payments.

Issuing needs the issuer settings (``--issuer FILE``). Invoices and credit notes are numbered
and never deleted, and a reduction credit note changes money: they say what they will do and
ask first, unless ``--yes``. A letter states the facts of a payment and changes no money.
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
    json_option,
    read_books,
    shown_money,
    write_books,
    yes_option,
)
from wsis_funding.cli.settings import Settings
from wsis_funding.cli.terminal import TEXT, console
from wsis_funding.documents.model import IssuedDocument
from wsis_funding.ledger.model import Instalment
from wsis_funding.services import Tracker

__all__ = ["invoice", "letter"]

_KIND = click.Choice(["correction", "reduction"])
_KIND_HELP = (
    "correction: the document was wrong (the pledge is unchanged, what it covered can be "
    "invoiced again); reduction: the pledge goes down by the amount credited."
)


@click.group()
def invoice() -> None:
    """Invoices and their credit notes."""


def _issued(doc: IssuedDocument) -> str:
    line = f"{doc.number} for {shown_money(doc.total)}, dated {doc.issued_on.isoformat()}"
    if doc.payment_reference:
        line += f", payment reference {doc.payment_reference}"
    return line


def _instalment(tracker: Tracker, pledge_id: int, number: int) -> Instalment:
    for i in tracker.pledge(pledge_id).instalments:
        if i.number == number:
            return i
    raise click.BadParameter(
        f"pledge {pledge_id} has no instalment {number} in its current schedule",
        param_hint="--instalment",
    )


@invoice.command("issue")
@click.argument("pledge_id", metavar="PLEDGE")
@click.option("--on", "on", type=DATE, required=True, help="Date of the invoice.")
@click.option("--due", type=DATE, required=True, help="Date it is due.")
@click.option("--instalment", type=int, help="Invoice only this instalment (its number).")
@click.option("--language", type=TEXT, help="Language (default: the partner's).")
@yes_option
@click.pass_obj
def issue(
    settings: Settings,
    pledge_id: str,
    on: dt.date,
    due: dt.date,
    instalment: int | None,
    language: str | None,
    yes: bool,
) -> None:
    """Issue and number an invoice for what is due on PLEDGE (or one of its instalments)."""
    number = id_of(pledge_id, "PLEDGE")
    with write_books(settings, issuing=True) as tracker:
        p = tracker.pledge(number)
        target = number if instalment is None else _instalment(tracker, number, instalment)
        what = (
            f"pledge {p.id}" if instalment is None else f"instalment {instalment} of pledge {p.id}"
        )
        doc = consented(
            tracker,
            yes,
            f"issue an invoice for {what}",
            lambda books: books.issue_invoice(target, on, due_on=due, language=language),
            lambda d: [
                f"issue invoice {_issued(d)}, due {due.isoformat()}, for what is due on {what}",
                "An issued invoice is numbered and never deleted (a credit note corrects it).",
            ],
        )
    click.echo(f"issued invoice {_issued(doc)}, due {due.isoformat()}")


@invoice.command("credit")
@click.argument("number", type=TEXT)
@click.option("--on", "on", type=DATE, required=True, help="Date of the credit note.")
@click.option("--kind", type=_KIND, required=True, help=_KIND_HELP)
@click.option("--amount", help="How much to credit (default: all the invoice still asks).")
@click.option("--reason", type=TEXT, help="Printed on the credit note.")
@yes_option
@click.pass_obj
def credit(
    settings: Settings,
    number: str,
    on: dt.date,
    kind: str,
    amount: str | None,
    reason: str | None,
    yes: bool,
) -> None:
    """Issue a credit note of KIND against invoice NUMBER."""
    with write_books(settings, issuing=True) as tracker:
        doc = tracker.document(number)
        code = str(doc.total.currency.code)
        part = None if amount is None else amount_of(amount, code, "--amount")
        effect = (
            "A reduction lowers the pledge and posts the reversal."
            if kind == "reduction"
            else "A correction leaves the pledge as it is."
        )
        note = consented(
            tracker,
            yes,
            f"credit invoice {doc.number}",
            lambda books: books.credit_invoice(number, on, kind=kind, amount=part, reason=reason),
            lambda n: [f"issue credit note {_issued(n)} ({kind}) against {doc.number}", effect],
        )
    click.echo(f"issued credit note {_issued(note)} ({kind}) against {doc.number}")


@invoice.command("cancel")
@click.argument("number", type=TEXT)
@click.option("--on", "on", type=DATE, required=True, help="Date of the credit note.")
@click.option("--kind", type=_KIND, required=True, help=_KIND_HELP)
@click.option("--reason", type=TEXT, help="Printed on the credit note.")
@yes_option
@click.pass_obj
def cancel(
    settings: Settings, number: str, on: dt.date, kind: str, reason: str | None, yes: bool
) -> None:
    """Cancel invoice NUMBER by a credit note for all it still asks."""
    with write_books(settings, issuing=True) as tracker:
        doc = tracker.document(number)
        note = consented(
            tracker,
            yes,
            f"cancel invoice {doc.number}",
            lambda books: books.cancel_invoice(number, on, kind=kind, reason=reason),
            lambda n: [f"issue credit note {_issued(n)} ({kind}) cancelling {doc.number}"],
        )
    click.echo(f"issued credit note {_issued(note)} ({kind}) cancelling {doc.number}")


@invoice.command("show")
@click.argument("number", type=TEXT)
@json_option
@click.pass_obj
def show(settings: Settings, number: str, as_json: bool) -> None:
    """Show where invoice NUMBER stands: asked, credited, paid, open."""
    with read_books(settings) as tracker:
        b = tracker.invoice_balance(number)
    if as_json:
        jsonout.emit("invoice", jsonout.invoice(b))
        return
    table = Table(show_header=False, title=f"Invoice {b.number}: {b.state}", title_justify="left")
    for label, value in (("Asked", b.asked), ("Credited", b.credited), ("Paid", b.paid),
                         ("Open", b.open)):  # fmt: skip
        table.add_row(label, shown_money(value))
    console().print(table)


@click.group()
def letter() -> None:
    """Acknowledgement letters for payments received."""


@letter.command("issue")
@click.argument("payment_id", metavar="PAYMENT")
@click.option("--on", "on", type=DATE, required=True, help="Date of the letter.")
@click.option("--pledge", "pledge_id", help="The pledge it acknowledges, if it paid several.")
@click.pass_obj
def issue_letter(settings: Settings, payment_id: str, on: dt.date, pledge_id: str | None) -> None:
    """Issue the acknowledgement letter of PAYMENT (its id) in the partner's language."""
    payment = id_of(payment_id, "PAYMENT")
    pledge = None if pledge_id is None else id_of(pledge_id, "--pledge")
    with write_books(settings, issuing=True) as tracker:
        doc = tracker.acknowledge(payment, on, pledge=pledge)
    click.echo(f"issued letter {doc.number}, dated {doc.issued_on.isoformat()}")
