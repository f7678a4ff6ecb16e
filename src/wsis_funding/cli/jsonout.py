"""The ``--json`` output of the read commands: one documented, stable JSON shape per answer.

Every answer is one JSON object on stdout, keys sorted, two-space indent, UTF-8 text as is:
``{"format": 1, "kind": "<what>", ...}``. ``format`` changes only when a shape changes in a
way a script would notice (a key removed or its meaning changed; a new key is not).

Values: money is ``{"amount": "1500.00", "currency": "CHF"}`` (the amount exact, as a string
with exactly the currency's ISO 4217 decimals: ``"1500"`` JPY, ``"1500.000"`` KWD); dates
are ISO ``"2024-03-01"``; ids are integers; statuses, tiers, languages and stakeholder types
are their values (``"partially_paid"``, ``"gold_plus"``, ``"fr"``); a missing value is
``null``. A JSON number never holds an amount.

Kinds and their keys (besides ``format`` and ``kind``):

- ``partner``: ``partner``; ``partners``: ``partners`` (a list). A partner is ``id``,
  ``short_name``, ``legal_name``, ``country``, ``stakeholder_type``, ``language``,
  ``address`` (``street``, ``building_number``, ``postcode``, ``town``, ``country``),
  ``tax_id``, ``contact_email``.
- ``pledge``: ``pledge``; ``pledges``: ``pledges``. A pledge is ``id``, ``partner_id``,
  ``edition``, ``status``, ``tier``, ``package``, ``discount_reason``, ``signed_on``,
  ``amount``, ``base_amount``, ``rate`` (``rate`` as a decimal string, ``effective``,
  ``source``; null in the base currency or for a draft), ``settled``, ``written_off``,
  ``outstanding``, ``instalments`` (``number``, ``due_on``, ``amount``, ``settled``,
  ``open``, ``replaced``, ``written_off``).
- ``payments``: ``payments``, each ``id``, ``partner_id``, ``received_on``, ``amount``,
  ``bank_charges``, ``settled``, ``unapplied``, ``reference``, ``idempotency_key``,
  ``source`` (``"bank"`` or ``"credit"``), ``invoice``, ``settles``.
- ``documents``: ``partner_id``, ``documents``, each ``number``, ``kind`` (``invoice``,
  ``credit_note``, ``letter``), ``issued_on``, ``pledge_id``, ``payment_id``, ``total``,
  ``payment_reference``.
- ``invoice``: ``number``, ``asked``, ``credited``, ``paid``, ``open``, ``state``.
- ``standing``: ``partner_id``, ``edition``, ``committed``, ``paid``, ``owed``,
  ``activity_committed``, ``activity_paid``, ``realised_fx``, ``written_off``,
  ``recovered``, ``tier``, ``next_tier``, ``shortfall``, ``packages`` (code to count).
- ``statement``: ``partner_id``, ``short_name``, ``name``, ``edition``, ``currencies``: per
  currency code, ``lines`` (``on``, ``kind``, ``reference``, ``description``, ``amount``,
  ``credit``, ``balance``, ``credit_balance``, ``document_amount``, ``invoices``,
  ``pledge_id``) and ``summary`` (``owed``, ``credit``, ``invoiced``, ``credited``,
  ``paid_on_invoices``, ``open_on_invoices``).
- ``receivables``: ``as_of``, ``buckets`` (their names in order), ``by_currency`` (currency
  to bucket to money), ``by_partner`` (``partner_id``, ``short_name``, ``name``,
  ``currency``, ``buckets``, ``total``).
- ``revenue``: ``edition``, ``as_of``, ``by_currency`` (currency to ``gross``, ``psc``,
  ``net``), ``base`` (the same in the base currency).
- ``balance``: ``account``, ``amounts`` (currency to money), ``base``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from typing import Any

import click
from moneyed import Money

from wsis_funding.documents.model import IssuedDocument
from wsis_funding.ledger.model import Partner, Payment, Pledge
from wsis_funding.money import RecordedRate, from_minor, to_minor
from wsis_funding.services import (
    BUCKETS,
    AccountBalance,
    InvoiceBalance,
    PartnerStanding,
    Receivables,
    RevenueLine,
    RevenueReport,
    Statement,
)

__all__ = [
    "FORMAT",
    "balance",
    "documents",
    "emit",
    "invoice",
    "money_value",
    "partner",
    "payments",
    "pledge",
    "receivables",
    "revenue",
    "standing",
    "statement",
]

FORMAT = 1
"""The version of every shape above."""

Json = dict[str, Any]


def money_value(m: Money | None) -> dict[str, str] | None:
    """Return ``{"amount": "1500.00", "currency": "CHF"}`` with the currency's exact decimals."""
    if m is None:
        return None
    code = str(m.currency.code)
    exact = from_minor(to_minor(m), code).amount
    return {"amount": format(exact, "f"), "currency": code}


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _value(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def emit(kind: str, body: Mapping[str, Any]) -> None:
    """Print one JSON answer of ``kind`` on stdout."""
    document = {"format": FORMAT, "kind": kind, **body}
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True))


