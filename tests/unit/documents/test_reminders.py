"""Reminder snapshots hold together, survive their stored text, and are numbered apart."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest

from wsis_funding.documents.codec import FORMAT, decode_snapshot, encode_snapshot
from wsis_funding.documents.errors import InvalidSnapshot
from wsis_funding.documents.model import OverdueItem, ReminderSnapshot
from wsis_funding.documents.numbering import series_of
from wsis_funding.examples import example_reminder
from wsis_funding.i18n import UnsupportedLanguage
from wsis_funding.money import money
from wsis_funding.money.errors import CurrencyMismatch


def item(**changes: Any) -> OverdueItem:
    return attrs.evolve(example_reminder().items[0], **changes)


def reminder(**changes: Any) -> ReminderSnapshot:
    return attrs.evolve(example_reminder(), **changes)


def test_a_reminder_decodes_to_an_equal_reminder_and_says_it_is_format_4() -> None:
    snapshot = example_reminder(language="ar")
    text = encode_snapshot(snapshot).text
    body = json.loads(text)
    assert (body["format"], body["type"]) == (FORMAT, "reminder")
    assert FORMAT >= 4
    assert decode_snapshot(text) == snapshot
    assert encode_snapshot(decode_snapshot(text)).text == text


def test_a_reminder_in_text_of_a_format_before_reminders_existed_is_refused() -> None:
    body = json.loads(encode_snapshot(example_reminder()).text)
    body["format"] = 3
    with pytest.raises(ValueError, match="no reminder was ever written in snapshot format 3"):
        decode_snapshot(json.dumps(body))


def test_the_total_is_what_the_items_add_up_to() -> None:
    assert example_reminder().total == money("20000.00", "CHF") + money("25001.00", "CHF")
    with pytest.raises(InvalidSnapshot, match=r"items sum to 45001\.00 CHF, total is 45001\.01"):
        reminder(total=money("45001.01", "CHF"))


def test_each_invoice_is_listed_once_with_its_own_reference() -> None:
    doubled = reminder(
        items=(*example_reminder().items, item(instalment=2)), total=money("65001.00", "CHF")
    )
    assert doubled.invoices == (
        ("WSIS-2024-0001", "RF73WSIS20240001"),
        ("WSIS-2024-0002", "RF46WSIS20240002"),
    )
    assert doubled.payment_reference is None
    assert doubled.kind == "reminder"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"items": ()}, "at least one overdue amount"),
        ({"issued_on": dt.date(2024, 3, 31)}, "due on 2024-03-31: not overdue on 2024-03-31"),
        ({"number": " "}, "number"),
    ],
)
def test_a_reminder_that_does_not_hold_together_is_refused(
    changes: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(InvalidSnapshot, match=fragment):
        reminder(**changes)


def test_an_instalment_listed_twice_is_refused() -> None:
    twice = (example_reminder().items[0], example_reminder().items[0])
    with pytest.raises(InvalidSnapshot, match="instalment 1 of WSIS-2024-0001 is listed twice"):
        reminder(items=twice, total=money("40000.00", "CHF"))


def test_an_item_in_another_currency_is_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        reminder(items=(item(open=money("45001.00", "EUR")),))


def test_a_language_outside_the_six_is_refused() -> None:
    with pytest.raises(UnsupportedLanguage):
        reminder(language="de")


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"open": money("0.00", "CHF")}, "must be above zero"),
        ({"due_on": dt.date(2024, 1, 31)}, "before invoice WSIS-2024-0001's date"),
        ({"instalment": 3}, "3 is not in 1..2"),
        ({"instalment": 0}, "0 is not in 1..2"),
        ({"payment_reference": "RF00WSIS20240001"}, "not an ISO 11649 reference"),
    ],
)
def test_an_overdue_item_that_does_not_hold_together_is_refused(
    changes: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(InvalidSnapshot, match=fragment):
        item(**changes)


def test_reminders_have_their_own_series() -> None:
    assert series_of("WSIS", "reminder") == "WSIS-REM"
    assert (
        len({series_of("WSIS", k) for k in ("invoice", "credit_note", "letter", "reminder")}) == 4
    )
