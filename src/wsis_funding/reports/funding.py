"""The funding report of an edition: money against its target, by tier, currency and day.

:class:`FundingReport` holds the figures (all in the base currency at the books' carrying
values, the signing-date rates, so they add up with the partners' standings); this module
turns them into tables (XLSX, JSON) and into a :class:`~wsis_funding.reports.pdf.ReportPage`
with four deterministic SVG charts: funding against the target (committed and received),
partners by tier, money by currency, and receipts over time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import attrs
from babel.dates import format_date
from babel.numbers import format_decimal
from moneyed import Money

from wsis_funding import i18n
from wsis_funding.documents.model import Issuer
from wsis_funding.money import CONTEXT, quantize
from wsis_funding.rendering.templating import isolate
from wsis_funding.reports.charts import (
    Bar,
    DatedAmount,
    FundingRow,
    bar_chart,
    cumulative_chart,
    funding_chart,
)
from wsis_funding.reports.labels import label
from wsis_funding.reports.pdf import ReportPage, Section, format_cell
from wsis_funding.reports.roster import RosterTier
from wsis_funding.reports.table import Column, Kind, Row, Table

__all__ = [
    "CurrencyFunding",
    "FundingReport",
    "GroupFunding",
    "funding_charts",
    "funding_page",
    "funding_tables",
]

_SHARE: Final = Decimal("0.0001")


@attrs.frozen(kw_only=True)
class GroupFunding:
    """The partners of one tier (or of activities only, or of no tier) and their money.

    ``group`` is ``"tier"`` (then ``tier`` is set), ``"activity"`` (activity packages but
    no tier) or ``"none"`` (confirmed pledges that reach no tier and hold no package).
    """

    group: str
    tier: RosterTier | None
    partners: int
    committed: Money
    received: Money


@attrs.frozen(kw_only=True)
class CurrencyFunding:
    """The money pledged in one currency: in that currency, and in base currency."""

    currency: str
    committed: Money
    received: Money
    committed_base: Money
    received_base: Money


def _tuple(value: Iterable[object]) -> tuple[object, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class FundingReport:
    """An edition's funding: committed and received against its target, and how it splits.

    ``committed`` is the confirmed pledges' signing-date base value less write-offs (tier and
    activity money), ``received`` what settlements paid of them at the same value; the
    ``by_group`` rows and the ``receipts`` (base value settled per day) add up to them.
    ``latest`` is the date of the latest journal entry on the edition's pledges (None when
    there is none); ``dated``, the report's date, is that or else the edition's first day.
    """

    edition: str
    title: str
    base_currency: str
    dated: dt.date
    latest: dt.date | None
    target: Money | None
    committed: Money
    received: Money
    tier_committed: Money
    tier_received: Money
    activity_committed: Money
    activity_received: Money
    partners: int
    by_group: tuple[GroupFunding, ...] = attrs.field(converter=_tuple)
    by_currency: tuple[CurrencyFunding, ...] = attrs.field(converter=_tuple)
    receipts: tuple[tuple[dt.date, Money], ...] = attrs.field(converter=_tuple)

    @property
    def outstanding(self) -> Money:
        """What is committed and not yet received."""
        return self.committed - self.received

    def share(self, amount: Money) -> Decimal | None:
        """Return ``amount`` as a fraction of the target (four decimals), None without one."""
        if self.target is None:
            return None
        return CONTEXT.divide(amount.amount, self.target.amount).quantize(
            _SHARE, rounding=ROUND_HALF_UP, context=CONTEXT
        )


def _group_title(group: GroupFunding, language: str) -> str:
    if group.tier is not None:
        return label(group.tier.title, language)
    if group.group == "activity":
        return label("Partners for specific activities", language)
    return label("No tier reached", language)


def funding_tables(report: FundingReport, language: str = "en") -> list[Table]:
    """Return the report's tables: summary, by tier, by currency, receipts by day."""

    def _(msgid: str, **values: str) -> str:
        return label(msgid, language, **values)

    base = report.base_currency
    summary_rows: list[Row] = []
    if report.target is not None:
        summary_rows.append((_("Funding target"), report.target, None))
    for name, amount in (
        ("Committed", report.committed),
        ("Received", report.received),
        ("Outstanding", report.outstanding),
        ("Tier money", report.tier_committed),
        ("Activity money", report.activity_committed),
    ):
        summary_rows.append((_(name), amount, report.share(amount)))
    summary = Table(
        title=f"{_('Funding report')} {report.edition}",
        columns=(
            Column("item", _("Description"), Kind.TEXT),
            Column("amount", _("Amount"), Kind.MONEY),
            Column("share_of_target", _("Share of target"), Kind.PERCENT),
        ),
        rows=summary_rows,
    )
    groups = Table(
        title=_("Partners by tier"),
        columns=(
            Column("tier", _("Tier"), Kind.TEXT),
            Column("partners", _("Partners"), Kind.INTEGER),
            Column("committed", _("Committed"), Kind.MONEY),
            Column("received", _("Received"), Kind.MONEY),
        ),
        rows=[
            (_group_title(g, language), g.partners, g.committed, g.received)
            for g in report.by_group
        ],
        totals_label=_("Total"),
    )
    currencies = Table(
        title=_("Money by currency"),
        columns=(
            Column("currency", _("Currency"), Kind.TEXT),
            Column("committed", _("Committed"), Kind.MONEY),
            Column("received", _("Received"), Kind.MONEY),
            Column("committed_base", _("Committed in %(currency)s", currency=base), Kind.MONEY),
            Column("received_base", _("Received in %(currency)s", currency=base), Kind.MONEY),
        ),
        rows=[
            (c.currency, c.committed, c.received, c.committed_base, c.received_base)
            for c in report.by_currency
        ],
    )
    running = report.received - report.received
    receipt_rows = []
    for day, amount in report.receipts:
        running = running + amount
        receipt_rows.append((day, amount, running))
    receipts = Table(
        title=_("Receipts over time"),
        columns=(
            Column("date", _("Date"), Kind.DATE),
            Column("received", _("Received"), Kind.MONEY),
            Column("total", _("Total"), Kind.MONEY),
        ),
        rows=receipt_rows,
    )
    return [summary, groups, currencies, receipts]


