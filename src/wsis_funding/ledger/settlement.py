"""How a payment settles instalments, and the journal entry it posts (pure functions).

The payment (amount received plus bank charges = amount settled) covers open instalments in
the given order; what is left is the partner's unapplied credit. For each pledge settled:

- the receivable is credited at its carrying value (the signing-date base value, pro rata of
  what was still outstanding, so that the last settlement clears the receivable exactly);
- the payment-date base value of the settled part is the bank debit plus the bank charges
  minus the unapplied credit, each converted at the payment-date rate and shared between the
  pledges by largest remainder;
- the realised exchange difference (IPSAS 4) is the difference, in base currency only; it is
  exactly zero for a base-currency payment, so no line is posted;
- PSC at the edition's rate, rounded half up, on the settled amount: debit psc(edition),
  credit psc_income, at the payment-date rate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from wsis_funding.ledger import accounts
from wsis_funding.ledger.model import Entry, Posting
from wsis_funding.money import CONTEXT, RecordedRate, allocate, from_minor, quantize, to_minor

__all__ = ["OpenInstalment", "PaymentPlan", "SettledPart", "plan_payment"]


@attrs.frozen(kw_only=True)
class OpenInstalment:
    """An instalment that can be settled, with what the payment plan needs of its pledge."""

    instalment_id: int
    pledge_id: int
    edition_code: str
    psc_rate: Decimal
    open_minor: int
    pledge_outstanding_minor: int
    pledge_outstanding_base: int
    pledge_rate: RecordedRate | None


@attrs.frozen(kw_only=True)
class SettledPart:
    """What a payment settled of one instalment, in the pledge currency and in base."""

    instalment_id: int
    pledge_id: int
    amount_minor: int
    carrying_base_minor: int
    paid_base_minor: int


@attrs.frozen(kw_only=True)
class PaymentPlan:
    """The settled parts, the unapplied credit and the balanced journal entry of a payment."""

    parts: tuple[SettledPart, ...]
    settled_minor: int
    unapplied_minor: int
    entry: Entry


def plan_payment(
    *,
    partner_id: int,
    currency: str,
    base: str,
    amount_minor: int,
    charges_minor: int,
    received_on: dt.date,
    reference: str,
    candidates: Sequence[OpenInstalment],
    to_base: Callable[[int], int],
    pay_rate: RecordedRate | None,
    source_account: str | None = None,
    kind: str = "payment",
    memo: str | None = None,
) -> PaymentPlan:
    """Plan how a payment settles ``candidates`` in order, and build its journal entry.

    ``to_base`` values minor units of ``currency`` in minor units of ``base`` at the
    payment-date rate (the identity for a base-currency payment); ``pay_rate`` is that rate.
    The money comes from ``source_account`` (default: the bank account of ``currency``); for
    unapplied credit applied later it is the partner's unapplied account, and ``to_base``
    values the credit at what it is carried at.
    """
    available = amount_minor + charges_minor
    by_pledge: dict[int, list[tuple[OpenInstalment, int]]] = {}
    for c in candidates:
        if available == 0:
            break
        take = min(available, c.open_minor)
        if take <= 0:
            continue
        available -= take
        by_pledge.setdefault(c.pledge_id, []).append((c, take))
    unapplied = available
    settled = amount_minor + charges_minor - unapplied

    conv = to_base
    bank_base, charges_base, unapplied_base = (
        conv(amount_minor),
        conv(charges_minor),
        conv(unapplied),
    )
    paid_total = bank_base + charges_base - unapplied_base
    pledge_ids = list(by_pledge)
    pledge_settled = [sum(take for _, take in by_pledge[p]) for p in pledge_ids]
    paid_shares = (
        [to_minor(m) for m in allocate(from_minor(paid_total, base), pledge_settled)]
        if pledge_ids
        else []
    )
    source = source_account or accounts.bank(currency)
    postings: list[Posting] = [_line(source, currency, amount_minor, bank_base, pay_rate)]
    if charges_minor:
        postings.append(
            _line(accounts.BANK_CHARGES, currency, charges_minor, charges_base, pay_rate)
        )
    parts: list[SettledPart] = []
    psc_by_edition: dict[str, tuple[int, Decimal]] = {}
    for pid, s_total, paid in zip(pledge_ids, pledge_settled, paid_shares, strict=True):
        items = by_pledge[pid]
        first = items[0][0]
        carrying = _carrying(first, s_total, base)
        carry_shares = _split(carrying, [take for _, take in items], base)
        paid_parts = _split(paid, [take for _, take in items], base)
        for (inst, take), cb, pb in zip(items, carry_shares, paid_parts, strict=True):
            parts.append(
                SettledPart(
                    instalment_id=inst.instalment_id,
                    pledge_id=pid,
                    amount_minor=take,
                    carrying_base_minor=cb,
                    paid_base_minor=pb,
                )
            )
        postings.append(
            _line(
                accounts.receivable(partner_id),
                currency,
                -s_total,
                -carrying,
                first.pledge_rate,
                pid,
            )
        )
        if carrying != paid:
            # Positive: the receivable was carried at more than the money is worth (a loss).
            postings.append(_line(accounts.FX_GAIN_LOSS, base, 0, carrying - paid, None, pid))
        so_far = psc_by_edition.get(first.edition_code, (0, first.psc_rate))[0]
        psc_by_edition[first.edition_code] = (so_far + s_total, first.psc_rate)
    if unapplied:
        postings.append(
            _line(accounts.unapplied(partner_id), currency, -unapplied, -unapplied_base, pay_rate)
        )
    for code, (s_ed, psc_rate) in sorted(psc_by_edition.items()):
        psc = to_minor(
            quantize(CONTEXT.multiply(from_minor(s_ed, currency).amount, psc_rate), currency)
        )
        if psc:
            psc_base = conv(psc)
            postings.append(_line(accounts.psc_charge(code), currency, psc, psc_base, pay_rate))
            postings.append(_line(accounts.PSC_INCOME, currency, -psc, -psc_base, pay_rate))
    entry = Entry(
        entry_date=received_on,
        kind=kind,
        memo=memo or f"Payment {reference} from partner {partner_id}",
        references=(("partner", str(partner_id)), ("reference", reference)),
        postings=tuple(postings),
    )
    return PaymentPlan(
        parts=tuple(parts), settled_minor=settled, unapplied_minor=unapplied, entry=entry
    )


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


def _carrying(first: OpenInstalment, settled_minor: int, base: str) -> int:
    """Return the carrying base value of settling ``settled_minor`` of a pledge, pro rata."""
    if settled_minor == first.pledge_outstanding_minor:
        return first.pledge_outstanding_base
    exact = CONTEXT.divide(
        CONTEXT.multiply(
            from_minor(first.pledge_outstanding_base, base).amount, Decimal(settled_minor)
        ),
        Decimal(first.pledge_outstanding_minor),
    )
    return to_minor(quantize(exact, base))


def _split(total: int, weights: Sequence[int], code: str) -> list[int]:
    if len(weights) == 1:
        return [total]
    return [to_minor(m) for m in allocate(from_minor(total, code), weights)]
