"""The group header and each statement's header: ids, account, currency, balances, totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from wsis_funding.imports.camt.dialect import Dialect
from wsis_funding.imports.camt.elements import (
    Element,
    Place,
    amount_of,
    date_of,
    datetime_of,
    decimal_of,
    integer,
    money_of,
    text,
)
from wsis_funding.imports.camt.model import Balance, BankCount, BankTotals, Statement

__all__ = ["GroupHeader", "read_group_header", "read_statement_header"]

OPENING_CODES = ("OPBD", "PRCD")
CLOSING_CODE = "CLBD"


@attrs.frozen(kw_only=True)
class GroupHeader:
    """The message's id and creation time (``GrpHdr``)."""

    message_id: str
    created: dt.datetime


def read_group_header(element: Element, d: Dialect, place: Place) -> GroupHeader:
    """Read ``GrpHdr``; raises :class:`MalformedStatement` without MsgId or CreDtTm."""
    message_id = text(element, d.path("MsgId"))
    created = datetime_of(element, d.path("CreDtTm"), place)
    if message_id is None or created is None:
        raise place.missing("GrpHdr/MsgId or GrpHdr/CreDtTm")
    return GroupHeader(message_id=message_id, created=created)


def read_statement_header(
    element: Element,
    d: Dialect,
    *,
    group: GroupHeader,
    file: str,
    position: int,
    first_entry: Element | None,
    place: Place,
) -> Statement:
    """Read a statement's header from its element (entries not needed, except the first).

    The account currency is ``Acct/Ccy``; failing that, the currency of the first balance,
    then of the first entry (``first_entry``). Raises :class:`MalformedStatement` for a
    missing id or account, and :class:`StatementRefused` when no currency can be told.
    """
    statement_id = text(element, d.path("Id"))
    if statement_id is None:
        raise place.missing("Id")
    place = Place(file, f"statement {position} (id {statement_id})")
    account_id = element.find(d.path("Acct/Id"))
    if account_id is None:
        raise place.missing("Acct/Id")
    iban = text(account_id, d.path("IBAN"))
    account = iban or text(account_id, d.path("Othr/Id"))
    if account is None:
        raise place.missing("Acct/Id/IBAN or Acct/Id/Othr/Id")
    balances = element.findall(d.path("Bal"))
    currency = text(element, d.path("Acct/Ccy"))
    fallbacks = [*balances[:1], *([] if first_entry is None else [first_entry])]
    for fallback in fallbacks:
        found = fallback.find(d.path("Amt"))
        if currency is None and found is not None:
            currency = (found.get("Ccy") or "").strip() or None
    if currency is None:
        raise place.refuse("the account currency cannot be told (no Acct/Ccy, balance or entry)")
    opening = closing = None
    for balance in balances:
        code = text(balance, d.path("Tp/CdOrPrtry/Cd"))
        if code in OPENING_CODES and (opening is None or opening.code != "OPBD"):
            opening = _balance(balance, code, d, currency, place)
        elif code == CLOSING_CODE and closing is None:
            closing = _balance(balance, code, d, currency, place)
    return Statement(
        file=file,
        message=d.message,
        version=f"001.{d.version}",
        message_id=group.message_id,
        message_created=group.created,
        position=position,
        statement_id=statement_id,
        created=datetime_of(element, d.path("CreDtTm"), place),
        electronic_sequence=integer(element, d.path("ElctrncSeqNb"), place),
        legal_sequence=integer(element, d.path("LglSeqNb"), place),
        account=iban.replace(" ", "").upper() if iban else account,
        account_is_iban=iban is not None,
        currency=currency,
        opening=opening,
        closing=closing,
        bank_totals=_totals(element, d, place),
    )


def _balance(element: Element, code: str, d: Dialect, currency: str, place: Place) -> Balance:
    value, ccy = amount_of(element.find(d.path("Amt")), f"{code} balance", place)
    if ccy != currency:
        raise place.refuse(f"the {code} balance is in {ccy}, the account is in {currency}")
    if text(element, d.path("CdtDbtInd")) == "DBIT":
        value = -value
    return Balance(
        code=code,
        amount=money_of(value, ccy, f"{code} balance", place),
        date=date_of(element, d.path("Dt"), place),
    )


def _count(element: Element | None, d: Dialect, place: Place) -> BankCount | None:
    if element is None:
        return None
    total = text(element, d.path("Sum"))
    return BankCount(
        count=integer(element, d.path("NbOfNtries"), place),
        total=None if total is None else decimal_of(total, "TxsSummry Sum", place),
    )


def _totals(element: Element, d: Dialect, place: Place) -> BankTotals | None:
    summary = element.find(d.path("TxsSummry"))
    if summary is None:
        return None
    entries = summary.find(d.path("TtlNtries"))
    net: Decimal | None = None
    if entries is not None:
        if d.version != "02":
            net_text = text(entries, d.path("TtlNetNtry/Amt"))
            sign = text(entries, d.path("TtlNetNtry/CdtDbtInd"))
        else:
            net_text = text(entries, d.path("TtlNetNtryAmt"))
            sign = text(entries, d.path("CdtDbtInd"))
        if net_text is not None:
            net = decimal_of(net_text, "TtlNetNtryAmt", place, signed=True)
            if sign == "DBIT":
                net = -net
    return BankTotals(
        entries=_count(entries, d, place),
        net=net,
        credits=_count(summary.find(d.path("TtlCdtNtries")), d, place),
        debits=_count(summary.find(d.path("TtlDbtNtries")), d, place),
    )