def partner(p: Partner) -> Json:
    """Return the JSON of a partner."""
    a = p.billing_address
    return {
        "id": p.id,
        "short_name": p.short_name,
        "legal_name": p.legal_name,
        "country": p.country,
        "stakeholder_type": _value(p.stakeholder_type),
        "language": _value(p.language),
        "address": {
            "street": a.street,
            "building_number": a.building_number,
            "postcode": a.postcode,
            "town": a.town,
            "country": a.country,
        },
        "tax_id": p.tax_id,
        "contact_email": p.contact_email,
    }


def _rate(rate: RecordedRate | None) -> Json | None:
    if rate is None:
        return None
    return {"rate": rate.text, "effective": rate.effective.isoformat(), "source": rate.source}


def pledge(p: Pledge) -> Json:
    """Return the JSON of a pledge with its current and replaced instalments."""
    return {
        "id": p.id,
        "partner_id": p.partner_id,
        "edition": p.edition_code,
        "status": p.status.value,
        "tier": p.tier,
        "package": p.package,
        "discount_reason": p.discount_reason,
        "signed_on": p.signed_on.isoformat(),
        "amount": money_value(p.amount),
        "base_amount": money_value(p.base_amount) if p.status.posted else None,
        "rate": _rate(p.rate),
        "settled": money_value(p.settled),
        "written_off": money_value(p.written_off),
        "outstanding": money_value(p.outstanding),
        "instalments": [
            {
                "number": i.number,
                "due_on": i.due_on.isoformat(),
                "amount": money_value(i.amount),
                "settled": money_value(i.settled),
                "open": money_value(i.open_amount),
                "replaced": i.replaced,
                "written_off": i.written_off,
            }
            for i in p.instalments
        ],
    }


def payments(items: list[Payment]) -> Json:
    """Return the body of a ``payments`` answer."""
    return {
        "payments": [
            {
                "id": x.id,
                "partner_id": x.partner_id,
                "received_on": x.received_on.isoformat(),
                "amount": money_value(x.amount),
                "bank_charges": money_value(x.bank_charges),
                "settled": money_value(x.settled),
                "unapplied": money_value(x.unapplied),
                "reference": x.reference,
                "idempotency_key": x.idempotency_key,
                "source": x.source,
                "invoice": x.invoice,
                "settles": money_value(x.settles),
            }
            for x in items
        ]
    }


def documents(partner_id: int, items: list[IssuedDocument]) -> Json:
    """Return the body of a ``documents`` answer."""
    return {
        "partner_id": partner_id,
        "documents": [
            {
                "number": d.number,
                "kind": d.kind,
                "issued_on": d.issued_on.isoformat(),
                "pledge_id": d.pledge_id,
                "payment_id": d.payment_id,
                "total": money_value(d.total),
                "payment_reference": d.payment_reference,
            }
            for d in items
        ],
    }