def funding_charts(report: FundingReport, language: str = "en") -> list[str]:
    """Return the report's four SVG charts, labelled in ``language``.

    Funding against the target (committed and received; without a target, committed and
    received alone), partners by tier, committed money by currency (in base currency) and
    the running total of receipts by day.
    """

    def _(msgid: str, **values: str) -> str:
        return label(msgid, language, **values)

    base = report.base_currency

    def amount(value: Decimal) -> str:
        return i18n.format_amount(quantize(value, base), language)

    def count(value: Decimal) -> str:
        return str(format_decimal(value, locale=language))

    def month(day: dt.date) -> str:
        return str(format_date(day, "LLL y", locale=language))

    in_base = f" ({base})"
    nothing = _("Nothing yet")
    if report.target is not None:
        target_chart = funding_chart(
            [
                FundingRow(
                    label=report.edition,
                    target=report.target.amount,
                    committed=report.committed.amount,
                    received=report.received.amount,
                )
            ],
            title=_("Funding against the target") + in_base,
            format_value=amount,
            series_labels=(_("Target"), _("Committed"), _("Received")),
            empty_text=nothing,
        )
    else:
        target_chart = bar_chart(
            [
                Bar(_("Committed"), report.committed.amount),
                Bar(_("Received"), report.received.amount),
            ],
            title=_("Funding against the target") + in_base,
            format_value=amount,
            empty_text=nothing,
        )
    tiers = bar_chart(
        [Bar(_group_title(g, language), g.partners) for g in report.by_group],
        title=_("Partners by tier"),
        format_value=count,
        empty_text=nothing,
        whole_numbers=True,
    )
    currencies = bar_chart(
        [Bar(c.currency, c.committed_base.amount) for c in report.by_currency],
        title=_("Money by currency") + in_base,
        format_value=amount,
        empty_text=nothing,
    )
    receipts = cumulative_chart(
        [DatedAmount(day, m.amount) for day, m in report.receipts],
        title=_("Receipts over time") + in_base,
        format_value=amount,
        format_month=month,
        empty_text=nothing,
    )
    return [target_chart, tiers, currencies, receipts]


def funding_page(
    report: FundingReport, language: str = "en", *, issuer: Issuer | None = None
) -> ReportPage:
    """Return the funding report as a page to render (see :func:`render_report`)."""

    def _(msgid: str, **values: str) -> str:
        return label(msgid, language, **values)

    def with_share(m: Money) -> str:
        text = i18n.format_amount(m, language)
        share = report.share(m)
        if share is None:
            return text
        return f"{isolate(text)} ({isolate(format_cell(Kind.PERCENT, share, language))})"

    facts = [(_("Edition"), f"{report.title} ({report.edition})")]
    if report.latest is not None:
        facts.append((_("Latest movement"), i18n.format_day(report.latest, language)))
    if report.target is not None:
        facts.append((_("Funding target"), i18n.format_amount(report.target, language)))
    facts += [
        (_("Committed"), with_share(report.committed)),
        (_("Received"), with_share(report.received)),
        (_("Outstanding"), i18n.format_amount(report.outstanding, language)),
        (_("Tier money"), i18n.format_amount(report.tier_committed, language)),
        (_("Activity money"), i18n.format_amount(report.activity_committed, language)),
        (_("Partners"), str(format_decimal(report.partners, locale=language))),
    ]
    notes = [] if report.target is not None else [_("No funding target is set for this edition.")]
    target_chart, tier_chart, currency_chart, receipt_chart = funding_charts(report, language)
    _summary, groups, currencies, _receipts = funding_tables(report, language)
    return ReportPage(
        language=language,
        title=_("Funding report"),
        subtitle=f"{report.title} ({report.edition})",
        dated=report.dated,
        issuer=issuer,
        facts=facts,
        sections=[
            Section(heading="", chart=target_chart, notes=notes),
            Section(heading="", chart=tier_chart, table=groups),
            Section(heading="", chart=currency_chart, table=currencies),
            Section(heading="", chart=receipt_chart),
        ],
        notes=[_(
            "Committed: confirmed pledges at their signing-date value, less write-offs. "
            "Received: what payments have settled, at the same value. Amounts in %(currency)s.",
            currency=report.base_currency,
        )],
    )  # fmt: skip
