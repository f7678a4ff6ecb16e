"""Loading tier schedules from TOML, and the illustrative schedule shipped with the package.

Format (amounts are strings or integers in the base currency, never floats)::

    [edition]
    code = "WSIS2024"
    title = "WSIS+20 Forum High-Level Event"
    base_currency = "CHF"
    activity_counts_toward_tier = false   # optional, default false
    illustrative = false                  # optional

    [tiers.platinum]                      # platinum, gold_plus, gold, contributing, supporting
    minimum = "500000"
    benefits = ["Logo on the main stage backdrop"]

    [[packages]]
    code = "HACKATHON"
    title = "WSIS Hackathon"
    price = "40000"
    capacity = 1
    benefits = ["Naming of the Hackathon"]

Every problem in a file is reported at once, each naming its key and the file. A hostile
file never escapes as a raw exception: a file larger than 1 MiB, bytes that are not UTF-8
(a leading UTF-8 byte-order mark is allowed), lone surrogates, broken TOML, arrays or inline
tables nested deeper than the parser can follow, integer literals longer than Python's
int-string limit, and unknown tables or keys anywhere (``[tier.gold]``, ``minimun = ...``) are
all :class:`InvalidSchedule` problems. Values are shown shortened in messages.
"""

from __future__ import annotations

import difflib
import functools
import re
import reprlib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final

from moneyed import Money

from wsis_funding.errors import WsisFundingError
from wsis_funding.money import money
from wsis_funding.tiers.errors import InvalidSchedule
from wsis_funding.tiers.model import ActivityPackage, Tier, TierSchedule
from wsis_funding.tomlfile import TomlFileProblem, parse_toml, read_toml_file

__all__ = ["illustrative_schedule", "illustrative_schedule_toml", "load_schedule", "parse_schedule"]

_ILLUSTRATIVE = "illustrative.toml"
#: A schedule is a few kilobytes; anything above this is refused before parsing.
_MAX_SIZE: Final = 1 << 20
_TOP: Final = ("edition", "tiers", "packages")
_EDITION: Final = ("code", "title", "base_currency", "activity_counts_toward_tier", "illustrative")
_TIER: Final = ("minimum", "benefits")
_PACKAGE: Final = ("code", "title", "price", "capacity", "benefits")
#: Far above any amount that fits a signed 64-bit count of minor units, with separators.
_MAX_AMOUNT_CHARS: Final = 40
_BARE_KEY: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SHORT: Final = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlong = 40
_SHORT.maxlist = _SHORT.maxdict = 4
_SHORT.maxlevel = 3


def load_schedule(path: str | Path, *, edition: str | None = None) -> TierSchedule:
    """Load a tier schedule from a UTF-8 TOML file (at most 1 MiB).

    ``edition``, when given, is the code the schedule must be for. Raises
    :class:`InvalidSchedule` listing every problem, each naming its key, with the file named in
    the error (a missing or unreadable file, a file too large, bytes that are not UTF-8, or bad
    TOML is one problem too).
    """
    source = str(path)
    try:
        data = read_toml_file(path, max_bytes=_MAX_SIZE, what="a tier schedule")
    except TomlFileProblem as e:
        raise InvalidSchedule([e.problem], source=source) from None
    return _schedule(data, source, edition)


def illustrative_schedule_toml() -> str:
    """Return the TOML text of the illustrative schedule (for an edition's ``schedule_toml``)."""
    return (
        resources.files("wsis_funding.tiers")
        .joinpath("schedules", _ILLUSTRATIVE)
        .read_text(encoding="utf-8")
    )


def illustrative_schedule() -> TierSchedule:
    """Return the illustrative schedule shipped for demos and tests (not ITU's prices)."""
    return parse_schedule(
        illustrative_schedule_toml(), source=f"wsis_funding/tiers/schedules/{_ILLUSTRATIVE}"
    )


