"""Correcting a partner: only what is given changes, the earlier version is kept as history,
and documents already issued keep the partner as it was when they were issued."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import attrs
import pytest
import sqlalchemy.exc
from sqlalchemy import delete, update

from tests.factories import DUE, ISSUED, Books, snapshot
from wsis_funding.errors import InvalidField
from wsis_funding.ledger.model import Address, Language, StakeholderType
from wsis_funding.storage.tables import partner_history

JUNE, JULY = dt.date(2024, 6, 1), dt.date(2024, 7, 1)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_an_update_changes_only_the_given_fields_and_keeps_the_previous_version(
    books: Books,
) -> None:
    t = books.tracker
    original = books.partner
    moved = attrs.evolve(original.billing_address, town="Lausanne", postcode="1003")
    updated = t.update_partner(
        books.pid, on=JUNE, legal_name="ACME Holding SA", billing_address=moved
    )
    assert updated == attrs.evolve(original, legal_name="ACME Holding SA", billing_address=moved)
    assert t.partner(books.pid) == updated
    [version] = t.partner_history(books.pid)
    assert version.partner == original
    assert version.version == 1
    assert version.replaced_on == JUNE
    assert version.changed == ("legal_name", "billing_address.postcode", "billing_address.town")


def test_each_correction_adds_a_version_with_its_date_and_what_it_changed(books: Books) -> None:
    t = books.tracker
    first = t.update_partner(books.pid, on=JUNE, language="en")
    second = t.update_partner(
        books.pid, on=JULY, stakeholder_type=StakeholderType.ACADEMIA, tax_id=None
    )
    assert second.language is Language.EN
    assert second.stakeholder_type is StakeholderType.ACADEMIA
    assert second.tax_id is None
    history = t.partner_history(books.partner)
    assert [(v.version, v.replaced_on, v.changed) for v in history] == [
        (1, JUNE, ("language",)),
        (2, JULY, ("stakeholder_type", "tax_id")),
    ]
    assert history[0].partner == books.partner
    assert history[1].partner == first


def test_values_as_they_are_change_nothing_and_keep_no_history(books: Books) -> None:
    before = snapshot(books.tracker)
    same = books.tracker.update_partner(
        books.pid, on=JUNE, language="fr", country="CH", legal_name=" ACME Corporation "
    )
    assert same == books.partner
    assert books.tracker.partner_history(books.pid) == []
    assert snapshot(books.tracker) == before


def test_an_update_is_cleaned_like_a_new_partner(books: Books) -> None:
    updated = books.tracker.update_partner(
        books.pid, on=JUNE, legal_name="  Cafe\u0301 Gene\u0300ve  ", contact_email=""
    )
    assert updated.legal_name == "Café Genève"
    assert updated.contact_email is None


def test_a_short_name_may_change_its_own_case_and_is_found_by_the_new_one(books: Books) -> None:
    t = books.tracker
    assert t.update_partner(books.pid, on=JUNE, short_name="Acme").short_name == "Acme"
    assert t.partner_by_short_name("ACME").id == books.pid
    renamed = t.update_partner(books.pid, on=JULY, short_name="ACME-SA")
    assert t.partner_by_short_name("acme-sa") == renamed
    new = t.add_partner(attrs.evolve(books.partner, id=None, short_name="ACME"))
    assert new.id != books.pid


def test_a_correction_dated_before_the_latest_one_is_refused(books: Books) -> None:
    t = books.tracker
    t.update_partner(books.pid, on=JULY, language="en")
    before = snapshot(t)
    with pytest.raises(InvalidField) as info:
        t.update_partner(books.pid, on=JUNE, language="es")
    assert str(info.value) == (
        f"invalid on datetime.date(2024, 6, 1): is before partner {books.pid}'s latest "
        "correction, on 2024-07-01; expected a date on or after it"
    )
    assert snapshot(t) == before
    assert t.update_partner(books.pid, on=JULY, language="es").language is Language.ES


def test_an_issued_invoice_keeps_the_partner_it_was_issued_to(books: Books, tmp_path: Path) -> None:
    t = books.tracker
    old = t.issue_invoice(books.confirmed_pledge("60000"), ISSUED, due_on=DUE)
    t.update_partner(
        books.pid,
        on=JUNE,
        legal_name="Nouveau Nom SA",
        billing_address=Address(
            street="Rue du Lac", building_number="9", postcode="1800", town="Vevey", country="CH"
        ),
    )
    again = pdf_text(t.render_pdf(old.number), tmp_path)
    assert "ACME Corporation" in again
    assert "Place des Nations" in again
    assert "Nouveau Nom SA" not in again
    assert "Vevey" not in again
    assert t.document(old.number) == old
    new = t.issue_invoice(books.confirmed_pledge("1000"), ISSUED, due_on=DUE)
    now = pdf_text(t.render_pdf(new.number), tmp_path)
    assert "Nouveau Nom SA" in now
    assert "Rue du Lac 9" in now


def test_the_history_cannot_be_changed_or_deleted_even_with_sql(books: Books) -> None:
    t = books.tracker
    t.update_partner(books.pid, on=JUNE, language="en")
    before = snapshot(t)
    for statement in (
        update(partner_history).values(legal_name="forged"),
        delete(partner_history),
    ):
        with (
            pytest.raises(sqlalchemy.exc.DBAPIError, match="history is never changed"),
            t.engine.begin() as conn,
        ):
            conn.execute(statement)
    assert snapshot(t) == before
