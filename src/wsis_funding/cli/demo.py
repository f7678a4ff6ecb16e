"""``wsis-funding demo``: a whole season of the books on a fresh embedded SQLite file.

Six partners (one per UN language) pledge to the WSIS2024 edition under the illustrative
schedule; pledges are confirmed and invoiced; one invoice follows a partial payment and asks
for the rest; a credit note reduces a pledge by an agreed discount, another corrects an
invoice that is issued again; payments quote their invoice (one in CHF for a USD invoice, one
with bank charges) and are acknowledged by letters stating their facts. Then the bank's
camt.053 statement of 28 March is generated for the demo's own invoices (the re-issued CR
invoice paid in full by its RF reference, FC's rest paid in EUR and credited in CHF, and a
credit that names no invoice), written beside the PDFs and imported, with its summary; a
batch run acknowledges the payments it recorded. Every document is rendered to PDF in the
output folder, and the books are verified. All names and amounts are
fictitious.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from wsis_funding.cli.bank import import_notes, import_summary
from wsis_funding.cli.terminal import check_output_folder, console, shown, write_file
from wsis_funding.documents import load_issuer
from wsis_funding.documents.model import IssuedDocument
from wsis_funding.examples import DEMO_PARTNERS, DEMO_RATES, EXAMPLE_ISSUER
from wsis_funding.examples.statements import ExampleCredit, camt053
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.ledger.model import Edition, Payment, Pledge
from wsis_funding.money import CONTEXT, format_money, money, quantize
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.services.bank_values import StatementImport
from wsis_funding.tiers import illustrative_schedule_toml

__all__ = ["demo"]


SIGNED = dt.date(2024, 1, 22)
ISSUED = dt.date(2024, 2, 1)
DUE = dt.date(2024, 3, 2)
PAID = dt.date(2024, 3, 5)
BOOKED = dt.date(2024, 3, 28)
STATEMENT = "statement-2024-03-28.xml"


def _edition() -> Edition:
    return Edition(
        code="WSIS2024",
        title="WSIS+20 Forum High-Level Event",
        start=dt.date(2024, 5, 27),
        end=dt.date(2024, 5, 31),
        base_currency="CHF",
        schedule_toml=illustrative_schedule_toml(),
        psc_rate=Decimal("0.07"),
        invoice_prefix="WSIS",
        funding_target=money("1000000", "CHF"),
    )


class _Season:
    """The demo season, played through the public API; keeps the numbers of what it issued."""

    def __init__(self, tracker: Tracker) -> None:
        self.t = tracker
        self.numbers: list[str] = []
        self.ids: dict[str, int] = {}
        self.invoices: dict[str, IssuedDocument] = {}
        tracker.add_edition(_edition())
        tracker.add_rates(DEMO_RATES)
        for partner in DEMO_PARTNERS:
            added = tracker.add_partner(partner)
            assert added.id is not None
            self.ids[partner.short_name] = added.id

    def pledge(self, short: str, amount: str, code: str, parts: int, **kw: str) -> Pledge:
        total = money(amount, code)
        due = [dt.date(2024, 3, 1) + dt.timedelta(days=90 * i) for i in range(parts)]
        draft = self.t.create_pledge(self.ids[short], "WSIS2024", amount=total, signed_on=SIGNED,
                                     instalments=split_evenly(total, due), **kw)  # fmt: skip
        return self.t.confirm(draft)

    def issued(self, document: IssuedDocument) -> IssuedDocument:
        self.numbers.append(document.number)
        return document

    def pay(self, short: str, amount: str, code: str, on: dt.date, **kw: Any) -> Payment:
        return self.t.record_payment(
            self.ids[short], money(amount, code), received_on=on,
            reference=f"BANK-{short}-{on:%m%d}", idempotency_key=f"demo-{short}-{on:%m%d}", **kw,
        )  # fmt: skip

    def thank(self, payment: Payment) -> None:
        self.issued(self.t.acknowledge(payment, payment.received_on + dt.timedelta(days=1)))

    def play(self) -> None:
        t = self.t
        acme = self.pledge("ACME", "160000", "CHF", 2, tier="gold")
        fnt = self.pledge("FNT", "55000", "EUR", 1, tier="contributing")
        gtra = self.pledge("GTRA", "350000", "USD", 2, tier="gold_plus")
        dsr = self.pledge("DSR", "25000", "CHF", 1, tier="supporting")
        cr = self.pledge("CR", "40000", "CHF", 1, package="HACKATHON")
        fc = self.pledge("FC", "30000", "EUR", 1, tier="supporting")
        # DSR pays part before any invoice: its invoice lists it and asks for the rest.
        early = self.pay("DSR", "10000", "CHF", dt.date(2024, 1, 30))
        inv = {
            "ACME": self.issued(t.issue_invoice(acme.instalments[0], ISSUED, due_on=DUE)),
            "FNT": self.issued(t.issue_invoice(fnt, ISSUED, due_on=DUE)),
            "GTRA": self.issued(t.issue_invoice(gtra, ISSUED, due_on=DUE)),
            "DSR": self.issued(t.issue_invoice(dsr, ISSUED, due_on=DUE)),
            "CR": self.issued(t.issue_invoice(cr, ISSUED, due_on=DUE)),
            "FC": self.issued(t.issue_invoice(fc, ISSUED, due_on=DUE)),
        }
        # An agreed discount reduces ACME's pledge; a wrong address is corrected for CR.
        discount = money("10000", "CHF")
        self.issued(t.credit_invoice(inv["ACME"].number, dt.date(2024, 2, 5), kind="reduction",
                                     amount=discount, reason="Agreed discount"))  # fmt: skip
        self.issued(t.cancel_invoice(inv["CR"].number, dt.date(2024, 2, 12), kind="correction",
                                     reason="Wrong address"))  # fmt: skip
        inv["CR"] = self.issued(t.issue_invoice(cr, dt.date(2024, 2, 12), due_on=PAID))
        self.invoices = inv
        # Payments quote their invoice (by RF reference or number); GTRA pays its USD invoice
        # in CHF, the bank stating the USD amount it settles; FNT's bank deducted charges.
        self.thank(self.pay("ACME", "70000", "CHF", PAID, invoice=inv["ACME"].payment_reference))
        self.thank(self.pay("FNT", "54975", "EUR", PAID, bank_charges=money("25", "EUR"),
                            invoice=inv["FNT"].number))  # fmt: skip
        self.thank(self.pay("GTRA", "154000", "CHF", PAID, invoice=inv["GTRA"].number,
                            settles=money("175000", "USD")))  # fmt: skip
        self.thank(self.pay("DSR", "15000", "CHF", PAID, invoice=inv["DSR"].payment_reference))
        self.thank(self.pay("FC", "10000", "EUR", PAID))
        assert early.settled == money("10000", "CHF")

    def statement(self) -> bytes:
        """Return the bank's camt.053 of 28 March for the demo's own invoices.

        CR pays its re-issued invoice by its RF reference; FC pays what its invoice still asks
        (EUR 20,000) from a EUR account, the bank crediting CHF at its own rate and stating
        the instructed EUR; a foundation's gift names no invoice and waits for a person.
        """
        cr, fc = self.invoices["CR"], self.invoices["FC"]
        fc_open = self.t.invoice_balance(fc.number).open
        bank_rate = Decimal("0.9550")
        credits = [
            ExampleCredit(amount=self.t.invoice_balance(cr.number).open,
                          reference=cr.payment_reference, text=f"Invoice {cr.number}",
                          debtor=cr.snapshot.partner.name),
            ExampleCredit(amount=quantize(CONTEXT.multiply(fc_open.amount, bank_rate), "CHF"),
                          reference=fc.payment_reference, text=f"Invoice {fc.number}",
                          debtor=fc.snapshot.partner.name, instructed=fc_open,
                          exchange_rate=bank_rate),
            ExampleCredit(amount=money("2500", "CHF"), text="Gift to the WSIS Fund in Trust",
                          debtor="Fondation des Amis du SMSI"),
        ]  # fmt: skip
        issuer = self.t.issuer
        assert issuer is not None
        assert issuer.bank_account is not None
        account = issuer.bank_account.iban
        return camt053(account, "CHF", credits, day=BOOKED, statement_id="DEMO-2024-03-28")

    def bank(self, out: Path) -> StatementImport:
        """Write the bank's statement into ``out``, import it, acknowledge what it paid."""
        path = out / STATEMENT
        write_file(path, self.statement())
        imported = self.t.import_statement(path, name=STATEMENT)  # as the bank named it
        letters = self.t.acknowledge_payments("WSIS2024", BOOKED, on=BOOKED + dt.timedelta(days=1))
        self.numbers += [item.number for item in letters.issued if item.number is not None]
        return imported


