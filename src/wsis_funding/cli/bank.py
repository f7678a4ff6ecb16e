"""``wsis-funding bank``: import bank statements, work the queue, reconcile a statement.

``bank import FILE...`` imports camt.053/054 files in one transaction (all of them, or none
when one is refused), with a progress bar on a terminal and a summary table per file;
``--dry-run`` shows the same summary and writes nothing. The books must exist, and the
issuer settings (``--issuer``) name the bank account the statements must be for.
"""

from __future__ import annotations

import io
from pathlib import Path

import click
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn
from rich.table import Table

from wsis_funding.cli.books import open_books
from wsis_funding.cli.settings import ENV_ISSUER, Settings
from wsis_funding.cli.terminal import TEXT, check_output_file, console, shown, write_file
from wsis_funding.documents import load_issuer
from wsis_funding.ledger.errors import UnknownPartner
from wsis_funding.money import Money, format_money, money
from wsis_funding.reports.csvjson import write_csv
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.services.bank_report import Reconciliation, reconciliation_table
from wsis_funding.services.bank_values import BankLine, Count, ImportProgress, StatementImport

__all__ = ["bank", "import_notes", "import_summary"]

_IDS = range(1, 2**31)
_RULES = (
    ("reference", "Matched by reference (RF)"),
    ("payer_account", "Matched by payer account (IBAN)"),
    ("alias", "Matched by payer alias"),
    ("amount", "Matched by amount open"),
)


def _open_for_import(settings: Settings) -> Tracker:
    if settings.database_url is None:
        open_books(settings)  # raises the usual "no database given"
    if settings.issuer is None:
        raise click.UsageError(
            f"no issuer settings: pass --issuer FILE or set ${ENV_ISSUER}; its [bank_account] "
            "names the account the statements must be for"
        )
    issuer = load_issuer(settings.issuer)
    assert settings.database_url is not None
    return open_tracker(settings.database_url, issuer=issuer, create=False)


def _money(m: Money) -> str:
    return format_money(m, "en")


def _amounts(count: Count) -> str:
    return ", ".join(_money(m) for m in count.totals) or "-"


@click.group()
def bank() -> None:
    """Bank statements (ISO 20022 camt.053/054): import, queue, assign, dismiss, report."""


@bank.command("import")
@click.argument(
    "files", nargs=-1, required=True,
    type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path),
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Show what the import would do; write nothing.")
@click.pass_obj
def import_files(settings: Settings, files: tuple[Path, ...], dry_run: bool) -> None:
    """Import camt.053 statements and camt.054 notifications FILE..., all or nothing."""
    err = console(stderr=True)
    with _open_for_import(settings) as tracker, Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
        TextColumn("{task.fields[lines]} lines"), console=err, transient=True,
        disable=not err.is_terminal,
    ) as bar:  # fmt: skip
        tasks: dict[str, TaskID] = {}

        def progress(p: ImportProgress) -> None:
            if p.file not in tasks:
                tasks[p.file] = bar.add_task(Path(p.file).name, total=p.bytes_total, lines=0)
            bar.update(tasks[p.file], completed=p.bytes_read, lines=p.lines)

        results = tracker.import_statements(list(files), dry_run=dry_run, progress=progress)
    out = console()
    for result in results:
        out.print(import_summary(result))
        for note in import_notes(result):
            out.print(note)
    if dry_run:
        out.print("dry run: nothing was written")


def import_summary(r: StatementImport) -> Table:
    """Return the summary table of one imported file (also for the demo to print)."""
    title = f"{shown(Path(r.file))}: {r.message}"
    if r.import_id is not None:
        title += f", import {r.import_id}"
    table = Table(title=title, title_justify="left")
    table.add_column("")
    table.add_column("Lines", justify="right")
    table.add_column("Received", justify="right")
    rows = [(label, r.matched_by(rule)) for rule, label in _RULES]
    rows += [
        ("Already imported", r.already_imported),
        ("Queued for a person", r.queued),
        ("Refused by the books (queued)", r.refused),
        ("Debits taking back a credit (queued)", r.reversals),
    ]
    for label, count in rows:
        table.add_row(label, str(count.count), _amounts(count))
    table.add_section()
    table.add_row("Entries not booked (not imported)", str(r.not_booked.count),
                  _amounts(r.not_booked))  # fmt: skip
    table.add_row("Debit entries (not imported)", str(r.debits.count), _amounts(r.debits))
    return table


