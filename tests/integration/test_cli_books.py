"""The command line on real books: the demo season, verify, standing, receivables, render."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.statements import validate
from wsis_funding.cli import main
from wsis_funding.money import money
from wsis_funding.services import open_tracker


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_demo_issues_documents_in_six_languages_and_leaves_sound_books(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "demo", "--out", str(out_dir))
    assert code == 0
    assert "verify(): the books are sound" in out
    pdfs = sorted(p.name for p in out_dir.glob("*.pdf"))
    assert "WSIS-2024-0001.pdf" in pdfs
    assert "WSIS-CN-2024-0001.pdf" in pdfs
    assert "WSIS-ACK-2024-0001.pdf" in pdfs
    # 7 invoices, 2 credit notes, 8 letters: the 5 payments thanked as they came, then the
    # batch run for those not yet thanked (DSR's payment before its invoice, and the two the
    # bank statement paid).
    assert len(pdfs) == 17
    assert sum(name.startswith("WSIS-ACK-") for name in pdfs) == 8
    # The bank's statement of 28 March: schema-valid, imported, summarised.
    validate((out_dir / "statement-2024-03-28.xml").read_bytes())
    assert "camt.053.001.04, import 1" in out
    assert re.search(r"Matched by reference \(RF\)\s+│\s+2 │ CHF59,100.00", out)
    assert re.search(r"Queued for a person\s+│\s+1 │\s+CHF2,500.00", out)
    assert "bank queue: 1 line(s) waiting for a person" in out
    languages = {"ar", "zh", "en", "fr", "ru", "es"}
    assert all(f" {lang} " in out for lang in languages)
    arabic = subprocess.run(
        ["pdftotext", str(out_dir / "WSIS-2024-0003.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "فاتورة" in arabic

    db = f"sqlite:///{out_dir / 'demo.db'}"
    with open_tracker(db, create=False) as t:
        # DSR paid 10,000 before its invoice: WSIS-2024-0004 lists it and asks for 15,000.
        assert t.invoice_balance("WSIS-2024-0004").asked == money("15000", "CHF")
        # ACME's discount reduced its pledge; GTRA paid its USD invoice in CHF.
        assert t.invoice_balance("WSIS-2024-0001").credited == money("10000", "CHF")
        gtra = t.partner_by_short_name("GTRA")
        assert gtra.id is not None
        paid = t.partner_payments(gtra.id)[0]
        assert (paid.amount, paid.settles) == (money("154000", "CHF"), money("175000", "USD"))
        assert t.invoice_balance("WSIS-2024-0003").open == money("175000", "USD")
        # The statement paid CR's re-issued invoice by its RF reference, in full, and FC's rest
        # of EUR 20,000 credited as CHF 19,100.00 (the bank's 0.9550), stating the EUR.
        for number, partner in (("WSIS-2024-0007", "CR"), ("WSIS-2024-0006", "FC")):
            assert t.invoice_balance(number).open.amount == 0, number
            who = t.partner_by_short_name(partner)
            assert who.id is not None
            by_bank = t.partner_payments(who.id)[-1]
            assert by_bank.invoice == number
        assert (by_bank.amount, by_bank.settles) == (money("19100", "CHF"), money("20000", "EUR"))
        (waiting,) = t.bank_queue()
        assert waiting.amount == money("2500", "CHF")
    code, out, _ = run(capsys, "--database", db, "books", "verify")
    assert (code, out.strip()) == (0, "the books are sound")
    code, out, _ = run(capsys, "--database", db, "books", "standing", "1", "WSIS2024")
    assert code == 0
    assert "Strategic Partner Gold" in out
    code, out, _ = run(capsys, "--database", db, "books", "receivables", "--as-of", "2024-07-01")
    assert code == 0
    assert "CHF" in out
    target = tmp_path / "again.pdf"
    code, out, _ = run(
        capsys, "--database", db, "books", "render", "WSIS-2024-0001", "-o", str(target)
    )
    assert code == 0
    assert target.read_bytes() == (out_dir / "WSIS-2024-0001.pdf").read_bytes()


def test_the_demo_again_in_the_same_folder_makes_fresh_books_and_keeps_other_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "my-own.pdf").write_bytes(b"mine")
    for _ in range(2):
        code, out, err = run(capsys, "demo", "--out", str(out_dir))
        assert (code, err) == (0, "")
        assert "verify(): the books are sound" in out
    assert (out_dir / "my-own.pdf").read_bytes() == b"mine"
    assert len(list(out_dir.glob("WSIS-*.pdf"))) == 17
    code, out, _ = run(capsys, "--database", f"sqlite:///{out_dir}/demo.db", "books", "render",
                       "WSIS-2024-0008")  # fmt: skip
    assert code == 2  # seven invoices a season: the second season did not follow the first
