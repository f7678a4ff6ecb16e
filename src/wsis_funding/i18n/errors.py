"""Errors of the translations: a language that is not one of the six UN languages."""

from __future__ import annotations

from collections.abc import Iterable

from wsis_funding.errors import WsisFundingError

__all__ = ["UnsupportedLanguage"]


class UnsupportedLanguage(WsisFundingError, LookupError):
    """A document language that is not one of the six UN languages."""

    def __init__(self, language: object, supported: Iterable[str]) -> None:
        self.language = language
        self.supported = tuple(supported)
        super().__init__(
            f"unsupported document language {language!r}; "
            f"expected one of {', '.join(self.supported)}"
        )
