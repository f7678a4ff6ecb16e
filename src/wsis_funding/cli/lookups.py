"""Look-ups: ``statement``, ``standing``, ``receivables``, ``revenue``, ``balance``, ``documents``.

Each reads the books (which must exist) and prints a table, or with ``--json`` the stable
JSON document described in :mod:`wsis_funding.cli.jsonout`. Report files (PDF statements,
XLSX ageing) are other commands' business; these print data.
"""

from __future__ import annotations

import datetime as dt

import click
from rich.table import Table

from wsis_funding.cli import jsonout
from wsis_funding.cli.access import DATE, json_option, partner_of, read_books, shown_money
from wsis_funding.cli.settings import Settings
from wsis_funding.cli.terminal import TEXT, console
from wsis_funding.services import BUCKETS

__all__ = ["balance", "documents", "receivables", "revenue", "standing", "statement"]


@click.command("statement")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@click.option("--edition", type=TEXT, help="Only the pledges of this edition.")
@json_option
@click.pass_obj
def statement(settings: Settings, partner_name: str, edition: str | None, as_json: bool) -> None:
    """Show PARTNER's statement of account per currency, with running balances."""
    with read_books(settings) as tracker:
        who = partner_of(tracker, partner_name)
        assert who.id is not None
        s = tracker.statement(who.id, edition)
    if as_json:
        jsonout.emit("statement", jsonout.statement(s))
        return
    out = console()
    for code, lines in s.lines.items():
        table = Table(title=f"Statement of {s.short_name} ({s.name}), {code}", title_justify="left")
        # Dates, references and amounts stay whole; descriptions wrap in what is left.
        for heading in ("Date", "Kind", "Reference", "Description", "Amount", "Balance", "Credit"):
            figure = heading in ("Amount", "Balance", "Credit")
            table.add_column(
                heading,
                justify="right" if figure else "left",
                no_wrap=heading != "Description",
            )
        for line in lines:
            amount = line.document_amount if line.document_amount is not None else line.amount
            table.add_row(
                line.on.isoformat(), line.kind, line.reference, line.description,
                shown_money(amount), shown_money(line.balance), shown_money(line.credit_balance),
            )  # fmt: skip
        summary = s.summary[code]
        table.caption = (
            f"owed {shown_money(summary.owed)}, credit {shown_money(summary.credit)}, "
            f"open on invoices {shown_money(summary.open_on_invoices)}"
        )
        out.print(table)
    if not s.lines:
        out.print(f"{s.short_name}: no movements")


@click.command("standing")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@click.argument("edition", type=TEXT)
@json_option
@click.pass_obj
def standing(settings: Settings, partner_name: str, edition: str, as_json: bool) -> None:
    """Show PARTNER's committed and paid totals in EDITION, its tier and the shortfall."""
    with read_books(settings) as tracker:
        who = partner_of(tracker, partner_name)
        assert who.id is not None
        s = tracker.standing(who.id, edition)
    if as_json:
        jsonout.emit("standing", jsonout.standing(s))
        return
    table = Table(show_header=False, title=f"{who.short_name} in {s.edition}", title_justify="left")
    table.add_row("Committed", shown_money(s.committed))
    table.add_row("Paid", shown_money(s.paid))
    table.add_row("Owed", shown_money(s.owed))
    table.add_row("Activity packages", shown_money(s.activity_committed))
    table.add_row("Realised exchange difference", shown_money(s.realised_fx))
    table.add_row("Written off", shown_money(s.written_off))
    table.add_row("Tier", s.tier.title if s.tier else "none")
    table.add_row("Next tier", s.next_tier.title if s.next_tier else "none")
    table.add_row("Shortfall", shown_money(s.shortfall) if s.shortfall else "none")
    console().print(table)


@click.command("receivables")
@click.option("--as-of", type=DATE, required=True, help="The date the books are read as of.")
@json_option
@click.pass_obj
def receivables(settings: Settings, as_of: dt.date, as_json: bool) -> None:
    """Show the open receivables per currency and per partner in ageing buckets (days past due)."""
    with read_books(settings) as tracker:
        report = tracker.receivables(as_of)
    if as_json:
        jsonout.emit("receivables", jsonout.receivables(report))
        return
    table = Table(title=f"Receivables as of {as_of.isoformat()}", title_justify="left")
    table.add_column("Partner")
    table.add_column("Currency")
    for bucket in BUCKETS:
        table.add_column(bucket, justify="right")
    for a in report.by_partner:
        table.add_row(a.short_name, a.currency, *(shown_money(a.buckets[b]) for b in BUCKETS))
    for code, buckets in sorted(report.by_currency.items()):
        table.add_row("All", code, *(shown_money(buckets[b]) for b in BUCKETS))
    console().print(table)


@click.command("revenue")
@click.argument("edition", type=TEXT)
@click.option("--as-of", type=DATE, help="Up to this date (default: everything).")
@json_option
@click.pass_obj
def revenue(settings: Settings, edition: str, as_of: dt.date | None, as_json: bool) -> None:
    """Show EDITION's revenue: gross, programme support cost and net, per currency and in base."""
    with read_books(settings) as tracker:
        report = tracker.revenue(edition, as_of=as_of)
    if as_json:
        jsonout.emit("revenue", jsonout.revenue(report))
        return
    when = f" as of {as_of.isoformat()}" if as_of else ""
    table = Table(title=f"Revenue of {report.edition}{when}", title_justify="left")
    for heading in ("Currency", "Gross", "PSC", "Net"):
        table.add_column(heading, justify="left" if heading == "Currency" else "right")
    for code, line in sorted(report.by_currency.items()):
        table.add_row(code, shown_money(line.gross), shown_money(line.psc), shown_money(line.net))
    base = report.base
    table.add_row("in base", shown_money(base.gross), shown_money(base.psc), shown_money(base.net))
    console().print(table)


@click.command("balance")
@click.argument("account", type=TEXT)
@click.option("--as-of", type=DATE, help="Up to this date (default: everything).")
@json_option
@click.pass_obj
def balance(settings: Settings, account: str, as_of: dt.date | None, as_json: bool) -> None:
    """Show the balance of ACCOUNT (receivable:7, revenue:WSIS2024, bank:CHF), debits positive."""
    with read_books(settings) as tracker:
        b = tracker.balance(account, as_of=as_of)
    if as_json:
        jsonout.emit("balance", jsonout.balance(b))
        return
    table = Table(show_header=False, title=f"Balance of {b.account}", title_justify="left")
    for code, amount in sorted(b.amounts.items()):
        table.add_row(code, shown_money(amount))
    table.add_row("in base", shown_money(b.base))
    console().print(table)


@click.command("documents")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@json_option
@click.pass_obj
def documents(settings: Settings, partner_name: str, as_json: bool) -> None:
    """List the documents issued to PARTNER: invoices, credit notes and letters, in order."""
    with read_books(settings) as tracker:
        who = partner_of(tracker, partner_name)
        assert who.id is not None
        found = tracker.partner_documents(who.id)
    if as_json:
        jsonout.emit("documents", jsonout.documents(who.id, found))
        return
    table = Table(title=f"Documents of {who.short_name}", title_justify="left")
    for heading in ("Number", "Kind", "Date", "Pledge", "Total", "Payment reference"):
        table.add_column(heading)
    for d in found:
        table.add_row(
            d.number, d.kind, d.issued_on.isoformat(), str(d.pledge_id), shown_money(d.total),
            d.payment_reference or "",
        )  # fmt: skip
    console().print(table)
