"""Resolving what a caller names (a partner, an edition, a pledge) to what the books hold."""

from __future__ import annotations

from wsis_funding.ledger.model import Edition, Partner, Pledge
from wsis_funding.storage.unit_of_work import UnitOfWork

__all__ = ["edition_of", "partner_id_of", "partner_of", "pledge_id_of"]


def partner_of(uow: UnitOfWork, partner: Partner | int) -> Partner:
    """Return the stored partner named by a Partner or an id; raise :class:`UnknownPartner`.

    Raises ``TypeError`` for a Partner without an id or anything but a Partner or an int.
    """
    return uow.partners.get(_partner_id(partner))


def partner_id_of(uow: UnitOfWork, partner: Partner | int) -> int:
    """Return the id of the stored partner named by a Partner or an id (as :func:`partner_of`).

    For use cases that need the id alone, such as a payment. Same errors as :func:`partner_of`.
    """
    return uow.partners.require(_partner_id(partner))


def _partner_id(partner: Partner | int) -> int:
    if isinstance(partner, Partner):
        if partner.id is None:
            raise TypeError("the partner has no id: store it with add_partner first")
        partner = partner.id
    if isinstance(partner, bool) or not isinstance(partner, int):
        raise TypeError(f"partner must be a Partner or an int id, not {type(partner).__name__}")
    return partner


def edition_of(uow: UnitOfWork, edition: Edition | str) -> Edition:
    """Return the stored edition named by an Edition or a code; raise :class:`UnknownEdition`."""
    code = edition.code if isinstance(edition, Edition) else edition
    if not isinstance(code, str):
        raise TypeError(f"edition must be an Edition or a code, not {type(edition).__name__}")
    return uow.editions.get(code)


def pledge_id_of(pledge: Pledge | int) -> int:
    """Return the id of a Pledge or an int id; raise ``TypeError`` for anything else."""
    if isinstance(pledge, Pledge):
        return pledge.id
    if isinstance(pledge, bool) or not isinstance(pledge, int):
        raise TypeError(f"pledge must be a Pledge or an int id, not {type(pledge).__name__}")
    return pledge
