"""Report PDFs through the documents' own rendering: Jinja2 template, fonts, WeasyPrint.

A :class:`ReportPage` is what a report prints: a title, facts (label and value pairs),
sections holding facts, a :class:`~wsis_funding.reports.table.Table` or an SVG chart, and
notes, in one language. :func:`render_report` turns it into PDF bytes with the template
``report.html`` (beside the documents' templates, styled by the same ``style.css``), the
asset-only URL fetcher (charts are served as generated assets), the glyph check and
WeasyPrint's PDF/A-3b output, exactly as invoices and letters are made.

Table cells are formatted for the page's language: amounts by the money kernel with their
currency's ISO 4217 decimals, dates in the locale's medium form, numbers with the locale's
separators, percentages from fractions. Texts are printed as given (translate them first).

The same page gives the same bytes: the PDF's dates are midnight UTC of the page's ``dated``
day and its identifiers are derived from the content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import attrs
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from moneyed import Money

from wsis_funding import i18n
from wsis_funding.documents.model import Issuer
from wsis_funding.rendering.context import address_lines
from wsis_funding.rendering.fetcher import asset_url
from wsis_funding.rendering.fonts import check_glyphs, drawn_text
from wsis_funding.rendering.render import RenderInput, write_pdf
from wsis_funding.rendering.templating import render_template
from wsis_funding.reports.table import Cell, Kind, Table, totals_rows

__all__ = ["REPORT_TEMPLATE", "ReportPage", "Section", "format_cell", "render_report"]

REPORT_TEMPLATE: Final = "report.html"


def _pairs(value: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(label), str(text)) for label, text in value)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Section:
    """A part of a report page: a heading, then facts, a chart (SVG text), a table, notes."""

    heading: str
    facts: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    chart: str | None = None
    table: Table | None = None
    notes: tuple[str, ...] = attrs.field(default=(), converter=_texts)


def _sections(value: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ReportPage:
    """What a report PDF prints, in ``language`` (one of the six UN languages).

    ``issuer`` prints the letterhead (and is the PDF's author); ``recipient`` is a name and
    address lines printed as on a letter (a partner's statement). ``dated`` is the report's
    date, printed by the caller in its facts and used as the PDF's creation date.
    """

    language: str
    title: str
    dated: dt.date
    subtitle: str | None = None
    issuer: Issuer | None = None
    recipient: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    facts: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    sections: tuple[Section, ...] = attrs.field(default=(), converter=_sections)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_texts)


def format_cell(kind: Kind, value: Cell, language: str) -> str:
    """Return a table cell as printed in ``language`` (empty for None)."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return i18n.format_amount(value, language)
    if isinstance(value, dt.date):
        return str(format_date(value, format="medium", locale=language))
    if isinstance(value, str):
        return value
    if kind is Kind.PERCENT:
        decimals = max(0, -int(Decimal(value).as_tuple().exponent) - 2)
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return str(format_percent(value, pattern, locale=language, decimal_quantization=False))
    return str(format_decimal(value, locale=language, decimal_quantization=False))


_NUMERIC: Final = frozenset({Kind.INTEGER, Kind.DECIMAL, Kind.MONEY, Kind.PERCENT})


def _table(table: Table, language: str) -> dict[str, Any]:
    kinds = [c.kind for c in table.columns]

    def cells(row: Sequence[Cell]) -> list[dict[str, Any]]:
        return [
            {"text": format_cell(k, v, language), "numeric": k in _NUMERIC}
            for k, v in zip(kinds, row, strict=True)
        ]

    return {
        "columns": [{"title": c.title, "numeric": c.kind in _NUMERIC} for c in table.columns],
        "rows": [cells(row) for row in table.rows],
        "totals": [cells(row) for row in totals_rows(table)],
    }


_SVG: Final = "{http://www.w3.org/2000/svg}"
_ASCENT: Final = Decimal("0.89")  # Noto Sans: the baseline sits 0.89 em below a 1 em line box


def _lifted_texts(svg: str) -> tuple[str, list[dict[str, str]]]:
    """Return the chart without its texts, and the texts as labels to place over it in HTML.

    WeasyPrint draws SVG text one letter at a time, without shaping: Arabic would print as
    isolated letters. Lifted into HTML, the same texts are shaped and ordered by Pango like
    the rest of the page, at the same coordinates (the chart is shown at its own size).
    Texts with a transform (rotated axis labels) stay in the SVG.
    """
    root = ET.fromstring(svg)
    size = Decimal(root.get("font-size", "12"))
    labels = []
    for element in list(root):
        if element.tag != f"{_SVG}text" or element.get("transform"):
            continue
        font = Decimal(element.get("font-size", size))
        anchor = {"middle": "-50%", "end": "-100%"}.get(element.get("text-anchor", ""), "0")
        top = Decimal(element.get("y", "0")) - _ASCENT * font
        labels.append(
            {
                "text": element.text or "",
                "style": f"left: {element.get('x', '0')}px; top: {top:f}px; "
                f"font-size: {font:f}px; transform: translateX({anchor})"
                + ("; font-weight: bold" if element.get("font-weight") == "bold" else ""),
                "class": element.get("class", ""),
            }
        )
        root.remove(element)
    for element in root.iter():  # back to the charts' own spelling: plain tags, xmlns set
        element.tag = element.tag.removeprefix(_SVG)
    root.set("xmlns", _SVG[1:-1])
    return ET.tostring(root, encoding="unicode") + "\n", labels


def _context(page: ReportPage, charts: dict[str, str]) -> dict[str, Any]:
    sections = []
    rtl = i18n.direction(page.language) == "rtl"
    for i, section in enumerate(page.sections, start=1):
        chart = None
        if section.chart is not None:
            svg, labels = _lifted_texts(section.chart) if rtl else (section.chart, [])
            name = f"chart-{i}.svg"
            charts[name] = svg
            root = ET.fromstring(svg)
            chart = {
                "name": name,
                "width": root.get("width"),
                "height": root.get("height"),
                "labels": labels,
            }
        sections.append(
            {
                "heading": section.heading,
                "facts": section.facts,
                "chart": chart,
                "table": None if section.table is None else _table(section.table, page.language),
                "notes": section.notes,
            }
        )
    issuer = page.issuer
    address = None if issuer is None else ", ".join(address_lines(issuer.address))
    return {
        "lang_tag": i18n.lang_tag(page.language),
        "direction": i18n.direction(page.language),
        "title": page.title,
        "subtitle": page.subtitle,
        "timestamp": f"{page.dated.isoformat()}T00:00:00Z",
        "issuer": issuer,
        "issuer_address_line": address,
        "has_logo": issuer is not None and issuer.logo is not None,
        "recipient": page.recipient,
        "facts": page.facts,
        "sections": sections,
        "notes": page.notes,
        "asset_url": asset_url,
    }


def render_report(page: ReportPage, *, template_dir: Path | None = None) -> bytes:
    """Render ``page`` to PDF/A-3b bytes with the documents' rendering pipeline.

    ``template_dir`` holds templates and static files that override ours by name. Raises
    :class:`UnsupportedLanguage`, :class:`MissingGlyphs` (a character no installed font
    draws, in the page or a chart) and :class:`TemplateVariableMissing`.
    """
    i18n.lang_tag(page.language)  # an unsupported language is refused before anything
    charts: dict[str, str] = {}
    context = _context(page, charts)
    html = render_template(
        REPORT_TEMPLATE, context, language=page.language, template_dir=template_dir
    )
    generated = {name: svg.encode("utf-8") for name, svg in sorted(charts.items())}
    texts = [page.title, *(section.chart for section in page.sections if section.chart)]
    check_glyphs([drawn_text(html), *(drawn_text(text) for text in texts)])
    digest = hashlib.sha256()
    for part in (html.encode(), *generated.values()):
        digest.update(hashlib.sha256(part).digest())
    return write_pdf(
        RenderInput(
            html=html,
            generated=generated,
            facturx=None,
            title=page.title,
            author=page.issuer.organisation if page.issuer is not None else "wsis-funding",
            timestamp=context["timestamp"],
            issued_on=page.dated,
            language=page.language,
            logo=page.issuer.logo if page.issuer is not None else None,
            template_dir=template_dir,
            digest=digest.hexdigest(),
        )
    )
