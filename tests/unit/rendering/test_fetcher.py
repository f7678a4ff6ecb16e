"""The URL fetcher serves our own assets and refuses everything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from wsis_funding.documents.model import Logo
from wsis_funding.rendering.fetcher import AssetFetcher, RefusedResource, asset_url
from wsis_funding.rendering.templating import TEMPLATE_DIR


@pytest.fixture
def fetcher(tmp_path: Path) -> AssetFetcher:
    logo = Logo("image/png", b"\x89PNG fake")
    return AssetFetcher(static_dirs=[TEMPLATE_DIR], generated={"qrbill.svg": b"<svg/>"}, logo=logo)


def test_stylesheet_is_served(fetcher: AssetFetcher) -> None:
    response = fetcher.fetch(asset_url("style.css"))
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_generated_asset_and_logo_are_served(fetcher: AssetFetcher) -> None:
    assert fetcher.fetch(asset_url("qrbill.svg")).read() == b"<svg/>"
    assert fetcher.fetch(asset_url("logo")).read() == b"\x89PNG fake"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/a.css",
        "data:text/css,p{}",
        "wsis-asset:../errors.py",
        "wsis-asset:/etc/passwd",
        "wsis-asset:base.html",
        "wsis-asset:missing.css",
    ],
)
def test_other_urls_are_refused(fetcher: AssetFetcher, url: str) -> None:
    with pytest.raises(RefusedResource):
        fetcher.fetch(url)
    assert fetcher.requested == [url]


def test_logo_is_refused_when_none_is_configured() -> None:
    with pytest.raises(RefusedResource):
        AssetFetcher(static_dirs=[TEMPLATE_DIR]).fetch(asset_url("logo"))
