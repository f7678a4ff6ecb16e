"""The command line's side of the terminal: text and output paths checked, plain consoles.

Every check raises a ``click`` error, which the CLI prints as one line and exit status 2,
before any work is done; an output file is written only once its content is ready, all at
once, so that a failure leaves no file behind. Consoles print text as it is: names and titles
come from the books and from schedule files, and rich markup in them would be eaten or fail.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console

__all__ = [
    "TEXT",
    "check_output_file",
    "check_output_folder",
    "console",
    "shown",
    "write_file",
    "write_file_with",
]


def console(*, stderr: bool = False) -> Console:
    """Return a console that prints text as given (no markup, no guessed highlighting)."""
    return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=stderr)


class _Text(click.ParamType[str]):
    """A text argument: no control characters, and valid Unicode (the shell may pass bytes)."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if any(unicodedata.category(c) in ("Cc", "Cs") for c in text):
            self.fail(f"{text!r} holds control characters or bytes that are not UTF-8", param, ctx)
        return text


TEXT = _Text()


def shown(path: Path) -> str:
    """Return ``path`` as printable text (bytes that are not UTF-8 shown as replacements)."""
    return click.format_filename(path)


def check_output_file(path: Path, option: str) -> None:
    """Refuse an output file that cannot be written: a folder, a missing or non-folder parent.

    An existing file is overwritten. Raises ``click.BadParameter`` naming ``option``.
    """
    if path.is_dir():
        raise click.BadParameter(f"{shown(path)} is a folder, not a file", param_hint=option)
    parent = path.absolute().parent
    if not parent.is_dir():
        state = "is not a folder" if parent.exists() else "does not exist"
        raise click.BadParameter(
            f"cannot write {shown(path)}: {shown(parent)} {state}", param_hint=option
        )
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise click.BadParameter(
            f"cannot write {shown(path)}: permission denied", param_hint=option
        )


def check_output_folder(path: Path, option: str) -> None:
    """Refuse an output folder that is a file, or lies under one. Raises ``click.BadParameter``."""
    for p in (path, *path.absolute().parents):
        if p.exists():
            if not p.is_dir():
                where = "" if p == path else f"{shown(path)}: "
                raise click.BadParameter(
                    f"{where}{shown(p)} is a file, not a folder", param_hint=option
                )
            if not os.access(p, os.W_OK | os.X_OK):
                raise click.BadParameter(
                    f"cannot write into {shown(p)}: permission denied", param_hint=option
                )
            return


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: a regular file appears complete, or not at all.

    Through a symbolic link, the file it points to is written. A device or pipe (``-o
    /dev/stdout``) is written to directly, never replaced. Raises ``click.ClickException``
    naming ``path`` if the operating system refuses.
    """
    write_file_with(path, lambda f: f.write(data))


def write_file_with(path: Path, fill: Callable[[IO[bytes]], object]) -> None:
    """Write to ``path`` what ``fill`` writes to the binary stream it is given, whole.

    As :func:`write_file`, for content too large to hold in memory (a streamed export): a
    regular file is written beside the target and takes its place only once ``fill``
    returns; if ``fill`` raises, nothing is left behind and the error propagates.
    """
    try:
        if path.exists() and not path.is_file():
            with path.open("wb") as f:
                fill(f)
            return
        target = path.resolve() if path.is_symlink() else path
        fd, temporary = tempfile.mkstemp(dir=target.absolute().parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "wb") as f:
                fill(f)
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as e:
        raise click.ClickException(f"cannot write {shown(path)}: {e.strerror or e}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
