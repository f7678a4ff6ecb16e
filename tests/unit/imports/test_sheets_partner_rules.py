"""A partners sheet is held to the ledger's rules of partners: each break is a problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.imports import ITU, MINISTRY, table, write_csv
from wsis_funding.imports.sheets import read_partners


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("street", "Smart\nVillage", "contains U+000A control"),
        ("town", "G" * 36, "is 36 characters long; expected at most 35"),
        ("building_number", "1" * 17, "is 17 characters long; expected at most 16"),
        ("legal_name", "x" * 71, "is 71 characters long; expected at most 70"),
        ("contact_email", "a..b@itu.int", "starts or ends with a dot or has two dots in a row"),
        ("tax_id", "\u200b", "has no visible character"),
    ],
)
def test_a_partner_cell_breaking_a_ledger_rule_is_a_problem_of_its_row_and_column(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    path = write_csv(tmp_path / "partners.csv", table("partners", ITU, {**MINISTRY, column: value}))
    result = read_partners(path)
    assert result.records == ()
    [problem] = result.problems
    assert (problem.row, problem.column, problem.value) == (3, column, value)
    assert message in problem.message
