"""Make the golden files of the current snapshot format (run by hand, once per format).

    .venv/bin/python -m tests.golden.make_golden

Issues three invoices (one after a partial payment), a reduction and a correction credit
note, a letter for a payment that quoted its invoice and (format 4 on) a reminder of an invoice
partly paid after its due date through the public API on a fresh SQLite file, with an issuer
that has a logo, and writes their stored JSON, the logo they refer to and the SHA-256 of each
rendered PDF into ``tests/golden/v<FORMAT>/``. Golden files never change once committed: a
later format adds a new folder beside them, and
``tests/integration/rendering/test_golden.py`` renders every folder with the current code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from pathlib import Path

import attrs
from sqlalchemy import select

from wsis_funding import Language, open_tracker, split_evenly
from wsis_funding.documents.codec import FORMAT, decode_snapshot
from wsis_funding.documents.model import LOGO_TYPES, Logo
from wsis_funding.examples import DEMO_PARTNERS, DEMO_RATES, example_edition, example_issuer
from wsis_funding.money import money
from wsis_funding.rendering.render import render_pdf
from wsis_funding.storage.tables import document_assets, documents

HERE = Path(__file__).parent
LOGO = HERE / "logo.png"


def main() -> None:
    """Write ``tests/golden/v<FORMAT>``; refuse to overwrite an existing folder."""
    out = HERE / f"v{FORMAT}"
    if out.exists():
        raise SystemExit(f"{out} exists: golden files never change")
    issuer = attrs.evolve(example_issuer(), logo=Logo("image/png", LOGO.read_bytes()))
    folder = tempfile.mkdtemp()
    t = open_tracker(f"sqlite:///{folder}/golden.db", issuer=issuer)
    t.add_edition(example_edition())
    t.add_rates(DEMO_RATES)
    acme, gtra, dsr = (t.add_partner(DEMO_PARTNERS[i]) for i in (1, 2, 3))
    assert acme.language is Language.FR
    assert gtra.language is Language.AR
    signed = dt.date(2024, 1, 22)
    chf = money("160000", "CHF")
    p1 = t.confirm(
        t.create_pledge(acme.id or 0, "WSIS2024", amount=chf, signed_on=signed,
                        instalments=split_evenly(chf, [dt.date(2024, 3, 1), dt.date(2024, 6, 1)]),
                        tier="gold")
    )  # fmt: skip
    inv1 = t.issue_invoice(p1, dt.date(2024, 2, 1), due_on=dt.date(2024, 3, 2))
    cn1 = t.credit_invoice(
        inv1.number,
        dt.date(2024, 2, 5),
        kind="reduction",
        amount=money("10000", "CHF"),
        reason="Agreed discount",
    )
    usd = money("350000", "USD")
    p2 = t.confirm(
        t.create_pledge(gtra.id or 0, "WSIS2024", amount=usd, signed_on=signed,
                        instalments=split_evenly(usd, [dt.date(2024, 3, 1), dt.date(2024, 6, 1)]),
                        tier="gold_plus")
    )  # fmt: skip
    inv2 = t.issue_invoice(p2.instalments[0], dt.date(2024, 2, 1), due_on=dt.date(2024, 3, 2))
    cn2 = t.cancel_invoice(
        inv2.number, dt.date(2024, 2, 6), kind="correction", reason="Wrong address"
    )
    p3 = t.confirm(
        t.create_pledge(dsr.id or 0, "WSIS2024", amount=money("25000", "CHF"), signed_on=signed,
                        tier="supporting")
    )  # fmt: skip
    # Format 3: an invoice after a partial payment lists it and asks for the rest; the
    # payment of the rest quotes the invoice and the bank deducted charges.
    t.record_payment(dsr.id or 0, money("10000", "CHF"), received_on=dt.date(2024, 1, 30),
                     reference="BANK-DSR-000", idempotency_key="g-dsr-0")  # fmt: skip
    inv3 = t.issue_invoice(p3, dt.date(2024, 2, 1), due_on=dt.date(2024, 3, 2))
    pay = t.record_payment(dsr.id or 0, money("14975", "CHF"), received_on=dt.date(2024, 3, 5),
                           reference="BANK-DSR-001", idempotency_key="g-dsr-1",
                           bank_charges=money("25", "CHF"),
                           invoice=inv3.payment_reference)  # fmt: skip
    letter = t.acknowledge(pay, dt.date(2024, 3, 6))
    # Format 4: ACME paid part of its (reduced) invoice late; a reminder lists what is open.
    t.record_payment(acme.id or 0, money("50000", "CHF"), received_on=dt.date(2024, 3, 10),
                     reference="BANK-ACME-001", idempotency_key="g-acme-1",
                     invoice=inv1.payment_reference)  # fmt: skip
    reminder = t.issue_reminder(p1, dt.date(2024, 4, 2))
    names = {
        inv1.number: "invoice-chf-qrbill-fr",
        cn1.number: "credit-note-partial-fr",
        inv2.number: "invoice-usd-instalment-ar",
        cn2.number: "credit-note-cancellation-ar",
        inv3.number: "invoice-after-payment-zh",
        letter.number: "letter-zh",
        reminder.number: "reminder-fr",
    }
    (out / "assets").mkdir(parents=True)
    manifest = {}
    with t.engine.connect() as conn:
        assets = {
            r.sha256: Logo(r.media_type, bytes(r.data))
            for r in conn.execute(select(document_assets))
        }
        for sha, logo in assets.items():
            (out / "assets" / f"{sha}.{LOGO_TYPES[logo.media_type]}").write_bytes(logo.data)
        for number, stem in names.items():
            text = conn.execute(
                select(documents.c.snapshot).where(documents.c.number == number)
            ).scalar_one()
            (out / f"{stem}.json").write_text(text + "\n", encoding="utf-8")
            pdf = render_pdf(decode_snapshot(text, assets))
            manifest[f"{stem}.json"] = {
                "number": number,
                "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
            }
    t.close()
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
