"""Errors raised while rendering documents: fonts, templates, payment instructions."""

from __future__ import annotations

from collections.abc import Iterable

from wsis_funding.errors import WsisFundingError

__all__ = ["MissingGlyphs", "MissingIban", "TemplateVariableMissing"]


class MissingIban(WsisFundingError, LookupError):
    """An invoice (or a reminder) needs payment instructions but the issuer has no bank account.

    ``what`` names the kind of document.
    """

    def __init__(self, number: str, what: str = "invoice") -> None:
        self.number = number
        self.what = what
        super().__init__(
            f"{what} {number!r} needs payment instructions (IBAN, QR-bill) "
            "but the issuer has no bank account configured"
        )


class TemplateVariableMissing(WsisFundingError, LookupError):
    """A document template refers to a variable the renderer does not provide."""

    def __init__(self, template: str, message: str) -> None:
        self.template = template
        self.message = message
        super().__init__(f"template {template!r} refers to a missing variable: {message}")


class MissingGlyphs(WsisFundingError, ValueError):
    """Characters of a document that no installed font can draw (they would print as boxes)."""

    def __init__(self, characters: Iterable[str]) -> None:
        self.characters = tuple(sorted(set(characters)))
        self.code_points = tuple(f"U+{ord(c):04X}" for c in self.characters)
        listed = ", ".join(
            f"{c!r} {cp}" for c, cp in zip(self.characters, self.code_points, strict=True)
        )
        super().__init__(f"no available font draws {listed}")
