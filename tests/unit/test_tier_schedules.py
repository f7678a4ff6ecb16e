"""Schedules: validation reports every problem, TOML errors name the key and the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from wsis_funding.errors import InvalidSchedule
from wsis_funding.money import money
from wsis_funding.tiers import ActivityPackage, Tier, TierSchedule, load_schedule, parse_schedule

GOOD = """
[edition]
code = "WSIS2024"
title = "WSIS+20 Forum High-Level Event"
base_currency = "CHF"

[tiers.gold]
minimum = "150000"
benefits = ["A"]

[tiers.supporting]
minimum = 20000

[[packages]]
code = "HACKATHON"
title = "Hackathon"
price = "40000.00"
capacity = 1
"""


def test_a_good_file_loads(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text(GOOD, encoding="utf-8")
    s = load_schedule(f)
    assert s.edition == "WSIS2024"
    assert s.tiers == (Tier.SUPPORTING, Tier.GOLD)
    assert s.minimums[Tier.GOLD] == money(150000, "CHF")
    assert s.package("HACKATHON").capacity == 1
    assert not s.activity_counts_toward_tier


def test_an_inconsistent_schedule_lists_every_problem() -> None:
    with pytest.raises(InvalidSchedule) as info:
        TierSchedule(
            edition="X",
            title="X",
            base_currency="CHF",
            minimums={
                Tier.PLATINUM: money(100, "CHF"),
                Tier.GOLD: money(200, "CHF"),
                Tier.SUPPORTING: money(300, "EUR"),
                Tier.CONTRIBUTING: money(0, "CHF"),
            },
            packages=[
                ActivityPackage(code="A", title="A", price=money(1, "CHF"), capacity=0),
                ActivityPackage(code="A", title="A", price=money(1, "CHF"), capacity=1),
            ],
        )
    text = "\n".join(info.value.problems)
    assert "minimums.supporting: EUR differs from base currency CHF" in text
    assert "minimums.contributing: 0.00 is not above zero" in text
    assert "minimums.platinum: 100.00 is not above minimums.gold" in text
    assert "packages.A.capacity: 0 is below 1" in text
    assert "packages.A: duplicate package code" in text
    assert len(info.value.problems) == 5


def test_toml_errors_name_the_key_and_the_file(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(
        """
