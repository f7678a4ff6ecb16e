"""Other WSIS services import the tier logic alone: it must not drag in heavy dependencies."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "weasyprint", "jinja2", "alembic", "psycopg", "click", "rich")


@pytest.mark.parametrize("module", ["wsis_funding.tiers", "wsis_funding.money", "wsis_funding"])
def test_importing_the_tier_logic_loads_no_database_pdf_or_template_engine(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
