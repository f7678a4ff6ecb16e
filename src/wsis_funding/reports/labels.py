"""The texts reports print, as gettext message ids translated into the six UN languages.

Every text a report prints is one of :data:`MESSAGES`, looked up with :func:`label`, so a test
can hold every catalog to translating all of them (and a misspelt id fails at once instead of
printing untranslated). Some come from the documents' own catalog (tier titles, "Invoice").
"""

from __future__ import annotations

from typing import Final

from wsis_funding import i18n

__all__ = ["MESSAGES", "label"]

MESSAGES: Final = frozenset(
    {
        # Shared
        "Date",
        "Type",
        "Reference",
        "Description",
        "Currency",
        "Total",
        "Partner",
        "Partners",
        "Edition",
        "All editions",
        "Committed",
        "Received",
        "Target",
        "Amount",
        # Statement of account
        "Statement of account",
        "Statement date",
        "Amounts in %(currency)s",
        "Balance owed",
        "Unapplied credit",
        "Invoiced",
        "Credited by credit notes",
        "Paid on invoices",
        "Open on invoices",
        "Document amount",
        "Movement",
        "Credit balance",
        "Invoices paid",
        "Pledge",
        "Pledge confirmed",
        "Pledge amended",
        "Pledge reduced",
        "Pledge cancelled",
        "Pledge written off",
        "Payment",
        "Credit applied",
        "Invoice",
        "Credit note",
        "Credit note (correction)",
        "Credit note (reduction)",
        "A movement above zero adds to what you owe; a payment, a reduction or a write-off "
        "lowers it. Invoices and credit notes are listed for reference: they move nothing by "
        "themselves.",
        "There are no movements on this statement.",
        # Funding report
        "Funding report",
        "Latest movement",
        "Funding target",
        "No funding target is set for this edition.",
        "Outstanding",
        "Share of target",
        "Tier money",
        "Activity money",
        "Funding against the target",
        "Partners by tier",
        "Money by currency",
        "Receipts over time",
        "Tier",
        "Committed in %(currency)s",
        "Received in %(currency)s",
        "Partners for specific activities",
        "No tier reached",
        "Nothing yet",
        "Committed: confirmed pledges at their signing-date value, less write-offs. "
        "Received: what payments have settled, at the same value. Amounts in %(currency)s.",
        # Tier titles (the documents' catalog)
        "Strategic Partner Platinum",
        "Strategic Partner Gold Plus",
        "Strategic Partner Gold",
        "Contributing Partner",
        "Supporting Partner",
    }
)
"""Every message id a report prints; each catalog translates all of them."""


def label(msgid: str, language: str, **values: str) -> str:
    """Return ``msgid`` translated into ``language``, with ``%(name)s`` filled from ``values``.

    Raises ``KeyError`` for a message that is not one of :data:`MESSAGES` and
    :class:`UnsupportedLanguage` for a language outside the six.
    """
    if msgid not in MESSAGES:
        raise KeyError(f"{msgid!r} is not a report message")
    text = str(i18n.translations(language).gettext(msgid))
    return text % values if values else text
