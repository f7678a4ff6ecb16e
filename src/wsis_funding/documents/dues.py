"""What an invoice asks for, and how a credit note spreads over an invoice (pure functions).

An invoice asks for what is due (DOMAIN.md, "An invoice asks for what is due"). Each
instalment of amount A is, at any time, what was paid on it (S), what open invoices still ask
for on it (O: asked, less credited, less paid through them) and what is due (A − S − O): the
part no one has paid or been asked for. A new invoice's line on the instalment is what no
open invoice asks for (A − O); it shows the money received on the instalment (S, dated by the
payments that brought it) and asks for the rest, A − S − O. So nothing is asked for twice,
and an invoice issued again after a correction credit note shows what the first one showed.

A credit note takes from the instalments an invoice covers latest due first: a discount comes
off the end of a schedule, as payments come off its start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import attrs

__all__ = ["Due", "InstalmentState", "spread_credit", "what_is_due"]


@attrs.frozen(kw_only=True)
class InstalmentState:
    """An instalment as invoicing sees it (minor units of the pledge currency).

    ``number`` of ``count`` is its place in the schedule the partner sees; ``settled`` is
    what was paid on it; ``open_on_invoices`` what invoices still ask for on it (asked, less
    credited, less paid through them); ``payments`` the (date, amount) of each settlement of
    it, oldest first.
    """

    instalment_id: int
    number: int
    count: int
    due_on: dt.date
    amount: int
    settled: int
    open_on_invoices: int
    payments: tuple[tuple[dt.date, int], ...] = ()


@attrs.frozen(kw_only=True)
class Due:
    """One line of an invoice: the instalment, the line amount, money received, what is due."""

    instalment: InstalmentState
    line: int
    received: tuple[tuple[dt.date, int], ...]
    due: int


def _received(state: InstalmentState) -> tuple[tuple[dt.date, int], ...]:
    """Return the money received on an instalment, summed by date, oldest first."""
    by_date: dict[dt.date, int] = {}
    for on, amount in state.payments:
        by_date[on] = by_date.get(on, 0) + amount
    return tuple(sorted((on, amount) for on, amount in by_date.items() if amount))


def what_is_due(instalments: Sequence[InstalmentState]) -> list[Due]:
    """Return the lines an invoice of ``instalments`` asks for: only those with something due.

    For each: line = A − O, received = S (by payment date), due = A − S − O.
    """
    out = []
    for state in instalments:
        due = state.amount - state.settled - state.open_on_invoices
        if due <= 0:
            continue
        received = _received(state)
        line = state.amount - state.open_on_invoices
        assert line - sum(a for _, a in received) == due, "settlements must add up to S"
        out.append(Due(instalment=state, line=line, received=received, due=due))
    return out


def spread_credit(
    amount: int, open_by_instalment: Mapping[int, int], due_dates: Mapping[int, dt.date]
) -> dict[int, int]:
    """Spread ``amount`` over an invoice's instalments, latest due first, each up to its open.

    ``open_by_instalment`` is what the invoice still asks for on each instalment. Raises
    ``ValueError`` if ``amount`` is more than is open in all.
    """
    if amount > sum(open_by_instalment.values()):
        raise ValueError("more than the invoice asks for")
    left, out = amount, {}
    order = sorted(open_by_instalment, key=lambda i: (due_dates[i], i), reverse=True)
    for instalment_id in order:
        take = min(left, open_by_instalment[instalment_id])
        if take > 0:
            out[instalment_id] = take
            left -= take
    return out
