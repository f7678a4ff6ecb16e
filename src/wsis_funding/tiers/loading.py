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

Every problem in a file is reported at once, each naming its key and the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from moneyed import Money

from wsis_funding.errors import WsisFundingError
from wsis_funding.money import money
from wsis_funding.tiers.errors import InvalidSchedule
from wsis_funding.tiers.model import ActivityPackage, Tier, TierSchedule

__all__ = ["illustrative_schedule", "illustrative_schedule_toml", "load_schedule", "parse_schedule"]

_ILLUSTRATIVE = "illustrative.toml"


def load_schedule(path: str | Path) -> TierSchedule:
    """Load a tier schedule from a TOML file.

    Raises :class:`InvalidSchedule` listing every problem, each naming its key, with the file
    named in the error (a missing file or bad TOML is one problem too).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise InvalidSchedule([f"cannot read file: {e.strerror}"], source=str(p)) from None
    return parse_schedule(text, source=str(p))


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


def parse_schedule(text: str, source: str = "<string>") -> TierSchedule:
    """Parse a tier schedule from TOML text; ``source`` names it in errors.

    Raises :class:`InvalidSchedule` listing every problem found.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InvalidSchedule([f"not valid TOML: {e}"], source=source) from None
    reader = _Reader()
    edition = reader.table(data, "edition")
    code = reader.string(edition, "edition.code")
    title = reader.string(edition, "edition.title")
    base = reader.string(edition, "edition.base_currency")
    counts = reader.boolean(edition, "edition.activity_counts_toward_tier", default=False)
    illustrative = reader.boolean(edition, "edition.illustrative", default=False)
    minimums: dict[Tier, Money] = {}
    benefits: dict[Tier, tuple[str, ...]] = {}
    tiers_table = reader.table(data, "tiers")
    known = {t.value: t for t in Tier}
    for key, value in tiers_table.items():
        tier = known.get(key)
        if tier is None:
            reader.problem(f"tiers.{key}: unknown tier; expected one of {', '.join(known)}")
            continue
        if not isinstance(value, Mapping):
            reader.problem(f"tiers.{key}: expected a table")
            continue
        amount = reader.amount(value, f"tiers.{key}.minimum", base)
        if amount is not None:
            minimums[tier] = amount
        benefits[tier] = reader.strings(value, f"tiers.{key}.benefits")
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


class _Reader:
    """Collects every problem while reading TOML values, instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def _get(self, table: Mapping[str, Any], key: str) -> Any:
        return table.get(key.rsplit(".", 1)[-1])

    def table(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, Mapping):
            self.problem(f"{key}: missing table [{key}]")
            return {}
        return value

    def string(self, table: Mapping[str, Any], key: str) -> str:
        value = self._get(table, key)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{key}: expected a non-empty string, got {value!r}")
            return ""
        return value

    def boolean(self, table: Mapping[str, Any], key: str, *, default: bool) -> bool:
        value = self._get(table, key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(f"{key}: expected true or false, got {value!r}")
            return default
        return value

    def integer(self, table: Mapping[str, Any], key: str) -> int | None:
        value = self._get(table, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{key}: expected an integer, got {value!r}")
            return None
        return value

    def strings(self, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = self._get(table, key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{key}: expected an array of strings, got {value!r}")
            return ()
        return tuple(value)

    def amount(self, table: Mapping[str, Any], key: str, code: str) -> Money | None:
        value = self._get(table, key)
        if isinstance(value, float):
            self.problem(f'{key}: {value!r} is a float; write amounts as strings, e.g. "1000.00"')
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.problem(f"{key}: expected an amount as a string or integer, got {value!r}")
            return None
        try:
            return money(value, code)
        except WsisFundingError as e:
            self.problem(f"{key}: {e}")
            return None
