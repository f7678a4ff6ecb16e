"""Every command line the README shows runs as written, in the README's order.

``[--schedule FILE]`` is run both ways: without the option, and with it and a schedule file
actually named ``FILE``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import wsis_funding
from tests.cli import ENV_VARS, run
from wsis_funding.tiers import illustrative_schedule_toml

README = Path(wsis_funding.__file__).parents[2] / "README.md"


def readme_command_lines() -> list[list[str]]:
    """The ``wsis-funding ...`` lines of the README's ``sh`` blocks, as argument lists."""
    text = README.read_text(encoding="utf-8")
    lines: list[list[str]] = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S):
        for line in block.splitlines():
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
        "--database sqlite:///out/demo.db report funding WSIS2024 --out funding.pdf",
        "--database sqlite:///out/demo.db report roster WSIS2024 --out roster.json",
        "--database sqlite:///out/demo.db report statement ACME WSIS2024 --out acme.xlsx",
        "--database sqlite:///out/demo.db report ageing --as-of 2024-07-01 --out ageing.xlsx",
        "--database sqlite:///out/demo.db report journal --from 2024-01-01 --out journal.csv",
    ]


def test_every_readme_command_line_runs_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    schedule = illustrative_schedule_toml().replace(
        'title = "', 'title = "Schedule read from FILE: ', 1
    )
    assert "Schedule read from FILE" in schedule
    (tmp_path / "FILE").write_text(schedule, encoding="utf-8")
    outputs = {}
    for words in readme_command_lines():
        result = run(capsys, *words)
        assert (result.code, result.err) == (0, ""), (words, result)
        outputs[" ".join(words)] = result.out
    assert "Schedule read from FILE" in outputs["tiers show --schedule FILE"]
    assert "Schedule read from FILE" not in outputs["tiers show"]
    assert (
        "Strategic Partner Gold"
        in outputs["tiers classify 250000 USD --rate 0.8912 --rate-date 2024-05-01"]
    )
    assert outputs["--database sqlite:///out/demo.db books verify"] == "the books are sound\n"
    assert (tmp_path / "invoice.pdf").read_bytes() == (
        tmp_path / "out" / "WSIS-2024-0001.pdf"
    ).read_bytes()
    for name in ("funding.pdf", "roster.json", "acme.xlsx", "ageing.xlsx", "journal.csv"):
        assert f"wrote {name} (" in "".join(outputs.values()), name
    assert (tmp_path / "funding.pdf").read_bytes().startswith(b"%PDF-")
    assert b'"short_name": "ACME"' in (tmp_path / "roster.json").read_bytes()
