"""Helpers for the PDF tests: text extraction, page images, and rendered example documents."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from wsis_funding.examples import example_invoice
from wsis_funding.rendering.render import render_pdf


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


@pytest.fixture(scope="session")
def english_invoice_pdf() -> bytes:
    """The English CHF example invoice, rendered once for the session."""
    return render_pdf(example_invoice())
