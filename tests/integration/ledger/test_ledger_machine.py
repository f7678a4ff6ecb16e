"""A Hypothesis state machine drives random pledge, confirm, amend, pay, cancel and write-off
sequences against a simple model of what each partner owes, on SQLite and PostgreSQL.

Invariants after every step: each entry balances and the chain verifies (verify() is empty),
the whole journal sums to zero per currency and in base, receivables and bank balances match
the model, and the standing's tier is what tiers.classify gives for the model's total.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import uuid
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

from tests.factories import RATES, SIGNED, make_edition, make_partner
from wsis_funding import errors
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.ledger.model import Payment, PledgeStatus
from wsis_funding.money import from_minor, money
from wsis_funding.services import Tracker, open_tracker
from wsis_funding.tiers import classify, illustrative_schedule

CURRENCIES = ("CHF", "USD")
PHASES = tuple(Phase)  # MACHINE_EXAMPLES=n runs more examples
PAY_DATES = (dt.date(2024, 1, 20), dt.date(2024, 3, 10), dt.date(2024, 4, 10))
amounts = st.integers(min_value=1, max_value=30_000_000)  # minor units, up to 300 000.00


def _pg_database() -> tuple[str, str]:
    import psycopg

    admin = os.environ["WSIS_TEST_PG_URL"]
    name = f"wsis_m_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{admin.rpartition('/')[0]}/{name}", name


def _pg_drop(name: str) -> None:
    import psycopg

    admin = os.environ["WSIS_TEST_PG_URL"]
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class LedgerMachine(RuleBasedStateMachine):
    engine_name = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self._cleanup: Any = None
        if self.engine_name == "sqlite":
            folder = tempfile.mkdtemp()
            url = f"sqlite:///{folder}/books.db"
            self._cleanup = lambda: shutil.rmtree(folder, ignore_errors=True)
        else:
            url, name = _pg_database()
            self._cleanup = lambda: _pg_drop(name)
        self.t: Tracker = open_tracker(url)
        self.pids: list[int] = []
        for short in ("ACME", "GLOBEX"):
            pid = self.t.add_partner(make_partner(short)).id
            assert pid is not None
            self.pids.append(pid)
        self.t.add_edition(make_edition())
        self.t.add_rates(RATES)
        self.schedule = illustrative_schedule()
        self.pledges: list[int] = []
        self.keys: dict[str, tuple[Any, ...]] = {}
        # Bank lines recorded (partner, currency, amount, value date, reference): a payment
        # without a key that repeats one is a probable duplicate unless the caller says not.
        self.lines: set[tuple[Any, ...]] = set()
        # Model: what each (partner, currency) owes, and the money banked per currency.
        self.owed: dict[tuple[int, str], int] = defaultdict(int)
        self.banked: dict[str, int] = defaultdict(int)
        # Counted pledges: partner, currency, amount in minor units, written off or not.
        self.counted: dict[int, list[Any]] = {}
        self.credit: dict[tuple[int, str], int] = defaultdict(int)

    def teardown(self) -> None:
        self.t.close()
        self._cleanup()

    @initialize()
    def start(self) -> None:
        assert self.t.verify() == []

    @rule(
        who=st.sampled_from([0, 1]),
        cur=st.sampled_from(CURRENCIES),
        minor=amounts,
        parts=st.integers(1, 3),
        confirm=st.booleans(),
    )
    def pledge(self, who: int, cur: str, minor: int, parts: int, confirm: bool) -> None:
        amount = from_minor(minor, cur)
        dues = [dt.date(2024, 2, 1) + dt.timedelta(days=30 * i) for i in range(parts)]
        if minor < parts:
            dues = dues[:1]
        p = self.t.create_pledge(
            self.pids[who],
            "WSIS2024",
            amount=amount,
            signed_on=SIGNED,
            instalments=split_evenly(amount, dues),
        )
        self.pledges.append(p.id)
        if confirm:
            self._confirm(p.id)

    def _confirm(self, pledge_id: int) -> None:
        p = self.t.confirm(pledge_id)
        key = (p.partner_id, p.currency)
        self.owed[key] += int(p.amount.amount * 10**2)
        self.counted[p.id] = [p.partner_id, p.currency, int(p.amount.amount * 100), False]

    @precondition(lambda self: self.pledges)
    @rule(data=st.data())
    def confirm_again_or_draft(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.pledges))
        p = self.t.pledge(pid)
        if p.status is PledgeStatus.DRAFT:
            self._confirm(pid)
        else:
            with pytest.raises(errors.InvalidTransition):
                self.t.confirm(pid)

    @precondition(lambda self: self.pledges)
    @rule(data=st.data(), minor=amounts)
    def amend(self, data: st.DataObject, minor: int) -> None:
        pid = data.draw(st.sampled_from(self.pledges))
        p = self.t.pledge(pid)
        settled = int(p.settled.amount * 100)
        new = settled + minor
        rest = from_minor(minor, p.currency)
        if p.status in (PledgeStatus.CANCELLED, PledgeStatus.WRITTEN_OFF):
            with pytest.raises(errors.InvalidTransition):
                self.t.amend(
                    pid,
                    from_minor(new, p.currency),
                    instalments=[(dt.date(2024, 9, 1), rest)],
                    on=dt.date(2024, 5, 1),
                )
            return
        after = self.t.amend(
            pid,
            from_minor(new, p.currency),
            instalments=[(dt.date(2024, 9, 1), rest)],
            on=dt.date(2024, 5, 1),
        ).pledge
        live = [i for i in after.instalments if not i.replaced]
        assert sum(i.amount.amount for i in live) == after.amount.amount
        if p.status.posted:
            delta = new - int(p.amount.amount * 100)
            self.owed[(p.partner_id, p.currency)] += delta
            self.counted[p.id][2] += delta

    @rule(
        who=st.sampled_from([0, 1]),
        cur=st.sampled_from(CURRENCIES),
        minor=amounts,
        charges=st.sampled_from([0, 0, 2500]),
        on=st.sampled_from(PAY_DATES),
        key=st.sampled_from([None, "k1", "k2", "k3"]),
        reference=st.sampled_from(["REF", "REF", "REF-2"]),
        duplicate_ok=st.booleans(),
    )
    def pay(
        self,
        who: int,
        cur: str,
        minor: int,
        charges: int,
        on: dt.date,
        key: str | None,
        reference: str,
        duplicate_ok: bool,
    ) -> None:
        partner = self.pids[who]
        content = (partner, cur, minor, charges, on, reference)
        line = (partner, cur, minor, on, reference)

        def record() -> Payment:
            return self.t.record_payment(
                partner,
                from_minor(minor, cur),
                received_on=on,
                reference=reference,
                idempotency_key=key,
                bank_charges=from_minor(charges, cur),
                duplicate_ok=duplicate_ok,
            )

        if charges > minor:  # banks cannot deduct more than they credit
            with pytest.raises(errors.InvalidAmount):
                record()
            return
        if key is not None and key in self.keys:
            if self.keys[key] == content:
                record()  # a replay: nothing changes
            else:
                with pytest.raises(errors.IdempotencyConflict):
                    record()
            return
        if key is None and not duplicate_ok and line in self.lines:
            with pytest.raises(errors.DuplicatePayment):
                record()
            return
        other = "USD" if cur == "CHF" else "CHF"
        own_open = self.owed[(partner, cur)]
        if own_open == 0 and self.owed[(partner, other)] > 0:
            with pytest.raises(errors.CurrencyMismatch):
                record()
            return
        pay = record()
        settled = min(minor + charges, own_open)
        assert int(pay.settled.amount * 100) == settled
        assert int(pay.unapplied.amount * 100) == minor + charges - settled
        self.owed[(partner, cur)] -= settled
        self.credit[(partner, cur)] += minor + charges - settled
        self.banked[cur] += minor
        self.lines.add(line)
        if key is not None:
            self.keys[key] = content

    @rule(who=st.sampled_from([0, 1]), cur=st.sampled_from(CURRENCIES))
    def apply_credit(self, who: int, cur: str) -> None:
        partner = self.pids[who]
        credit, open_ = self.credit[(partner, cur)], self.owed[(partner, cur)]
        other = "USD" if cur == "CHF" else "CHF"
        on = dt.date(2024, 6, 15)
        if credit == 0 or (open_ == 0 and self.owed[(partner, other)] == 0):
            with pytest.raises(errors.NoCreditToApply):
                self.t.apply_credit(partner, cur, on=on)
            return
        if open_ == 0:
            with pytest.raises(errors.CurrencyMismatch):
                self.t.apply_credit(partner, cur, on=on)
            return
        applied = self.t.apply_credit(partner, cur, on=on)
        used = min(credit, open_)
        assert applied.settled == from_minor(used, cur)
        self.owed[(partner, cur)] -= used
        self.credit[(partner, cur)] -= used

    @precondition(lambda self: self.pledges)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.pledges))
        p = self.t.pledge(pid)
        if p.settled.amount > 0 or p.status not in (PledgeStatus.DRAFT, PledgeStatus.CONFIRMED):
            with pytest.raises(errors.InvalidTransition):
                self.t.cancel(pid, on=dt.date(2024, 5, 1))
            return
        self.t.cancel(pid, on=dt.date(2024, 5, 1))
        if p.status is PledgeStatus.CONFIRMED:
            self.owed[(p.partner_id, p.currency)] -= int(p.amount.amount * 100)
            del self.counted[p.id]

    @precondition(lambda self: self.pledges)
    @rule(data=st.data())
    def write_off(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.pledges))
        p = self.t.pledge(pid)
        if p.status not in (PledgeStatus.CONFIRMED, PledgeStatus.PARTIALLY_PAID):
            with pytest.raises(errors.InvalidTransition):
                self.t.write_off(pid, "uncollectable", on=dt.date(2024, 6, 1))
            return
        self.t.write_off(pid, "uncollectable", on=dt.date(2024, 6, 1))
        rest = int((p.amount - p.settled).amount * 100)
        self.owed[(p.partner_id, p.currency)] -= rest
        self.counted[p.id][3] = True

    @invariant()
    def books_verify(self) -> None:
        assert self.t.verify() == []

    @invariant()
    def journal_sums_to_zero_per_currency_and_in_base(self) -> None:
        with self.t.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT currency, SUM(amount_minor) FROM journal_postings GROUP BY currency")
            ).all()
            base = conn.execute(text("SELECT SUM(base_minor) FROM journal_postings")).scalar()
        assert all(int(total) == 0 for _, total in rows)
        assert int(base or 0) == 0

    @invariant()
    def receivables_bank_and_credit_match_the_model(self) -> None:
        for pid in self.pids:
            amounts = self.t.balance(f"receivable:{pid}").amounts
            for cur in CURRENCIES:
                got = amounts.get(cur, money(0, cur))
                assert got == from_minor(self.owed[(pid, cur)], cur)
        for cur in CURRENCIES:
            got = self.t.balance(f"bank:{cur}").amounts.get(cur, money(0, cur))
            assert got == from_minor(self.banked[cur], cur)
        for pid in self.pids:
            credit = self.t.balance(f"unapplied:{pid}").amounts
            for cur in CURRENCIES:
                assert credit.get(cur, money(0, cur)) == from_minor(-self.credit[(pid, cur)], cur)

    @invariant()
    def standing_agrees_with_classify(self) -> None:
        # Each pledge counts at its own base value (signing-date rate, rounded once per
        # pledge); a written-off one at the carrying value of what was paid on it, which the
        # settlements record.
        with self.t.engine.connect() as conn:
            carried: dict[int, int] = dict(
                conn.execute(
                    text("SELECT pledge_id, SUM(carrying_base_minor) FROM settlements GROUP BY 1")
                ).all()
            )
        for pid in self.pids:
            total = 0
            for pledge_id, (partner, cur, minor, written_off) in self.counted.items():
                if partner != pid:
                    continue
                if written_off:
                    total += int(carried.get(pledge_id, 0))
                else:
                    rate = Decimal("0.90") if cur == "USD" else Decimal(1)
                    total += int((minor * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            expected = from_minor(total, "CHF")
            s = self.t.standing(pid, "WSIS2024")
            assert s.committed == expected
            assert s.tier == classify(expected, self.schedule)


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_random_sequences_keep_the_books_sound(engine_name: str) -> None:
    machine = type(f"LedgerMachine_{engine_name}", (LedgerMachine,), {"engine_name": engine_name})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=int(os.environ.get("MACHINE_EXAMPLES", "30")),
            phases=PHASES,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