def invoice(b: InvoiceBalance) -> Json:
    """Return the body of an ``invoice`` answer."""
    return {
        "number": b.number,
        "asked": money_value(b.asked),
        "credited": money_value(b.credited),
        "paid": money_value(b.paid),
        "open": money_value(b.open),
        "state": b.state,
    }


def standing(s: PartnerStanding) -> Json:
    """Return the body of a ``standing`` answer."""
    return {
        "partner_id": s.partner_id,
        "edition": s.edition,
        "committed": money_value(s.committed),
        "paid": money_value(s.paid),
        "owed": money_value(s.owed),
        "activity_committed": money_value(s.activity_committed),
        "activity_paid": money_value(s.activity_paid),
        "realised_fx": money_value(s.realised_fx),
        "written_off": money_value(s.written_off),
        "recovered": money_value(s.recovered),
        "tier": None if s.tier is None else s.tier.value,
        "next_tier": None if s.next_tier is None else s.next_tier.value,
        "shortfall": money_value(s.shortfall),
        "packages": dict(s.packages),
    }


def statement(s: Statement) -> Json:
    """Return the body of a ``statement`` answer."""
    currencies: Json = {}
    for code, lines in s.lines.items():
        summary = s.summary[code]
        currencies[code] = {
            "lines": [
                {
                    "on": line.on.isoformat(),
                    "kind": line.kind,
                    "reference": line.reference,
                    "description": line.description,
                    "amount": money_value(line.amount),
                    "credit": money_value(line.credit),
                    "balance": money_value(line.balance),
                    "credit_balance": money_value(line.credit_balance),
                    "document_amount": money_value(line.document_amount),
                    "invoices": list(line.invoices),
                    "pledge_id": line.pledge_id,
                }
                for line in lines
            ],
            "summary": {
                "owed": money_value(summary.owed),
                "credit": money_value(summary.credit),
                "invoiced": money_value(summary.invoiced),
                "credited": money_value(summary.credited),
                "paid_on_invoices": money_value(summary.paid_on_invoices),
                "open_on_invoices": money_value(summary.open_on_invoices),
            },
        }
    return {
        "partner_id": s.partner_id,
        "short_name": s.short_name,
        "name": s.name,
        "edition": s.edition,
        "currencies": currencies,
    }


def receivables(r: Receivables) -> Json:
    """Return the body of a ``receivables`` answer."""
    return {
        "as_of": r.as_of.isoformat(),
        "buckets": list(BUCKETS),
        "by_currency": {
            code: {b: money_value(m) for b, m in buckets.items()}
            for code, buckets in sorted(r.by_currency.items())
        },
        "by_partner": [
            {
                "partner_id": a.partner_id,
                "short_name": a.short_name,
                "name": a.name,
                "currency": a.currency,
                "buckets": {b: money_value(m) for b, m in a.buckets.items()},
                "total": money_value(a.total),
            }
            for a in r.by_partner
        ],
    }


def _line(line: RevenueLine) -> Json:
    return {
        "gross": money_value(line.gross),
        "psc": money_value(line.psc),
        "net": money_value(line.net),
    }


def revenue(r: RevenueReport) -> Json:
    """Return the body of a ``revenue`` answer."""
    return {
        "edition": r.edition,
        "as_of": _day(r.as_of),
        "by_currency": {code: _line(line) for code, line in sorted(r.by_currency.items())},
        "base": _line(r.base),
    }


def balance(b: AccountBalance) -> Json:
    """Return the body of a ``balance`` answer."""
    return {
        "account": b.account,
        "amounts": {code: money_value(m) for code, m in sorted(b.amounts.items())},
        "base": money_value(b.base),
    }
