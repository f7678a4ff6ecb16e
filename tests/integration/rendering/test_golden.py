"""Stored documents stay readable forever: every golden file decodes and renders to its bytes.

``tests/golden/v<N>/`` holds the stored JSON of documents issued in snapshot format N, the
images they refer to, and the SHA-256 of each one's PDF when it was issued. These files never
change; a new format adds a folder (see tests/golden/make_golden.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from wsis_funding.documents.codec import FORMAT, decode_snapshot, encode_snapshot
from wsis_funding.documents.model import (
    LOGO_TYPES,
    InvoiceSnapshot,
    LetterSnapshot,
    Logo,
    ReminderSnapshot,
)
from wsis_funding.rendering.render import render_pdf

GOLDEN = Path(__file__).parents[2] / "golden"
_MEDIA = {suffix: media for media, suffix in LOGO_TYPES.items()}


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for folder in sorted(GOLDEN.glob("v*")):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for name, facts in sorted(manifest.items()):
            cases.append((folder.name, name, facts["pdf_sha256"]))
    return cases


def _assets(folder: Path) -> dict[str, Logo]:
    found = {}
    for path in sorted((folder / "assets").glob("*")) if (folder / "assets").exists() else []:
        logo = Logo(_MEDIA[path.suffix.lstrip(".")], path.read_bytes())
        assert logo.sha256 == path.stem
        found[logo.sha256] = logo
    return found


def test_there_are_golden_files_of_every_format_up_to_the_current_one() -> None:
    """Each folder holds every kind of document its format could store (reminders from 4 on)."""
    assert {p.name for p in GOLDEN.glob("v*")} == {f"v{n}" for n in range(1, FORMAT + 1)}
    for folder in GOLDEN.glob("v*"):
        kinds = set()
        for path in folder.glob("*.json"):
            if path.name == "manifest.json":
                continue
            snapshot = decode_snapshot(path.read_text(encoding="utf-8"), _assets(folder))
            kinds.add("letter" if isinstance(snapshot, LetterSnapshot) else snapshot.kind)
        expected = {"invoice", "credit_note", "letter"}
        if int(folder.name[1:]) >= 4:
            expected.add("reminder")
        assert kinds == expected, folder.name


@pytest.mark.parametrize(("version", "name", "pdf_sha256"), _cases())
def test_a_golden_document_decodes_and_renders_to_the_same_bytes(
    version: str, name: str, pdf_sha256: str
) -> None:
    folder = GOLDEN / version
    text = (folder / name).read_text(encoding="utf-8").rstrip("\n")
    snapshot = decode_snapshot(text, _assets(folder))
    assert isinstance(snapshot, InvoiceSnapshot | LetterSnapshot | ReminderSnapshot)
    assert hashlib.sha256(render_pdf(snapshot)).hexdigest() == pdf_sha256


@pytest.mark.parametrize(
    ("version", "name", "pdf_sha256"), [c for c in _cases() if c[0] == f"v{FORMAT}"]
)
def test_a_golden_document_of_the_current_format_encodes_to_the_same_text(
    version: str, name: str, pdf_sha256: str
) -> None:
    folder = GOLDEN / version
    text = (folder / name).read_text(encoding="utf-8").rstrip("\n")
    encoded = encode_snapshot(decode_snapshot(text, _assets(folder)))
    assert encoded.text == text
    assert {logo.sha256 for logo in encoded.assets} <= set(_assets(folder))
