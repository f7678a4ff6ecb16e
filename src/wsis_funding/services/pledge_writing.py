"""Writing checked pledge rows into the books in bulk: drafts, or confirmed and posted.

What :mod:`wsis_funding.services.pledge_sheet` found good is stored with the storage
slice's bulk paths in the caller's transaction, a thousand rows at a time: the pledges and
their instalments, then, for each confirmed one, the revenue entry ``confirm_pledge`` posts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from moneyed import Money

from wsis_funding.ledger.model import Pledge, PledgeStatus
from wsis_funding.ledger.posting import confirm_entry
from wsis_funding.money import from_minor, to_minor, zero
from wsis_funding.services.pledge_sheet import CHUNK, CheckedPledge, Progress
from wsis_funding.storage.bulk import NewPledge
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["write_pledges"]


def write_pledges(
    uow: UnitOfWork, rows: Sequence[CheckedPledge], progress: Progress | None = None
) -> tuple[list[int], int]:
    """Store the checked pledges (drafts, or confirmed with their revenue posted).

    Each confirmed pledge posts what :func:`~wsis_funding.services.pledges.confirm_pledge`
    posts: debit ``receivable:<partner>``, credit ``revenue:<edition>``, dated on signing, at
    the signing-date rate. Returns the new pledge ids in row order and how many were
    confirmed; ``progress`` is called as ``progress("writing", done, total)``.
    """
    base = uow.base
    ids = uow.bulk.new_pledge_ids(len(rows))
    zeros: dict[str, Money] = {}

    def nothing(code: str) -> Money:
        found = zeros.get(code)
        if found is None:
            found = zeros[code] = zero(code)
        return found

    confirmed = 0
    total = len(rows)
    for start in range(0, total, CHUNK):
        chunk = zip(ids[start : start + CHUNK], rows[start : start + CHUNK], strict=True)
        new = [_new(pledge_id, c) for pledge_id, c in chunk]
        uow.bulk.add_pledges(new)
        entries = [
            confirm_entry(_confirmed(p, c, base, nothing))
            for p, c in zip(new, rows[start : start + CHUNK], strict=True)
            if p.base_minor is not None
        ]
        uow.post(entries)
        confirmed += len(entries)
        if progress is not None:
            progress("writing", min(start + CHUNK, total), total)
    return ids, confirmed


def _new(pledge_id: int, c: CheckedPledge) -> NewPledge:
    r = c.record
    edition_id = c.edition.edition.id
    assert edition_id is not None
    return NewPledge(
        id=pledge_id,
        partner_id=c.partner_id,
        edition_id=edition_id,
        currency=r.currency,
        amount_minor=c.amount_minor,
        signed_on=r.signed_on,
        # The one instalment of most pledges is the whole amount, already in minor units.
        instalments=(
            ((r.instalments[0].due_on, c.amount_minor),)
            if len(r.instalments) == 1
            else tuple((i.due_on, to_minor(i.amount)) for i in r.instalments)
        ),
        base_minor=c.base_minor,
        rate=c.rate,
        tier=None if r.tier is None else r.tier.value,
        package=r.package,
        discount_reason=r.discount_reason.strip() if r.discount_reason else None,
    )


def _confirmed(
    p: NewPledge, c: CheckedPledge, base: str, nothing: Callable[[str], Money]
) -> Pledge:
    """Return the confirmed pledge as stored, for its revenue entry."""
    assert p.base_minor is not None
    none = nothing(p.currency)
    return Pledge(
        id=p.id,
        partner_id=p.partner_id,
        edition_code=c.edition.edition.code,
        amount=c.record.amount,
        base_amount=from_minor(p.base_minor, base),
        signed_on=p.signed_on,
        status=PledgeStatus.CONFIRMED,
        settled=none,
        written_off=none,
        instalments=(),  # stored apart (see Bulk.add_pledges); the entry does not read them
        settled_base=nothing(base),
        written_off_base=nothing(base),
        rate=p.rate,
        tier=p.tier,
        package=p.package,
        discount_reason=p.discount_reason,
    )
