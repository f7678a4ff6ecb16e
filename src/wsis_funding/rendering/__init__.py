"""Rendering document snapshots to PDF/A-3b: templates, catalogs' texts, fonts, QR-bill, Factur-X.

snapshot -> Jinja2 (autoescape, StrictUndefined) -> HTML -> WeasyPrint (asset-only URL fetcher,
one FontConfiguration per process) -> bytes. Importing this package loads nothing heavy;
:func:`wsis_funding.rendering.render.render_pdf` imports WeasyPrint.
"""
