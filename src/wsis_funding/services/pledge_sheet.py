"""Checking a pledges sheet against the books, row by row, and writing it in bulk.

The rules are those of :func:`~wsis_funding.services.pledges.create_pledge` and
:func:`~wsis_funding.services.pledges.confirm_pledge`, applied to every row before anything is
written, so that each row the books would refuse is reported with its coordinates instead of
the first one stopping the import: the partner's short name and the edition code must be in
the books, the tier or package offered by the edition's schedule, a package pledge priced or
given a discount reason and not beyond the package's capacity, a rate to the base currency in
force (and not stale) on the signing date of each pledge to confirm. A declared tier is
checked once the whole file is counted: a partner's pledges in one file reach a tier together,
whatever their order. Then the pledges, their instalments and the confirmations' journal
entries are written with the storage slice's bulk paths, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import attrs
from moneyed import Money

from wsis_funding.imports.sheets.model import PledgeRow, Problem, Source
from wsis_funding.ledger.errors import UnknownEdition
from wsis_funding.ledger.inputs import fits
from wsis_funding.ledger.model import Edition, Partner
from wsis_funding.ledger.posting import base_value
from wsis_funding.ledger.validation import identity_key
from wsis_funding.money import RateTable, RecordedRate, from_minor, to_minor
from wsis_funding.money.errors import MissingRate, StaleRate
from wsis_funding.services.rates import max_rate_age
from wsis_funding.storage.unit_of_work import UnitOfWork
from wsis_funding.tiers import Tier, TierSchedule, classify, parse_schedule
from wsis_funding.tiers.errors import CapacityExceeded

__all__ = ["CHUNK", "CheckedPledge", "Progress", "check_pledges"]

Progress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while an import checks and writes its rows."""

CHUNK = 1000
"""Rows checked or written between two progress calls (and per bulk statement)."""


@attrs.frozen(kw_only=True)
class _Edition:
    edition: Edition
    schedule: TierSchedule
    tiers: frozenset[str]
    packages: frozenset[str]


@attrs.define
class CheckedPledge:
    """A good row, resolved: its partner, edition and (if it is confirmed) carrying value."""

    record: PledgeRow
    partner_id: int
    edition: _Edition
    rate: RecordedRate | None
    base_minor: int | None
    amount_minor: int