def run_demo(tracker: Tracker, out: Path) -> tuple[list[str], StatementImport]:
    """Play the demo season on ``tracker`` and render every document into ``out``.

    Returns the numbers of the documents issued, in order, and the bank statement's import.
    """
    season = _Season(tracker)
    season.play()
    out.mkdir(parents=True, exist_ok=True)
    imported = season.bank(out)
    for number in season.numbers:
        write_file(out / f"{number}.pdf", tracker.render_pdf(number))
    return season.numbers, imported


def _report(tracker: Tracker, numbers: list[str], imported: StatementImport, out: Path) -> None:
    out_console = console()
    out_console.print(import_summary(imported))
    for note in import_notes(imported):
        out_console.print(note)
    waiting = tracker.bank_queue()
    out_console.print(f"bank queue: {len(waiting)} line(s) waiting for a person")
    docs = Table(title=f"Documents rendered into {shown(out)}/", title_justify="left")
    for column in ("Number", "Kind", "Language", "Partner", "Amount", "Asks for"):
        docs.add_column(
            column, justify="left" if column in ("Number", "Kind", "Partner") else "right"
        )
    partners: dict[int, str] = {}
    for number in numbers:
        d = tracker.document(number)
        lang = d.snapshot.language
        due = d.snapshot.amount_due if d.kind == "invoice" else None  # type: ignore[union-attr]
        docs.add_row(
            number, d.kind.replace("_", " "), lang, d.snapshot.partner.name,
            format_money(d.total, "en"), format_money(due, "en") if due is not None else "",
        )  # fmt: skip
        partners.setdefault(tracker.pledge(d.pledge_id).partner_id, d.snapshot.partner.name)
    out_console.print(docs)
    standing = Table(title="Standing in WSIS2024 (base currency CHF)", title_justify="left")
    for column in ("Partner", "Committed", "Paid", "Tier", "Shortfall to next"):
        standing.add_column(column)
    for pid, name in partners.items():
        s = tracker.standing(pid, "WSIS2024")
        standing.add_row(
            name, format_money(s.committed, "en"), format_money(s.paid, "en"),
            s.tier.title if s.tier else "-",
            format_money(s.shortfall, "en") if s.shortfall else "-",
        )  # fmt: skip
    out_console.print(standing)
    for account in ("revenue:WSIS2024", "psc:WSIS2024", "fx_gain_loss", "bank_charges"):
        b = tracker.balance(account)
        amounts = ", ".join(format_money(m, "en") for m in b.amounts.values()) or "0"
        out_console.print(f"{account:>18}: {amounts} (base {format_money(b.base, 'en')})")
    problems = tracker.verify()
    out_console.print(f"verify(): {problems or 'the books are sound'}")


@click.command()
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
    help="Folder for the SQLite file demo.db (made afresh) and the rendered PDFs.",
)  # fmt: skip
def demo(out: Path) -> None:
    """Run a demo season on a fresh SQLite file: pledges, invoices, payments, letters, PDFs."""
    check_output_folder(out, "--out")
    db = out / "demo.db"
    stale = (db, db.with_name("demo.db-wal"), db.with_name("demo.db-shm"))
    for path in stale:
        if path.is_dir():
            raise click.BadParameter(f"{shown(path)} is a folder, not a file", param_hint="--out")
    out.mkdir(parents=True, exist_ok=True)
    # Only the database is made afresh; PDFs of the same names are overwritten, and nothing
    # else in the folder (which may be the user's) is deleted.
    for path in stale:
        path.unlink(missing_ok=True)
    # URLs decode %XX and end the path at "?": a folder name may hold either.
    url = "sqlite:///" + str(db).replace("%", "%25").replace("?", "%3F")
    with open_tracker(url, issuer=load_issuer(EXAMPLE_ISSUER)) as tracker:
        numbers, imported = run_demo(tracker, out)
        _report(tracker, numbers, imported, out)
