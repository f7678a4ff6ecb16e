"""Rendering in worker processes changes nothing: the same documents, numbers and PDF bytes.

The same season is played on two fresh databases of the same engine, one batch run with one
process and the other with two worker processes, PDFs written to a folder each. A partner
whose name no font draws (stored before names were checked) fails in the middle of the
invoices, in a worker, and the numbers after it close the gap in both runs alike.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
from sqlalchemy import select

from tests.databases import database
from tests.factories import SIGNED, Books, example_issuer, make_partner
from wsis_funding.ledger.model import Language
from wsis_funding.ledger.validation import identity_key
from wsis_funding.money import money
from wsis_funding.services import BatchSummary, Tracker, open_tracker
from wsis_funding.storage import tables as t
from wsis_funding.storage.rows import partner_to_row

TOTO_PA = "\U0001e290"
LANGUAGES = (Language.EN, Language.FR, Language.AR, Language.ZH)


def _partner(tracker: Tracker, short: str, language: Language, name: str | None) -> int:
    partner = attrs.evolve(make_partner(short), language=language)
    if name is None:
        stored = tracker.add_partner(partner)
        assert stored.id is not None
        return stored.id
    row = partner_to_row(partner) | {"legal_name": name, "short_name_key": identity_key(short)}
    with tracker.engine.begin() as conn:
        return int(
            conn.execute(t.partners.insert().values(row).returning(t.partners.c.id)).scalar_one()
        )


def season(tracker: Tracker, out: Path, workers: int) -> list[BatchSummary]:
    """Invoices due by 1 April, payments, letters by 31 March, reminders on 2 May."""
    Books(tracker)
    partners = []
    for n in range(5):
        name = f"Toto {TOTO_PA}" if n == 2 else None
        pid = _partner(tracker, f"S{n}", LANGUAGES[n % len(LANGUAGES)], name)
        total = money(f"{(n + 1) * 10000}.{n}5", "CHF")
        pledge = tracker.create_pledge(pid, "WSIS2024", amount=total, signed_on=SIGNED,
                                       instalments=[(dt.date(2024, 3, 1 + n), total)])  # fmt: skip
        tracker.confirm(pledge)
        partners.append(pid)
    runs = [
        tracker.issue_due_invoices(
            "WSIS2024", dt.date(2024, 4, 1), on=dt.date(2024, 2, 1), workers=workers, out=out
        )
    ]
    for n, pid in enumerate(partners):
        if n in (0, 1, 3):
            tracker.record_payment(pid, money("4000", "CHF"), received_on=dt.date(2024, 3, 10 + n),
                                   reference=f"bank {n}", idempotency_key=f"k{n}")  # fmt: skip
    runs.append(tracker.acknowledge_payments("WSIS2024", dt.date(2024, 3, 31), workers=workers,
                                             out=out))  # fmt: skip
    runs.append(tracker.issue_reminders("WSIS2024", dt.date(2024, 5, 2), workers=workers, out=out))
    return runs


def stored(tracker: Tracker) -> dict[str, str]:
    with tracker.engine.connect() as conn:
        return dict(conn.execute(select(t.documents.c.number, t.documents.c.snapshot)).all())


def test_two_workers_give_the_same_documents_and_bytes_as_one(db_url: str, tmp_path: Path) -> None:
    engine = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    one_dir, two_dir = tmp_path / "one", tmp_path / "two"
    with open_tracker(db_url, issuer=example_issuer()) as one:
        one_runs = season(one, one_dir, workers=1)
        one_docs = stored(one)
        firsts = ("WSIS-2024-0003", "WSIS-ACK-2024-0001", "WSIS-REM-2024-0004")
        one_pdfs = {number: one.render_pdf(number) for number in firsts}
    with database(engine) as url, open_tracker(url, issuer=example_issuer()) as two:
        two_runs = season(two, two_dir, workers=2)
        two_docs = stored(two)

    # 5 instalments due, the third failing; 3 payments with a letter each; 4 pledges with
    # something overdue on 2 May (4,000 paid is less than any pledge; the partner whose
    # invoice failed has none to be reminded of).
    assert [(len(r.issued), len(r.skipped), len(r.failed)) for r in one_runs] == [
        (4, 0, 1),
        (3, 0, 0),
        (4, 0, 0),
    ]
    assert [[(i.outcome, i.number, i.error, i.reason) for i in r.items] for r in two_runs] == [
        [(i.outcome, i.number, i.error, i.reason) for i in r.items] for r in one_runs
    ]
    assert two_docs == one_docs
    numbers = sorted(one_docs)
    assert numbers == sorted(
        [f"WSIS-2024-{n:04d}" for n in range(1, 5)]
        + [f"WSIS-ACK-2024-{n:04d}" for n in range(1, 4)]
        + [f"WSIS-REM-2024-{n:04d}" for n in range(1, 5)]
    )
    assert sorted(p.name for p in one_dir.iterdir()) == [f"{n}.pdf" for n in numbers]
    assert sorted(p.name for p in two_dir.iterdir()) == [f"{n}.pdf" for n in numbers]
    for number in numbers:
        written = (one_dir / f"{number}.pdf").read_bytes()
        assert (two_dir / f"{number}.pdf").read_bytes() == written, number
    for number, pdf in one_pdfs.items():  # what was written is the document's own PDF
        assert (one_dir / f"{number}.pdf").read_bytes() == pdf
    for run in two_runs:
        for item in run.issued:
            assert item.pdf == two_dir / f"{item.number}.pdf"
