"""Hostile and broken files: each is refused with one clear error naming the file.

External entities and DTDs must never be fetched: a FIFO stands in for a local file (opening
it would block the parse) and a listening socket for a web server (a connection would wait
in its backlog), so a test fails if the parser so much as tries.
"""

from __future__ import annotations

import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.statements import IBAN, OTHER_IBAN, entry, statement, tx, valid
from wsis_funding.errors import WsisFundingError
from wsis_funding.imports.camt import (
    MalformedStatement,
    UnknownBankAccount,
    UnsafeStatement,
    UnsupportedStatement,
    read_statement,
)
from wsis_funding.imports.camt.xmlsafe import GuardedReader, events

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _good() -> bytes:
    return valid(
        statement(IBAN, "CHF", [entry("10.00", details=tx(end_to_end="E-1")), entry("20.00")])
    )


def _with_doctype(doctype: str, *, body_entity: str | None = None) -> bytes:
    xml = _good()
    assert xml.startswith(DECLARATION)
    xml = DECLARATION + doctype.encode() + b"\n" + xml[len(DECLARATION) :]
    if body_entity is not None:
        xml = xml.replace(
            b"<MsgId>MSG-2024-06-03</MsgId>", f"<MsgId>{body_entity}</MsgId>".encode()
        )
    return xml


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A listening TCP socket on localhost that nobody should ever connect to."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    try:
        yield server
    finally:
        server.close()


def _assert_never_contacted(server: socket.socket) -> None:
    time.sleep(0.05)
    with pytest.raises(BlockingIOError):
        server.accept()


@pytest.mark.parametrize(
    ("doctype", "body"),
    [
        ('<!DOCTYPE Document [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/x">]>', "&xxe;"),
        ('<!DOCTYPE Document SYSTEM "http://127.0.0.1:{port}/evil.dtd">', None),
        (
            '<!DOCTYPE Document [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>',
            None,
        ),
    ],
)
def test_external_entities_over_the_network_are_refused_and_never_fetched(
    listener: socket.socket, doctype: str, body: str | None
) -> None:
    port = listener.getsockname()[1]
    xml = _with_doctype(doctype.format(port=port), body_entity=body)
    with pytest.raises(UnsafeStatement, match="DOCTYPE") as caught:
        read_statement(xml, name="xxe.xml")
    assert caught.value.file == "xxe.xml"
    _assert_never_contacted(listener)


