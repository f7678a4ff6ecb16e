"""Hostile schedule files: every mutation of the illustrative schedule loads or is refused.

A seeded mutator turns the illustrative TOML into more than 500 byte strings (byte flips,
truncation, invalid UTF-8, deep nesting, huge integers, duplicated and unknown keys, floats for
amounts, huge strings, shuffled lines). Each must either load or raise ``InvalidSchedule``
naming the file; nothing else may escape. Where the mutation has one certain reason to be
refused, the test also checks that the message gives it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wsis_funding.errors import InvalidSchedule
from wsis_funding.tiers import (
    TierSchedule,
    illustrative_schedule_toml,
    load_schedule,
    parse_schedule,
)

SEED = 20_241_130
BASE = illustrative_schedule_toml().encode("utf-8")
LINES = BASE.split(b"\n")
MIB = 1_048_576


class Mutant(NamedTuple):
    name: str
    data: bytes
    #: None: loading or refusing are both fine. Otherwise a fragment the refusal must contain.
    reason: str | None


def _flips(rng: random.Random, n: int) -> Iterator[Mutant]:
    for i in range(n):
        data = bytearray(BASE)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        yield Mutant(f"flip-{i}", bytes(data), None)


def _truncations(rng: random.Random, n: int) -> Iterator[Mutant]:
    for i in range(n):
        yield Mutant(f"truncate-{i}", BASE[: rng.randrange(len(BASE))], None)


BAD_UTF8 = [
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",  # a lead byte without its continuation
    b"\x80",  # a lone continuation byte
    b"\xc0\xaf",  # overlong "/"
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xf4\x90\x80\x80",  # above U+10FFFF
    b"\xe2\x82",  # truncated three-byte sequence
]


def _invalid_utf8(rng: random.Random, n: int) -> Iterator[Mutant]:
    for i in range(n):
        at = rng.randrange(len(BASE) + 1)
        bad = BAD_UTF8[i % len(BAD_UTF8)]
        yield Mutant(f"utf8-{i}", BASE[:at] + bad + BASE[at:], "not valid UTF-8")


def _deep(depths: tuple[int, ...]) -> Iterator[Mutant]:
    for depth in depths:
        nests = {
            "array": b"a = " + b"[" * depth + b"]" * depth,
            "inline-table": b"a = " + b"{b = " * depth + b"1" + b"}" * depth,
            "minimum": b"[tiers.bronze]\nminimum = " + b"[" * depth + b"1" + b"]" * depth,
            "mixed": b"a = " + b"[{b = " * depth + b"1" + b"}]" * depth,
        }
        for kind, nest in nests.items():
            yield Mutant(f"deep-{kind}-{depth}", BASE + b"\n" + nest + b"\n", "nested too deeply")


def _long_integers(rng: random.Random, n: int) -> Iterator[Mutant]:
    targets = [b'minimum = "150000.00"', b"capacity = 2", b'price = "40000.00"']
    for i in range(n):
        digits = str(rng.randint(1, 9)).encode() * rng.randint(5_000, 8_000)
        target = targets[i % len(targets)]
        key = target.split(b" = ")[0]
        data = BASE.replace(target, key + b" = " + digits, 1)
        yield Mutant(f"long-int-{i}", data, "integer literal has more than")
    # Below Python's limit the parser accepts them; the amount check must still refuse them.
    for i in range(4):
        digits = b"7" * (1_000 * (i + 1))
        data = BASE.replace(b'minimum = "150000.00"', b"minimum = " + digits, 1)
        yield Mutant(f"long-int-amount-{i}", data, "an amount has at most 40")


def _duplicated_keys(rng: random.Random, n: int) -> Iterator[Mutant]:
    keyed = [i for i, line in enumerate(LINES) if b" = " in line]
    for i in range(n):
        at = rng.choice(keyed)
        data = b"\n".join([*LINES[: at + 1], LINES[at], *LINES[at + 1 :]])
        yield Mutant(f"dup-key-{i}", data, "not valid TOML")


TYPOS = [b"minimun", b"benefit", b"colour", b"price_chf", b"Code", b"capacty", b"ilustrative"]


def _unknown_keys(rng: random.Random, n: int) -> Iterator[Mutant]:
    headers = [i for i, line in enumerate(LINES) if line.startswith(b"[")]
    for i in range(n):
        at = rng.choice(headers)
        typo = TYPOS[i % len(TYPOS)]
        data = b"\n".join([*LINES[: at + 1], typo + b' = "x"', *LINES[at + 1 :]])
        yield Mutant(f"unknown-key-{i}", data, f"{typo.decode()}: unknown key")
    renamed = [
        (b"[tiers.gold]", b"[tier.gold]", "tier: unknown table (did you mean tiers?)"),
        (b"[tiers.supporting]", b"[tiers.bronze]", "tiers.bronze: unknown tier"),
        (b"[edition]", b"[editon]", "editon: unknown table (did you mean edition?)"),
    ]
    for old, new, reason in renamed:
        yield Mutant(f"renamed-{new.decode()}", BASE.replace(old, new, 1), reason)


def _floats(rng: random.Random, n: int) -> Iterator[Mutant]:
    amounts = [b'minimum = "500000.00"', b'minimum = "20000.00"', b'price = "60000.00"']
    for i in range(n):
        target = amounts[i % len(amounts)]
        key = target.split(b" = ")[0]
        number = rng.choice([b"150000.5", b"1e5", b"20000.0", b"inf", b"nan", b"-0.0"])
        data = BASE.replace(target, key + b" = " + number, 1)
        yield Mutant(f"float-{i}", data, "is a float")


def _huge_strings() -> Iterator[Mutant]:
    for size in (1_000, 100_000, 1_000_000, MIB, 2 * MIB, 5 * MIB):
        title = b'title = "' + b"W" * size + b'"'
        data = BASE.replace(b'title = "WSIS Hackathon"', title, 1)
        reason = "larger than 1048576" if len(data) > MIB else None
        yield Mutant(f"huge-string-{size}", data, reason)


def _shuffled_lines(rng: random.Random, n: int) -> Iterator[Mutant]:
    for i in range(n):
        lines = list(LINES)
        for _ in range(rng.randint(1, 4)):
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            action = rng.randrange(3)
            if action == 0:
                del lines[a]
            elif action == 1:
                lines.insert(a, lines[b])
            else:
                lines[a], lines[b] = lines[b], lines[a]
        yield Mutant(f"lines-{i}", b"\n".join(lines), None)


def mutants() -> list[Mutant]:
    """The seeded corpus: the same bytes on every run."""
    rng = random.Random(SEED)
    return [
        *_flips(rng, 200),
        *_truncations(rng, 60),
        *_invalid_utf8(rng, 48),
        *_deep((1_000, 2_000, 5_000, 10_000)),
        *_long_integers(rng, 18),
        *_duplicated_keys(rng, 30),
        *_unknown_keys(rng, 42),
        *_floats(rng, 21),
        *_huge_strings(),
        *_shuffled_lines(rng, 80),
    ]


MUTANTS = mutants()


def test_the_mutator_makes_more_than_500_distinct_files_from_the_same_seed() -> None:
    assert len({m.data for m in MUTANTS}) >= 500
    assert len({m.name for m in MUTANTS}) == len(MUTANTS)
    assert [m.data for m in mutants()] == [m.data for m in MUTANTS]


def _outcome(load: Callable[[], TierSchedule], source: str) -> TierSchedule | InvalidSchedule:
    """Run ``load``; anything but a schedule or InvalidSchedule escapes and fails the test."""
    result: TierSchedule | InvalidSchedule
    try:
        result = load()
    except InvalidSchedule as e:
        result = e
    if isinstance(result, InvalidSchedule):
        assert result.source == source
        assert source in str(result)
        assert result.problems
    else:
        assert isinstance(result, TierSchedule)
    return result


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_a_mutated_schedule_file_loads_or_is_refused_naming_the_file(
    mutant: Mutant, tmp_path: Path
) -> None:
    path = tmp_path / f"{mutant.name}.toml"
    path.write_bytes(mutant.data)
    outcome = _outcome(lambda: load_schedule(path), str(path))
    if mutant.reason is not None:
        assert isinstance(outcome, InvalidSchedule), "expected a refusal"
        assert mutant.reason in str(outcome)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_mutated_schedule_text_with_any_code_points_loads_or_is_refused(mutant: Mutant) -> None:
    """Text from a database may hold lone surrogates: they are refused, never encoded later."""
    text = mutant.data.decode("utf-8", "surrogateescape")
    outcome = _outcome(lambda: parse_schedule(text, source="edition X"), "edition X")
    if any("\udc80" <= c <= "\udcff" for c in text):  # the bytes were not UTF-8
        assert isinstance(outcome, InvalidSchedule)
        assert "lone surrogate" in str(outcome) or "larger than" in str(outcome)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk=st.binary(min_size=1, max_size=40), at=st.integers(0, len(BASE)))
def test_random_bytes_spliced_into_a_schedule_load_or_are_refused(
    fuzz_dir: Path, junk: bytes, at: int
) -> None:
    path = fuzz_dir / "spliced.toml"
    path.write_bytes(BASE[:at] + junk + BASE[at:])
    _outcome(lambda: load_schedule(path), str(path))


def test_the_unmutated_illustrative_schedule_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "illustrative.toml"
    path.write_bytes(BASE)
    schedule = load_schedule(path)
    assert schedule.edition == "WSIS-ILLUSTRATIVE"
    assert len(schedule.packages) == 8