class _Checker:
    """Reads what every row needs from the books once, then checks rows one by one."""

    def __init__(self, uow: UnitOfWork, source: Source, currencies: frozenset[str]) -> None:
        self.uow = uow
        self.currencies = currencies
        self.source = source
        self.problems: list[Problem] = []
        self.partners = uow.bulk.partner_keys()
        self.editions: dict[str, _Edition | None] = {}
        self.max_age = max_rate_age(uow)
        self.rates: RateTable | None = None
        # Many rows share a partner, or a currency and signing date: look each up once.
        self.by_name: dict[str, list[Partner]] = {}
        self.rate_on: dict[tuple[str, dt.date], RecordedRate | str | None] = {}
        self.sold: dict[tuple[int, str], int] = {}
        self.books_totals: dict[int, Mapping[int, tuple[int, int]]] = {}
        self.file_totals: dict[tuple[int, int], int] = {}
        self.earned: dict[tuple[int, int], tuple[Money, Tier | None]] = {}

    def flag(self, row: int, column: str, value: str, message: str) -> None:
        self.problems.append(self.source.problem(row, column, value, message))

    def edition(self, code: str) -> _Edition | None:
        if code not in self.editions:
            try:
                ed = self.uow.editions.get(code)
            except UnknownEdition:
                self.editions[code] = None
                return None
            schedule = parse_schedule(ed.schedule_toml, source=f"edition {ed.code}")
            assert ed.id is not None
            self.editions[code] = _Edition(
                edition=ed,
                schedule=schedule,
                tiers=frozenset(t.value for t in schedule.tiers),
                packages=frozenset(p.code for p in schedule.packages),
            )
            self.books_totals[ed.id] = self.uow.bulk.posted_totals(ed.id)
            for package, count in self.uow.bulk.packages_sold(ed.id).items():
                self.sold[(ed.id, package)] = count
        return self.editions[code]

    def partner(self, r: PledgeRow) -> Partner | None:
        found = self.by_name.get(r.partner)
        if found is None:
            found = self.by_name[r.partner] = self.partners.get(identity_key(r.partner), [])
        if len(found) == 1:
            return found[0]
        if not found:
            self.flag(r.row, "partner", r.partner, "no partner in the books has this short name")
        else:
            ids = ", ".join(str(p.id) for p in found)
            self.flag(
                r.row,
                "partner",
                r.partner,
                f"names {len(found)} partners in the books (ids {ids}), kept apart because "
                "they were stored before duplicate short names were refused; give one of "
                "them another short name first",
            )
        return None

    def rate(self, r: PledgeRow) -> tuple[RecordedRate | None, bool]:
        """Return the rate to confirm the row at and whether there is one (else flag it)."""
        key = (r.currency, r.signed_on)
        if key not in self.rate_on:
            self.rate_on[key] = self._rate(*key)
        found = self.rate_on[key]
        if isinstance(found, str):
            self.flag(r.row, "currency", r.currency, found)
            return None, False
        return found, True

    def _rate(self, code: str, on: dt.date) -> RecordedRate | str | None:
        """Return the rate from ``code`` to base on ``on``, or why there is none."""
        base = self.uow.base
        if code == base:
            return None
        if self.rates is None:
            self.rates = self.uow.rates.table(self.currencies)
        try:
            return self.rates.rate_on(code, base, on, max_age_days=self.max_age)
        except (MissingRate, StaleRate) as e:
            return f"cannot confirm the pledge: {e}"

    def check(self, r: PledgeRow) -> CheckedPledge | None:
        failed = len(self.problems)
        partner = self.partner(r)
        ed = self.edition(r.edition)
        if ed is None:
            self.flag(r.row, "edition", r.edition, "no edition in the books has this code")
        else:
            self._offered(r, ed)
        rate: RecordedRate | None = None
        base_minor: int | None = None
        amount_minor = to_minor(r.amount)
        if r.confirm:
            rate, found = self.rate(r)
            if found:
                base_minor = base_value(amount_minor, r.currency, rate, self.uow.base)
                if not fits(base_minor):
                    self.flag(r.row, "amount", _text(r.amount), "its base value does not fit")
            if ed is not None and base_minor is not None and r.package in ed.packages:
                self._sell(r, ed, base_minor)
        if partner is None or ed is None or len(self.problems) > failed:
            return None
        assert partner.id is not None
        return CheckedPledge(r, partner.id, ed, rate, base_minor, amount_minor)

    def _offered(self, r: PledgeRow, ed: _Edition) -> None:
        code = ed.edition.code
        if r.tier is not None and r.tier.value not in ed.tiers:
            self.flag(r.row, "tier", r.tier.value, f"edition {code} offers no tier {r.tier.value}")
        if r.package is not None:
            if r.package not in ed.packages:
                self.flag(
                    r.row, "package", r.package, f"edition {code} offers no package {r.package!r}"
                )
            elif r.currency == ed.schedule.package(r.package).price.currency.code:
                self._priced(r, ed, r.amount)

    def _priced(self, r: PledgeRow, ed: _Edition, value: Money) -> None:
        assert r.package is not None
        price = ed.schedule.package(r.package).price
        if value < price and not r.discount_reason:
            self.flag(
                r.row,
                "amount",
                _text(r.amount),
                f"activity package {r.package!r} is priced {price.amount} "
                f"{price.currency.code}; a pledge below its price needs a discount_reason",
            )

    def _sell(self, r: PledgeRow, ed: _Edition, base_minor: int) -> None:
        assert r.package is not None
        assert ed.edition.id is not None
        key = (ed.edition.id, r.package)
        sold = self.sold.get(key, 0)
        self.sold[key] = sold + 1
        capacity = ed.schedule.package(r.package).capacity
        if sold + 1 > capacity:
            error = CapacityExceeded(r.package, capacity, sold + 1)
            self.flag(r.row, "package", r.package, f"sold out with the rows above: {error}")
        if r.currency != self.uow.base:
            self._priced(r, ed, from_minor(base_minor, self.uow.base))

    def count(self, c: CheckedPledge) -> None:
        """Add a confirmed row's carrying value to what its partner commits in its edition."""
        if c.base_minor is None:
            return
        if c.record.package is None or c.edition.schedule.activity_counts_toward_tier:
            assert c.edition.edition.id is not None
            key = (c.partner_id, c.edition.edition.id)
            self.file_totals[key] = self.file_totals.get(key, 0) + c.base_minor

    def check_tier(self, c: CheckedPledge) -> None:
        """Refuse a declared tier that the partner's confirmed pledges, these included, miss."""
        r = c.record
        if r.tier is None or not r.confirm:
            return
        ed = c.edition
        assert ed.edition.id is not None
        key = (c.partner_id, ed.edition.id)
        found = self.earned.get(key)
        if found is None:
            tier_base, package_base = self.books_totals[ed.edition.id].get(c.partner_id, (0, 0))
            books = tier_base + (package_base if ed.schedule.activity_counts_toward_tier else 0)
            total = from_minor(books + self.file_totals[key], self.uow.base)
            found = self.earned[key] = (total, classify(total, ed.schedule))
        total, earned = found
        if earned is not None and earned >= r.tier:
            return
        missing = ed.schedule.minimums[r.tier] - total
        self.flag(
            r.row,
            "tier",
            r.tier.value,
            f"the partner's confirmed pledges in {ed.edition.code}, this file's included, come "
            f"to {total.amount} {self.uow.base} and reach {_title(earned)}: "
            f"{missing.amount} {self.uow.base} short of {r.tier.title}",
        )


def _title(tier: Tier | None) -> str:
    return "no tier" if tier is None else tier.title


def _text(m: Money) -> str:
    return format(m.amount, "f")


def check_pledges(
    uow: UnitOfWork,
    records: Sequence[PledgeRow],
    source: Source,
    progress: Progress | None = None,
) -> tuple[list[CheckedPledge], list[Problem]]:
    """Check every pledge row against the books; return the good rows and every problem.

    Rows are good only when the returned problems are empty; ``progress`` is called as
    ``progress("checking", done, total)``.
    """
    checker = _Checker(uow, source, frozenset({uow.base, *(r.currency for r in records)}))
    good: list[CheckedPledge] = []
    total = len(records)
    for done, r in enumerate(records, start=1):
        checked = checker.check(r)
        if checked is not None:
            checker.count(checked)
            good.append(checked)
        if progress is not None and (done % CHUNK == 0 or done == total):
            progress("checking", done, total)
    for c in good:
        checker.check_tier(c)
    problems = sorted(checker.problems, key=lambda p: p.row or 0)
    return good, problems