def test_an_external_entity_naming_a_local_file_is_refused_and_the_file_never_opened(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "secret"
    os.mkfifo(fifo)
    xml = _with_doctype(
        f'<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file://{fifo}">]>', body_entity="&xxe;"
    )
    outcome: list[BaseException] = []

    def parse() -> None:
        try:
            read_statement(xml, name="xxe.xml")
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    worker = threading.Thread(target=parse, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():
        # The parser opened the FIFO and waits for a writer: release it, then fail.
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the parser tried to open the file named by an external entity")
    (error,) = outcome
    assert isinstance(error, UnsafeStatement)
    assert "/etc/passwd" not in str(error)


def test_etc_passwd_never_appears_in_what_the_parser_returns_or_raises() -> None:
    xml = _with_doctype(
        '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', body_entity="&xxe;"
    )
    with pytest.raises(UnsafeStatement) as caught:
        read_statement(xml)
    assert "root:" not in str(caught.value)


def test_billion_laughs_is_refused_at_once() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    xml = _with_doctype(f"<!DOCTYPE Document [{''.join(entities)}]>", body_entity="&lol9;")
    start = time.perf_counter()
    with pytest.raises(UnsafeStatement, match="DOCTYPE"):
        read_statement(xml, name="lol.xml")
    assert time.perf_counter() - start < 1


def test_a_doctype_after_comments_and_processing_instructions_is_still_refused() -> None:
    xml = _good()
    xml = DECLARATION + b"<!-- a comment --><?pi x?>\n<!DOCTYPE Document>" + xml[len(DECLARATION) :]
    with pytest.raises(UnsafeStatement, match="DOCTYPE"):
        read_statement(xml)


def test_a_prolog_that_never_ends_is_refused() -> None:
    xml = _good()
    padding = b"<!-- padding -->" * 8000
    xml = DECLARATION + padding + xml[len(DECLARATION) :]
    with pytest.raises(UnsafeStatement, match="no root element in the first 64 KiB"):
        read_statement(xml)


def test_an_undefined_entity_without_a_doctype_is_malformed() -> None:
    xml = _good().replace(b"<MsgId>MSG-2024-06-03</MsgId>", b"<MsgId>&xxe;</MsgId>")
    with pytest.raises(MalformedStatement, match="xxe"):
        read_statement(xml, name="e.xml")


@pytest.mark.parametrize("levels", [70, 100_000])
def test_deep_nesting_is_refused_naming_the_entry(levels: int) -> None:
    xml = _good()
    at = xml.index(b"<Ntry>") + len(b"<Ntry>")
    xml = xml[:at] + b"<a>" * levels + b"</a>" * levels + xml[at:]
    with pytest.raises(UnsafeStatement, match="nested more than 64 deep") as caught:
        read_statement(xml, name="deep.xml")
    assert caught.value.entry == "statement 1 (id STMT-1), entry 1"


def _big(entries: int) -> bytes:
    return valid(
        statement(
            IBAN, "CHF", [entry("1.00", details=tx(ustrd=["x" * 100])) for _ in range(entries)]
        )
    )


def test_a_file_beyond_the_size_limit_is_refused_from_bytes_a_path_or_a_stream(
    tmp_path: Path,
) -> None:
    xml = _big(3000)
    limit = len(xml) // 2
    path = tmp_path / "huge.xml"
    path.write_bytes(xml)
    for source in (xml, path, io.BytesIO(xml)):
        with pytest.raises(UnsafeStatement, match=f"larger than the limit of {limit} bytes"):
            read_statement(source, max_bytes=limit, name="huge.xml")
    assert read_statement(xml, max_bytes=len(xml)).summary.credit_lines == 3000


def test_a_stream_that_never_ends_is_cut_at_the_limit() -> None:
    head = _good().split(b"<Ntry>")[0]
    junk = b"<AddtlStmtInf>more</AddtlStmtInf>"

    class Endless(io.RawIOBase):
        """The statement's head, then the same element forever."""

        def __init__(self) -> None:
            self.head = io.BytesIO(head)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            data = self.head.read(len(buffer)) or junk * (len(buffer) // len(junk))
            buffer[: len(data)] = data
            return len(data)

    with pytest.raises(UnsafeStatement, match="larger than the limit of 5000000 bytes"):
        read_statement(io.BufferedReader(Endless()), max_bytes=5_000_000)


def test_one_element_holding_too_many_elements_is_refused() -> None:
    xml = _good()
    at = xml.index(b"<Ntry>") + len(b"<Ntry>")
    xml = xml[:at] + b"<a/>" * 300_000 + xml[at:]
    with pytest.raises(UnsafeStatement, match="more than 250000 elements") as caught:
        read_statement(xml)
    assert caught.value.entry == "statement 1 (id STMT-1), entry 1"


def test_a_statement_for_an_unknown_account_names_the_file_and_the_iban() -> None:
    with pytest.raises(UnknownBankAccount) as caught:
        read_statement(_good(), name="other.xml", accounts={OTHER_IBAN})
    assert (caught.value.file, caught.value.account) == ("other.xml", IBAN)
    assert "other.xml" in str(caught.value)
    assert IBAN in str(caught.value)
    assert isinstance(caught.value, WsisFundingError)
    assert isinstance(caught.value, LookupError)


def test_known_accounts_are_compared_without_spaces_or_case() -> None:
    printed = "ch93 0076 2011 6238 5295 7"
    assert read_statement(_good(), accounts={printed}).summary.credit_lines == 2


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.8])
def test_a_truncated_file_is_malformed_naming_file_and_place(cut: float) -> None:
    xml = _good()
    with pytest.raises(MalformedStatement) as caught:
        read_statement(xml[: int(len(xml) * cut)], name="cut.xml")
    assert caught.value.file == "cut.xml"
    assert "not well-formed" in str(caught.value)


def test_a_truncation_inside_an_entry_names_the_entry() -> None:
    xml = _good()
    at = xml.index(b"<Ntry>", xml.index(b"<Ntry>") + 1) + 20
    with pytest.raises(MalformedStatement) as caught:
        read_statement(xml[:at], name="cut.xml")
    assert caught.value.entry == "statement 1 (id STMT-1), entry 2"


def test_a_file_missing_only_its_last_byte_is_refused() -> None:
    with pytest.raises(MalformedStatement):
        read_statement(_good().rstrip()[:-1])


@pytest.mark.parametrize("data", [b"", b"   ", b"<", b"not xml at all"])
def test_empty_or_non_xml_files_are_malformed(data: bytes) -> None:
    with pytest.raises(MalformedStatement):
        read_statement(data, name="empty.xml")


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (b"camt.053.001.04", b"camt.053.001.10", "camt.053.001.10 is not a supported version"),
        (b"camt.053.001.04", b"camt.052.001.04", "camt.052 is not a bank statement"),
        (
            b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04",
            b"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
            "not an ISO 20022 camt message",
        ),
        (b"BkToCstmrStmt>", b"BkToCstmrDbtCdtNtfctn>", "holds 'BkToCstmrDbtCdtNtfctn'"),
    ],
)
def test_other_messages_and_versions_are_unsupported(old: bytes, new: bytes, reason: str) -> None:
    xml = _good().replace(old, new)
    with pytest.raises(UnsupportedStatement, match=reason) as caught:
        read_statement(xml, name="other.xml")
    assert caught.value.file == "other.xml"


def test_a_root_that_is_not_a_document_is_unsupported() -> None:
    with pytest.raises(UnsupportedStatement, match="not an ISO 20022 Document"):
        read_statement(b"<html><body/></html>")


def test_a_utf16_file_is_refused() -> None:
    xml = _good().replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    with pytest.raises(UnsafeStatement, match="not UTF-8"):
        read_statement(xml)


def test_every_refusal_is_a_wsis_funding_error_and_a_value_error() -> None:
    for exc in (MalformedStatement, UnsafeStatement, UnsupportedStatement):
        assert issubclass(exc, WsisFundingError)
        assert issubclass(exc, ValueError)


class _NoPrologCheck(GuardedReader):
    """A reader without the first line of defence, to test the second (lxml's settings)."""

    def _check_prolog(self, chunk: bytes) -> None:
        return None


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/x">]>',
        '<!DOCTYPE Document SYSTEM "http://127.0.0.1:{port}/evil.dtd">',
        '<!DOCTYPE Document [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.dtd"> %p;]>',
    ],
)
def test_the_parser_settings_alone_refuse_a_doctype_and_fetch_nothing(
    listener: socket.socket, doctype: str
) -> None:
    port = listener.getsockname()[1]
    xml = _with_doctype(
        doctype.format(port=port), body_entity="&xxe;" if "xxe" in doctype else None
    )
    reader = _NoPrologCheck(io.BytesIO(xml), name="second.xml", max_bytes=10**6)
    with pytest.raises(UnsafeStatement, match="declares a DOCTYPE") as caught:
        for _ in events(reader):
            pass
    assert caught.value.file == "second.xml"
    _assert_never_contacted(listener)
