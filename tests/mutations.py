"""A seeded mutator of files: hostile variants of a good file, for the loaders' fuzz tests.

Every file format the library reads (tier schedules, issuer settings, the command line's
settings, camt statements, CSV and XLSX imports, stored document snapshots) has a fuzz test
that feeds it these variants: each must load, or be refused with the loader's own error; no
other exception may escape. The variants are deterministic (a fixed seed), so a failure is
reproduced by its name.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["Mutant", "mutants"]

_BAD_UTF8 = (
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",  # a lead byte without its continuation
    b"\x80",  # a lone continuation byte
    b"\xc0\xaf",  # overlong "/"
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xf4\x90\x80\x80",  # above U+10FFFF
)
_ODD_TEXT = (
    b"\x00",
    b"\x1b[31m",
    b"\xe2\x80\xae",  # right-to-left override
    b"\xef\xbb\xbf",  # a BOM in the middle
    "\U0001f4a5".encode(),
    b"\r",
    b"\t",
)


class Mutant(NamedTuple):
    """One hostile variant of a file, named by how it was made."""

    name: str
    data: bytes


def mutants(
    base: bytes,
    *,
    seed: int,
    count: int = 120,
    nest: tuple[bytes, bytes] | None = None,
) -> Iterator[Mutant]:
    """Yield ``count`` variants of ``base`` (plus a few fixed ones), made with ``seed``.

    Byte flips, truncations, invalid UTF-8, odd characters (NUL, escapes, bidi overrides),
    duplicated, dropped and shuffled lines, huge numbers and strings, and, given ``nest``
    (an opening and closing token, such as ``b"["`` and ``b"]"``), deeply nested values.
    """
    rng = random.Random(seed)
    lines = base.split(b"\n")
    yield Mutant("empty", b"")
    yield Mutant("only-a-bom", b"\xef\xbb\xbf")
    yield Mutant("doubled", base + b"\n" + base)
    if nest is not None:
        opening, closing = nest
        for depth in (50, 1_000, 100_000):
            at = rng.randrange(len(base) + 1)
            deep = opening * depth + closing * depth
            yield Mutant(f"nested-{depth}", base[:at] + deep + base[at:])
    makers = (_flip, _truncate, _bad_utf8, _odd_text, _lines, _huge)
    for i in range(count):
        maker = makers[i % len(makers)]
        yield Mutant(f"{maker.__name__.strip('_')}-{i}", maker(rng, base, lines))


def _flip(rng: random.Random, base: bytes, _lines: list[bytes]) -> bytes:
    data = bytearray(base)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _truncate(rng: random.Random, base: bytes, _lines: list[bytes]) -> bytes:
    return base[: rng.randrange(len(base))]


def _bad_utf8(rng: random.Random, base: bytes, _lines: list[bytes]) -> bytes:
    at = rng.randrange(len(base) + 1)
    return base[:at] + rng.choice(_BAD_UTF8) + base[at:]


def _odd_text(rng: random.Random, base: bytes, _lines: list[bytes]) -> bytes:
    at = rng.randrange(len(base) + 1)
    return base[:at] + rng.choice(_ODD_TEXT) + base[at:]


def _lines(rng: random.Random, _base: bytes, lines: list[bytes]) -> bytes:
    out = list(lines)
    what = rng.randrange(3)
    i = rng.randrange(len(out))
    if what == 0:
        out.insert(i, out[rng.randrange(len(out))])
    elif what == 1:
        del out[i]
    else:
        rng.shuffle(out)
    return b"\n".join(out)


def _huge(rng: random.Random, base: bytes, _lines: list[bytes]) -> bytes:
    digits = [i for i, b in enumerate(base) if 0x30 <= b <= 0x39]
    filler = rng.choice((b"9" * 5_000, b"1" * 30 + b".5", b"x" * 200_000, b"-0", b"1e309"))
    if digits:
        at = rng.choice(digits)
        return base[:at] + filler + base[at + 1 :]
    return base + filler
