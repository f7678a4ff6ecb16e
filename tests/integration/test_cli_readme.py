"""Every command line the README shows runs as written, in the README's order.

``[--schedule FILE]`` is run both ways: without the option, and with it and a schedule file
actually named ``FILE``; ``SEQ:HASH`` is the chain head the line before printed. ``export
NAME=VALUE`` lines set the environment of the lines after them. The files the README names
are there: ``issuer.toml`` (the example issuer), and the spreadsheets that ``templates
sheets`` writes are filled in as a finance officer would.
"""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import wsis_funding
from tests.cli import ENV_VARS, run
from tests.unit.imports import table, write_csv, write_xlsx
from wsis_funding.examples import EXAMPLE_ISSUER
from wsis_funding.tiers import illustrative_schedule_toml

README = Path(wsis_funding.__file__).parents[2] / "README.md"


def readme_command_lines() -> list[list[str]]:
    """The ``wsis-funding ...`` lines of the README's ``sh`` blocks, as argument lists."""
    text = README.read_text(encoding="utf-8")
    lines: list[list[str]] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S):
        for line in block.splitlines():
            if line.startswith("export "):
                lines.append(shlex.split(line, comments=True))
                continue
            if not line.startswith("wsis-funding "):
                continue
            words = shlex.split(line, comments=True)[1:]
            if "[--schedule" in words:
                i = words.index("[--schedule")
                assert words[i + 1] == "FILE]"
                lines.append(words[:i] + words[i + 2 :])
                lines.append([*words[:i], "--schedule", "FILE", *words[i + 2 :]])
            else:
                lines.append(words)
    return lines


def test_the_readme_shows_the_commands_this_test_expects() -> None:
    assert [" ".join(w) for w in readme_command_lines()] == [
        "tiers show",
        "tiers show --schedule FILE",
        "tiers classify 250000 USD --rate 0.8912 --rate-date 2024-05-01",
        "demo --out out",
        "--database sqlite:///out/demo.db books verify",
        "--database sqlite:///out/demo.db books standing 1 WSIS2024",
        "--database sqlite:///out/demo.db books receivables --as-of 2024-07-01",
        "--database sqlite:///out/demo.db books render WSIS-2024-0001 -o invoice.pdf",
        "--database sqlite:///out/demo.db books head",
        "--database sqlite:///out/demo.db books verify --head SEQ:HASH",
        "export WSIS_FUNDING_DATABASE_URL=sqlite:///season.db WSIS_FUNDING_ISSUER=issuer.toml",
        "init",
        "edition add WSIS2025 --title WSIS Forum 2025 --start 2025-07-07 --end 2025-07-11 "
        "--psc-rate 0.07 --invoice-prefix WSIS",
        "templates sheets",
        "import partners sheets/partners.xlsx",
        "import rates sheets/rates.csv",
        "import pledges sheets/pledges.xlsx --dry-run",
        "import pledges sheets/pledges.xlsx --yes",
        "invoice issue 1 --on 2025-02-03 --due 2025-03-05 --yes",
        "payment record ACME 80000 CHF --received-on 2025-03-04 --reference UBS 2025-03-04 7 "
        "--invoice WSIS-2025-0001 --yes",
        "letter issue 1 --on 2025-03-05",
        "standing ACME WSIS2025 --json",
        "books verify",
        "--database sqlite:///out/demo.db --issuer issuer.toml bank import "
        "out/statement-2024-03-28.xml --dry-run",
        "--database sqlite:///out/demo.db bank queue",
        "--database sqlite:///out/demo.db bank dismiss 3 --reason Gift of a non-partner, in the "
        "Fund in Trust register",
        "--database sqlite:///out/demo.db bank add-payer FC --alias Fundacion Conecta Tesoreria",
        "--database sqlite:///out/demo.db bank statements",
        "--database sqlite:///out/demo.db bank report 1 --csv reconciliation.csv",
        "--database sqlite:///out/demo.db --issuer issuer.toml batch invoices --edition WSIS2024 "
        "--up-to 2024-06-30",
        "--database sqlite:///out/demo.db --issuer issuer.toml batch letters --edition WSIS2024 "
        "--up-to 2024-06-30",
        "--database sqlite:///out/demo.db --issuer issuer.toml batch reminders --edition WSIS2024 "
        "--up-to 2024-07-01 --workers 2 --out out/reminders",
        "--database sqlite:///out/demo.db report funding WSIS2024 --out funding.pdf",
        "--database sqlite:///out/demo.db report roster WSIS2024 --out roster.json",
        "--database sqlite:///out/demo.db report statement ACME WSIS2024 --out acme.xlsx",
        "--database sqlite:///out/demo.db report ageing --as-of 2024-07-01 --out ageing.xlsx",
        "--database sqlite:///out/demo.db report journal --from 2024-01-01 --out journal.csv",
    ]


