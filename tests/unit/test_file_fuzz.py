"""Hostile files for every loader: each variant loads or is refused with the loader's own error.

For each format the library reads from people or banks (issuer settings, the command line's
settings file, camt statements, CSV and XLSX imports; tier schedules have their own, larger
test in test_schedule_fuzz.py) a seeded mutator (tests/mutations.py) makes more than a
hundred variants of a good file. Each must either load, or be refused with that loader's
error naming the file; no raw exception (UnicodeDecodeError, RecursionError, KeyError,
zipfile.BadZipFile, ...) may escape, and nothing may hang.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.mutations import Mutant, mutants
from tests.statements import entry, statement, tx
from tests.unit.imports import GOLD, GOLD_INSTALMENTS, ITU, USD_CHF, table, write_csv, write_xlsx
from wsis_funding.cli.settings import InvalidSettings, load_settings
from wsis_funding.documents.errors import InvalidIssuerConfig
from wsis_funding.documents.issuer import load_issuer
from wsis_funding.examples import EXAMPLE_ISSUER
from wsis_funding.imports.camt import StatementRefused, UnknownBankAccount, read_statement
from wsis_funding.imports.sheets import Imported, read_partners, read_pledges, read_rates

T = TypeVar("T")
GOLDEN_LOGO = Path(__file__).parent.parent / "golden" / "logo.png"
IBAN = "CH9300762011623852957"


def _ids(found: list[Mutant]) -> list[str]:
    return [m.name for m in found]


def _outcome(
    load: Callable[[], T], refusal: type[Exception] | tuple[type[Exception], ...]
) -> tuple[T | None, Exception | None]:
    """Return what ``load`` returned, or the ``refusal`` it raised; anything else escapes."""
    try:
        return load(), None
    except refusal as e:
        return None, e


# Issuer settings ------------------------------------------------------------------------------

ISSUER = Path(EXAMPLE_ISSUER).read_bytes().replace(b'# logo = "itu-logo.png"', b'logo = "logo.png"')
ISSUER_MUTANTS = list(mutants(ISSUER, seed=11, nest=(b"[", b"]")))


@pytest.mark.parametrize("mutant", ISSUER_MUTANTS, ids=_ids(ISSUER_MUTANTS))
def test_a_hostile_issuer_file_loads_or_is_refused_naming_it(
    tmp_path: Path, mutant: Mutant
) -> None:
    shutil.copyfile(GOLDEN_LOGO, tmp_path / "logo.png")
    path = tmp_path / "issuer.toml"
    path.write_bytes(mutant.data)
    issuer, error = _outcome(lambda: load_issuer(path), InvalidIssuerConfig)
    if isinstance(error, InvalidIssuerConfig):
        assert str(path) in str(error)
        assert error.problems
    else:
        assert issuer is not None
        assert issuer.organisation.strip()


def test_the_unmutated_issuer_file_loads_with_its_logo(tmp_path: Path) -> None:
    shutil.copyfile(GOLDEN_LOGO, tmp_path / "logo.png")
    path = tmp_path / "issuer.toml"
    path.write_bytes(ISSUER)
    issuer = load_issuer(path)
    assert issuer.logo is not None
    assert issuer.logo.data == GOLDEN_LOGO.read_bytes()


@pytest.mark.parametrize(
    ("logo", "fragment"),
    [
        ("logo.png\\u0000x", "control or unassigned character U\\+0000"),
        ("folder.png", "not a regular file"),
        ("missing.png", "cannot read"),
        ("logo.gif", "is not a .png, .jpg or .svg image"),
    ],
)
def test_a_logo_that_is_not_a_readable_image_file_is_named(
    tmp_path: Path, logo: str, fragment: str
) -> None:
    (tmp_path / "folder.png").mkdir()
    path = tmp_path / "issuer.toml"
    path.write_bytes(ISSUER.replace(b'logo = "logo.png"', f'logo = "{logo}"'.encode()))
    with pytest.raises(InvalidIssuerConfig, match=fragment):
        load_issuer(path)


# The command line's settings file ------------------------------------------------------------

SETTINGS = b'schedule = "schedule.toml"\ndatabase_url = "sqlite:///books.db"\nissuer = "i.toml"\n'
SETTINGS_MUTANTS = list(mutants(SETTINGS, seed=12, nest=(b"[", b"]")))


@pytest.mark.parametrize("mutant", SETTINGS_MUTANTS, ids=_ids(SETTINGS_MUTANTS))
def test_a_hostile_settings_file_loads_or_is_refused_naming_it(
    tmp_path: Path, mutant: Mutant
) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(mutant.data)
    settings, error = _outcome(lambda: load_settings(config=path, environ={}), InvalidSettings)
    if error is not None:
        assert str(path) in str(error)
    else:
        assert settings is not None
        assert settings.database_url is None or isinstance(settings.database_url, str)


# Bank statements ----------------------------------------------------------------------------

CAMT = statement(
    IBAN,
    "CHF",
    [
        entry("1500.00", details=tx(scor="RF18539007547034", debtor="Acme", end_to_end="E-1")),
        entry(batch=[tx("100.00", ustrd=["RF73 WSIS 2024 0001"]), tx("250.50", qrr=None)]),
        entry("10.00", credit=False),
    ],
)
CAMT_MUTANTS = list(mutants(CAMT, seed=13, count=150, nest=(b"<a>", b"</a>")))


@pytest.mark.parametrize("mutant", CAMT_MUTANTS, ids=_ids(CAMT_MUTANTS))
def test_a_hostile_statement_is_read_or_refused_naming_it(mutant: Mutant) -> None:
    read, error = _outcome(
        lambda: read_statement(mutant.data, name="hostile.xml", accounts={IBAN}),
        (StatementRefused, UnknownBankAccount),
    )
    if isinstance(error, StatementRefused | UnknownBankAccount):
        assert error.file == "hostile.xml"
        assert str(error).startswith("bank statement refused: hostile.xml")
    else:
        assert read is not None


# Spreadsheets ---------------------------------------------------------------------------------


def _never_raises(found: Imported[Any]) -> None:
    """A spreadsheet reader reports problems; it never raises on a bad file."""
    assert found.ok or found.problems
    for problem in found.problems:
        assert str(problem)


def _csv_files(tmp_path: Path) -> dict[str, bytes]:
    files = {
        "partners": write_csv(tmp_path / "p.csv", table("partners", ITU)),
        "pledges": write_csv(tmp_path / "g.csv", table("pledges", GOLD)),
        "instalments": write_csv(tmp_path / "i.csv", table("instalments", *GOLD_INSTALMENTS)),
        "rates": write_csv(tmp_path / "r.csv", table("rates", USD_CHF), delimiter=";"),
    }
    return {kind: path.read_bytes() for kind, path in files.items()}


@pytest.mark.parametrize("kind", ["partners", "pledges", "rates"])
def test_hostile_csv_files_are_read_or_reported_never_raised(tmp_path: Path, kind: str) -> None:
    good = _csv_files(tmp_path)
    path = tmp_path / f"{kind}-mutant.csv"
    for mutant in mutants(good[kind], seed=14, count=90):
        path.write_bytes(mutant.data)
        if kind == "partners":
            _never_raises(read_partners(path))
        elif kind == "rates":
            _never_raises(read_rates(path))
        else:
            other = tmp_path / "i.csv"
            _never_raises(read_pledges(path, other))


def test_hostile_xlsx_files_are_read_or_reported_never_raised(tmp_path: Path) -> None:
    good = write_xlsx(
        tmp_path / "good.xlsx",
        {"pledges": table("pledges", GOLD), "instalments": table("instalments", *GOLD_INSTALMENTS)},
    ).read_bytes()
    path = tmp_path / "mutant.xlsx"
    for mutant in mutants(good, seed=15, count=60):
        path.write_bytes(mutant.data)
        _never_raises(read_pledges(path))


def test_a_refused_statement_names_its_own_fault_not_an_earlier_files() -> None:
    """lxml keeps a per-thread error log: the message must come from this file's parse."""
    with pytest.raises(StatementRefused):
        read_statement(CAMT[: len(CAMT) // 2] + b"<<", name="first.xml")
    entity = CAMT.replace(b"<Nm>Acme</Nm>", b"<Nm>&xxe;</Nm>")
    assert entity != CAMT
    with pytest.raises(StatementRefused, match=r"second\.xml.*xxe"):
        read_statement(entity, name="second.xml")
