"""How money settles instalments, and the journal entry it posts (pure functions).

Money arrives in currency R (a bank credit, or a partner's unapplied credit applied later)
and settles open instalments in currency P, slot by slot in the order given. A *slot* is the
part of an open instalment that is on one invoice, or on none, so that every settlement
records the invoice it paid. What is left of the money is the partner's unapplied credit, in R.

Rounding happens once (DOMAIN.md, "Rounding once"): the base value of the money is computed
once (amount times the value-date rate, half up) and then split, by largest remainder, across
bank charges, unapplied credit and what was settled, and what was settled across pledges and
instalments. So for each pledge settled:

- the receivable is credited at its carrying value (the signing-date base value, pro rata of
  what was still outstanding, so that the last settlement clears the receivable exactly);
- the realised exchange difference (IPSAS 4) is the carrying value less the share of the
  money's base value, in base currency only: exactly zero for a base-currency payment of a
  base-currency pledge, so no line is posted then;
- PSC at the edition's rate on the settled amount, half up, valued like the money;
- a slot of a written-off instalment is a *recovery*: the write-off is reversed for what is
  received (debit receivable, credit write-off, at the write-off's carrying value) and the
  money then settles the instalment as usual.

When R is not P, the entry balances per currency through the currency-conversion accounts
(``conversion:<R>`` credited with the R settled, ``conversion:<P>`` debited with the P settled,
both at the same base value), so that no account ever adds two currencies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from wsis_funding.ledger import accounts
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.money import CONTEXT, RecordedRate, allocate, from_minor, quantize, to_minor

__all__ = [
    "PaymentPlan",
    "PledgeCarrying",
    "Receipt",
    "SettledPart",
    "Slot",
    "plan_payment",
    "share",
]


@attrs.frozen(kw_only=True)
class Slot:
    """A part of an open instalment that money may settle: on one invoice, or on none."""

    instalment_id: int
    pledge_id: int
    invoice_id: int | None
    open_minor: int
    recovery: bool = False


@attrs.frozen(kw_only=True)
class PledgeCarrying:
    """What settling a pledge needs of it: edition, PSC rate, rate and carrying values.

    ``outstanding_*`` is what is still receivable (pledge currency, and its carrying base
    value); ``written_off_*`` what is written off and may be recovered.
    """

    pledge_id: int
    edition_code: str
    psc_rate: Decimal
    rate: RecordedRate | None
    outstanding_minor: int
    outstanding_base: int
    written_off_minor: int
    written_off_base: int


@attrs.frozen(kw_only=True)
class Receipt:
    """The money that settles: what moved, from where, and what it can settle in P.

    ``amount_minor`` and ``charges_minor`` are in ``currency`` (R); ``source_account`` is
    debited with the amount (``bank:<R>``, or ``unapplied:<partner>`` for credit applied).
    ``available_minor`` is how much of ``target_currency`` (P) the money settles (the
    amount itself when R is P). ``value`` gives the base value of R minor units, once, for the
    money moved (at ``rate``, or at the credit's carrying value); ``keep_rest`` keeps what
    is not used where it was (credit applied) instead of crediting it as unapplied credit.
    """

    currency: str
    amount_minor: int
    charges_minor: int
    source_account: str
    rate: RecordedRate | None
    value: Callable[[int], int]
    target_currency: str
    available_minor: int
    keep_rest: bool = False


@attrs.frozen(kw_only=True)
class SettledPart:
    """What money settled of one slot, in the pledge currency and in base."""

    instalment_id: int
    pledge_id: int
    invoice_id: int | None
    amount_minor: int
    carrying_base_minor: int
    paid_base_minor: int
    recovery: bool = False


@attrs.frozen(kw_only=True)
class PaymentPlan:
    """The settled parts, what is left, and the balanced journal entry.

    ``settled_minor`` is in the pledge currency (P); ``used_minor`` is what of the money (R)
    went to the instalments, charges included; ``unapplied_minor`` what of it is left, in R.
    """

    parts: tuple[SettledPart, ...]
    settled_minor: int
    used_minor: int
    unapplied_minor: int
    entry: Entry


def share(total: int, part: int, whole: int) -> int:
    """Return ``total * part / whole`` rounded half up (integers; ``whole`` above zero)."""
    quotient, remainder = divmod(total * part, whole)
    return quotient + (1 if 2 * remainder >= whole else 0)


def _split(total: int, weights: Sequence[int], code: str) -> list[int]:
    """Split ``total`` minor units by ``weights`` with the money kernel's allocation."""
    nonzero = [i for i, w in enumerate(weights) if w]
    if len(nonzero) <= 1:  # one share takes it all (the first when all weigh nothing)
        out = [0] * len(weights)
        out[nonzero[0] if nonzero else 0] = total
        return out
    return [to_minor(m) for m in allocate(from_minor(total, code), weights)]


def plan_payment(
    *,
    partner_id: int,
    base: str,
    receipt: Receipt,
    slots: Sequence[Slot],
    pledges: Mapping[int, PledgeCarrying],
    psc_value: Callable[[int], int],
    psc_rate: RecordedRate | None,
    received_on: dt.date,
    reference: str,
    kind: str = "payment",
    memo: str | None = None,
) -> PaymentPlan:
    """Plan how ``receipt`` settles ``slots`` in order, and build its journal entry.

    ``pledges`` describes every pledge a slot belongs to. ``psc_value`` values PSC (in the
    pledge currency) in base currency, at ``psc_rate``.
    """
    r, p = receipt.currency, receipt.target_currency
    gross = receipt.amount_minor + receipt.charges_minor
    available = receipt.available_minor
    takes: list[tuple[Slot, int]] = []
    left = available
    for slot in slots:
        if left == 0:
            break
        take = min(left, slot.open_minor)
        if take > 0:
            takes.append((slot, take))
            left -= take
    used_p = available - left
    if used_p == 0:
        used_r = 0
    elif r == p:
        used_r = used_p
    elif used_p == available:
        used_r = gross
    else:
        used_r = share(gross, used_p, available)
    rest_r = gross - used_r

    # Round once: the base value of the money moved, then split by largest remainder, once
    # between what was used and what is left, once between the bank and its charges.
    if receipt.keep_rest:
        moved_base = receipt.value(used_r)
        charges_base, rest_base, used_base = 0, 0, moved_base
    else:
        moved_base = receipt.value(gross)
        used_base, rest_base = _split(moved_base, [used_r, rest_r], base)
        charges_base = _split(moved_base, [receipt.amount_minor, receipt.charges_minor], base)[1]

    by_pledge: dict[int, list[tuple[Slot, int]]] = {}
    for slot, take in takes:
        by_pledge.setdefault(slot.pledge_id, []).append((slot, take))
    pledge_ids = list(by_pledge)
    pledge_totals = [sum(t for _, t in by_pledge[pid]) for pid in pledge_ids]
    paid_shares = _split(used_base, pledge_totals, base) if pledge_ids else []

    source_amount = used_r if receipt.keep_rest else receipt.amount_minor
    source_base = used_base if receipt.keep_rest else moved_base - charges_base
    postings = [_line(receipt.source_account, r, source_amount, source_base, receipt.rate)]
    if receipt.charges_minor:
        postings.append(
            _line(accounts.BANK_CHARGES, r, receipt.charges_minor, charges_base, receipt.rate)
        )
    if r != p and used_p:
        postings.append(_line(accounts.conversion(r), r, -used_r, -used_base, receipt.rate))
        postings.append(_line(accounts.conversion(p), p, used_p, used_base, None))

    parts: list[SettledPart] = []
    psc_by_edition: dict[str, tuple[int, Decimal]] = {}
    for pid, total, paid in zip(pledge_ids, pledge_totals, paid_shares, strict=True):
        pledge = pledges[pid]
        items = by_pledge[pid]
        normal = sum(t for s, t in items if not s.recovery)
        recovered = total - normal
        carrying = _carrying(pledge.outstanding_minor, pledge.outstanding_base, normal)
        recovered_base = _carrying(pledge.written_off_minor, pledge.written_off_base, recovered)
        weights = [t for _, t in items]
        carry_parts = _split_kinds(items, carrying, recovered_base, base)
        paid_parts = _split(paid, weights, base)
        for (slot, take), cb, pb in zip(items, carry_parts, paid_parts, strict=True):
            parts.append(
                SettledPart(
                    instalment_id=slot.instalment_id,
                    pledge_id=pid,
                    invoice_id=slot.invoice_id,
                    amount_minor=take,
                    carrying_base_minor=cb,
                    paid_base_minor=pb,
                    recovery=slot.recovery,
                )
            )
        receivable = accounts.receivable(partner_id)
        if recovered:
            # The write-off is reversed for what is received, at its carrying value.
            postings.append(_line(receivable, p, recovered, recovered_base, pledge.rate, pid))
            postings.append(
                _line(accounts.WRITE_OFF, p, -recovered, -recovered_base, pledge.rate, pid)
            )
        postings.append(
            _line(receivable, p, -total, -(carrying + recovered_base), pledge.rate, pid)
        )
        difference = carrying + recovered_base - paid
        if difference:
            # Positive: the receivable was carried at more than the money is worth (a loss).
            postings.append(_line(accounts.FX_GAIN_LOSS, base, 0, difference, None, pid))
        so_far = psc_by_edition.get(pledge.edition_code, (0, pledge.psc_rate))[0]
        psc_by_edition[pledge.edition_code] = (so_far + total, pledge.psc_rate)
    if rest_r and not receipt.keep_rest:
        postings.append(_line(accounts.unapplied(partner_id), r, -rest_r, -rest_base, receipt.rate))
    for code, (settled_ed, psc_rate_ed) in sorted(psc_by_edition.items()):
        psc = to_minor(quantize(CONTEXT.multiply(from_minor(settled_ed, p).amount, psc_rate_ed), p))
        if psc:
            psc_base = psc_value(psc)
            postings.append(_line(accounts.psc_charge(code), p, psc, psc_base, psc_rate))
            postings.append(_line(accounts.PSC_INCOME, p, -psc, -psc_base, psc_rate))
    entry = Entry(
        entry_date=received_on,
        kind=kind,
        memo=memo or f"Payment {reference} from partner {partner_id}",
        references=(("partner", str(partner_id)), ("reference", reference)),
        postings=tuple(postings),
    )
    return PaymentPlan(
        parts=tuple(parts),
        settled_minor=used_p,
        used_minor=used_r,
        unapplied_minor=rest_r,
        entry=entry,
    )


def _split_kinds(
    items: Sequence[tuple[Slot, int]], carrying: int, recovered_base: int, base: str
) -> list[int]:
    """Split a pledge's carrying values over its slots: normal ones and recoveries apart."""
    out = [0] * len(items)
    for recovery, value in ((False, carrying), (True, recovered_base)):
        index = [i for i, (s, _) in enumerate(items) if s.recovery is recovery]
        if index:
            for i, v in zip(index, _split(value, [items[i][1] for i in index], base), strict=True):
                out[i] = v
    return out


def _line(
    account: str,
    currency: str,
    amount_minor: int,
    base_minor: int,
    rate: RecordedRate | None,
    pledge_id: int | None = None,
) -> Posting:
    return Posting(
        account=account,
        currency=currency,
        amount_minor=amount_minor,
        base_minor=base_minor,
        rate=rate,
        pledge_id=pledge_id,
    )


def _carrying(whole_minor: int, whole_base: int, part_minor: int) -> int:
    """Return the carrying base value of ``part_minor`` of a carried amount, pro rata.

    All of it takes all the base value, so that the last settlement clears it exactly.
    """
    if part_minor == 0:
        return 0
    if part_minor == whole_minor:
        return whole_base
    exact = CONTEXT.divide(
        CONTEXT.multiply(Decimal(whole_base), Decimal(part_minor)), Decimal(whole_minor)
    )
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))
