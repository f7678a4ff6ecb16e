"""``wsis-funding demo``: a whole season of the books on a fresh embedded SQLite file.

Six partners (one per UN language) pledge to the WSIS2024 edition under the illustrative
schedule; pledges are confirmed, invoiced, paid (partly, in foreign currency, with bank
charges), acknowledged and once corrected by a credit note; every document is rendered to
PDF in the output folder, and the books are verified. All names and amounts are fictitious.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import click
from rich.table import Table

from wsis_funding.cli.terminal import check_output_folder, console, shown, write_file
from wsis_funding.documents import load_issuer
from wsis_funding.examples import DEMO_PARTNERS, DEMO_RATES, EXAMPLE_ISSUER
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.ledger.model import Edition, Partner
from wsis_funding.money import format_money, money
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.tiers import illustrative_schedule_toml

__all__ = ["demo"]


@attrs.frozen
class _Sponsor:
    partner: Partner
    amount: str
    currency: str
    tier: str | None
    package: str | None
    parts: int
    paid: str | None  # paid on 2024-03-05, in the pledge currency
    charges: str | None = None


SPONSORS = (
    _Sponsor(
        partner=DEMO_PARTNERS[0],
        amount="160000", currency="CHF", tier="gold", package=None, parts=2, paid="80000",
    ),
    _Sponsor(
        partner=DEMO_PARTNERS[1],
        amount="55000", currency="EUR", tier="contributing", package=None, parts=1,
        paid="55000", charges="25",
    ),
    _Sponsor(
        partner=DEMO_PARTNERS[2],
        amount="350000", currency="USD", tier="gold_plus", package=None, parts=2, paid="175000",
    ),
    _Sponsor(
        partner=DEMO_PARTNERS[3],
        amount="25000", currency="CHF", tier="supporting", package=None, parts=1, paid="25000",
    ),
    _Sponsor(
        partner=DEMO_PARTNERS[4],
        amount="40000", currency="CHF", tier=None, package="HACKATHON", parts=1, paid=None,
    ),
    _Sponsor(
        partner=DEMO_PARTNERS[5],
        amount="30000", currency="EUR", tier="supporting", package=None, parts=1, paid="10000",
    ),
)  # fmt: skip

SIGNED = dt.date(2024, 1, 22)
ISSUED = dt.date(2024, 2, 1)
PAID = dt.date(2024, 3, 5)


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


def run_demo(tracker: Tracker, out: Path) -> list[str]:
    """Play the demo season on ``tracker`` and render every document into ``out``.

    Returns the numbers of the documents issued, in order.
    """
    edition = tracker.add_edition(_edition())
    tracker.add_rates(DEMO_RATES)
    numbers: list[str] = []
    for s in SPONSORS:
        partner = tracker.add_partner(s.partner)
        assert partner.id is not None
        total = money(s.amount, s.currency)
        due = [dt.date(2024, 3, 1) + dt.timedelta(days=90 * i) for i in range(s.parts)]
        pledge = tracker.create_pledge(
            partner.id, edition.code, amount=total, signed_on=SIGNED,
            instalments=split_evenly(total, due), tier=s.tier, package=s.package,
        )  # fmt: skip
        pledge = tracker.confirm(pledge)
        invoice = tracker.issue_invoice(pledge, ISSUED, due_on=ISSUED + dt.timedelta(days=30))
        numbers.append(invoice.number)
        if s.paid is None:
            note = tracker.cancel_invoice(
                invoice.number, dt.date(2024, 2, 12), kind="correction", reason="Wrong tier"
            )
            numbers.append(note.number)
            numbers.append(tracker.issue_invoice(pledge, dt.date(2024, 2, 12), due_on=PAID).number)
            continue
        charges = money(s.charges, s.currency) if s.charges else None
        paid = money(s.paid, s.currency) - (charges or money(0, s.currency))
        payment = tracker.record_payment(
            partner.id, paid, received_on=PAID, reference=f"BANK-{s.partner.short_name}-001",
            idempotency_key=f"demo-{s.partner.short_name}-1", bank_charges=charges,
        )  # fmt: skip
        numbers.append(tracker.acknowledge(payment, PAID + dt.timedelta(days=1)).number)
    out.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        write_file(out / f"{number}.pdf", tracker.render_pdf(number))
    return numbers


def _report(tracker: Tracker, numbers: list[str], out: Path) -> None:
    out_console = console()
    docs = Table(title=f"Documents rendered into {shown(out)}/", title_justify="left")
    for column in ("Number", "Kind", "Language", "Partner", "Amount"):
        docs.add_column(column, justify="right" if column == "Amount" else "left")
    partners: dict[int, str] = {}
    for number in numbers:
        d = tracker.document(number)
        lang = d.snapshot.language
        docs.add_row(
            number, d.kind.replace("_", " "), lang, d.snapshot.partner.name,
            format_money(d.total, "en"),
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
        numbers = run_demo(tracker, out)
        _report(tracker, numbers, out)
