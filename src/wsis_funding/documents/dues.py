"""What an invoice asks for, and how a credit note spreads over an invoice (pure functions).

An invoice asks for what is due (DOMAIN.md, "An invoice asks for what is due"): for each
instalment it covers, the part neither paid nor already asked for by an earlier invoice (net
of credit notes). With A the instalment's amount, S what was paid on it and I what earlier
invoices still ask for on it, the invoice's line is A − I (what no invoice asked for yet),
the money received on it beyond what earlier invoices asked is shown as received (max(S − I,
0), dated by the payments that brought it), and what it asks for is A − max(S, I).

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

    ``number`` of ``count`` is its place in the schedule the partner sees; ``invoiced`` is
    what invoices ask for on it net of credit notes; ``payments`` the (date, amount) of each
    settlement of it, oldest first.
    """

    instalment_id: int
    number: int
    count: int
    due_on: dt.date
    amount: int
    settled: int
    invoiced: int
    payments: tuple[tuple[dt.date, int], ...] = ()


@attrs.frozen(kw_only=True)
class Due:
    """One line of an invoice: the instalment, the line amount, money received, what is due."""

    instalment: InstalmentState
    line: int
    received: tuple[tuple[dt.date, int], ...]
    due: int


def _received(state: InstalmentState) -> tuple[tuple[dt.date, int], ...]:
    """Return the payments of an instalment beyond what earlier invoices asked for, by date."""
    beyond, paid_so_far, out = state.invoiced, 0, []
    for on, amount in state.payments:
        before = paid_so_far
        paid_so_far += amount
        part = max(paid_so_far - max(before, beyond), 0) if paid_so_far > beyond else 0
        if part:
            out.append((on, part))
    return tuple(out)


def what_is_due(instalments: Sequence[InstalmentState]) -> list[Due]:
    """Return the lines an invoice of ``instalments`` asks for: only those with something due.

    For each: line = A − I, received = max(S − I, 0) (by payment date), due = A − max(S, I).
    """
    out = []
    for state in instalments:
        due = state.amount - max(state.settled, state.invoiced)
        if due <= 0:
            continue
        received = _received(state)
        line = state.amount - state.invoiced
        assert line - sum(a for _, a in received) == due
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
