"""Loading the issuer settings (organisation, address, bank account, signatory) from TOML.

See ``wsis_funding/examples/issuer.toml`` for the layout. Every problem in the file is
reported at once, each naming its key, and nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import stat
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wsis_funding.documents.errors import InvalidIssuerConfig
from wsis_funding.documents.model import LOGO_TYPES, BankAccount, Issuer, Logo, PostalAddress
from wsis_funding.errors import WsisFundingError
from wsis_funding.i18n import LANGUAGES
from wsis_funding.tomlfile import TomlFileProblem, read_toml_file

__all__ = ["load_issuer"]

_TOP = {
    "organisation",
    "unit",
    "email",
    "logo",
    "address",
    "bank_account",
    "signatory",
    "vat_notes",
}
_ADDRESS = ("street", "building_number", "postcode", "town", "country")
_BANK = ("iban", "bic", "holder")
_SIGNATORY = ("name", "title")
_MAX_FILE = 256 * 1024
_MAX_LOGO = 5 * 1024 * 1024
_MAX_TEXT = 500


def _text_problem(value: str) -> str | None:
    """Return what makes a printed text unusable (a control character, too long), or None."""
    if len(value) > _MAX_TEXT:
        return f"longer than {_MAX_TEXT} characters"
    for i, ch in enumerate(value):
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            return f"holds the control or unassigned character U+{ord(ch):04X} at position {i + 1}"
    return None


def _table(
    data: Mapping[str, Any], key: str, fields: tuple[str, ...], problems: list[tuple[str, str]]
) -> dict[str, str] | None:
    table = data.get(key)
    if not isinstance(table, dict):
        problems.append((key, "missing table" if table is None else "must be a table"))
        return None
    result: dict[str, str] = {}
    before = len(problems)
    for name in sorted(set(table) - set(fields)):
        problems.append((f"{key}.{name}", "unknown key"))
    for name in fields:
        value = table.get(name)
        if not isinstance(value, str):
            problems.append((f"{key}.{name}", "missing" if value is None else "must be a string"))
        elif (problem := _text_problem(value)) is not None:
            problems.append((f"{key}.{name}", problem))
        else:
            result[name] = value
    return result if len(problems) == before else None


def _string(
    data: Mapping[str, Any], key: str, problems: list[tuple[str, str]], *, required: bool
) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            problems.append((key, "missing"))
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append((key, "must be a non-empty string"))
        return None
    if (problem := _text_problem(value)) is not None:
        problems.append((key, problem))
        return None
    return value


def _read_logo(path: Path) -> tuple[Logo | None, str]:
    """Read a logo image; return it, or None and what is wrong with the file."""
    suffix = path.suffix.lower().lstrip(".")
    by_suffix = {v: k for k, v in LOGO_TYPES.items()} | {"jpeg": "image/jpeg"}
    media = by_suffix.get(suffix)
    if media is None:
        return None, f"{path} is not a .png, .jpg or .svg image"
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would block or never end
            return None, f"{path} is not a regular file"
        with path.open("rb") as f:
            data = f.read(_MAX_LOGO + 1)
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror}"
    if not data:
        return None, f"{path} is empty"
    if len(data) > _MAX_LOGO:
        return None, f"{path} is larger than {_MAX_LOGO} bytes; a logo is a small image"
    return Logo(media, data), ""


def load_issuer(path: Path | str) -> Issuer:
    """Read issuer settings from the TOML file at ``path`` and return an :class:`Issuer`.

    A relative ``logo`` path is taken relative to the file; the image's bytes are read now and
    travel with the issuer (a document never depends on a path of the machine it was made on).
    Raises :class:`InvalidIssuerConfig`
    naming the file and every faulty key (unreadable file, bad TOML, missing or unknown keys,
    wrong types, invalid IBAN or BIC, missing logo file).
    """
    path = Path(path)
    try:
        data = read_toml_file(path, max_bytes=_MAX_FILE, what="an issuer settings file")
    except TomlFileProblem as exc:
        raise InvalidIssuerConfig(path, [("(file)", exc.problem)]) from None
    problems: list[tuple[str, str]] = [(k, "unknown key") for k in sorted(set(data) - _TOP)]
    organisation = _string(data, "organisation", problems, required=True)
    unit = _string(data, "unit", problems, required=True)
    email = _string(data, "email", problems, required=False)
    logo_text = _string(data, "logo", problems, required=False)
    address = _table(data, "address", _ADDRESS, problems)
    signatory = _table(data, "signatory", _SIGNATORY, problems)
    bank = _table(data, "bank_account", _BANK, problems) if "bank_account" in data else None
    notes = data.get("vat_notes", {})
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        problems.append(("vat_notes", "must be a table of language = text"))
        notes = {}
    for language, note in sorted(notes.items()):
        if language not in LANGUAGES:
            problems.append((f"vat_notes.{language}", f"not a language: {', '.join(LANGUAGES)}"))
        elif (problem := _text_problem(note)) is not None:
            problems.append((f"vat_notes.{language}", problem))
    logo: Logo | None = None
    if logo_text is not None:
        try:
            logo_path = (path.parent / logo_text).resolve()
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL, a symlink loop
            problems.append(("logo", f"not a usable path: {exc}"))
        else:
            logo, problem = _read_logo(logo_path)
            if problem:
                problems.append(("logo", problem))
    built: dict[str, Any] = {}
    for key, build, fields in (
        ("address", PostalAddress, address),
        ("bank_account", BankAccount, bank),
    ):
        if fields is None:
            continue
        try:
            built[key] = build(**fields)
        except (WsisFundingError, ValueError, TypeError) as exc:
            problems.append((key, str(exc)))
    if problems or organisation is None or unit is None or signatory is None:
        raise InvalidIssuerConfig(path, problems or [("(file)", "incomplete")])
    try:
        return Issuer(
            organisation=organisation,
            unit=unit,
            address=built["address"],
            bank_account=built.get("bank_account"),
            signatory_name=signatory["name"],
            signatory_title=signatory["title"],
            email=email,
            logo=logo,
            vat_notes=notes,
        )
    except (WsisFundingError, ValueError, TypeError) as exc:
        raise InvalidIssuerConfig(path, [("(issuer)", str(exc))]) from exc