def import_notes(r: StatementImport) -> list[str]:
    """Return what to say besides the table: a file imported before, the bank's disagreements."""
    notes = []
    if r.earlier_imports:
        earlier = ", ".join(str(i) for i in r.earlier_imports)
        notes.append(f"this very file was imported before (import {earlier})")
    for s in r.statements:
        for problem in s.discrepancies:
            notes.append(f"warning: statement {s.statement_id}: {problem}")
    return notes


def _partner(tracker: Tracker, partner: str) -> int:
    if partner.isascii() and partner.isdigit():
        number = int(partner)
        if number not in _IDS:
            raise UnknownPartner(number)
        return tracker.partner(number).id or number
    found = tracker.partner_by_short_name(partner)
    assert found.id is not None
    return found.id


def _line_id(line: int) -> int:
    if line not in _IDS:
        raise click.BadParameter(f"{line} is not a bank line id", param_hint="LINE")
    return line


@bank.command("queue")
@click.pass_obj
def queue(settings: Settings) -> None:
    """Show the bank lines waiting for a person, and why."""
    with open_books(settings) as tracker:
        lines = tracker.bank_queue()
    if not lines:
        click.echo("no bank line waits")
        return
    table = Table(title="Bank lines waiting for a person", title_justify="left")
    for column in ("Line", "Value date", "Received", "Payer", "Reference", "Why"):
        table.add_column(column, justify="right" if column == "Received" else "left")
    for line in lines:
        table.add_row(*_queue_row(line))
    console().print(table)


def _queue_row(line: BankLine) -> tuple[str, ...]:
    day = line.value_date or line.booking_date
    received = _money(line.received)
    if line.kind == "reversal":
        received = f"-{received}"
    return (
        str(line.id), day.isoformat() if day else "-", received,
        " ".join(x for x in (line.debtor_name, line.debtor_account) if x) or "-",
        line.rf or line.reference or "-", f"{line.status}: {line.reason or ''}",
    )  # fmt: skip


@bank.command("assign")
@click.argument("line", type=int)
@click.argument("partner", type=TEXT)
@click.option("--invoice", type=TEXT, help="Invoice it pays (number or RF reference).")
@click.option("--instalment", "instalments", type=int, multiple=True, help="Instalment id.")
@click.option("--settles", type=TEXT, help="Amount it settles in another currency: '1000 EUR'.")
@click.pass_obj
def assign(
    settings: Settings,
    line: int,
    partner: str,
    invoice: str | None,
    instalments: tuple[int, ...],
    settles: str | None,
) -> None:
    """Record waiting bank LINE as a payment of PARTNER (id or short name)."""
    stated = None
    if settles is not None:
        parts = settles.split()
        if len(parts) != 2:
            raise click.BadParameter(f"{settles!r}: give an amount and a currency, '1000 EUR'",
                                     param_hint="--settles")  # fmt: skip
        stated = money(parts[0], parts[1].upper())
    with open_books(settings) as tracker:
        done = tracker.assign_bank_line(
            _line_id(line), _partner(tracker, partner), invoice=invoice,
            apply_to=list(instalments) or None, settles=stated,
        )  # fmt: skip
    p = done.payment
    text = f"line {done.line.id} is payment {p.id} of {done.line.partner}: {_money(p.amount)}"
    if p.invoice:
        text += f" for invoice {p.invoice}"
    click.echo(f"{text} (settled {_money(p.settled)}, credit {_money(p.unapplied)})")
    if done.remembered is not None:
        click.echo(f"remembered: {done.remembered.value} pays for {done.line.partner}")


@bank.command("dismiss")
@click.argument("line", type=int)
@click.option("--reason", type=TEXT, required=True, help="Why it is not ours (kept).")
@click.pass_obj
def dismiss(settings: Settings, line: int, reason: str) -> None:
    """Mark waiting bank LINE as not ours, with a reason."""
    with open_books(settings) as tracker:
        done = tracker.dismiss_bank_line(_line_id(line), reason=reason)
    click.echo(f"line {done.id} dismissed: {done.reason}")


