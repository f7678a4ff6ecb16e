"""Reading the TOML files the library and the command line are given, whatever the bytes.

A schedule, the issuer settings and the command line's settings file are TOML written by
people. Read here, every way such a file can fail comes out as one :class:`TomlFileProblem`
with a sentence for a person: a missing or unreadable file, one too large for what it is,
bytes that are not UTF-8 (with the line and byte), a lone surrogate, bad TOML (with
tomllib's line and column), arrays or inline tables nested past any sane depth (tomllib
recurses, so the limit must not depend on the recursion limit), and integer literals longer
than Python converts. Each loader turns the problem into its own error naming the file.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any, Final

__all__ = ["MAX_DEPTH", "TomlFileProblem", "parse_toml", "read_toml_file"]

MAX_DEPTH: Final = 16
"""No file of ours nests tables and arrays deeper than a few levels; deeper is refused."""
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


class TomlFileProblem(ValueError):
    """What is wrong with a TOML file, in one sentence; loaders re-raise it as their own error.

    ``problem`` is the sentence (without the file's name, which the loader's error carries).
    """

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


def read_toml_file(path: str | Path, *, max_bytes: int, what: str) -> dict[str, Any]:
    """Read and parse the UTF-8 TOML file at ``path`` (a BOM is allowed).

    ``what`` names the kind of file in the size message ("a tier schedule"). Raises
    :class:`TomlFileProblem` for every way the file cannot be read.
    """
    try:
        with Path(path).open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise TomlFileProblem(f"cannot read file: {e.strerror or e}") from None
    except ValueError as e:  # a NUL in the path
        raise TomlFileProblem(f"cannot read file: {e}") from None
    if len(raw) > max_bytes:
        raise TomlFileProblem(_too_large(max_bytes, "bytes", what))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        column = e.start - raw.rfind(b"\n", 0, e.start)
        raise TomlFileProblem(
            f"not valid UTF-8: byte 0x{raw[e.start]:02x} at line {line}, byte {column} "
            f"({e.reason}); save the file as UTF-8"
        ) from None
    return parse_toml(text.removeprefix("\ufeff"), max_chars=max_bytes, what=what)


def parse_toml(text: str, *, max_chars: int, what: str) -> dict[str, Any]:
    """Parse TOML text, turning every way the parser can fail into a :class:`TomlFileProblem`."""
    if len(text) > max_chars:
        raise TomlFileProblem(_too_large(max_chars, "characters", what))
    surrogate = _SURROGATE.search(text)
    if surrogate:
        raise TomlFileProblem(
            f"not valid Unicode: lone surrogate U+{ord(surrogate.group()):04X} at "
            f"{_position(text, surrogate.start())}"
        )
    try:
        data = tomllib.loads(text)
        if _depth(data) > MAX_DEPTH:
            raise RecursionError
        return data
    except tomllib.TOMLDecodeError as e:
        problem = f"not valid TOML: {e}"
    except RecursionError:
        problem = "not valid TOML: arrays or inline tables are nested too deeply to parse"
    except ValueError:
        # tomllib lets int()'s limit on decimal digits escape (CVE-2020-10735 protection).
        problem = _long_integer(text)
    raise TomlFileProblem(problem)


def _depth(data: object) -> int:
    """Return how deeply tables and arrays nest in parsed TOML (iteratively: no recursion)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
    return deepest


def _long_integer(text: str) -> str:
    limit = sys.get_int_max_str_digits()
    problem = (
        f"not valid TOML: an integer literal has more than {limit} digits, "
        "Python's limit for converting text to an integer"
    )
    match = re.search(rf"[0-9a-fA-F_]{{{limit + 1},}}", text)
    return f"{problem} (at {_position(text, match.start())})" if match else problem


def _position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line {line}, column {index - text.rfind(chr(10), 0, index)}"


def _too_large(limit: int, unit: str, what: str) -> str:
    return f"larger than {limit} {unit}; {what} is a few kilobytes (is this the right file?)"
