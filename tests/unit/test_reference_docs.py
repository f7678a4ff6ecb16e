"""The reference documentation is complete and true: it is checked against the code.

docs/SCHEDULE.md's example is a schedule that loads, and its table names every key the loader
accepts; docs/ACCOUNTS.md names every kind of account and every kind of entry the library
posts; every use case on the Tracker says in full what it takes, does and raises.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from wsis_funding.ledger.accounts import AccountKind
from wsis_funding.services import Tracker
from wsis_funding.services.usecase import UseCase
from wsis_funding.tiers import Tier, loading, parse_schedule

ROOT = Path(__file__).parent.parent.parent
SCHEDULE_DOC = (ROOT / "docs" / "SCHEDULE.md").read_text(encoding="utf-8")
ACCOUNTS_DOC = (ROOT / "docs" / "ACCOUNTS.md").read_text(encoding="utf-8")


def test_the_schedule_example_loads_as_documented() -> None:
    example = re.search(r"```toml\n(.*?)```", SCHEDULE_DOC, re.S)
    assert example is not None
    schedule = parse_schedule(example.group(1), source="docs/SCHEDULE.md", edition="WSIS2025")
    assert set(schedule.minimums) == set(Tier)
    assert [p.code for p in schedule.packages] == ["HACKATHON"]


def test_the_schedule_table_names_every_key_the_loader_accepts() -> None:
    keys = [f"edition.{k}" for k in loading._EDITION]
    keys += [f"tiers.<tier>.{k}" for k in loading._TIER]
    keys += [f"packages[n].{k}" for k in loading._PACKAGE]
    missing = [k for k in keys if f"| `{k}` |" not in SCHEDULE_DOC]
    assert missing == []
    assert all(f"`{t.value}`" in SCHEDULE_DOC for t in Tier)


def test_the_chart_of_accounts_names_every_account_and_every_entry_kind() -> None:
    for kind in AccountKind:
        assert f"`{kind.value}" in ACCOUNTS_DOC, kind
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "wsis_funding").rglob("*.py"))
    posted = set(re.findall(r'\bkind="([a-z_]+)"', source)) - {
        "invoice", "credit_note", "letter", "reminder", "reduction", "correction",  # documents
        "partners", "pledges", "rates",  # spreadsheets
    }  # fmt: skip
    posted |= {"payment"}  # the settlement plan's default kind
    assert posted, "no entry kinds found"
    missing = sorted(k for k in posted if f"`{k}`" not in ACCOUNTS_DOC)
    assert missing == []


USE_CASES = sorted(name for name, value in vars(Tracker).items() if isinstance(value, UseCase))
for base in Tracker.__mro__[1:]:
    USE_CASES += sorted(
        n for n, v in vars(base).items() if isinstance(v, UseCase) and n not in USE_CASES
    )


@pytest.mark.parametrize("name", sorted(set(USE_CASES)))
def test_every_use_case_says_what_it_takes_does_and_raises(name: str) -> None:
    doc = inspect.getdoc(getattr(Tracker, name)) or ""
    first, _, rest = doc.partition("\n\n")
    assert first.endswith("."), f"{name}: a one-sentence summary first"
    assert "Raise" in doc, f"{name}: say what it raises"
    assert not re.search(r"[Rr]aises as :func:|as :func:`\w+` does", doc), f"{name}: in full"
    params = [p for p in inspect.signature(getattr(Tracker, name)).parameters if p != "uow"]
    for param in params:
        if param in {"template_dir", "progress"}:
            continue
        assert f"``{param}``" in doc or param in first.lower() or param in rest, (name, param)
