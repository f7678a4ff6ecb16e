"""Which camt message and version a file is, and where each version keeps its fields.

The three versions differ where the parser looks (checked against the schemas):

- ``.001.02`` has no ``TxDtls/Amt``: a transaction's amount is ``AmtDtls/TxAmt/Amt``. Its
  charges are repeated ``Chrgs`` elements (``ChargesInformation6``) without an included
  indicator; ISO defines them as "the charges included in the entry amount", so they are
  deducted charges. Its net total of entries is ``TxsSummry/TtlNtries/TtlNetNtryAmt``.
- ``.001.04`` has ``TxDtls/Amt`` and ``TxDtls/CdtDbtInd`` (both mandatory) and one ``Chrgs``
  with ``Rcrd`` records, each with its own ``ChrgInclInd``; the net total is
  ``TtlNtries/TtlNetNtry`` with its own ``Amt`` and ``CdtDbtInd``.
- ``.001.08`` makes ``TxDtls/Amt`` optional, moves the entry status into ``Sts/Cd`` and wraps
  each related party in a choice: ``Dbtr/Pty/Nm`` instead of ``Dbtr/Nm``.
"""

from __future__ import annotations

import functools
import re
from typing import Final

import attrs

__all__ = ["MESSAGES", "SUPPORTED_VERSIONS", "Dialect", "dialect_of"]

_NAMESPACE: Final = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[0-9])\.001\.([0-9]{2})")
#: The root's child for each message, and the element of one statement inside it.
MESSAGES: Final = {
    "camt.053": ("BkToCstmrStmt", "Stmt"),
    "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}
SUPPORTED_VERSIONS: Final = ("02", "04", "08")


@attrs.frozen
class Dialect:
    """One supported message and version: its namespace and its version-specific paths."""

    message: str
    version: str
    namespace: str

    @property
    def label(self) -> str:
        """``"camt.053.001.04"``."""
        return f"{self.message}.001.{self.version}"

    @property
    def document_tag(self) -> str:
        """The message element (``BkToCstmrStmt``) as a qualified tag."""
        return self.tag(MESSAGES[self.message][0])

    @property
    def statement_tag(self) -> str:
        """The statement element (``Stmt`` or ``Ntfctn``) as a qualified tag."""
        return self.tag(MESSAGES[self.message][1])

    def tag(self, name: str) -> str:
        """Return a local name qualified with the namespace: ``{urn:...}Ntry``."""
        return f"{{{self.namespace}}}{name}"

    def path(self, path: str) -> str:
        """Return a ``/``-separated path of local names, qualified for ``find``."""
        return _qualify(self.namespace, path)

    @property
    def status_path(self) -> str:
        """Where the entry status is: ``Sts`` or, in .08, ``Sts/Cd``."""
        return self.path("Sts/Cd" if self.version == "08" else "Sts")

    def party_name_path(self, role: str) -> str:
        """Return where a party's name is under ``RltdPties``: ``Dbtr/Nm`` or ``Dbtr/Pty/Nm``."""
        return self.path(f"{role}/Pty/Nm" if self.version == "08" else f"{role}/Nm")

    @property
    def charges_are_records(self) -> bool:
        """Whether charges are ``Chrgs/Rcrd`` with an included indicator (not in .02)."""
        return self.version != "02"


@functools.lru_cache(maxsize=512)
def _qualify(namespace: str, path: str) -> str:
    return "/".join(f"{{{namespace}}}{part}" for part in path.split("/"))


def dialect_of(tag: str) -> tuple[Dialect | None, str]:
    """Return the dialect of a root element's qualified tag, or None and the reason why not.

    The namespace names the message and version
    (``urn:iso:std:iso:20022:tech:xsd:camt.053.001.04``); the root must be ``Document``.
    """
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local != "Document":
        return None, f"the root element is {local!r}, not an ISO 20022 Document"
    match = _NAMESPACE.fullmatch(namespace)
    if match is None:
        return None, f"namespace {namespace!r} is not an ISO 20022 camt message"
    message, version = match.group(1), match.group(2)
    if message not in MESSAGES:
        return None, f"{message} is not a bank statement (camt.053) or notification (camt.054)"
    if version not in SUPPORTED_VERSIONS:
        return None, (
            f"{message}.001.{version} is not a supported version "
            f"(supported: {', '.join('.001.' + v for v in SUPPORTED_VERSIONS)})"
        )
    return Dialect(message, version, namespace), ""
