"""A Hypothesis state machine where documents meet the ledger, on SQLite and PostgreSQL.

Random sequences of pledges, invoices, correction and reduction credit notes, payments that
quote an invoice (in its currency or another), payments that quote none, write-offs,
recoveries, cancellations and acknowledgement letters, against a model kept here at the
level of each instalment: what it is, what was paid on it, and what each invoice asked,
credited and was paid on it. The model follows DOMAIN.md's rules, not the library's code.

Checked after every step: the books verify and sum to zero; receivables, banks and credit are
the model's; every invoice's asked, credited, paid and open are the model's; the statement's
open on invoices is what was invoiced, less credited, less paid; no instalment is asked for
twice (paid plus open on invoices never exceeds it). Each letter states the books as they
were right after its payment, however much happened since.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from contextlib import ExitStack
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, event, settings
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

from tests.databases import database
from tests.factories import RATES, SIGNED, example_issuer, make_edition, make_partner
from wsis_funding import errors
from wsis_funding.documents.model import InvoiceSnapshot, LetterSnapshot
from wsis_funding.ledger.inputs import split_evenly
from wsis_funding.money import from_minor, money
from wsis_funding.services import Tracker, open_tracker

START = dt.date(2024, 2, 1)
PHASES = tuple(Phase)  # MACHINE_EXAMPLES=n runs more examples
amounts = st.integers(min_value=100, max_value=5_000_000)  # minor units, 1.00 to 50 000.00


def _usd_rate(on: dt.date) -> Decimal:
    """The test rates of USD in CHF (tests/factories.py), by value date."""
    if on >= dt.date(2024, 4, 1):
        return Decimal("0.95")
    return Decimal("0.88") if on >= dt.date(2024, 3, 1) else Decimal("0.90")


def _rate(currency: str, on: dt.date) -> Decimal:
    return Decimal(1) if currency == "CHF" else _usd_rate(on)


def _half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@attrs.define
class Inst:
    id: int
    pledge_id: int
    due_on: dt.date
    amount: int
    settled: int = 0
    written_off: bool = False


@attrs.define
class PledgeModel:
    id: int
    partner: int
    currency: str
    amount: int
    insts: list[Inst]
    state: str = "open"  # open, cancelled, written_off

    @property
    def settled(self) -> int:
        return sum(i.settled for i in self.insts)


@attrs.define
class InvoiceModel:
    number: str
    pledge: PledgeModel
    asked: dict[int, int]
    credited: dict[int, int] = attrs.Factory(lambda: defaultdict(int))
    paid: dict[int, int] = attrs.Factory(lambda: defaultdict(int))

    def open_on(self, inst: int) -> int:
        return self.asked.get(inst, 0) - self.credited[inst] - self.paid[inst]

    @property
    def open(self) -> int:
        return sum(self.open_on(i) for i in self.asked)


@attrs.frozen
class LetterFacts:
    """What a letter must state: the payment, and the pledge right after it."""

    payment_id: int
    pledge_id: int
    received: int
    charges: int
    settled_on_pledge: int
    kept: int
    balance_after: int
    currency: str
    pledge_currency: str


class DocumentsMachine(RuleBasedStateMachine):
    engine_name = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self._stack = ExitStack()
        url = self._stack.enter_context(database(self.engine_name))
        self.t: Tracker = self._stack.enter_context(open_tracker(url, issuer=example_issuer()))
        self.pids = [self._partner(short) for short in ("ACME", "GLOBEX")]
        self.t.add_edition(make_edition())
        self.t.add_rates(RATES)
        # The same USD rate again on 1 Feb, so that no rate is older than the books allow.
        self.t.add_rates([attrs.evolve(RATES[0], effective=START)])
        self.today = START
        self.pledges: dict[int, PledgeModel] = {}
        self.invoices: dict[str, InvoiceModel] = {}
        self.bank: dict[str, int] = defaultdict(int)
        self.kept_credit: dict[tuple[int, str], int] = defaultdict(int)
        # Bank lines recorded (partner, currency, amount, value date): all carry the reference
        # BANK and no key, so repeating one is a probable duplicate unless the call says not.
        self.lines: set[tuple[int, str, int, dt.date]] = set()
        self.letters: list[LetterFacts] = []

    def _partner(self, short: str) -> int:
        pid = self.t.add_partner(make_partner(short)).id
        assert pid is not None
        return pid

    def teardown(self) -> None:
        self._stack.close()

    @initialize(
        minors=st.lists(amounts, min_size=4, max_size=4),
        parts=st.lists(st.integers(1, 3), min_size=4, max_size=4),
        paid_first=st.sampled_from([0, 5000, 10000]),
    )
    def start(self, minors: list[int], parts: list[int], paid_first: int) -> None:
        """A season under way: each partner has a CHF and a USD pledge, invoiced."""
        assert self.t.verify() == []
        for n, (minor, part) in enumerate(zip(minors, parts, strict=True)):
            self.pledge(n % 2, "CHF" if n < 2 else "USD", minor, part)
        if paid_first:
            self._pay(0, "CHF", paid_first, 0, None)
        for p in list(self.pledges.values()):
            self._invoice(p)

    # The model's rules --------------------------------------------------------------------

    def _open_on(self, inst: Inst) -> int:
        return sum(inv.open_on(inst.id) for inv in self.invoices.values())

    def _invoices_on(self, inst: Inst) -> list[InvoiceModel]:
        """Invoices still open on an instalment, oldest first (dict order is issue order)."""
        return [inv for inv in self.invoices.values() if inv.open_on(inst.id) > 0]

    def _settle(
        self, slots: list[tuple[Inst, InvoiceModel | None, int]], available: int
    ) -> dict[int, int]:
        """Settle slots in order with ``available``; return what each pledge got."""
        left, per_pledge = available, defaultdict[int, int](int)
        for inst, invoice, open_minor in slots:
            take = min(left, open_minor)
            if take <= 0:
                continue
            inst.settled += take
            if invoice is not None:
                invoice.paid[inst.id] += take
            per_pledge[inst.pledge_id] += take
            left -= take
        return dict(per_pledge)

    def _slots_of_partner(
        self, partner: int, currency: str
    ) -> list[tuple[Inst, InvoiceModel | None, int]]:
        """Open instalments oldest due first (then pledge, then schedule): invoices, then rest."""
        rows = [
            (inst.due_on, p.id, n, inst)
            for p in self.pledges.values()
            if p.partner == partner and p.currency == currency and p.state == "open"
            for n, inst in enumerate(p.insts)
            if inst.amount > inst.settled
        ]
        slots: list[tuple[Inst, InvoiceModel | None, int]] = []
        for *_, inst in sorted(rows, key=lambda r: r[:3]):
            left = inst.amount - inst.settled
            for inv in self._invoices_on(inst):
                take = min(left, inv.open_on(inst.id))
                slots.append((inst, inv, take))
                left -= take
            slots.append((inst, None, left))
        return [s for s in slots if s[2] > 0]

    @staticmethod
    def _pick(data: st.DataObject, every: list[Any], live: list[Any]) -> Any:
        """Draw mostly among the ``live`` candidates (where something happens), sometimes any."""
        if live and data.draw(st.integers(0, 4)) > 0:
            return data.draw(st.sampled_from(live))
        return data.draw(st.sampled_from(every))

    def _balance(self, p: PledgeModel) -> int:
        return 0 if p.state != "open" else p.amount - p.settled

    # Rules --------------------------------------------------------------------------------

    @rule(days=st.integers(0, 4))
    def time_passes(self, days: int) -> None:
        if self.today + dt.timedelta(days=days) < dt.date(2024, 4, 30):
            self.today += dt.timedelta(days=days)

    @rule(who=st.sampled_from([0, 1]), cur=st.sampled_from(["CHF", "USD"]), minor=amounts,
          parts=st.integers(1, 3))  # fmt: skip
    def pledge(self, who: int, cur: str, minor: int, parts: int) -> None:
        total = from_minor(minor, cur)
        dues = [dt.date(2024, 3, 1) + dt.timedelta(days=14 * i) for i in range(parts)]
        created = self.t.create_pledge(
            self.pids[who], "WSIS2024", amount=total, signed_on=SIGNED,
            instalments=split_evenly(total, dues),
        )  # fmt: skip
        p = self.t.confirm(created)
        insts = [
            Inst(id=i.id, pledge_id=p.id, due_on=i.due_on, amount=int(i.amount.amount * 100))
            for i in p.instalments
            if i.id is not None
        ]
        assert sum(i.amount for i in insts) == minor
        self.pledges[p.id] = PledgeModel(p.id, self.pids[who], cur, minor, insts)

    @precondition(lambda self: self.pledges)
    @rule(data=st.data())
    def invoice(self, data: st.DataObject) -> None:
        every = list(self.pledges.values())
        self._invoice(self._pick(data, every, [p for p in every if p.state == "open"]))

    def _invoice(self, p: PledgeModel) -> None:
        due_on = self.today + dt.timedelta(days=30)
        dues = {i.id: i.amount - i.settled - self._open_on(i) for i in p.insts if not i.written_off}
        dues = {k: v for k, v in dues.items() if v > 0}
        if p.state != "open" or not dues:
            with pytest.raises(errors.NothingToInvoice):
                self.t.issue_invoice(p.id, self.today, due_on=due_on)
            return
        on_it = [i for i in p.insts if i.id in dues]
        lines = sum(i.amount - self._open_on(i) for i in on_it)  # what no open invoice asks
        received = sum(i.settled for i in on_it)
        doc = self.t.issue_invoice(p.id, self.today, due_on=due_on)
        snap = doc.snapshot
        assert isinstance(snap, InvoiceSnapshot)
        assert snap.amount_due == from_minor(sum(dues.values()), p.currency)
        assert doc.total == from_minor(lines, p.currency)
        assert sum((r.amount.amount for r in snap.received), Decimal(0)) * 100 == received
        self.invoices[doc.number] = InvoiceModel(doc.number, p, dues)
        event("invoice after a payment" if snap.received else "invoice")

    @precondition(lambda self: self.invoices)
    @rule(data=st.data(), kind=st.sampled_from(["correction", "reduction"]),
          part=st.sampled_from([None, 2, 3]))  # fmt: skip
    def credit_note(self, data: st.DataObject, kind: str, part: int | None) -> None:
        every = list(self.invoices.values())
        inv = self._pick(data, every, [inv for inv in every if inv.open > 0])
        p, left = inv.pledge, inv.open
        amount = left if part is None else max(left // part, 1)

        def issue() -> Any:
            money_ = None if part is None else from_minor(amount, p.currency)
            return self.t.credit_invoice(inv.number, self.today, kind=kind, amount=money_)

        if left <= 0:
            with pytest.raises(errors.NothingToCredit):
                issue()
            return
        if kind == "reduction" and (p.state != "open" or p.amount - amount <= 0):
            with pytest.raises(errors.InvalidTransition):
                issue()
            return
        note = issue()
        event(f"credit note ({kind})")
        assert note.total == from_minor(amount, p.currency)
        by_inst = {i.id: i for i in p.insts}
        rest = amount
        for inst_id in sorted(inv.asked, key=lambda i: (by_inst[i].due_on, i), reverse=True):
            take = min(rest, inv.open_on(inst_id))
            inv.credited[inst_id] += take
            if kind == "reduction":
                by_inst[inst_id].amount -= take
            rest -= take
        if kind == "reduction":
            p.amount -= amount

    @rule(who=st.sampled_from([0, 1]), cur=st.sampled_from(["CHF", "USD"]), minor=amounts,
          charges=st.sampled_from([0, 0, 1500]), quote=st.booleans(),
          duplicate_ok=st.booleans(), data=st.data())  # fmt: skip
    def pay(
        self,
        who: int,
        cur: str,
        minor: int,
        charges: int,
        quote: bool,
        duplicate_ok: bool,
        data: st.DataObject,
    ) -> None:
        partner = self.pids[who]
        theirs = [inv for inv in self.invoices.values() if inv.pledge.partner == partner]
        invoice = None
        if quote and theirs:
            invoice = self._pick(data, theirs, [inv for inv in theirs if inv.open > 0]).number
        self._pay(who, cur, minor, charges, invoice, duplicate_ok)

    def _pay(
        self,
        who: int,
        cur: str,
        minor: int,
        charges: int,
        invoice: str | None,
        duplicate_ok: bool = False,
    ) -> None:
        partner = self.pids[who]
        line = (partner, cur, minor, self.today)

        def record() -> Any:
            return self.t.record_payment(
                partner, from_minor(minor, cur), received_on=self.today, reference="BANK",
                bank_charges=from_minor(charges, cur), invoice=invoice, duplicate_ok=duplicate_ok,
            )  # fmt: skip

        if charges > minor:
            with pytest.raises(errors.InvalidAmount):
                record()
            return
        if line in self.lines and not duplicate_ok:
            with pytest.raises(errors.DuplicatePayment):
                record()
            return
        gross = minor + charges
        if invoice is None:
            slots = self._slots_of_partner(partner, cur)
            others = self._slots_of_partner(partner, "USD" if cur == "CHF" else "CHF")
            if not slots and others:
                with pytest.raises(errors.CurrencyMismatch):
                    record()
                return
            target, available = cur, gross
        else:
            inv = self.invoices[invoice]
            target = inv.pledge.currency
            by_inst = {i.id: i for i in inv.pledge.insts}
            slots = [
                (by_inst[i], inv, min(inv.open_on(i), by_inst[i].amount - by_inst[i].settled))
                for i in sorted(inv.asked, key=lambda i: (by_inst[i].due_on, i))
            ]
            slots = [s for s in slots if s[2] > 0]
            available = gross
            if target != cur and slots:
                value = Decimal(gross) * _rate(cur, self.today) / _rate(target, self.today)
                available = _half_up(value)
        per_pledge = self._settle(slots, available)
        used_p = sum(per_pledge.values())
        if target == cur or used_p == 0:
            used_r = used_p
        elif used_p == available:
            used_r = gross
        else:
            used_r = _half_up(Decimal(gross * used_p) / available)
        payment = record()
        self.lines.add(line)
        if target != cur and used_p:
            event("payment settling another currency")
        if any(self.pledges[p].state == "written_off" for p in per_pledge):
            event("recovery")
        assert payment.settled == from_minor(used_r, cur)
        assert payment.unapplied == from_minor(gross - used_r, cur)
        self.bank[cur] += minor
        self.kept_credit[(partner, cur)] += gross - used_r
        for pledge_id, settled in per_pledge.items():
            p = self.pledges[pledge_id]
            facts = LetterFacts(
                payment_id=payment.id, pledge_id=pledge_id, received=minor, charges=charges,
                settled_on_pledge=settled, kept=gross - used_r, balance_after=self._balance(p),
                currency=cur, pledge_currency=p.currency,
            )  # fmt: skip
            self.letters.append(facts)

    @precondition(lambda self: self.letters)
    @rule(data=st.data())
    def acknowledge(self, data: st.DataObject) -> None:
        facts = data.draw(st.sampled_from(self.letters))
        letter = self.t.acknowledge(facts.payment_id, self.today, pledge=facts.pledge_id)
        snap = letter.snapshot
        assert isinstance(snap, LetterSnapshot)
        event("letter")
        cur, pcur = facts.currency, facts.pledge_currency
        assert snap.amount_credited == from_minor(facts.received, cur)
        assert snap.bank_charges == from_minor(facts.charges, cur)
        assert snap.kept_as_credit == from_minor(facts.kept, cur)
        assert snap.amount_received == from_minor(facts.settled_on_pledge, pcur)
        assert snap.remaining_balance == from_minor(facts.balance_after, pcur)

    @precondition(lambda self: self.pledges)
    @rule(data=st.data())
    def write_off(self, data: st.DataObject) -> None:
        every = list(self.pledges.values())
        p = self._pick(
            data,
            every,
            [
                p
                for p in every
                if p.state == "open"
                and any(inv.pledge is p and inv.open > 0 for inv in self.invoices.values())
            ],
        )
        if p.state != "open" or p.settled == p.amount:
            with pytest.raises(errors.InvalidTransition):
                self.t.write_off(p.id, "uncollectable", on=self.today)
            return
        self.t.write_off(p.id, "uncollectable", on=self.today)
        p.state = "written_off"
        for inst in p.insts:
            inst.written_off = inst.amount > inst.settled

    @precondition(lambda self: len(self.pledges) >= 3)  # once a season is under way
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        every = list(self.pledges.values())
        invoiced = [p for p in every if any(inv.pledge is p for inv in self.invoices.values())]
        p = self._pick(data, every, invoiced)
        if p.state != "open" or p.settled > 0:
            with pytest.raises(errors.InvalidTransition):
                self.t.cancel(p.id, on=self.today)
            return
        change = self.t.cancel(p.id, on=self.today)
        credited = []
        for inv in self.invoices.values():
            if inv.pledge is p and inv.open > 0:
                credited.append(inv.number)
                for inst_id in inv.asked:
                    inv.credited[inst_id] += inv.open_on(inst_id)
        refers_to = [getattr(n.snapshot, "refers_to", None) for n in change.credit_notes]
        assert sorted(str(r) for r in refers_to) == sorted(credited)
        p.state = "cancelled"
        event("cancel crediting invoices" if credited else "cancel")

    # Invariants ---------------------------------------------------------------------------

    @invariant()
    def books_verify_and_sum_to_zero(self) -> None:
        assert self.t.verify() == []
        with self.t.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT currency, SUM(amount_minor) FROM journal_postings GROUP BY currency")
            ).all()
            base = conn.execute(text("SELECT SUM(base_minor) FROM journal_postings")).scalar()
        assert all(int(total) == 0 for _, total in rows)
        assert int(base or 0) == 0

    @invariant()
    def receivables_banks_and_credit_are_the_models(self) -> None:
        for partner in self.pids:
            owed: dict[str, int] = defaultdict(int)
            for p in self.pledges.values():
                if p.partner == partner:
                    owed[p.currency] += self._balance(p)
            got = self.t.balance(f"receivable:{partner}").amounts
            credit = self.t.balance(f"unapplied:{partner}").amounts
            for cur in ("CHF", "USD"):
                assert got.get(cur, money(0, cur)) == from_minor(owed[cur], cur)
                expected = from_minor(-self.kept_credit[(partner, cur)], cur)
                assert credit.get(cur, money(0, cur)) == expected
        for cur in ("CHF", "USD"):
            banked = self.t.balance(f"bank:{cur}").amounts.get(cur, money(0, cur))
            assert banked == from_minor(self.bank[cur], cur)

    @invariant()
    def every_invoice_stands_where_the_model_says(self) -> None:
        for inv in self.invoices.values():
            got = self.t.invoice_balance(inv.number)
            cur = inv.pledge.currency
            assert got.asked == from_minor(sum(inv.asked.values()), cur)
            assert got.credited == from_minor(sum(inv.credited.values()), cur)
            assert got.paid == from_minor(sum(inv.paid.values()), cur)
            assert got.open == from_minor(inv.open, cur)

    @invariant()
    def the_statement_adds_up_and_nothing_is_asked_twice(self) -> None:
        for partner in self.pids:
            statement = self.t.statement(partner, "WSIS2024")
            for cur, summary in statement.summary.items():
                open_ = sum(
                    inv.open
                    for inv in self.invoices.values()
                    if inv.pledge.partner == partner and inv.pledge.currency == cur
                )
                assert summary.open_on_invoices == from_minor(open_, cur)
                assert summary.invoiced - summary.credited - summary.paid_on_invoices == (
                    summary.open_on_invoices
                )
        for p in self.pledges.values():
            for inst in p.insts:
                assert 0 <= inst.settled + self._open_on(inst) <= inst.amount or inst.written_off


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_documents_and_books_tell_one_story(engine_name: str) -> None:
    machine = type(
        f"DocumentsMachine_{engine_name}", (DocumentsMachine,), {"engine_name": engine_name}
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=int(os.environ.get("MACHINE_EXAMPLES", "12")),
            phases=PHASES,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
