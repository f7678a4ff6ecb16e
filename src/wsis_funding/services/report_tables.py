"""The reports the use cases return, as typed tables (and the statement as a page to print).

Tables for programs carry machine values (a statement line's kind as the statement gives it,
``"payment"``) with English titles; with a ``language``, titles and kinds are translated for
people (the PDF). Amounts stay :class:`Money` of their own currency in every cell, so the
writers give each its ISO 4217 decimals; no table adds amounts of different currencies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from wsis_funding import i18n
from wsis_funding.documents.model import Issuer
from wsis_funding.ledger.errors import DatesOutOfOrder
from wsis_funding.ledger.model import Partner
from wsis_funding.reports.labels import label
from wsis_funding.reports.pdf import ReportPage, Section
from wsis_funding.reports.table import Column, Kind, Table
from wsis_funding.services.queries import BUCKETS, Receivables
from wsis_funding.services.revenue import RevenueReport
from wsis_funding.services.statement import Statement, StatementLine

__all__ = [
    "ageing_tables",
    "revenue_table",
    "statement_date",
    "statement_page",
    "statement_tables",
]

_KINDS: Final = {
    "pledge": "Pledge confirmed",
    "amendment": "Pledge amended",
    "reduction": "Pledge reduced",
    "cancellation": "Pledge cancelled",
    "write-off": "Pledge written off",
    "payment": "Payment",
    "credit applied": "Credit applied",
    "invoice": "Invoice",
    "credit note": "Credit note",
    "credit note (correction)": "Credit note (correction)",
    "credit note (reduction)": "Credit note (reduction)",
}


def _kind(kind: str, language: str | None) -> str:
    if language is None or kind not in _KINDS:
        return kind
    return label(_KINDS[kind], language)


def _line_row(line: StatementLine, language: str | None) -> tuple[Any, ...]:
    return (
        line.on,
        _kind(line.kind, language),
        line.reference,
        line.description,
        ";".join(line.invoices) or None,
        line.pledge_id,
        line.document_amount,
        line.amount,
        line.balance,
        line.credit,
        line.credit_balance,
    )


def _line_columns(language: str) -> tuple[Column, ...]:
    def _(msgid: str) -> str:
        return label(msgid, language)

    return (
        Column("date", _("Date"), Kind.DATE),
        Column("type", _("Type"), Kind.TEXT),
        Column("reference", _("Reference"), Kind.TEXT),
        Column("description", _("Description"), Kind.TEXT),
        Column("invoices_paid", _("Invoices paid"), Kind.TEXT),
        Column("pledge", _("Pledge"), Kind.INTEGER),
        Column("document_amount", _("Document amount"), Kind.MONEY),
        Column("movement", _("Movement"), Kind.MONEY),
        Column("balance", _("Balance owed"), Kind.MONEY),
        Column("credit", _("Unapplied credit"), Kind.MONEY),
        Column("credit_balance", _("Credit balance"), Kind.MONEY),
    )


def statement_tables(statement: Statement) -> list[Table]:
    """Return the statement's tables: every line (all currencies), summary, lines per currency.

    The first table (what CSV and JSON hold) has a ``currency`` column before the lines'
    columns, currencies in code order and each currency's lines in statement order.
    """
    who = f"{statement.short_name} {statement.edition or ''}".strip()
    columns = _line_columns("en")
    every = Table(
        title=f"Statement {who}",
        columns=(Column("currency", "Currency", Kind.TEXT), *columns),
        rows=[
            (cur, *_line_row(line, None))
            for cur, lines in statement.lines.items()
            for line in lines
        ],
    )
    summary = Table(
        title=f"Summary {who}",
        columns=(
            Column("currency", "Currency", Kind.TEXT),
            Column("owed", "Balance owed", Kind.MONEY),
            Column("credit", "Unapplied credit", Kind.MONEY),
            Column("invoiced", "Invoiced", Kind.MONEY),
            Column("credited", "Credited by credit notes", Kind.MONEY),
            Column("paid_on_invoices", "Paid on invoices", Kind.MONEY),
            Column("open_on_invoices", "Open on invoices", Kind.MONEY),
        ),
        rows=[
            (
                s.currency,
                s.owed,
                s.credit,
                s.invoiced,
                s.credited,
                s.paid_on_invoices,
                s.open_on_invoices,
            )
            for s in statement.summary.values()
        ],
    )
    per_currency = [
        Table(
            title=f"{cur} {who}",
            columns=columns,
            rows=[_line_row(line, None) for line in lines],
        )
        for cur, lines in statement.lines.items()
    ]
    return [every, summary, *per_currency]


def statement_date(statement: Statement, dated: dt.date | None) -> dt.date | None:
    """Return the statement's date: ``dated``, or the day of its latest line (None if none).

    Raises :class:`DatesOutOfOrder` for a ``dated`` before the latest line.
    """
    latest = max((line.on for lines in statement.lines.values() for line in lines), default=None)
    if dated is None:
        return latest
    if latest is not None and dated < latest:
        raise DatesOutOfOrder("the statement", dated, "its latest movement", latest)
    return dated


def statement_page(
    statement: Statement,
    partner: Partner,
    issuer: Issuer,
    dated: dt.date,
    edition_title: str | None,
) -> ReportPage:
    """Return the statement of account as a page in the partner's language, from ``issuer``.

    Per currency: what is owed and the credit held, what invoices asked and what of it is
    open, then every line with its running balance.
    """
    language = partner.language.value

    def _(msgid: str, **values: str) -> str:
        return label(msgid, language, **values)

    def amount(m: Any) -> str:
        return i18n.format_amount(m, language)

    columns = _line_columns(language)
    keep = ("date", "type", "reference", "document_amount", "movement", "balance",
            "credit_balance")  # fmt: skip
    shown = tuple(c for c in columns if c.key in keep)
    sections = []
    for cur, lines in statement.lines.items():
        s = statement.summary[cur]
        rows = []
        for line in lines:
            row = dict(zip((c.key for c in columns), _line_row(line, language), strict=True))
            if line.invoices:
                row["reference"] = f"{line.reference} ({', '.join(line.invoices)})".strip()
            if line.document_amount is not None:  # a document moves nothing by itself
                row["movement"] = row["balance"] = row["credit_balance"] = None
            rows.append(tuple(row[k] for k in keep))
        sections.append(
            Section(
                heading=_("Amounts in %(currency)s", currency=cur),
                facts=[
                    (_("Balance owed"), amount(s.owed)),
                    (_("Unapplied credit"), amount(s.credit)),
                    (_("Invoiced"), amount(s.invoiced)),
                    (_("Credited by credit notes"), amount(s.credited)),
                    (_("Paid on invoices"), amount(s.paid_on_invoices)),
                    (_("Open on invoices"), amount(s.open_on_invoices)),
                ],
                table=Table(title=cur, columns=shown, rows=rows),
            )
        )
    a = partner.billing_address
    street = " ".join(x for x in (a.street, a.building_number) if x)
    if edition_title is None or statement.edition is None:
        edition = _("All editions")
    else:
        edition = f"{edition_title} ({statement.edition})"
    return ReportPage(
        language=language,
        title=_("Statement of account"),
        dated=dated,
        issuer=issuer,
        recipient=[partner.legal_name, street, f"{a.postcode} {a.town}", a.country],
        facts=[
            (_("Partner"), partner.short_name),
            (_("Edition"), edition),
            (_("Statement date"), i18n.format_day(dated, language)),
        ],
        sections=sections,
        notes=[
            _(
                "A movement above zero adds to what you owe; a payment, a reduction or a "
                "write-off lowers it. Invoices and credit notes are listed for reference: "
                "they move nothing by themselves."
            )
            if sections
            else _("There are no movements on this statement.")
        ],
    )


_BUCKET_COLUMNS: Final = (
    ("not_due", "not_due", "Not due"),
    ("0-30", "days_0_30", "0-30 days"),
    ("31-60", "days_31_60", "31-60 days"),
    ("61-90", "days_61_90", "61-90 days"),
    ("over_90", "over_90", "Over 90 days"),
)
assert tuple(b for b, _, _ in _BUCKET_COLUMNS) == BUCKETS


def ageing_tables(report: Receivables) -> list[Table]:
    """Return the ageing as tables: by partner (with totals per currency), by currency, lines.

    Buckets are by days past due on the report's date; every amount is in its own currency.
    """
    scope = report.edition or "all editions"
    bucket_columns = tuple(Column(key, title, Kind.MONEY) for _, key, title in _BUCKET_COLUMNS)
    total = Column("total", "Total", Kind.MONEY)
    note = f"As of {report.as_of.isoformat()}, {scope}; days past the due date of the latest "
    note += "invoice on an instalment, else of the instalment itself."
    by_partner = Table(
        title=f"Ageing by partner {report.as_of.isoformat()}",
        columns=(
            Column("partner", "Partner", Kind.TEXT),
            Column("name", "Name", Kind.TEXT),
            Column("currency", "Currency", Kind.TEXT),
            *bucket_columns,
            total,
        ),
        rows=[
            (p.short_name, p.name, p.currency, *(p.buckets[b] for b in BUCKETS), p.total)
            for p in report.by_partner
        ],
        notes=[note],
        totals_label="Total",
    )
    by_currency = Table(
        title=f"Ageing by currency {report.as_of.isoformat()}",
        columns=(Column("currency", "Currency", Kind.TEXT), *bucket_columns, total),
        rows=[
            (cur, *(b[x] for x in BUCKETS), _sum([b[x] for x in BUCKETS]))
            for cur, b in report.by_currency.items()
        ],
        notes=[note],
    )
    lines = Table(
        title=f"Open instalments {report.as_of.isoformat()}",
        columns=(
            Column("partner", "Partner", Kind.TEXT),
            Column("pledge", "Pledge", Kind.INTEGER),
            Column("instalment", "Instalment", Kind.INTEGER),
            Column("due_on", "Due date", Kind.DATE),
            Column("invoice", "Invoice", Kind.TEXT),
            Column("ages_from", "Ages from", Kind.DATE),
            Column("days_past_due", "Days past due", Kind.INTEGER),
            Column("bucket", "Bucket", Kind.TEXT),
            Column("owed", "Owed", Kind.MONEY),
        ),
        rows=[
            (
                x.short_name,
                x.pledge_id,
                x.instalment_id,
                x.due_on,
                x.invoice,
                x.ages_from,
                x.days_past_due,
                x.bucket,
                x.owed,
            )
            for x in report.lines
        ],
        notes=[note],
    )
    return [by_partner, by_currency, lines]


def _sum(amounts: list[Any]) -> Any:
    total = amounts[0] - amounts[0]
    for m in amounts:
        total = total + m
    return total


def revenue_table(report: RevenueReport, psc_rate: str) -> Table:
    """Return the edition's revenue: gross, PSC and net per currency, then in base currency."""
    base = report.base.gross.currency.code
    rows: list[tuple[Any, ...]] = [
        (code, "original", line.gross, line.psc, line.net)
        for code, line in report.by_currency.items()
    ]
    rows.append((base, "base", report.base.gross, report.base.psc, report.base.net))
    when = "all entries" if report.as_of is None else f"entries up to {report.as_of.isoformat()}"
    return Table(
        title=f"Revenue {report.edition}",
        columns=(
            Column("currency", "Currency", Kind.TEXT),
            Column("basis", "Basis", Kind.TEXT),
            Column("gross", "Gross revenue", Kind.MONEY),
            Column("psc", "Programme support cost", Kind.MONEY),
            Column("net", "Net revenue", Kind.MONEY),
        ),
        rows=rows,
        notes=[
            f"Edition {report.edition}, {when}; PSC rate {psc_rate}. 'original' rows are in "
            f"each currency received; the 'base' row is every currency in {base} at the "
            "recorded rates.",
        ],
    )
