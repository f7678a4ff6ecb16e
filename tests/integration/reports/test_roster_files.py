"""The tier roster for other services: versioned JSON that fits its schema, and CSV.

The season's tiers worked out from the illustrative minimums (Gold Plus 300,000, Gold
150,000, Contributing 50,000, Supporting 20,000 CHF) and the signing-date values: GLOBEX
USD 350,000 x 0.90 = 315,000.00 (Gold Plus), ACME 160,000.00 (Gold), KUW KWD 12,345.678 x
2.90 = 35,802.47 and NIPPON JPY 5,000,000 x 0.0060 = 30,000.00 (Supporting), HACK the
Hackathon package only. SMALL (9,500.00) reaches no tier and DRAFTY's pledge is a draft:
neither is on the roster.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import jsonschema

from wsis_funding.reports.roster import ROSTER_SCHEMA
from wsis_funding.services import Tracker

SCHEMA = json.loads(ROSTER_SCHEMA.read_text(encoding="utf-8"))
ORDER = ["GLOBEX", "ACME", "KUW", "NIPPON", "HACK"]
TIERS = {"GLOBEX": "gold_plus", "ACME": "gold", "KUW": "supporting", "NIPPON": "supporting"}
RANKS = {"platinum": 5, "gold_plus": 4, "gold": 3, "contributing": 2, "supporting": 1}


def chf(value: Decimal) -> str:
    """A CHF amount as the roster writes it: rounded half up to the centime."""
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# short name -> (committed, paid, activity committed, activity paid), CHF at signing-date rates
AMOUNTS = {
    "GLOBEX": (chf(Decimal(350_000) * Decimal("0.90")), chf(Decimal(175_000) * Decimal("0.90")),
               "0.00", "0.00"),
    "ACME": ("160000.00", "80000.00", "0.00", "0.00"),
    "KUW": (chf(Decimal("12345.678") * Decimal("2.90")), "0.00", "0.00", "0.00"),
    "NIPPON": (chf(Decimal(5_000_000) * Decimal("0.0060")),
               chf(Decimal(2_000_000) * Decimal("0.0060")), "0.00", "0.00"),
    "HACK": ("0.00", "0.00", "40000.00", "0.00"),
}  # fmt: skip


def roster(books: Tracker, **kwargs: Any) -> dict[str, Any]:
    data = json.loads(books.roster_file("WSIS2024", **kwargs))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert isinstance(data, dict)
    return data


def test_roster_json_names_each_recognised_partner_with_its_tier_and_packages(
    books: Tracker,
) -> None:
    data = roster(books)
    assert data["version"] == 1
    assert data["edition"] == {"code": "WSIS2024", "title": "WSIS+20 Forum High-Level Event"}
    assert [t["code"] for t in data["tiers"]] == list(RANKS)
    partners = data["partners"]
    assert [p["short_name"] for p in partners] == ORDER
    for p in partners:
        assert p["name"] == f"{p['short_name']} Corporation"
        tier = TIERS.get(p["short_name"])
        if tier is None:
            assert p["tier"] is None
        else:
            assert (p["tier"]["code"], p["tier"]["rank"]) == (tier, RANKS[tier])
    assert partners[-1]["packages"] == [
        {"code": "HACKATHON", "title": "WSIS Hackathon", "count": 1}
    ]
    assert all(p["packages"] == [] for p in partners[:-1])


def test_roster_json_holds_no_amount_unless_asked(books: Tracker) -> None:
    data = roster(books)
    assert data["amounts"] is None
    assert all("amounts" not in p for p in data["partners"])
    text = books.roster_file("WSIS2024").decode("utf-8")
    for committed, paid, activity, _ in AMOUNTS.values():
        for figure in (committed, paid, activity):
            if figure != "0.00":
                assert figure not in text
                assert figure.split(".")[0] not in text


def test_roster_json_with_amounts_gives_exact_decimal_strings(books: Tracker) -> None:
    data = roster(books, amounts=True)
    assert data["amounts"] == {"currency": "CHF"}
    for p in data["partners"]:
        committed, paid, activity, activity_paid = AMOUNTS[p["short_name"]]
        assert p["amounts"] == {
            "committed": committed,
            "paid": paid,
            "activity_committed": activity,
            "activity_paid": activity_paid,
        }


def test_roster_csv_has_one_row_per_partner_and_amounts_only_when_asked(books: Tracker) -> None:
    plain = list(csv.DictReader(io.StringIO(books.roster_file("WSIS2024", format="csv").decode())))
    assert list(plain[0]) == ["short_name", "name", "tier", "tier_title", "packages"]
    assert [(r["short_name"], r["tier"], r["packages"]) for r in plain] == [
        (s, TIERS.get(s, ""), "HACKATHON" if s == "HACK" else "") for s in ORDER
    ]
    rich = books.roster_file("WSIS2024", amounts=True, format="csv").decode()
    rows = list(csv.DictReader(io.StringIO(rich)))
    for row in rows:
        committed, paid, _, _ = AMOUNTS[row["short_name"]]
        assert (row["committed"], row["paid"], row["paid_currency"]) == (committed, paid, "CHF")


def test_the_same_books_give_the_same_roster_bytes(books: Tracker) -> None:
    for fmt in ("json", "csv", "xlsx"):
        for amounts in (False, True):
            first = books.roster_file("WSIS2024", amounts=amounts, format=fmt)
            assert books.roster_file("WSIS2024", amounts=amounts, format=fmt) == first


def test_a_roster_of_an_edition_without_partners_is_empty_and_valid(books: Tracker) -> None:
    data = json.loads(books.roster_file("WSIS2023"))
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    # SMALL's CHF 5,000 to WSIS2023 reaches no tier
    assert data["partners"] == []


def test_the_schema_refuses_a_roster_that_breaks_it() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = {
        "version": 1,
        "edition": {"code": "X", "title": "Y"},
        "tiers": [],
        "amounts": None,
        "partners": [{"short_name": "A", "name": "B", "tier": None, "packages": []}],
    }
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "version": 2})
    partner: dict[str, object] = {"short_name": "A", "name": "B", "tier": None, "packages": []}
    partner["email"] = "x@example.org"
    extra = {**good, "partners": [partner]}
    assert not validator.is_valid(extra)
