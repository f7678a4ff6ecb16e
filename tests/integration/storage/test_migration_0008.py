"""Migration 0008 seals what books written before it hold, so later tampering is reported."""

from __future__ import annotations

import datetime as dt
import json

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from tests.factories import DUE, ISSUED, Books, example_issuer
from tests.tampering import bypass_triggers, sql
from wsis_funding.ledger.chain import PostingKey, canonical_refs, chained_hash
from wsis_funding.money import money
from wsis_funding.services import open_tracker
from wsis_funding.storage.engine import make_engine

OLD_REFERENCE = "written by 0007"


def _migrate(url: str, target: str, *, down: bool = False) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", "wsis_funding.storage:migrations")
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, target)
    finally:
        engine.dispose()


def _append(conn: Connection, kind: str, memo: str, refs: list[tuple[str, str]],
            postings: list[tuple[str, int]]) -> int:  # fmt: skip
    """Append an entry as the code before 0008 did: no seal in its references."""
    seq, prev = conn.execute(text("SELECT seq, hash FROM journal_chain")).one()
    seq += 1
    ids = {}
    for code, _ in postings:
        found = conn.execute(text("SELECT id FROM accounts WHERE code = :c"), {"c": code}).scalar()
        if found is None:
            kind_of = code.partition(":")[0]
            conn.execute(
                text("INSERT INTO accounts (code, kind, partner_id) VALUES (:c, :k, 1)"),
                {"c": code, "k": kind_of},
            )
            found = conn.execute(
                text("SELECT id FROM accounts WHERE code = :c"), {"c": code}
            ).scalar_one()
        ids[code] = found
    refs_text = canonical_refs(refs)
    keys: list[PostingKey] = [(code, "CHF", m, m, None, None, None, None) for code, m in postings]
    digest = chained_hash(seq, prev, "2024-03-20", kind, memo, refs_text, keys)
    conn.execute(
        text(
            "INSERT INTO journal_entries (seq, entry_date, kind, memo, refs, prev_hash, hash) "
            "VALUES (:s, :d, :k, :m, :r, :p, :h)"
        ),
        {"s": seq, "d": dt.date(2024, 3, 20), "k": kind, "m": memo, "r": refs_text, "p": prev,
         "h": digest},
    )  # fmt: skip
    for n, (code, m) in enumerate(postings, start=1):
        conn.execute(
            text(
                "INSERT INTO journal_postings (entry_seq, line_no, account_id, currency, "
                "amount_minor, base_minor, entry_date) VALUES (:s, :n, :a, 'CHF', :m, :m, :d)"
            ),
            {"s": seq, "n": n, "a": ids[code], "m": m, "d": dt.date(2024, 3, 20)},
        )
        conn.execute(
            text(
                "UPDATE account_totals SET amount_minor = amount_minor + :m, "
                "base_minor = base_minor + :m WHERE account_id = :a AND currency = 'CHF'"
            ),
            {"m": m, "a": ids[code]},
        )
        conn.execute(
            text(
                "INSERT INTO account_totals (account_id, currency, amount_minor, base_minor) "
                "SELECT :a, 'CHF', :m, :m WHERE NOT EXISTS (SELECT 1 FROM account_totals "
                "WHERE account_id = :a AND currency = 'CHF')"
            ),
            {"m": m, "a": ids[code]},
        )
    conn.execute(text("UPDATE journal_chain SET seq = :s, hash = :h"), {"s": seq, "h": digest})
    return int(seq)


def _books_written_by_0007(url: str) -> str:
    """A season written now, then rows written the way 0007's code wrote them: a payment
    kept as credit and a letter copied, neither sealed. Returns the unsealed document number."""
    with open_tracker(url, issuer=example_issuer()) as tracker:
        books = Books(tracker)
        pledge = books.confirmed_pledge("60000", parts=2)
        tracker.issue_invoice(pledge, ISSUED, due_on=DUE)
        tracker.record_payment(
            books.pid, money("30000", "CHF"), received_on=dt.date(2024, 3, 5), reference="A"
        )
    _migrate(url, "0007", down=True)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            seq = _append(
                conn, "payment", f"Payment {OLD_REFERENCE} from partner 1",
                [("partner", "1"), ("reference", OLD_REFERENCE)],
                [("bank:CHF", 50000), ("unapplied:1", -50000)],
            )  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO payments (partner_id, currency, amount_minor, charges_minor, "
                    "received_on, reference, settled_minor, unapplied_minor, entry_seq, source) "
                    "VALUES (1, 'CHF', 50000, 0, :d, :r, 0, 50000, :s, 'bank')"
                ),
                {"d": dt.date(2024, 3, 20), "r": OLD_REFERENCE, "s": seq},
            )
            row = dict(
                conn.execute(text("SELECT * FROM documents WHERE kind = 'invoice'")).one()._mapping
            )
            row.update(id=50, seq=2, number="WSIS-2024-0002", payment_reference=None)
            conn.execute(
                text(f"INSERT INTO documents ({', '.join(row)}) VALUES (:{', :'.join(row)})"),
                row,
            )
            conn.execute(text("UPDATE document_counters SET last_seq = 2 WHERE series = 'WSIS'"))
    finally:
        engine.dispose()
    return "WSIS-2024-0002"


def test_upgrading_seals_the_payments_and_documents_written_before(db_url: str) -> None:
    number = _books_written_by_0007(db_url)
    with open_tracker(db_url) as tracker, tracker.engine.connect() as conn:
        assert tracker.verify() == []
        sealed = conn.execute(
            text("SELECT memo, refs FROM journal_entries WHERE kind = 'payment_seal'")
        ).all()
        documents = conn.execute(
            text("SELECT memo FROM journal_entries WHERE kind = 'document' ORDER BY seq")
        ).scalars()
        assert len(sealed) == 2  # the payment of the season and the one written by 0007
        assert f"{number} sealed on upgrade" in " ".join(documents)
        assert {json.loads(r)[-1][0] for _, r in sealed} == {"settlements_sha256"}


def test_after_the_upgrade_tampering_with_what_0007_wrote_is_reported(db_url: str) -> None:
    number = _books_written_by_0007(db_url)
    with open_tracker(db_url) as tracker:
        bypass_triggers(tracker)
        sql(
            tracker,
            "UPDATE payments SET amount_minor = 500000 WHERE reference = :r",
            "DELETE FROM documents WHERE number = :n",
            r=OLD_REFERENCE,
            n=number,
        )
        codes = {(p.code, p.subject) for p in tracker.verify()}
        assert ("payment.seal", "payment 2") in codes
        assert ("document.missing", number) in codes
        assert ("document.gap", number) in codes


def test_downgrading_to_0007_drops_the_triggers_and_upgrading_again_works(db_url: str) -> None:
    with open_tracker(db_url) as tracker:
        books = Books(tracker)
        books.confirmed_pledge("1000")
    _migrate(db_url, "0007", down=True)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:  # no trigger refuses it any more
            conn.execute(text("UPDATE pledges SET signed_on = :d"), {"d": dt.date(2024, 1, 10)})
            conn.execute(text("UPDATE pledges SET signed_on = :d"), {"d": dt.date(2024, 1, 15)})
    finally:
        engine.dispose()
    with open_tracker(db_url) as tracker:
        assert tracker.verify() == []
