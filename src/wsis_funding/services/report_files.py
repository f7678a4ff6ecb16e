"""Report files as use cases: each reads the books once and returns the whole file's bytes.

========== ============================ ====================================================
report     formats                      what
========== ============================ ====================================================
statement  pdf, csv, xlsx, json         a partner's statement of account; the PDF in the
                                        partner's language, from the books' issuer
ageing     xlsx, csv, json              receivables in ageing buckets as of a date
revenue    xlsx, csv, json              an edition's revenue gross, PSC and net
roster     json, csv, xlsx              an edition's recognised partners (versioned JSON)
funding    pdf, xlsx                    an edition's funding against its target, charts
========== ============================ ====================================================

CSV and JSON hold the report's main table, XLSX all of its tables (see
:mod:`wsis_funding.reports.files`). The same books give the same bytes: no file carries the
clock; a PDF is dated by the report's own date. The journal export, which streams, is in
:mod:`.journal_export`.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from wsis_funding.ledger.inputs import require_date
from wsis_funding.ledger.model import Edition, Partner
from wsis_funding.reports.files import ReportFormat, report_format, tables_file
from wsis_funding.reports.funding import funding_page, funding_tables
from wsis_funding.reports.pdf import render_report
from wsis_funding.reports.roster import roster_json, roster_table
from wsis_funding.services.checks import edition_of, partner_of
from wsis_funding.services.funding import funding_report
from wsis_funding.services.queries import receivables_report
from wsis_funding.services.report_tables import (
    ageing_tables,
    revenue_table,
    statement_date,
    statement_page,
    statement_tables,
)
from wsis_funding.services.revenue import revenue_report
from wsis_funding.services.roster import tier_roster
from wsis_funding.services.statement import partner_statement
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = [
    "FORMATS",
    "ageing_file",
    "funding_file",
    "revenue_file",
    "roster_file",
    "statement_file",
]

_F = ReportFormat
FORMATS: Final = {
    "statement": (_F.PDF, _F.CSV, _F.XLSX, _F.JSON),
    "ageing": (_F.XLSX, _F.CSV, _F.JSON),
    "revenue": (_F.XLSX, _F.CSV, _F.JSON),
    "roster": (_F.JSON, _F.CSV, _F.XLSX),
    "funding": (_F.PDF, _F.XLSX),
}
"""The formats each report is written in; the first is its default on the command line."""


def statement_file(
    uow: UnitOfWork,
    partner: Partner | int,
    edition: Edition | str | None = None,
    *,
    format: str = "pdf",
    dated: dt.date | None = None,
) -> bytes:
    """Return the partner's statement of account (of one edition, or all) as a file.

    ``partner`` is a partner or its id, ``edition`` an edition or its code (None: all).
    ``format`` is ``"pdf"``, ``"csv"``, ``"xlsx"`` or ``"json"``. PDF: in the partner's
    language, on the books' issuer letterhead, dated ``dated`` or the
    day of the latest line (with none, of the books' latest entry; in books without any
    entry, today). CSV and JSON: every line, all currencies; XLSX: lines,
    a summary per currency and the lines of each currency. Raises :class:`UnknownPartner`,
    :class:`UnknownEdition`, :class:`UnsupportedFormat`, :class:`DatesOutOfOrder` for a
    ``dated`` before the latest line, ``TypeError`` for a ``dated`` that is not a date, and
    (PDF) :class:`IssuerNotConfigured` and :class:`MissingGlyphs`.
    """
    fmt = report_format(format, "statement", FORMATS["statement"])
    if dated is not None:
        require_date(dated, "dated")
    p = partner_of(uow, partner)
    ed = None if edition is None else edition_of(uow, edition)
    statement = partner_statement(uow, p, ed)
    day = statement_date(statement, dated)  # a date before the latest line is refused
    if fmt is not ReportFormat.PDF:
        return tables_file(statement_tables(statement), fmt)
    issuer = uow.issuer
    if day is None:
        day = uow.reports.latest_entry_date() or dt.date.today()
    page = statement_page(statement, p, issuer, day, None if ed is None else ed.title)
    return render_report(page)


def ageing_file(
    uow: UnitOfWork,
    as_of: dt.date,
    *,
    edition: Edition | str | None = None,
    format: str = "xlsx",
) -> bytes:
    """Return the receivables ageing as of ``as_of`` (of one edition, or all) as a file.

    The figures are those of ``receivables(as_of, edition=edition)``; ``format`` is
    ``"xlsx"`` (by partner with totals per currency, by currency, and every open instalment
    with its due dates), ``"csv"`` or ``"json"`` (by partner). Raises ``TypeError`` for an
    ``as_of`` that is not a date, :class:`UnknownEdition` for an ``edition`` the books do not
    hold, and :class:`UnsupportedFormat` for another ``format``.
    """
    fmt = report_format(format, "ageing", FORMATS["ageing"])
    return tables_file(ageing_tables(receivables_report(uow, as_of, edition=edition)), fmt)


def revenue_file(
    uow: UnitOfWork,
    edition: Edition | str,
    *,
    as_of: dt.date | None = None,
    format: str = "xlsx",
) -> bytes:
    """Return the edition's revenue (gross, PSC, net; per currency and in base) as a file.

    The figures are those of ``revenue(edition, as_of=as_of)``: up to ``as_of`` if given;
    ``format`` is ``"xlsx"``, ``"csv"`` or ``"json"``. Raises :class:`UnknownEdition` for an
    ``edition`` the books do not hold and :class:`UnsupportedFormat` for another ``format``.
    """
    fmt = report_format(format, "revenue", FORMATS["revenue"])
    ed = edition_of(uow, edition)
    report = revenue_report(uow, ed, as_of=as_of)
    return tables_file([revenue_table(report, format_rate(ed))], fmt)


def format_rate(edition: Edition) -> str:
    """Return the edition's PSC rate as a percentage with its own digits (``7 %``)."""
    percent = format(edition.psc_rate.scaleb(2).normalize(), "f")
    return f"{percent} %"


