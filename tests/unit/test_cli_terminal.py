"""Output paths are checked before any work, and files are written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest

from wsis_funding.cli.settings import load_settings
from wsis_funding.cli.terminal import (
    TEXT,
    check_output_file,
    check_output_folder,
    console,
    write_file,
)


def test_an_output_file_in_a_folder_we_may_not_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as root the tests cannot be refused a folder, so os.access says no in its place."""
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(click.BadParameter, match="permission denied"):
        check_output_file(tmp_path / "x.pdf", "-o")
    with pytest.raises(click.BadParameter, match="permission denied"):
        check_output_folder(tmp_path / "out", "--out")
    assert list(tmp_path.iterdir()) == []


def test_a_writable_output_file_and_folder_pass(tmp_path: Path) -> None:
    check_output_file(tmp_path / "x.pdf", "-o")
    check_output_folder(tmp_path / "new" / "deeper", "--out")
    (tmp_path / "old.pdf").write_bytes(b"old")
    check_output_file(tmp_path / "old.pdf", "-o")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.pdf"]


def test_a_failed_write_names_the_file_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(click.ClickException, match=r"cannot write .*x\.pdf: No space left"):
        write_file(tmp_path / "x.pdf", b"%PDF-")
    assert list(tmp_path.iterdir()) == []


def test_a_written_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    write_file(tmp_path / "x.pdf", b"%PDF-")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "x.pdf").stat().st_mode & 0o777 == 0o666 & ~mask
    assert (tmp_path / "x.pdf").read_bytes() == b"%PDF-"


@pytest.mark.parametrize("value", ["WSIS\x00", "WSIS\udcff", "\x1b[2J"])
def test_text_arguments_refuse_control_characters_and_undecodable_bytes(value: str) -> None:
    with pytest.raises(click.BadParameter):
        TEXT.convert(value, None, None)
    assert TEXT.convert("WSIS-2024-0001", None, None) == "WSIS-2024-0001"


def test_the_console_prints_markup_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    console().print("[bold]x[/bold] [/oops]")
    assert capsys.readouterr().out == "[bold]x[/bold] [/oops]\n"


def test_no_database_given_means_none_not_a_default_file() -> None:
    assert load_settings(environ={}).database_url is None
    assert load_settings(environ={"WSIS_FUNDING_DATABASE_URL": "sqlite:///b.db"}).database_url == (
        "sqlite:///b.db"
    )