def test_every_readme_command_line_runs_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    pdf_text: Callable[[bytes], str],
) -> None:  # fmt: skip
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    schedule = illustrative_schedule_toml().replace(
        'title = "', 'title = "Schedule read from FILE: ', 1
    )
    assert "Schedule read from FILE" in schedule
    (tmp_path / "FILE").write_text(schedule, encoding="utf-8")
    shutil.copy(EXAMPLE_ISSUER, tmp_path / "issuer.toml")
    outputs: dict[str, str] = {}
    for words in readme_command_lines():
        if words[0] == "export":
            for assignment in words[1:]:
                monkeypatch.setenv(*assignment.split("=", 1))
            continue
        head = outputs.get("--database sqlite:///out/demo.db books head", "").strip()
        result = run(capsys, *(head if w == "SEQ:HASH" else w for w in words))
        assert (result.code, result.err) == (0, ""), (words, result)
        outputs[" ".join(words)] = result.out
        if words == ["templates", "sheets"]:
            fill_in_the_season(tmp_path / "sheets")
    assert "Schedule read from FILE" in outputs["tiers show --schedule FILE"]
    assert "Schedule read from FILE" not in outputs["tiers show"]
    assert (
        "Strategic Partner Gold"
        in outputs["tiers classify 250000 USD --rate 0.8912 --rate-date 2024-05-01"]
    )
    assert outputs["--database sqlite:///out/demo.db books verify"] == "the books are sound\n"
    seq, _, digest = outputs["--database sqlite:///out/demo.db books head"].strip().partition(":")
    assert int(seq) > 0
    assert len(digest) == 64
    assert outputs["--database sqlite:///out/demo.db books verify --head SEQ:HASH"] == (
        f"the books are sound: the chain passes through entry {seq} and the 0 entries appended "
        "since are intact\n"
    )
    assert (tmp_path / "invoice.pdf").read_bytes() == (
        tmp_path / "out" / "WSIS-2024-0001.pdf"
    ).read_bytes()
    standing = json.loads(outputs["standing ACME WSIS2025 --json"])
    assert (standing["tier"], standing["paid"]) == (
        "gold",
        {"amount": "80000.00", "currency": "CHF"},
    )
    assert outputs["books verify"] == "the books are sound\n"

    # The demo's statement of 28 March paid CR's and FC's invoices; of the invoices due on 2
    # or 5 March only GTRA's (USD 350,000, both instalments) is still open on 1 July: its
    # second instalment, USD 175,000, 121 days after 2 March. ACME's second instalment was
    # invoiced by the batch run of 30 June, due 30 days later: not overdue yet.
    reminded = sorted(p.name for p in (tmp_path / "out" / "reminders").iterdir())
    assert reminded == ["WSIS-REM-2024-0001.pdf"]
    text = pdf_text((tmp_path / "out" / "reminders" / reminded[0]).read_bytes())
    for fact in ("WSIS-2024-0003", "175,000.00", "121", "RF19 WSIS 2024 0003"):
        assert fact in text, fact
    # The bank statement: the demo imported it; again, every line is already there.
    rehearsal = outputs["--database sqlite:///out/demo.db --issuer issuer.toml bank import "
                        "out/statement-2024-03-28.xml --dry-run"]  # fmt: skip
    assert "this very file was imported before (import 1)" in rehearsal
    assert "dry run: nothing was written" in rehearsal
    queue = outputs["--database sqlite:///out/demo.db bank queue"]
    assert "│ 3    │ 2024-03-28 │ CHF2,500.00 │ Fondation" in queue
    with (tmp_path / "reconciliation.csv").open(encoding="utf-8", newline="") as f:
        lines = {row["line"]: row for row in csv.DictReader(f)}
    assert [(r["received"], r["status"], r["partner"], r["invoice"]) for r in lines.values()] == [
        ("40000.00", "matched", "CR", "WSIS-2024-0007"),
        ("19100.00", "matched", "FC", "WSIS-2024-0006"),
        ("2500.00", "dismissed", "", ""),
    ]

    for name in ("funding.pdf", "roster.json", "acme.xlsx", "ageing.xlsx", "journal.csv"):
        assert f"wrote {name} (" in "".join(outputs.values()), name
    assert (tmp_path / "funding.pdf").read_bytes().startswith(b"%PDF-")
    assert b'"short_name": "ACME"' in (tmp_path / "roster.json").read_bytes()


def fill_in_the_season(folder: Path) -> None:
    """Write the season's partners, rates and pledges where the templates were written."""
    acme = {"legal_name": "Acme Telecom SA", "short_name": "ACME", "country": "CH",
            "stakeholder_type": "private_sector", "language": "fr", "street": "Rue du Rhône",
            "building_number": "12", "postcode": "1204", "town": "Genève",
            "address_country": "CH"}  # fmt: skip
    write_xlsx(folder / "partners.xlsx", {"partners": table("partners", acme)})
    usd = {"from_currency": "USD", "to_currency": "CHF", "rate": "0.8912",
           "effective": "2025-01-01", "source": "UN operational rate 2025-01"}  # fmt: skip
    write_csv(folder / "rates.csv", table("rates", usd), delimiter=";", bom=True)
    gold = {"ref": "A", "partner": "ACME", "edition": "WSIS2025", "amount": "160000.00",
            "currency": "CHF", "signed_on": "2025-01-22", "tier": "gold"}  # fmt: skip
    halves = [{"pledge_ref": "A", "due_on": due, "amount": "80000.00"}
              for due in ("2025-03-01", "2025-06-01")]  # fmt: skip
    write_xlsx(
        folder / "pledges.xlsx",
        {"pledges": table("pledges", gold), "instalments": table("instalments", *halves)},
    )
