"""The values a spreadsheet import produces: records of good rows, problems of bad cells.

Every record is frozen and typed (``Money`` amounts, ``datetime.date`` dates, the ledger's
enums) and keeps the row it came from, as the user sees it in the spreadsheet (the header is
row 1). A :class:`Problem` names the file, sheet, row, column and the cell's value as text,
and says in plain words what is wrong. An :class:`Imported` holds either records or problems,
never both: imports are all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Generic, TypeVar

import attrs
from moneyed import Money

from wsis_funding.imports.sheets.errors import SpreadsheetRejected
from wsis_funding.ledger.model import Address, Language, Partner, StakeholderType
from wsis_funding.money.rates import ExchangeRate
from wsis_funding.tiers.model import Tier

__all__ = [
    "Imported",
    "InstalmentRow",
    "PartnerRow",
    "PledgeRow",
    "Problem",
    "RateRow",
    "Source",
]

R = TypeVar("R")


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong in a spreadsheet, where the user can find it.

    ``sheet`` is None for a CSV file; ``row`` is None for a problem of the whole file or
    sheet (not UTF-8, not an XLSX file, a sheet missing) and 1 for a header problem;
    ``column`` is the column's header (or "column F" for a cell under no header) and None
    when no single column is at fault. ``value`` is the cell's value as text ("" for empty).
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str
    message: str

    def __str__(self) -> str:
        """Return where the problem is and what is wrong, on one line."""
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        shown = f" {self.value!r}" if self.value else ""
        return f"{', '.join(where)}{shown}: {self.message}"


@attrs.frozen(kw_only=True)
class Source:
    """Where one kind of record was read: the file, its sheet (None for CSV), its headers.

    ``headers`` maps each column's canonical name to its header as written in the file, so
    that a problem found later (by a check against the books) names the column as the user
    sees it.
    """

    file: str
    sheet: str | None
    headers: Mapping[str, str] = attrs.field(factory=dict)

    def problem(self, row: int | None, column: str | None, value: str, message: str) -> Problem:
        """Return a :class:`Problem` at ``row`` and ``column`` (a canonical column name)."""
        shown = None if column is None else self.headers.get(column, column)
        return Problem(
            file=self.file, sheet=self.sheet, row=row, column=shown, value=value, message=message
        )


@attrs.frozen(kw_only=True)
class PartnerRow:
    """A partner as given on one row of a partners sheet."""

    row: int
    legal_name: str
    short_name: str
    country: str
    stakeholder_type: StakeholderType
    language: Language
    address: Address
    tax_id: str | None = None
    contact_email: str | None = None

    def to_partner(self) -> Partner:
        """Return the ledger :class:`Partner` this row describes (not yet stored: no id)."""
        return Partner(
            legal_name=self.legal_name,
            short_name=self.short_name,
            country=self.country,
            stakeholder_type=self.stakeholder_type,
            language=self.language,
            billing_address=self.address,
            tax_id=self.tax_id,
            contact_email=self.contact_email,
        )


@attrs.frozen(kw_only=True)
class InstalmentRow:
    """One instalment of a pledge, in the pledge currency.

    ``row`` is its row on the instalments sheet, or None for the single instalment implied
    by a pledge that has no instalment rows (its whole amount, due on its signing date).
    """

    row: int | None
    due_on: dt.date
    amount: Money


@attrs.frozen(kw_only=True)
class PledgeRow:
    """A pledge as given on one row of a pledges sheet, with its instalments.

    ``partner`` is the partner's short name and ``edition`` the edition code: whether they
    exist in the books is for the caller to check. Exactly one of ``tier`` and ``package``
    is set; the instalments sum exactly to ``amount``, in file order.
    """

    row: int
    ref: str
    partner: str
    edition: str
    amount: Money
    signed_on: dt.date
    instalments: tuple[InstalmentRow, ...]
    tier: Tier | None = None
    package: str | None = None
    discount_reason: str | None = None
    confirm: bool = True

    @property
    def currency(self) -> str:
        """The pledge currency (ISO 4217 code)."""
        return str(self.amount.currency.code)


@attrs.frozen(kw_only=True)
class RateRow:
    """An exchange rate as given on one row of a rates sheet: 1 from_currency = rate to_currency."""

    row: int
    from_currency: str
    to_currency: str
    rate: Decimal
    effective: dt.date
    source: str

    def to_exchange_rate(self) -> ExchangeRate:
        """Return the :class:`ExchangeRate` this row describes."""
        return ExchangeRate(
            from_currency=self.from_currency,
            to_currency=self.to_currency,
            rate=self.rate,
            effective=self.effective,
            source=self.source,
        )


@attrs.frozen
class Imported(Generic[R]):
    """What a reader returns: every record when the file is good, else every problem.

    ``records`` is empty whenever ``problems`` is not (all-or-nothing). ``sources`` says
    where each kind was read (``"pledges"``, ``"instalments"``, ...), for problems that a
    later check finds in a record; it takes no part in equality.
    """

    records: tuple[R, ...]
    problems: tuple[Problem, ...]
    sources: Mapping[str, Source] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def ok(self) -> bool:
        """True when the file had no problem (it may still hold no record)."""
        return not self.problems

    def or_raise(self) -> tuple[R, ...]:
        """Return the records; raise :class:`SpreadsheetRejected` with every problem if any."""
        if self.problems:
            raise SpreadsheetRejected(self.problems)
        return self.records
