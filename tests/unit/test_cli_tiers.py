"""The tiers part of the command line: output, and bad input as one line with status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from wsis_funding.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_lists_tiers_minimums_and_packages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tiers", "show")
    assert code == 0
    assert "Strategic Partner Platinum" in out
    assert "CHF500,000.00" in out
    assert "HACKATHON" in out
    assert "ILLUSTRATIVE" in out


def test_classify_in_base_currency_shows_tier_and_shortfall(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "tiers", "classify", "149999.99", "CHF")
    assert code == 0
    assert "Contributing Partner" in out
    assert "Strategic Partner Gold" in out
    assert "CHF0.01" in out


def test_classify_converts_with_a_dated_rate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "tiers", "classify", "200000", "USD", "--rate", "0.75", "--rate-date", "2024-05-01"
    )
    assert code == 0
    assert "CHF150,000.00" in out
    assert "2024-05-01" in out
    assert "Strategic Partner Gold" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tiers", "classify", "100", "USD"), "no exchange rate USD->CHF"),
        (("tiers", "classify", "1.234", "CHF"), "CHF has 2 decimal"),
        (("tiers", "classify", "12", "ZZZ"), "unknown currency 'ZZZ'"),
        (("tiers", "classify", "1,000", "CHF"), "without grouping commas"),
        (("tiers", "classify", "ten", "CHF"), "not a decimal number"),
        (("tiers", "classify", "5", "USD", "--rate", "0.9"), "--rate and --rate-date go together"),
        (("tiers", "classify", "5", "USD", "--rate", "-1", "--rate-date", "2024-01-01"), "above"),
        (("tiers", "classify"), "Missing argument"),
        (("--schedule", "/no/such.toml", "tiers", "show"), "/no/such.toml"),
        (("tiers", "show", "--schedule", "/no/such.toml"), "/no/such.toml"),
        (("tiers", "classify", "5", "CHF", "--schedule", "/no/such.toml"), "/no/such.toml"),
        (("tiers", "classify", "-5", "CHF"), "-5: a contribution cannot be negative"),
        (("tiers", "classify", "--rat", "1", "5", "USD"), "No such option '--rat'"),
        (("tiers", "classify", "1000000000000", "CHF"), "at most 12 digits before the point"),
        (
            ("tiers", "classify", "5", "USD", "--rate", "1e10", "--rate-date", "2024-01-01"),
            "is not between",
        ),
        (
            ("tiers", "classify", "5", "CHF", "--rate", "1", "--rate-date", "2024-01-01"),
            "CHF is the schedule's base currency",
        ),
        (("tiers", "classify", "5", "C\udcffF"), "unknown currency"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("error: ")
    assert message in err


def test_a_schedule_file_replaces_the_illustrative_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "s.toml"
    f.write_text(
        '[edition]\ncode = "WSIS2025"\ntitle = "WSIS Forum 2025"\nbase_currency = "EUR"\n'
        '[tiers.gold]\nminimum = "1000"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--schedule", str(f), "tiers", "classify", "1000", "EUR")
    assert code == 0
    assert "WSIS2025" in out
    assert "Strategic Partner Gold" in out
    assert "ILLUSTRATIVE" not in out


def test_the_schedule_option_after_the_command_wins_over_the_group_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "s.toml"
    f.write_text(
        '[edition]\ncode = "WSIS2025"\ntitle = "WSIS Forum 2025"\nbase_currency = "EUR"\n'
        '[tiers.gold]\nminimum = "1000"\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "tiers", "show", "--schedule", str(f))
    assert code == 0
    assert "WSIS Forum 2025 [WSIS2025], base currency EUR" in out
    code, out, _ = run(capsys, "--schedule", "/no/such.toml", "tiers", "show", "--schedule", str(f))
    assert code == 0
    assert "WSIS2025" in out


def test_titles_are_printed_as_written_not_read_as_markup(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "s.toml"
    f.write_text(
        '[edition]\ncode = "wsis2025"\ntitle = "Forum [/b] [bold]2025"\nbase_currency = "EUR"\n'
        '[tiers.gold]\nminimum = "1000"\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "tiers", "show", "--schedule", str(f))
    assert (code, err) == (0, "")
    assert "Forum [/b] [bold]2025 [wsis2025]" in out
