"""What every use-case command shares: opening the books, reading arguments, asking first.

Commands that read open existing books without issuer settings; commands that write open
existing books too (``wsis-funding init`` is the one that creates them), with the issuer
settings when documents are issued. Arguments are parsed into the library's values here (a
date, an amount in a currency, a partner by id or short name, an instalment schedule) and
every mistake is a ``click`` error naming the option, which the CLI prints as one line with
exit status 2. Writes that change money say what they will do on stderr and ask before doing
it, unless ``--yes``; without a terminal to ask on, they refuse rather than wait.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from moneyed import Money

from wsis_funding.cli.settings import ENV_DATABASE, ENV_ISSUER, Settings
from wsis_funding.cli.terminal import console
from wsis_funding.documents import load_issuer
from wsis_funding.ledger.errors import UnknownPartner
from wsis_funding.ledger.model import Partner
from wsis_funding.money import format_money, money
from wsis_funding.money.errors import InvalidAmount
from wsis_funding.services import Books, Tracker, open_tracker

__all__ = [
    "DATE",
    "IDS",
    "amount_of",
    "ask",
    "consented",
    "id_of",
    "instalments_of",
    "json_option",
    "partner_of",
    "read_books",
    "require_terminal",
    "shown_money",
    "write_books",
    "yes_option",
]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# Ids are INTEGER columns (32 bits on PostgreSQL): no row has an id outside this.
IDS = range(1, 2**31)


def _database(settings: Settings) -> str:
    if settings.database_url is None:
        raise click.UsageError(f"no database given: pass --database URL or set ${ENV_DATABASE}")
    return settings.database_url


def read_books(settings: Settings) -> Tracker:
    """Open the existing books for reading; never create them (``BooksNotFound`` if absent)."""
    return open_tracker(_database(settings), create=False)


def write_books(settings: Settings, *, issuing: bool = False) -> Tracker:
    """Open the existing books for writing, with the issuer settings if given.

    ``issuing`` commands (invoices, credit notes, letters) need them: without, a
    ``click.UsageError`` says how to give them. Books are created by ``wsis-funding init``
    only, so that a typo in a path never starts new books.
    """
    url = _database(settings)
    if issuing and settings.issuer is None:
        raise click.UsageError(
            f"issuing documents needs the issuer settings: pass --issuer FILE or set ${ENV_ISSUER}"
        )
    issuer = load_issuer(settings.issuer) if settings.issuer is not None else None
    return open_tracker(url, issuer=issuer, create=False)


class _Date(click.ParamType[dt.date]):
    """A calendar date written YYYY-MM-DD."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        text = str(value)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.fail(f"{text!r} is not a date written YYYY-MM-DD", param, ctx)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"{text!r} is not a real date", param, ctx)


DATE = _Date()


def amount_of(text: str, currency: str, what: str) -> Money:
    """Return ``text`` in ``currency`` as exact Money; raise ``click.BadParameter`` for ``what``.

    A point for decimals, no grouping; no more decimals than the currency has.
    """
    code = currency.strip().upper()
    if "," in text or "'" in text or " " in text.strip():
        raise click.BadParameter(
            f"{text!r}: write amounts with a point for decimals and no grouping, e.g. 150000.00",
            param_hint=what,
        )
    try:
        return money(text.strip(), code)
    except InvalidAmount as e:
        raise click.BadParameter(f"{text!r}: {e.reason}", param_hint=what) from None


def instalments_of(
    given: Sequence[str], currency: str, option: str = "--instalment"
) -> list[tuple[dt.date, Money]]:
    """Parse ``DATE=AMOUNT`` instalments in ``currency``; raise ``click.BadParameter``."""
    schedule = []
    for item in given:
        day, sep, amount = item.partition("=")
        if not sep:
            raise click.BadParameter(
                f"{item!r}: write an instalment as DUE-DATE=AMOUNT, e.g. 2024-03-01=80000",
                param_hint=option,
            )
        schedule.append(
            (DATE.convert(day.strip(), None, None), amount_of(amount, currency, option))
        )
    return schedule


def partner_of(tracker: Tracker, given: str) -> Partner:
    """Return the partner a command names: by id (digits) or by short name."""
    text = given.strip()
    if text.isdigit():
        number = int(text)
        if number not in IDS:
            raise UnknownPartner(number)
        return tracker.partner(number)
    return tracker.partner_by_short_name(text)


def id_of(given: str, what: str) -> int:
    """Return a positive id given on the command line; raise ``click.BadParameter``."""
    text = given.strip()
    if not text.isdigit() or int(text) not in IDS:
        raise click.BadParameter(f"{given!r} is not a {what} id (a whole number)", param_hint=what)
    return int(text)


def shown_money(m: Money) -> str:
    """Return an amount as people read it in the books' reports ("CHF 80,000.00")."""
    return format_money(m, "en")


def yes_option(f: F) -> F:
    """Add the ``--yes`` flag of commands that ask before changing money."""
    return click.option("-y", "--yes", is_flag=True, help="Do it without asking (for scripts).")(f)


def json_option(f: F) -> F:
    """Add the ``--json`` flag of commands that read: a stable JSON document on stdout."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON for scripts (see the README)."
    )(f)


def require_terminal(what: str) -> None:
    """Refuse to ask about ``what`` when no one could answer: stdin is not a terminal."""
    if sys.stdin is None or not sys.stdin.isatty():
        raise click.UsageError(
            f"{what}: asking first, but standard input is not a terminal; "
            "pass --yes to do it without asking"
        )


class _Rehearsal(Exception):
    """Raised inside a rehearsal's transaction to roll it back, carrying what it returned."""

    def __init__(self, result: object) -> None:
        self.result = result


def consented(
    tracker: Tracker,
    yes: bool,
    what: str,
    work: Callable[[Books], T],
    plan: Callable[[T], Sequence[str]],
) -> T:
    """Do ``work``, a write that changes money, after saying what it will do and asking.

    Unless ``yes``, the work is first rehearsed in a transaction that is rolled back, so that
    what the books would refuse is refused before any question, and the question states what
    the work will really do (``plan`` of the rehearsal's result: the money a payment settles,
    an invoice's number and amount). ``what`` names the work when there is no terminal to ask
    on. The work runs in one transaction: all of it, or nothing. Returns its result.
    """
    if not yes:
        require_terminal(what)
        try:
            with tracker.transaction() as tx:
                raise _Rehearsal(work(tx))
        except _Rehearsal as rehearsal:
            ask(plan(rehearsal.result), False)  # type: ignore[arg-type]
    with tracker.transaction() as tx:
        return work(tx)


def ask(plan: Sequence[str], yes: bool) -> None:
    """Say what a write will do and ask before doing it, unless ``yes``.

    The plan and the question go to stderr, so that stdout holds only the result. Without
    a terminal on stdin (a script, a pipe) nothing could answer: refused with a
    ``click.UsageError`` (exit 2) rather than waiting. Declining aborts (exit 1).
    """
    if yes:
        return
    require_terminal(plan[0])
    err = console(stderr=True)
    for line in plan:
        err.print(line)
    click.confirm("Do it?", abort=True, err=True)
