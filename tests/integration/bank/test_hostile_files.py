"""Hostile and broken statement files, on both engines: one clear error, the books unchanged.

Each file starts with credits that the import would match and book (so the import has
written rows by the time the file turns out bad), and every table is compared before and
after: nothing of the file may remain.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.banking import invoice
from tests.factories import Books, snapshot
from tests.statements import (
    IBAN,
    OTHER_IBAN,
    account_statement,
    document,
    entry,
    statement,
    tx,
    valid,
)
from wsis_funding.errors import WsisFundingError
from wsis_funding.imports.camt import (
    MalformedStatement,
    StatementRefused,
    UnbalancedBatch,
    UnknownBankAccount,
    UnsafeStatement,
    UnsupportedStatement,
)

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _paying(reference: str | None, extra: int = 600) -> list[object]:
    """Credits that pay the test invoice, then many more (several chunks of lines)."""
    return [
        entry("500.00", details=tx(scor=reference)),
        *(entry("1.00", servicer_ref=f"X-{i}") for i in range(extra)),
    ]


def _good(reference: str | None) -> bytes:
    return valid(statement(IBAN, "CHF", _paying(reference)))  # type: ignore[arg-type]


def _doctype(xml: bytes, doctype: str, entity: str) -> bytes:
    body = xml[len(DECLARATION) :].replace(
        b"<MsgId>MSG-2024-06-03</MsgId>", f"<MsgId>{entity}</MsgId>".encode()
    )
    return DECLARATION + doctype.encode() + b"\n" + body


def _laughs(xml: bytes) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return _doctype(xml, f"<!DOCTYPE Document [{''.join(entities)}]>", "&lol9;")


def _deep(xml: bytes) -> bytes:
    at = xml.rindex(b"<Ntry>") + len(b"<Ntry>")
    return xml[:at] + b"<a>" * 500 + b"</a>" * 500 + xml[at:]


def _last_entry_bad(xml: bytes, old: bytes, new: bytes) -> bytes:
    at = xml.rindex(old)
    return xml[:at] + new + xml[at + len(old) :]


HOSTILE: list[tuple[str, Callable[[bytes], bytes], type[Exception], str]] = [
    ("external entity", lambda x: _doctype(
        x, '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
    ), UnsafeStatement, "DOCTYPE"),
    ("billion laughs", _laughs, UnsafeStatement, "DOCTYPE"),
    ("deep nesting", _deep, UnsafeStatement, "nested more than 64 deep"),
    ("truncated", lambda x: x[: len(x) - 40], MalformedStatement, "not well-formed"),
    ("last byte missing", lambda x: x.rstrip()[:-1], MalformedStatement, "hostile.xml"),
    ("another version", lambda x: x.replace(b"camt.053.001.04", b"camt.053.001.99"),
     UnsupportedStatement, "001.99"),
    ("more decimals than the currency", lambda x: _last_entry_bad(
        x, b'<Amt Ccy="CHF">1.00</Amt>', b'<Amt Ccy="CHF">1.001</Amt>'
    ), StatementRefused, "CHF has 2 decimal(s)"),
    ("an amount beyond 64 bits", lambda x: _last_entry_bad(
        x, b'<Amt Ccy="CHF">1.00</Amt>', b'<Amt Ccy="CHF">99999999999999999999.00</Amt>'
    ), StatementRefused, "more than the books hold"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "spoil", "error", "fragment"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
def test_a_hostile_file_is_one_clear_error_and_leaves_the_books_unchanged(
    books: Books,
    label: str,
    spoil: Callable[[bytes], bytes],
    error: type[Exception],
    fragment: str,
) -> None:
    t = books.tracker
    bill = invoice(books, "500")
    good = _good(bill.payment_reference)
    before = snapshot(t)
    with pytest.raises(error, match=fragment.replace("(", r"\(").replace(")", r"\)")) as caught:
        t.import_statement(spoil(good), name="hostile.xml")
    assert isinstance(caught.value, WsisFundingError)
    assert "hostile.xml" in str(caught.value)
    assert "root:" not in str(caught.value)
    assert snapshot(t) == before, label
    # The same books import the good file afterwards.
    assert t.import_statement(good).matched_by("reference").count == 1


def test_a_huge_file_is_refused_at_the_limit_after_importing_most_of_it(
    books: Books, tmp_path: Path
) -> None:
    t = books.tracker
    bill = invoice(books, "500")
    path = tmp_path / "huge.xml"
    big = statement(IBAN, "CHF", _paying(bill.payment_reference, extra=5000))  # type: ignore[arg-type]
    path.write_bytes(valid(big))
    limit = path.stat().st_size - 1000
    before = snapshot(t)
    with pytest.raises(UnsafeStatement, match=f"larger than the limit of {limit} bytes"):
        t.import_statement(path, max_bytes=limit)
    assert snapshot(t) == before


def test_an_unbalanced_batch_after_good_lines_leaves_the_books_unchanged(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "500")
    entries = [*_paying(bill.payment_reference), entry("150.00", batch=[tx("100.00"), tx("40.00")])]
    before = snapshot(t)
    with pytest.raises(UnbalancedBatch, match="entry 602"):
        t.import_statement(valid(statement(IBAN, "CHF", entries)))  # type: ignore[arg-type]
    assert snapshot(t) == before


def test_a_second_statement_of_another_account_refuses_the_whole_file(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "500")
    ours = _paying(bill.payment_reference)
    xml = valid(
        document(
            account_statement(IBAN, "CHF", ours, id="OURS"),  # type: ignore[arg-type]
            account_statement(OTHER_IBAN, "CHF", [entry("9.00")], id="THEIRS"),
        )
    )
    before = snapshot(t)
    with pytest.raises(UnknownBankAccount, match=OTHER_IBAN):
        t.import_statement(xml, name="two.xml")
    assert snapshot(t) == before


def test_a_bad_file_among_good_ones_imports_none_of_them(books: Books) -> None:
    t = books.tracker
    bill = invoice(books, "500")
    good = _good(bill.payment_reference)
    before = snapshot(t)
    with pytest.raises(MalformedStatement):
        t.import_statements([good, good[:-50]])
    assert snapshot(t) == before
