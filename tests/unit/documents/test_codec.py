"""Snapshots survive the trip through their stored canonical JSON unchanged."""

from __future__ import annotations

import json

import pytest

from wsis_funding.documents.codec import decode_snapshot, encode_snapshot
from wsis_funding.documents.model import InvoiceSnapshot, LetterSnapshot, ReminderSnapshot
from wsis_funding.examples import (
    PAYMENT_LETTER_CASES,
    example_credit_note,
    example_invoice,
    example_letter,
    example_partly_paid_invoice,
    example_payment_letter,
    example_reminder,
)


@pytest.mark.parametrize(
    "snapshot",
    [
        example_invoice(),
        example_credit_note(),
        example_letter(language="ar"),
        example_partly_paid_invoice(currency="USD", payments=2),
        example_credit_note(kind="correction"),
        example_credit_note(kind="reduction"),
        *(example_payment_letter(case, language="zh") for case in PAYMENT_LETTER_CASES),
        example_reminder(language="ru"),
    ],
)
def test_a_snapshot_decodes_to_an_equal_snapshot(
    snapshot: InvoiceSnapshot | LetterSnapshot | ReminderSnapshot,
) -> None:
    text = encode_snapshot(snapshot).text
    assert decode_snapshot(text) == snapshot
    assert encode_snapshot(decode_snapshot(text)).text == text


def test_the_stored_text_holds_no_float_and_is_canonical() -> None:
    text = encode_snapshot(example_invoice()).text
    body = json.loads(text, parse_float=lambda s: pytest.fail(f"float {s} in snapshot"))
    assert body["snapshot"]["total"] == {"amount": "55001.00", "currency": "CHF"}
    assert text == json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def test_text_that_is_not_a_snapshot_is_refused() -> None:
    with pytest.raises(ValueError, match="not an encoded"):
        decode_snapshot('{"type": "poem"}')