[edition]
code = "X"
base_currency = "CHX"
[tiers.gold]
minimum = 150000.5
[tiers.diamond]
minimum = "1"
[[packages]]
code = "P"
title = "P"
price = "10"
capacity = "one"
""",
        encoding="utf-8",
    )
    with pytest.raises(InvalidSchedule) as info:
        load_schedule(f)
    message = str(info.value)
    assert str(f) in message
    assert "edition.title: expected a non-empty string" in message
    assert "tiers.gold.minimum: 150000.5 is a float" in message
    assert "tiers.diamond: unknown tier" in message
    assert "packages[0].capacity: expected an integer" in message
    assert "packages[0].price: unknown currency 'CHX'" in message


def test_a_missing_file_is_an_invalid_schedule_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InvalidSchedule, match=r"nope\.toml"):
        load_schedule(tmp_path / "nope.toml")


def test_broken_toml_is_reported() -> None:
    with pytest.raises(InvalidSchedule, match="not valid TOML"):
        parse_schedule("[edition\n", source="x.toml")


def _problems_of(text: str, **kwargs: str) -> tuple[str, ...]:
    with pytest.raises(InvalidSchedule) as info:
        parse_schedule(text, source="s.toml", **kwargs)
    assert info.value.source == "s.toml"
    return info.value.problems


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("[tiers.gold]", "[tier.gold]", "tier: unknown table (did you mean tiers?)"),
        ("[tiers.gold]", "[tiers.bronze]", "tiers.bronze: unknown tier"),
        ('minimum = "150000"', 'minimun = "150000"', "tiers.gold.minimun: unknown key"),
        ("capacity = 1", 'capacity = 1\ncolour = "red"', "packages[0].colour: unknown key"),
        ('base_currency = "CHF"', 'base_currency = "CHF"\nbase_curency = "EUR"', "base_curency"),
        ("[edition]", 'sponsor = "x"\n[edition]', "sponsor: unknown key"),
    ],
)
def test_an_unknown_table_or_key_is_a_problem_naming_it(old: str, new: str, expected: str) -> None:
    problems = _problems_of(GOOD.replace(old, new, 1))
    assert any(expected in p for p in problems), problems


def test_every_unknown_key_is_reported_with_the_other_problems() -> None:
    text = GOOD.replace("capacity = 1", 'capacity = "one"\nprise = "1"').replace(
        'title = "WSIS+20', 'titel = "x"\ntitle = "WSIS+20'
    )
    problems = _problems_of(text)
    assert problems == (
        "edition.titel: unknown key (did you mean title?); expected one of code, title, "
        "base_currency, activity_counts_toward_tier, illustrative",
        "packages[0].prise: unknown key (did you mean price?); expected one of code, title, "
        "price, capacity, benefits",
        "packages[0].capacity: expected an integer, got 'one'",
    )


def test_a_schedule_for_another_edition_is_refused_naming_both_codes(tmp_path: Path) -> None:
    f = tmp_path / "wsis2025.toml"
    f.write_text(GOOD, encoding="utf-8")
    with pytest.raises(InvalidSchedule) as info:
        load_schedule(f, edition="WSIS2025")
    assert info.value.source == str(f)
    assert info.value.problems == (
        "edition.code: the schedule is for edition 'WSIS2024', not for 'WSIS2025'",
    )
    assert load_schedule(f, edition="WSIS2024").edition == "WSIS2024"
    assert parse_schedule(GOOD, edition="WSIS2024").edition == "WSIS2024"


def test_invalid_utf8_is_refused_with_its_line_and_byte(tmp_path: Path) -> None:
    f = tmp_path / "latin1.toml"
    f.write_bytes(GOOD.replace("WSIS+20 Forum", "Caf\xe9").encode("latin-1"))
    with pytest.raises(InvalidSchedule) as info:
        load_schedule(f)
    assert info.value.source == str(f)
    # GOOD starts with an empty line, so the title is line 4; `title = "Caf` is 12 bytes.
    assert info.value.problems == (
        "not valid UTF-8: byte 0xe9 at line 4, byte 13 (invalid continuation byte); "
        "save the file as UTF-8",
    )


def test_a_utf8_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    f = tmp_path / "bom.toml"
    f.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert load_schedule(f).edition == "WSIS2024"


def test_a_lone_surrogate_in_schedule_text_is_refused_with_its_position() -> None:
    problems = _problems_of(GOOD.replace("Hackathon", "Hack\ud800"))
    # Line 16 of GOOD is 'title = "Hackathon"'; 'title = "Hack' is 13 characters.
    assert problems == ("not valid Unicode: lone surrogate U+D800 at line 16, column 14",)


def test_arrays_nested_thousands_deep_are_refused_not_a_recursion_error() -> None:
    problems = _problems_of(GOOD + "a = " + "[" * 3000 + "]" * 3000 + "\n")
    assert problems == ("not valid TOML: arrays or inline tables are nested too deeply to parse",)


def test_an_integer_longer_than_pythons_limit_is_refused_with_its_line() -> None:
    problems = _problems_of(GOOD.replace("capacity = 1", "capacity = " + "9" * 5000))
    # Line 18 of GOOD is "capacity = 1"; the digits start after the 11 characters "capacity = ".
    assert problems == (
        "not valid TOML: an integer literal has more than 4300 digits, Python's limit for "
        "converting text to an integer (at line 18, column 12)",
    )


def test_an_amount_too_long_for_any_ledger_is_refused_shortened() -> None:
    problems = _problems_of(GOOD.replace('"150000"', "1" * 1000))
    assert len(problems) == 1
    assert problems[0].startswith("tiers.gold.minimum: 1111")
    assert problems[0].endswith("has 1000 characters; an amount has at most 40")
    assert len(problems[0]) < 200


def test_an_amount_in_non_ascii_digits_is_refused() -> None:
    problems = _problems_of(GOOD.replace('"150000"', '"١٥٠٠٠٠"'))
    assert problems == ("tiers.gold.minimum: '١٥٠٠٠٠' is not ASCII; write amounts as \"1000.00\"",)


def test_a_file_over_one_mebibyte_is_refused_before_parsing(tmp_path: Path) -> None:
    f = tmp_path / "big.toml"
    f.write_bytes(GOOD.encode("utf-8") + b"#" * 1_048_576)
    with pytest.raises(InvalidSchedule) as info:
        load_schedule(f)
    assert info.value.source == str(f)
    assert info.value.problems[0].startswith("larger than 1048576 bytes")


def test_a_path_with_a_nul_character_is_an_invalid_schedule() -> None:
    with pytest.raises(InvalidSchedule, match="cannot read file"):
        load_schedule("bad\0name.toml")


def test_a_directory_is_an_invalid_schedule_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InvalidSchedule) as info:
        load_schedule(tmp_path)
    assert info.value.source == str(tmp_path)
    assert info.value.problems[0].startswith("cannot read file")


def test_long_values_are_shortened_in_messages() -> None:
    problems = _problems_of(GOOD.replace('"Hackathon"', "[" + '"x", ' * 10_000 + "]"))
    assert problems[0].startswith("packages[0].title: expected a non-empty string, got ['x'")
    assert len(problems[0]) < 120
