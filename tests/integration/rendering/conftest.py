"""Fixtures of the PDF tests: rendered example documents (text and page images: one level up)."""

from __future__ import annotations

import pytest

from wsis_funding.examples import example_invoice
from wsis_funding.rendering.render import render_pdf


@pytest.fixture(scope="session")
def english_invoice_pdf() -> bytes:
    """The English CHF example invoice, rendered once for the session."""
    return render_pdf(example_invoice())
