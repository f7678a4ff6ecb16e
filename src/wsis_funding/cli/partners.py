"""``wsis-funding partner``: add, correct, show, list and search partners.

A PARTNER argument is an id (``7``) or a short name (``ACME``, any case or width).
"""

from __future__ import annotations

import datetime as dt

import click
from rich.table import Table

from wsis_funding.cli import jsonout
from wsis_funding.cli.access import DATE, json_option, partner_of, read_books, write_books
from wsis_funding.cli.settings import Settings
from wsis_funding.cli.terminal import TEXT, console
from wsis_funding.ledger.model import Address, Language, Partner, StakeholderType
from wsis_funding.services.reference import UNCHANGED

__all__ = ["partner"]

_TYPES = click.Choice([t.value for t in StakeholderType])
_LANGUAGES = click.Choice([x.value for x in Language])


@click.group()
def partner() -> None:
    """Partners: the governments, companies and organisations that contribute."""


def _shown(p: Partner) -> str:
    return f"partner {p.id} {p.short_name} ({p.legal_name})"


@partner.command("add")
@click.option("--legal-name", type=TEXT, required=True, help="Full legal name.")
@click.option("--short-name", type=TEXT, required=True, help="Short name, unique in the books.")
@click.option("--country", type=TEXT, required=True, help="ISO 3166 country code (CH).")
@click.option("--type", "kind", type=_TYPES, required=True, help="WSIS stakeholder group.")
@click.option("--language", type=_LANGUAGES, required=True, help="Language of its documents.")
@click.option("--street", type=TEXT, required=True, help="Billing address: street.")
@click.option("--building-number", type=TEXT, required=True, help="Billing address: number.")
@click.option("--postcode", type=TEXT, required=True, help="Billing address: postcode.")
@click.option("--town", type=TEXT, required=True, help="Billing address: town.")
@click.option("--address-country", type=TEXT, help="Billing address: country (default --country).")
@click.option("--tax-id", type=TEXT, help="Tax or VAT number.")
@click.option("--email", type=TEXT, help="Where invoices and letters are sent.")
@click.pass_obj
def add(
    settings: Settings,
    legal_name: str,
    short_name: str,
    country: str,
    kind: str,
    language: str,
    street: str,
    building_number: str,
    postcode: str,
    town: str,
    address_country: str | None,
    tax_id: str | None,
    email: str | None,
) -> None:
    """Add a partner; print its id."""
    new = Partner(
        legal_name=legal_name,
        short_name=short_name,
        country=country,
        stakeholder_type=StakeholderType(kind),
        language=Language(language),
        billing_address=Address(
            street=street,
            building_number=building_number,
            postcode=postcode,
            town=town,
            country=address_country or country,
        ),
        tax_id=tax_id,
        contact_email=email,
    )
    with write_books(settings) as tracker:
        stored = tracker.add_partner(new)
    click.echo(f"added {_shown(stored)}")


