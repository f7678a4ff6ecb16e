"""The only door WeasyPrint has to the outside: a URL fetcher serving our own assets.

Templates refer to assets as ``wsis-asset:<name>``. The fetcher serves the stylesheet and static
files of the template directories (a user's directory first, then ours), the issuer's logo, and
the files generated for one document (the QR-bill SVG, the Factur-X XML). Anything else
(``file:``, ``http(s):``, ``data:``, other names) is refused and logged, so that text from a
partner can never make the renderer read a local file or reach the network.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from weasyprint.urls import URLFetcher, URLFetcherResponse

from wsis_funding.documents.model import Logo

__all__ = ["SCHEME", "AssetFetcher", "RefusedResource", "asset_url"]

LOG: Final = logging.getLogger(__name__)
SCHEME: Final = "wsis-asset"
_NAME: Final = re.compile(r"[a-z0-9][a-z0-9_.-]*\.(css|svg|png|jpg|xml)|logo")
_TYPES: Final = {
    "css": "text/css",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "xml": "text/xml",
}


class RefusedResource(PermissionError):
    """Raised inside WeasyPrint for a URL the fetcher does not serve (it logs a warning)."""


def asset_url(name: str) -> str:
    """Return the URL templates use for the asset ``name`` (``wsis-asset:style.css``)."""
    return f"{SCHEME}:{name}"


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that serves only named assets and refuses every other URL."""

    def __init__(
        self,
        *,
        static_dirs: Sequence[Path],
        generated: Mapping[str, bytes] | None = None,
        logo: Logo | None = None,
    ) -> None:
        """Serve files from ``static_dirs`` (first wins), ``generated`` bytes and ``logo``."""
        super().__init__(allowed_protocols={SCHEME}, allow_redirects=False)
        self._static_dirs = tuple(static_dirs)
        self._generated = dict(generated or {})
        self._logo = logo
        self.requested: list[str] = []

    def _body(self, name: str) -> tuple[bytes, str] | None:
        if name == "logo":
            if self._logo is None:
                return None
            return self._logo.data, self._logo.media_type
        kind = _TYPES[name.rsplit(".", 1)[1]]
        if name in self._generated:
            return self._generated[name], kind
        for folder in self._static_dirs:
            candidate = folder / name
            if candidate.is_file():
                return candidate.read_bytes(), kind
        return None

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the asset named by ``url``; raise :class:`RefusedResource` for anything else."""
        self.requested.append(url)
        LOG.debug("asset requested: %s", url)
        prefix = f"{SCHEME}:"
        name = url[len(prefix) :] if url.startswith(prefix) else ""
        found = self._body(name) if _NAME.fullmatch(name) else None
        if found is None:
            LOG.warning("refused to fetch %r: not one of the document's own assets", url)
            raise RefusedResource(f"refused to fetch {url!r}")
        body, content_type = found
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
