"""Fixtures of the integration tests that read documents as a person would: text and pages."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image


@pytest.fixture
def pdf_text(tmp_path: Path) -> Callable[[bytes], str]:
    """Return a function extracting a PDF's text with pdftotext (poppler-utils)."""

    def extract(pdf: bytes, *extra: str) -> str:
        path = tmp_path / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", *extra, str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    return extract


@pytest.fixture
def page_images(tmp_path: Path) -> Callable[[bytes, int], list[Image.Image]]:
    """Return a function rasterising every page of a PDF with pdftoppm at ``dpi``."""

    def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
        path = tmp_path / "pages.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(path), str(tmp_path / "page")], check=True
        )
        return [Image.open(p) for p in sorted(tmp_path.glob("page-*.png"))]

    return rasterise