def roster_file(
    uow: UnitOfWork, edition: Edition | str, *, amounts: bool = False, format: str = "json"
) -> bytes:
    """Return the edition's tier roster as versioned JSON (see the schema), CSV or XLSX.

    The entries are those of ``roster(edition, amounts=amounts)``; without ``amounts``, no
    amount is in the file. ``format`` is ``"json"``, ``"csv"`` or ``"xlsx"``. Raises
    :class:`UnknownEdition` for an ``edition`` the books do not hold, ``TypeError`` if
    ``amounts`` is not a bool, and :class:`UnsupportedFormat` for another ``format``.
    """
    fmt = report_format(format, "roster", FORMATS["roster"])
    roster = tier_roster(uow, edition, amounts=amounts)
    if fmt is ReportFormat.JSON:
        return roster_json(roster).encode("utf-8")
    return tables_file([roster_table(roster)], fmt)


def funding_file(
    uow: UnitOfWork, edition: Edition | str, *, format: str = "pdf", language: str = "en"
) -> bytes:
    """Return the edition's funding report as a PDF with charts, or its tables as XLSX.

    ``format`` is ``"pdf"`` or ``"xlsx"``; ``edition`` is an edition or its code. The PDF is
    in ``language`` (one of the six), on the issuer's letterhead when the books
    have issuer settings. Raises :class:`UnknownEdition`, :class:`UnsupportedFormat`,
    :class:`UnsupportedLanguage` and :class:`MissingGlyphs`.
    """
    fmt = report_format(format, "funding", FORMATS["funding"])
    report = funding_report(uow, edition)
    if fmt is ReportFormat.XLSX:
        return tables_file(funding_tables(report, language), fmt)
    return render_report(funding_page(report, language, issuer=uow.configured_issuer))