def parse_schedule(
    text: str, source: str = "<string>", *, edition: str | None = None
) -> TierSchedule:
    """Parse a tier schedule from TOML text; ``source`` names it in errors.

    ``edition``, when given, is the code the schedule must be for: a schedule whose
    ``[edition].code`` differs is refused, naming both codes. Raises :class:`InvalidSchedule`
    listing every problem found, and ``TypeError`` if ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"schedule text must be a str, not {type(text).__name__}")
    return _parsed(text, source, edition)


@functools.lru_cache(maxsize=64)
def _parsed(text: str, source: str, edition: str | None) -> TierSchedule:
    """Parse a schedule once per text: every edition's use cases read the same few schedules.

    The schedule is frozen, so callers share it; a text that is refused is parsed (and
    refused) again each time, errors are not cached.
    """
    try:
        data = parse_toml(text, max_chars=_MAX_SIZE, what="a tier schedule")
    except TomlFileProblem as e:
        raise InvalidSchedule([e.problem], source=source) from None
    return _schedule(data, source, edition)


def _schedule(data: dict[str, Any], source: str, edition: str | None) -> TierSchedule:
    """Build a schedule from parsed TOML; raise :class:`InvalidSchedule` with every problem."""
    reader = _Reader()
    reader.unknown(data, "", _TOP)
    table = reader.table(data, "edition")
    reader.unknown(table, "edition", _EDITION)
    code = reader.string(table, "edition.code")
    if edition is not None and code and code != edition:
        reader.problem(
            f"edition.code: the schedule is for edition {_show(code)}, not for {_show(edition)}"
        )
    title = reader.string(table, "edition.title")
    base = reader.string(table, "edition.base_currency")
    counts = reader.boolean(table, "edition.activity_counts_toward_tier", default=False)
    illustrative = reader.boolean(table, "edition.illustrative", default=False)
    minimums: dict[Tier, Money] = {}
    benefits: dict[Tier, tuple[str, ...]] = {}
    tiers_table = reader.table(data, "tiers")
    known = {t.value: t for t in Tier}
    for key, value in tiers_table.items():
        tier = known.get(key)
        where = f"tiers.{_key(key)}"
        if tier is None:
            reader.problem(
                f"{where}: unknown tier{_did_you_mean(key, known)}; "
                f"expected one of {', '.join(known)}"
            )
            continue
        if not isinstance(value, Mapping):
            reader.problem(f"{where}: expected a table")
            continue
        reader.unknown(value, where, _TIER)
        amount = reader.amount(value, f"{where}.minimum", base)
        if amount is not None:
            minimums[tier] = amount
        benefits[tier] = reader.strings(value, f"{where}.benefits")
    packages: list[ActivityPackage] = []
    raw_packages = data.get("packages", [])
    if not isinstance(raw_packages, list):
        reader.problem("packages: expected an array of tables ([[packages]])")
        raw_packages = []
    for i, raw in enumerate(raw_packages):
        where = f"packages[{i}]"
        if not isinstance(raw, Mapping):
            reader.problem(f"{where}: expected a table")
            continue
        reader.unknown(raw, where, _PACKAGE)
        p_code = reader.string(raw, f"{where}.code")
        p_title = reader.string(raw, f"{where}.title")
        price = reader.amount(raw, f"{where}.price", base)
        capacity = reader.integer(raw, f"{where}.capacity")
        p_benefits = reader.strings(raw, f"{where}.benefits")
        if p_code and p_title and price is not None and capacity is not None:
            packages.append(
                ActivityPackage(
                    code=p_code, title=p_title, price=price, capacity=capacity, benefits=p_benefits
                )
            )
    if reader.problems:
        raise InvalidSchedule(reader.problems, source=source)
    try:
        return TierSchedule(
            edition=code,
            title=title,
            base_currency=base,
            minimums=minimums,
            benefits=benefits,
            packages=packages,
            activity_counts_toward_tier=counts,
            illustrative=illustrative,
        )
    except InvalidSchedule as e:
        raise InvalidSchedule(e.problems, source=source) from None


def _show(value: object) -> str:
    """Return a short repr for messages: long strings, numbers and deep nesting are cut."""
    return _SHORT.repr(value)


def _key(key: str) -> str:
    """Return a TOML key as written in messages: bare if it can be, else a short repr."""
    return key if _BARE_KEY.fullmatch(key) else _show(key)


def _did_you_mean(key: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


class _Reader:
    """Collects every problem while reading TOML values, instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def _get(self, table: Mapping[str, Any], key: str) -> Any:
        return table.get(key.rsplit(".", 1)[-1])

    def unknown(self, table: Mapping[str, Any], where: str, allowed: tuple[str, ...]) -> None:
        """Report every key of ``table`` that is not ``allowed`` (typos are never ignored)."""
        for key, value in table.items():
            if key in allowed:
                continue
            path = f"{where}.{_key(key)}" if where else _key(key)
            is_table = isinstance(value, Mapping) or (
                isinstance(value, list) and bool(value) and isinstance(value[0], Mapping)
            )
            self.problem(
                f"{path}: unknown {'table' if is_table else 'key'}"
                f"{_did_you_mean(key, allowed)}; expected one of {', '.join(allowed)}"
            )

    def table(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, Mapping):
            self.problem(f"{key}: missing table [{key}]")
            return {}
        return value

    def string(self, table: Mapping[str, Any], key: str) -> str:
        value = self._get(table, key)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{key}: expected a non-empty string, got {_show(value)}")
            return ""
        return value

    def boolean(self, table: Mapping[str, Any], key: str, *, default: bool) -> bool:
        value = self._get(table, key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(f"{key}: expected true or false, got {_show(value)}")
            return default
        return value

    def integer(self, table: Mapping[str, Any], key: str) -> int | None:
        value = self._get(table, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{key}: expected an integer, got {_show(value)}")
            return None
        return value

    def strings(self, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = self._get(table, key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{key}: expected an array of strings, got {_show(value)}")
            return ()
        return tuple(value)

    def amount(self, table: Mapping[str, Any], key: str, code: str) -> Money | None:
        value = self._get(table, key)
        if isinstance(value, float):
            self.problem(
                f'{key}: {_show(value)} is a float; write amounts as strings, e.g. "1000.00"'
            )
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problem(f"{key}: expected an amount as a string or integer, got {_show(value)}")
            return None
        if isinstance(value, str) and not value.isascii():
            # Decimal() reads any script's digits ("١٠٠٠"); a schedule is written in ASCII.
            self.problem(f'{key}: {_show(value)} is not ASCII; write amounts as "1000.00"')
            return None
        if len(str(value)) > _MAX_AMOUNT_CHARS:
            self.problem(
                f"{key}: {_show(value)} has {len(str(value))} characters; "
                f"an amount has at most {_MAX_AMOUNT_CHARS}"
            )
            return None
        try:
            return money(value, code)
        except WsisFundingError as e:
            self.problem(f"{key}: {e}")
            return None
