"""Hardened, streaming XML reading for bank statements from outside.

A statement file comes from a bank portal, an e-mail or a shared folder: it is untrusted. So:

- the bytes pass through :class:`GuardedReader`, which stops at ``max_bytes``, hashes what it
  reads (the SHA-256 identifies the file) and refuses a DOCTYPE or entity declaration in the
  prolog before libxml2 sees it, so that no DTD is ever parsed: no billion laughs, no external
  entity (``file:///etc/passwd``, ``http://...``), no external DTD;
- the parser is lxml's ``iterparse`` with entity resolution, DTD loading and network access
  off and libxml2's huge-tree limits on, as a second line;
- :func:`events` counts the nesting depth and refuses beyond ``max_depth``, and turns every
  parser error into :class:`MalformedStatement` naming the file.

Only UTF-8 (and other ASCII-compatible encodings) are read: ISO 20022 messages are UTF-8, and
the prolog check reads bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Final

from lxml import etree

from wsis_funding.imports.camt.errors import MalformedStatement, UnsafeStatement

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "GuardedReader", "events"]

DEFAULT_MAX_BYTES: Final = 512 * 1024 * 1024
DEFAULT_MAX_DEPTH: Final = 64
# A prolog longer than this (comments, processing instructions) is not a bank's.
_MAX_PROLOG: Final = 64 * 1024
_BOMS: Final = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")
_ENCODING: Final = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_WIDE: Final = frozenset({"utf-16", "utf16", "utf-16le", "utf-16be", "utf-32", "ucs-2", "ucs-4"})


class GuardedReader:
    """A binary file-like wrapper that limits, hashes and checks the prolog of what it reads.

    lxml pulls bytes through :meth:`read`; an error raised here reaches the caller of the
    parse unchanged.
    """

    def __init__(self, raw: BinaryIO, *, name: str, max_bytes: int) -> None:
        self._raw = raw
        self.name = name
        self.max_bytes = max_bytes
        self.size = 0
        self._sha = hashlib.sha256()
        self._prolog: bytes | None = b""

    def read(self, n: int = -1) -> bytes:
        """Return up to ``n`` bytes; raise :class:`UnsafeStatement` past the limits."""
        if n is None or n < 0:
            n = 1 << 16
        # One byte beyond the limit is enough to know the file is too large.
        chunk = self._raw.read(min(n, self.max_bytes + 1 - self.size))
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise UnsafeStatement(
                self.name, f"the file is larger than the limit of {self.max_bytes} bytes"
            )
        self._sha.update(chunk)
        if self._prolog is not None:
            self._check_prolog(chunk)
        return chunk

    def hexdigest(self) -> str:
        """Return the SHA-256 of every byte read so far (the whole file once it is parsed)."""
        return self._sha.hexdigest()

    def drain(self) -> None:
        """Read what is left after the root element closed, so the hash covers the whole file."""
        while self.read(1 << 16):
            pass

    def _check_prolog(self, chunk: bytes) -> None:
        prolog = (self._prolog or b"") + chunk
        if prolog.startswith(_BOMS) or prolog[:4].count(0):
            raise UnsafeStatement(self.name, "the file is not UTF-8 (ISO 20022 messages are)")
        declared = _ENCODING.search(prolog[:200])
        if declared and declared.group(1).decode("ascii").lower() in _WIDE:
            raise UnsafeStatement(self.name, "the file is not UTF-8 (ISO 20022 messages are)")
        state, offset = _scan_prolog(prolog)
        if state == "declaration":
            raise UnsafeStatement(
                self.name,
                "the file declares a DOCTYPE or entities (a <! declaration at byte "
                f"{offset}); bank statements never do",
            )
        if state == "root" and offset > _MAX_PROLOG:
            raise UnsafeStatement(self.name, "no root element in the first 64 KiB")
        if state == "root":
            self._prolog = None
        elif len(prolog) > _MAX_PROLOG:
            raise UnsafeStatement(self.name, "no root element in the first 64 KiB")
        else:
            self._prolog = prolog


def _scan_prolog(prolog: bytes) -> tuple[str, int]:
    """Classify the bytes before the root element: ``("root" | "declaration" | "more", at)``.

    Skips the XML declaration, processing instructions, comments and whitespace. ``root``:
    the root element starts at ``at``; ``declaration``: a ``<!`` that is not a comment (a
    DOCTYPE, an ENTITY) is at ``at``; ``more``: more bytes are needed to tell.
    """
    i = 0
    while True:
        i = prolog.find(b"<", i)
        if i < 0 or i + 4 > len(prolog):
            return "more", i
        if prolog.startswith(b"<?", i):
            end = prolog.find(b"?>", i + 2)
        elif prolog.startswith(b"<!--", i):
            end = prolog.find(b"-->", i + 4)
        elif prolog.startswith(b"<!", i):
            return "declaration", i
        else:
            return "root", i
        if end < 0:
            return "more", i
        i = end + 2


def events(
    reader: GuardedReader,
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    where: Callable[[], str | None] = lambda: None,
) -> Iterator[tuple[str, Any, int]]:
    """Yield lxml ``("start" | "end", element, depth)`` events from ``reader``, hardened.

    ``depth`` is the element's nesting depth: 1 for the root.

    ``where`` tells, when an error happens, which statement and entry the parse was in.
    Raises :class:`UnsafeStatement` beyond ``max_depth`` nested elements or a DOCTYPE, and
    :class:`MalformedStatement` for XML that is not well-formed (truncated included).
    """
    # iterparse reports into the thread's global error log, which keeps the errors of earlier
    # files: cleared here, the first error in it is this file's (tests/unit/test_file_fuzz.py).
    etree.clear_error_log()
    parser = etree.iterparse(
        reader,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    try:
        for event, element in parser:
            if event == "start":
                depth += 1
                if depth > max_depth:
                    raise UnsafeStatement(
                        reader.name,
                        f"elements are nested more than {max_depth} deep",
                        where(),
                    )
                if depth == 1 and element.getroottree().docinfo.doctype:
                    raise UnsafeStatement(reader.name, "the file declares a DOCTYPE")
                yield event, element, depth
            else:
                yield event, element, depth
                depth -= 1
    except etree.XMLSyntaxError as exc:
        raise MalformedStatement(
            reader.name, f"not well-formed XML ({_syntax_message(exc)})", where()
        ) from None
    reader.drain()


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    """Return the parser's own first error and its line: lxml's summary can hide it."""
    first = next(iter(getattr(exc, "error_log", None) or ()), None)
    if first is not None and first.message:
        return f"{first.message.strip()}, line {first.line}"
    message = str(exc.msg if getattr(exc, "msg", None) else exc).strip()
    line = getattr(exc, "lineno", None)
    return f"{message}, line {line}" if line else message
