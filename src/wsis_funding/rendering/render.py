"""Rendering document snapshots to PDF: snapshot -> Jinja2 -> HTML -> WeasyPrint -> bytes.

Invoices and credit notes are PDF/A-3b with the Factur-X EN 16931 XML embedded as
``factur-x.xml``; CHF and EUR invoices payable to a Swiss or Liechtenstein IBAN get a Swiss
QR-bill payment part on a last page. Letters and reminders are PDF/A-3b without attachment.
The output is reproducible: dates come from the issue date and the PDF identifier and XMP
document id are derived from the content, so the same snapshot always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from wsis_funding.documents.model import LetterSnapshot, Logo, ReminderSnapshot, Snapshot
from wsis_funding.rendering import context as ctx
from wsis_funding.rendering.facturx import FACTURX_FILENAME, cii_xml, xmp_packet
from wsis_funding.rendering.fetcher import AssetFetcher, asset_url
from wsis_funding.rendering.fonts import check_glyphs, drawn_text, font_configuration
from wsis_funding.rendering.qrbill import qrbill_svg
from wsis_funding.rendering.templating import render_template, template_dirs

if TYPE_CHECKING:
    from weasyprint import Document

__all__ = ["PDF_VARIANT", "RenderInput", "prepare", "render_pdf", "write_pdf"]

PDF_VARIANT: Final = "pdf/a-3b"
CREATOR_TOOL: Final = "wsis-funding"
QRBILL_ASSET: Final = "qrbill.svg"


@attrs.frozen(kw_only=True)
class RenderInput:
    """What WeasyPrint needs for one document: the HTML, generated assets and PDF metadata."""

    html: str
    generated: dict[str, bytes]
    facturx: bytes | None
    title: str
    author: str
    timestamp: str
    issued_on: dt.date
    language: str
    logo: Logo | None
    template_dir: Path | None
    digest: str

    def fetcher(self) -> AssetFetcher:
        """Return a fresh URL fetcher serving this document's assets and nothing else."""
        return AssetFetcher(
            static_dirs=template_dirs(self.template_dir), generated=self.generated, logo=self.logo
        )


def prepare(document: Snapshot, *, template_dir: Path | None = None) -> RenderInput:
    """Build the HTML and assets of ``document`` and check that every glyph can be drawn.

    Raises :class:`MissingIban` (invoice or reminder, issuer without bank account),
    :class:`TemplateVariableMissing` (template uses an unknown variable),
    :class:`MissingGlyphs` (a character no installed font draws), :class:`InvalidBankAccount`
    (QR-IBAN with an RF reference) and :class:`InvalidSnapshot` (issuer data unfit for a QR-bill).
    """
    generated: dict[str, bytes] = {}
    facturx: bytes | None = None
    context: dict[str, Any]
    if isinstance(document, LetterSnapshot):
        template = "letter.html"
        context = ctx.letter_context(document)
    elif isinstance(document, ReminderSnapshot):
        template = "reminder.html"
        context = ctx.reminder_context(document)
    else:
        template = "invoice.html"
        context = ctx.invoice_context(document)
        if context["qrbill"]:
            generated[QRBILL_ASSET] = qrbill_svg(document)
        facturx = cii_xml(document, template_dir=template_dir)
        generated[FACTURX_FILENAME] = facturx
    html = render_template(template, context, language=document.language, template_dir=template_dir)
    check_glyphs([drawn_text(html), *(drawn_text(v.decode()) for v in generated.values())])
    digest = hashlib.sha256()
    for part in (html.encode(), *(generated[k] for k in sorted(generated))):
        digest.update(hashlib.sha256(part).digest())
    return RenderInput(
        html=html,
        generated=generated,
        facturx=facturx,
        title=str(context["title"]),
        author=document.issuer.organisation,
        timestamp=ctx.timestamp(document),
        issued_on=document.issued_on,
        language=document.language,
        logo=document.issuer.logo,
        template_dir=template_dir,
        digest=digest.hexdigest(),
    )


def _uuid(digest: str) -> str:
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def write_pdf(prepared: RenderInput) -> bytes:
    """Lay out ``prepared`` with WeasyPrint and return the PDF/A-3b bytes."""
    from weasyprint import HTML, Attachment
    from weasyprint import __version__ as weasyprint_version

    fetcher = prepared.fetcher()
    moment = dt.datetime.combine(prepared.issued_on, dt.time(0, 0))
    attachments = []
    if prepared.facturx is not None:
        attachments.append(
            Attachment(
                url=asset_url(FACTURX_FILENAME),
                url_fetcher=fetcher,
                name=FACTURX_FILENAME,
                description="Factur-X EN 16931 invoice",
                created=moment,
                modified=moment,
                relationship="Data",
            )
        )
    packet = xmp_packet(
        title=prepared.title,
        author=prepared.author,
        producer=f"WeasyPrint {weasyprint_version}",
        creator_tool=CREATOR_TOOL,
        timestamp=prepared.timestamp,
        document_id=_uuid(prepared.digest),
        facturx=prepared.facturx is not None,
        language=prepared.language,
    )

    def finisher(document: Document, pdf: Any) -> None:
        # WeasyPrint writes its own XMP (random-free but without the Factur-X extension
        # schema); replace the whole packet so that Info and XMP agree and fx is declared.
        reference = pdf.catalog["Metadata"]
        if isinstance(reference, bytes):
            reference = reference.decode("ascii")
        number = int(reference.split()[0])
        stream = pdf.objects[number]
        stream.stream = [packet]
        stream.compress = False
        # WeasyPrint 70 lists each attachment twice in the catalog's /AF array.
        if "AF" in pdf.catalog:
            unique = list(dict.fromkeys(pdf.catalog["AF"]))
            pdf.catalog["AF"].clear()
            pdf.catalog["AF"].extend(unique)

    html = HTML(string=prepared.html, url_fetcher=fetcher, base_url=None)
    document = html.render(font_config=font_configuration())
    output = io.BytesIO()
    document.write_pdf(
        output,
        finisher=finisher,
        pdf_variant=PDF_VARIANT,
        pdf_identifier=prepared.digest[:32].encode("ascii"),
        attachments=attachments,
    )
    return output.getvalue()


def render_pdf(document: Snapshot, *, template_dir: Path | None = None) -> bytes:
    """Render an invoice, credit note, acknowledgement letter or reminder snapshot to PDF bytes.

    ``template_dir`` holds templates (and static files such as ``style.css``) that override
    ours by name. Raises the errors of :func:`prepare`; the same snapshot always gives the same
    bytes.
    """
    return write_pdf(prepare(document, template_dir=template_dir))