@partner.command("update")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@click.option("--on", "on", type=DATE, required=True, help="Date of the correction.")
@click.option("--legal-name", type=TEXT)
@click.option("--short-name", type=TEXT)
@click.option("--country", type=TEXT)
@click.option("--type", "kind", type=_TYPES)
@click.option("--language", type=_LANGUAGES)
@click.option("--street", type=TEXT)
@click.option("--building-number", type=TEXT)
@click.option("--postcode", type=TEXT)
@click.option("--town", type=TEXT)
@click.option("--address-country", type=TEXT)
@click.option("--tax-id", type=TEXT)
@click.option("--no-tax-id", is_flag=True, help="Remove the tax number.")
@click.option("--email", type=TEXT)
@click.option("--no-email", is_flag=True, help="Remove the e-mail address.")
@click.pass_obj
def update(
    settings: Settings,
    partner_name: str,
    on: dt.date,
    legal_name: str | None,
    short_name: str | None,
    country: str | None,
    kind: str | None,
    language: str | None,
    street: str | None,
    building_number: str | None,
    postcode: str | None,
    town: str | None,
    address_country: str | None,
    tax_id: str | None,
    no_tax_id: bool,
    email: str | None,
    no_email: bool,
) -> None:
    """Correct PARTNER: only the fields given change; the partner as it was is kept."""
    if (tax_id and no_tax_id) or (email and no_email):
        raise click.UsageError("give a value or remove it, not both")
    with write_books(settings) as tracker:
        current = partner_of(tracker, partner_name)
        a = current.billing_address
        address_parts = (street, building_number, postcode, town, address_country)
        address = (
            Address(
                street=street or a.street,
                building_number=building_number or a.building_number,
                postcode=postcode or a.postcode,
                town=town or a.town,
                country=address_country or a.country,
            )
            if any(x is not None for x in address_parts)
            else UNCHANGED
        )
        assert current.id is not None
        stored = tracker.update_partner(
            current.id,
            on=on,
            legal_name=legal_name if legal_name is not None else UNCHANGED,
            short_name=short_name if short_name is not None else UNCHANGED,
            country=country if country is not None else UNCHANGED,
            stakeholder_type=kind if kind is not None else UNCHANGED,
            language=language if language is not None else UNCHANGED,
            billing_address=address,
            tax_id=None if no_tax_id else (tax_id if tax_id is not None else UNCHANGED),
            contact_email=None if no_email else (email if email is not None else UNCHANGED),
        )
    changed = "unchanged" if stored == current else "corrected"
    click.echo(f"{changed} {_shown(stored)}")


def _table(partners: list[Partner], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for heading in ("Id", "Short name", "Legal name", "Country", "Type", "Language"):
        table.add_column(heading)
    for p in partners:
        table.add_row(
            str(p.id),
            p.short_name,
            p.legal_name,
            p.country,
            p.stakeholder_type.value,
            p.language.value,
        )
    return table


@partner.command("show")
@click.argument("partner_name", metavar="PARTNER", type=TEXT)
@json_option
@click.pass_obj
def show(settings: Settings, partner_name: str, as_json: bool) -> None:
    """Show PARTNER: names, country, group, language, billing address, tax id, e-mail."""
    with read_books(settings) as tracker:
        p = partner_of(tracker, partner_name)
    if as_json:
        jsonout.emit("partner", {"partner": jsonout.partner(p)})
        return
    a = p.billing_address
    table = Table(show_header=False, title=_shown(p), title_justify="left")
    table.add_row("Short name", p.short_name)
    table.add_row("Legal name", p.legal_name)
    table.add_row("Country", p.country)
    table.add_row("Stakeholder type", p.stakeholder_type.value)
    table.add_row("Language", p.language.value)
    table.add_row(
        "Billing address", f"{a.street} {a.building_number}, {a.postcode} {a.town}, {a.country}"
    )
    table.add_row("Tax id", p.tax_id or "none")
    table.add_row("E-mail", p.contact_email or "none")
    console().print(table)


@partner.command("list")
@json_option
@click.pass_obj
def list_partners(settings: Settings, as_json: bool) -> None:
    """List every partner, by id."""
    with read_books(settings) as tracker:
        found = tracker.partners()
    if as_json:
        jsonout.emit("partners", {"partners": [jsonout.partner(p) for p in found]})
        return
    console().print(_table(found, f"{len(found)} partner(s)"))


@partner.command("search")
@click.argument("text", type=TEXT)
@json_option
@click.pass_obj
def search(settings: Settings, text: str, as_json: bool) -> None:
    """List the partners whose legal or short name holds TEXT (ignoring case and accents)."""
    with read_books(settings) as tracker:
        found = tracker.partners(search=text)
    if as_json:
        jsonout.emit("partners", {"partners": [jsonout.partner(p) for p in found]})
        return
    console().print(_table(found, f"{len(found)} partner(s) matching {text!r}"))
