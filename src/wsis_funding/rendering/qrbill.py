"""The Swiss QR-bill payment part of CHF and EUR invoices payable to a Swiss or Liechtenstein IBAN.

Addresses are structured (type ``S``), the reference is the invoice's ISO 11649 RF reference.
The payment part is drawn as SVG by the ``qrbill`` library with Liberation Sans, one of the
fonts the Swiss implementation guidelines allow. The debtor is printed only if the partner's
name and address fit the QR-bill character set and field lengths; otherwise the "Payable by"
box is left blank for the payer to fill in, as the guidelines permit.
"""

from __future__ import annotations

import io
from typing import Final

from wsis_funding.documents.errors import InvalidBankAccount, InvalidSnapshot
from wsis_funding.documents.model import InvoiceSnapshot, PostalAddress
from wsis_funding.rendering.errors import MissingIban

__all__ = ["QR_CURRENCIES", "QR_IBAN_COUNTRIES", "qrbill_due", "qrbill_svg"]

QR_CURRENCIES: Final = frozenset({"CHF", "EUR"})
QR_IBAN_COUNTRIES: Final = frozenset({"CH", "LI"})
# The Swiss Payment Standards character set: Basic Latin, Latin-1 Supplement, Latin Extended-A
# and a few more letters; we accept the first three blocks (minus controls) plus the euro sign.
_EXTRA: Final = frozenset("ȘșȚț€")


def _printable(text: str) -> bool:
    return all(0x20 <= ord(c) <= 0x7E or 0xA0 <= ord(c) <= 0x17F or c in _EXTRA for c in text)


def qrbill_due(doc: InvoiceSnapshot) -> bool:
    """Return whether ``doc`` carries a Swiss QR-bill payment part.

    True for invoices (not credit notes) in CHF or EUR payable to a CH or LI IBAN. Raises
    :class:`MissingIban` for an invoice whose issuer has no bank account at all.
    """
    if doc.kind != "invoice":
        return False
    account = doc.issuer.bank_account
    if account is None:
        raise MissingIban(doc.number)
    return doc.currency in QR_CURRENCIES and account.country in QR_IBAN_COUNTRIES


def _address_fits(name: str, address: PostalAddress) -> bool:
    parts = (name, address.street, address.building_number, address.postcode, address.town)
    limits = (70, 70, 16, 16, 35)
    return all(len(p) <= n and _printable(p) for p, n in zip(parts, limits, strict=True))


def _address(name: str, address: PostalAddress) -> dict[str, str]:
    return {
        "name": name,
        "street": address.street,
        "house_num": address.building_number,
        "pcode": address.postcode,
        "city": address.town,
        "country": address.country,
    }


class _QrPath:
    """The QR code in the shape qrbill reads from qrcode's SvgPathImage: one path, a width.

    Built with segno, which encodes the same symbol (error level M, best mask) about twice as
    fast as the qrcode package; the QR code is most of the time spent preparing an invoice.
    Coordinates are in modules, ``width`` is the number of modules (no quiet zone).
    """

    def __init__(self, data: str) -> None:
        import segno

        matrix = segno.make(data, error="m", micro=False, boost_error=False).matrix
        self.width = len(matrix)
        runs: list[str] = []
        for y, row in enumerate(matrix):
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    runs.append(f"M{start},{y}h{x - start}v1h-{x - start}z")
                else:
                    x += 1
        self._path = "".join(runs)

    def save(self, out: io.BytesIO) -> None:
        """Write the symbol as an SVG document with a single path."""
        out.write(
            f'<svg xmlns="http://www.w3.org/2000/svg"><path d="{self._path}"/></svg>'.encode()
        )


def qrbill_svg(doc: InvoiceSnapshot) -> bytes:
    """Return the QR-bill payment part (receipt and payment part, 210 x 106 mm) as SVG bytes.

    The amount is what the invoice asks for (:attr:`InvoiceSnapshot.amount_due`): the total
    less any money already received.

    Raises :class:`MissingIban` if the issuer has no bank account, :class:`InvalidBankAccount`
    for a QR-IBAN (an RF reference needs an ordinary IBAN) and :class:`InvalidSnapshot` if the
    issuer's name or address does not fit the QR-bill rules.
    """
    from qrbill import QRBill

    class _Bill(QRBill):  # type: ignore[misc]
        font_family = "Liberation Sans"

        def qr_image(self) -> _QrPath:
            return _QrPath(self.qr_data())

    account = doc.issuer.bank_account
    if account is None:
        raise MissingIban(doc.number)
    issuer = doc.issuer
    if not _address_fits(issuer.organisation, issuer.address):
        raise InvalidSnapshot("issuer", "name or address does not fit the QR-bill rules")
    partner = doc.partner
    debtor = (
        _address(partner.name, partner.address)
        if _address_fits(partner.name, partner.address)
        else None
    )
    try:
        bill = _Bill(
            account=account.iban,
            creditor=_address(issuer.organisation, issuer.address),
            debtor=debtor,
            amount=str(doc.amount_due.amount),
            currency=doc.currency,
            reference_number=doc.payment_reference,
            additional_information=doc.number,
            language="fr" if doc.language == "fr" else "en",
        )
    except ValueError as exc:
        if "QR-IBAN" in str(exc):
            raise InvalidBankAccount(
                "IBAN", account.iban, "a QR-IBAN needs a QR reference; use an ordinary IBAN"
            ) from exc
        raise InvalidSnapshot("qrbill", str(exc)) from exc
    out = io.StringIO()
    bill.as_svg(out)
    return out.getvalue().encode("utf-8")