@bank.command("statements")
@click.pass_obj
def statements(settings: Settings) -> None:
    """List the statements imported."""
    with open_books(settings) as tracker:
        found = tracker.bank_statements()
    table = Table(title="Bank statements imported", title_justify="left")
    for column in ("Id", "File", "Statement", "Account", "Closing", "Credits"):
        table.add_column(column)
    for s in found:
        closing = _money(s.closing) if s.closing is not None else "-"
        table.add_row(str(s.id), shown(Path(s.file)), s.statement_id, s.account, closing,
                      f"{s.credit_count}: {_money(s.credits)}")  # fmt: skip
    console().print(table)


@bank.command("report")
@click.argument("statement", type=int)
@click.option("--csv", "csv_file", type=click.Path(path_type=Path), help="Also write CSV here.")
@click.pass_obj
def report(settings: Settings, statement: int, csv_file: Path | None) -> None:
    """Reconcile imported STATEMENT (its id): balances, lines, the bank's totals checked."""
    if csv_file is not None:
        check_output_file(csv_file, "--csv")
    with open_books(settings) as tracker:
        rec = tracker.bank_reconciliation(statement)
    _print_report(rec)
    if csv_file is not None:
        text = io.StringIO(newline="")
        write_csv(reconciliation_table(rec), text)
        write_file(csv_file, text.getvalue().encode("utf-8"))


def _print_report(rec: Reconciliation) -> None:
    s, out = rec.statement, console()
    out.print(f"Statement {s.statement_id} of {s.account} ({s.message}, {shown(Path(s.file))})")
    for label, amount, day in (("Opening", s.opening, s.opening_date),
                               ("Closing", s.closing, s.closing_date)):  # fmt: skip
        if amount is not None:
            out.print(f"{label} balance: {_money(amount)}" + (f" on {day}" if day else ""))
    out.print(f"Credits booked: {s.credit_count}, {_money(s.credits)}; debits booked: "
              f"{s.debit_count}, {_money(s.debits)}")  # fmt: skip
    table = Table(title="Lines", title_justify="left")
    for column in ("Line", "Entry", "Received", "Payer", "Reference", "Became", "Note"):
        table.add_column(column, justify="right" if column == "Received" else "left")
    for x in rec.lines:
        line = x.line
        became = line.status
        if line.payment_id is not None:
            became = f"payment {line.payment_id} ({line.rule})"
            if line.invoice:
                became += f", invoice {line.invoice}"
        note = "imported before" if x.seen_before else (line.reason or "")
        table.add_row(str(line.id), str(x.position), _money(line.received),
                      line.debtor_name or "-", line.rf or line.reference or "-", became,
                      note)  # fmt: skip
    out.print(table)
    checks = Table(title="The bank's own figures", title_justify="left")
    for column in ("Figure", "Bank", "Read", "Agrees"):
        checks.add_column(column)
    for c in rec.checks:
        agrees = {True: "yes", False: "NO", None: "not stated"}[c.agrees]
        checks.add_row(c.what, "-" if c.bank is None else str(c.bank), str(c.read), agrees)
    out.print(checks)


@bank.command("payers")
@click.argument("partner", type=TEXT)
@click.pass_obj
def payers(settings: Settings, partner: str) -> None:
    """List the IBANs and aliases known to pay for PARTNER (id or short name)."""
    with open_books(settings) as tracker:
        found = tracker.partner_payers(_partner(tracker, partner))
    for payer in found:
        click.echo(f"{payer.kind} {payer.value}")
    if not found:
        click.echo("no payer known")


@bank.command("add-payer")
@click.argument("partner", type=TEXT)
@click.option("--iban", type=TEXT, help="An account that pays for the partner.")
@click.option("--alias", type=TEXT, help="A name that pays for the partner (an agency, ...).")
@click.pass_obj
def add_payer(settings: Settings, partner: str, iban: str | None, alias: str | None) -> None:
    """Remember that an IBAN or an alias pays for PARTNER (id or short name)."""
    if (iban is None) == (alias is None):
        raise click.UsageError("give exactly one of --iban or --alias")
    with open_books(settings) as tracker:
        payer = tracker.add_payer(_partner(tracker, partner), iban=iban, alias=alias)
    click.echo(f"{payer.kind} {payer.value} pays for partner {payer.partner_id}")
