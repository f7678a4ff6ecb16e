"""The history of a partner's corrections: earlier versions, and what a correction changed.

``update_partner`` keeps the partner as it was before each correction as a
:class:`PartnerVersion`; documents issued before it keep their own copies (snapshots) anyway.
"""

from __future__ import annotations

import datetime as dt

import attrs

from wsis_funding.ledger.model import Address, Partner

__all__ = ["PartnerVersion", "changed_fields"]


@attrs.frozen(kw_only=True)
class PartnerVersion:
    """A partner as it was until a correction: ``version`` 1 is the partner as first stored.

    ``replaced_on`` is the date of the correction that replaced it, ``changed`` the fields
    that correction changed (``legal_name``, ``billing_address.town``, ...), in field order.
    ``partner`` holds the values as they were (with the partner's id).
    """

    partner: Partner
    version: int
    replaced_on: dt.date
    changed: tuple[str, ...]


_PARTNER_FIELDS = tuple(f.name for f in attrs.fields(Partner) if f.name != "id")
_ADDRESS_FIELDS = tuple(f.name for f in attrs.fields(Address))


def changed_fields(old: Partner, new: Partner) -> tuple[str, ...]:
    """Return the fields whose values differ between two versions of a partner, in order.

    An address is compared part by part (``billing_address.postcode``).
    """
    changed: list[str] = []
    for name in _PARTNER_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if name == "billing_address":
            changed.extend(
                f"billing_address.{part}"
                for part in _ADDRESS_FIELDS
                if getattr(before, part) != getattr(after, part)
            )
        elif before != after:
            changed.append(name)
    return tuple(changed)
