"""Command-line messages that point the user to what to do (issue 9, item 9)."""

from __future__ import annotations

import pytest

from wsis_funding.cli import main


def test_classifying_a_foreign_amount_without_a_rate_points_to_rate_and_rate_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["tiers", "classify", "250000", "USD"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.strip() == (
        "error: no exchange rate USD->CHF: the command line keeps no rates; pass --rate "
        "(CHF per USD) and --rate-date YYYY-MM-DD, the date it is in force from"
    )


def test_classifying_a_negative_amount_says_it_is_negative_not_an_unknown_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["tiers", "classify", "-5", "CHF"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "No such option" not in err
    assert "-5: a contribution cannot be negative" in err
