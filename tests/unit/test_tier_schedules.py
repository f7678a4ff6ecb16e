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
