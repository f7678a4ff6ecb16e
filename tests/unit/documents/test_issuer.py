"""Loading issuer settings from TOML: every problem names its key and the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from wsis_funding.documents.errors import InvalidIssuerConfig
from wsis_funding.documents.issuer import load_issuer
from wsis_funding.examples import EXAMPLE_ISSUER

GOOD = EXAMPLE_ISSUER.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "issuer.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_issuer_loads_with_geneva_address_and_swiss_iban() -> None:
    issuer = load_issuer(EXAMPLE_ISSUER)
    assert issuer.unit == "WSIS Secretariat"
    assert issuer.address.country == "CH"
    assert issuer.address.postcode == "1211"
    assert issuer.bank_account is not None
    assert issuer.bank_account.iban == "CH9300762011623852957"


def test_missing_key_is_named_with_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('unit = "WSIS Secretariat"\n', ""))
    with pytest.raises(InvalidIssuerConfig) as info:
        load_issuer(path)
    assert info.value.key == "unit"
    assert info.value.path == path
    assert str(path) in str(info.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('unit = "WSIS Secretariat"\n', "colour = 'blue'\n").replace(
        'town = "Geneva 20"\n', ""
    )
    with pytest.raises(InvalidIssuerConfig) as info:
        load_issuer(write(tmp_path, text))
    keys = {key for key, _ in info.value.problems}
    assert {"unit", "colour", "address.town"} <= keys


def test_bad_iban_in_file_is_reported_under_bank_account(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("CH93 0076", "CH94 0076"))
    with pytest.raises(InvalidIssuerConfig) as info:
        load_issuer(path)
    assert info.value.key == "bank_account"
    assert "mod-97" in str(info.value)


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InvalidIssuerConfig, match="not valid TOML"):
        load_issuer(write(tmp_path, "organisation = "))


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InvalidIssuerConfig, match="cannot read file: No such file"):
        load_issuer(tmp_path / "nope.toml")


def test_missing_logo_file_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('# logo = "itu-logo.png"', 'logo = "itu-logo.png"'))
    with pytest.raises(InvalidIssuerConfig) as info:
        load_issuer(path)
    assert info.value.key == "logo"


def test_vat_note_override_is_per_language(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + 'fr = "Exonéré de TVA."\n')
    issuer = load_issuer(path)
    assert issuer.vat_note_override("fr") == "Exonéré de TVA."
    assert issuer.vat_note_override("en") is None


def test_vat_note_in_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidIssuerConfig):
        load_issuer(write(tmp_path, GOOD + 'de = "Keine MWST."\n'))


def test_bank_account_is_optional(tmp_path: Path) -> None:
    start = GOOD.index("[bank_account]")
    end = GOOD.index("[signatory]")
    issuer = load_issuer(write(tmp_path, GOOD[:start] + GOOD[end:]))
    assert issuer.bank_account is None
