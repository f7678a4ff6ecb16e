"""The column specs of each kind of import: header names, required or optional, type, meaning.

These specs are the one description of the files: the readers check headers against them,
the writers write columns in their order, and the templates' notes and "about" sheet and
:func:`describe` print them. Header names are matched after trimming, lower-casing and
turning spaces and hyphens into underscores ("Legal name" is ``legal_name``).
"""

from __future__ import annotations

from typing import Final

import attrs

from wsis_funding.ledger.model import Language, StakeholderType
from wsis_funding.tiers.model import Tier

__all__ = [
    "INSTALMENTS",
    "KINDS",
    "PARTNERS",
    "PLEDGES",
    "RATES",
    "RULES",
    "Column",
    "SheetSpec",
    "describe",
]

_TEXT = "text"
_DATE = "date: a date cell, or text YYYY-MM-DD"
_AMOUNT = "number above zero, no more decimals than the currency has (JPY 0, CHF 2, KWD 3)"
_CURRENCY = "ISO 4217 currency code, upper case (CHF)"
_COUNTRY = "ISO 3166 two-letter country code, upper case (CH)"


def _values(kind: type[Language | StakeholderType | Tier]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in kind)


@attrs.frozen(kw_only=True)
class Column:
    """One column of a sheet: its header, whether a value is required, its type and meaning.

    ``choices`` lists the allowed values of a column that takes one of a fixed set.
    """

    name: str
    required: bool
    type: str
    meaning: str
    choices: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class SheetSpec:
    """One kind of sheet: its name (the XLSX sheet and the CSV file stem) and its columns."""

    name: str
    summary: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The column headers, in file order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """Return the column called ``name``; raise ``KeyError`` if there is none."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _choice(name: str, required: bool, values: tuple[str, ...], meaning: str) -> Column:
    return Column(
        name=name,
        required=required,
        type=f"one of: {', '.join(values)}",
        meaning=meaning,
        choices=values,
    )


PARTNERS = SheetSpec(
    name="partners",
    summary="One partner (contributor to the WSIS Fund in Trust) per row.",
    columns=(
        Column(name="legal_name", required=True, type=_TEXT, meaning="Full legal name."),
        Column(
            name="short_name",
            required=True,
            type=_TEXT,
            meaning="Short name that pledges use to name the partner; unique in the file.",
        ),
        Column(name="country", required=True, type=_COUNTRY, meaning="The partner's country."),
        _choice("stakeholder_type", True, _values(StakeholderType), "The WSIS stakeholder group."),
        _choice("language", True, _values(Language), "UN language of its invoices and letters."),
        Column(name="street", required=True, type=_TEXT, meaning="Billing address: street."),
        Column(
            name="building_number",
            required=True,
            type=_TEXT,
            meaning="Billing address: building number.",
        ),
        Column(name="postcode", required=True, type=_TEXT, meaning="Billing address: postcode."),
        Column(name="town", required=True, type=_TEXT, meaning="Billing address: town."),
        Column(
            name="address_country",
            required=True,
            type=_COUNTRY,
            meaning="Billing address: country.",
        ),
        Column(name="tax_id", required=False, type=_TEXT, meaning="Tax or VAT number, if any."),
        Column(
            name="contact_email",
            required=False,
            type="e-mail address",
            meaning="Where invoices and letters are sent, if any.",
        ),
    ),
)

PLEDGES = SheetSpec(
    name="pledges",
    summary=(
        "One pledge per row. Its instalments are on the instalments sheet (or CSV file); "
        "a pledge without instalment rows is due in full on its signing date."
    ),
    columns=(
        Column(
            name="ref",
            required=True,
            type=_TEXT,
            meaning="Your key for the pledge, unique in the file; instalment rows name it.",
        ),
        Column(name="partner", required=True, type=_TEXT, meaning="The partner's short name."),
        Column(name="edition", required=True, type=_TEXT, meaning="The edition code."),
        Column(name="amount", required=True, type=_AMOUNT, meaning="The amount pledged."),
        Column(name="currency", required=True, type=_CURRENCY, meaning="The pledge currency."),
        Column(
            name="signed_on", required=True, type=_DATE, meaning="When the agreement was signed."
        ),
        _choice(
            "tier",
            False,
            _values(Tier),
            "The tier the pledge aims at; give a tier or a package, not both.",
        ),
        Column(
            name="package",
            required=False,
            type=_TEXT,
            meaning="The activity package sponsored; give a tier or a package, not both.",
        ),
        Column(
            name="discount_reason",
            required=False,
            type=_TEXT,
            meaning="Why a package pledge is below the package price (packages only).",
        ),
        _choice("confirm", False, ("yes", "no"), "Confirm the pledge on import (default yes)."),
    ),
)

INSTALMENTS = SheetSpec(
    name="instalments",
    summary=(
        "The instalments of the pledges, one per row, in the pledge currency; "
        "the instalments of a pledge sum exactly to its amount."
    ),
    columns=(
        Column(name="pledge_ref", required=True, type=_TEXT, meaning="The pledge's ref."),
        Column(name="due_on", required=True, type=_DATE, meaning="Due date, on or after signing."),
        Column(
            name="amount",
            required=True,
            type=_AMOUNT,
            meaning="Amount due, in the pledge currency.",
        ),
    ),
)

RATES = SheetSpec(
    name="rates",
    summary="One exchange rate per row: 1 from_currency is worth rate to_currency.",
    columns=(
        Column(name="from_currency", required=True, type=_CURRENCY, meaning="Currency converted."),
        Column(name="to_currency", required=True, type=_CURRENCY, meaning="Currency obtained."),
        Column(
            name="rate",
            required=True,
            type="number above zero (any decimals)",
            meaning="Units of to_currency per unit of from_currency.",
        ),
        Column(
            name="effective",
            required=True,
            type=_DATE,
            meaning="First day the rate is in force.",
        ),
        Column(
            name="source",
            required=True,
            type=_TEXT,
            meaning="Where the rate comes from (UN operational rate of exchange, 2024-05).",
        ),
    ),
)

#: The rules every file follows, as the README and the "about" sheets state them.
RULES: Final = (
    "CSV files are UTF-8 (with or without BOM), comma- or semicolon-separated, with the",
    "headers below on the first line. XLSX files hold one sheet per kind, named as below,",
    "headers on row 1. Numbers take a point for decimals and no thousands separators;",
    "dates are date cells or YYYY-MM-DD. An import is all-or-nothing: every bad cell is",
    "reported, and nothing is imported while any is bad.",
)

#: Every sheet spec by name.
KINDS = {spec.name: spec for spec in (PARTNERS, PLEDGES, INSTALMENTS, RATES)}


def describe() -> str:
    """Return the column specs of every kind as Markdown tables (the templates' README)."""
    lines = ["# Spreadsheet imports", "", *RULES]
    for spec in KINDS.values():
        lines += ["", f"## {spec.name}", "", spec.summary, ""]
        lines += ["| column | required | type | meaning |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {c.name} | {'yes' if c.required else 'no'} | {c.type} | {c.meaning} |"
            for c in spec.columns
        ]
    return "\n".join(lines) + "\n"
