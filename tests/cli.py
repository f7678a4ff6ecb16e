"""Running the command line in tests, in this process or as a real one, and its error rule.

Every failure the user (or the environment) causes is exactly one line ``error: ...`` on
stderr, nothing on stdout, exit status 2 and no traceback: :func:`assert_refused` checks it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import attrs
import pytest

import wsis_funding
from wsis_funding.cli import main

__all__ = ["ENV_VARS", "Result", "assert_refused", "run", "run_process"]

ENV_VARS = (
    "WSIS_FUNDING_CHAIN_KEY",
    "WSIS_FUNDING_CHAIN_KEY_FILE",
    "WSIS_FUNDING_CONFIG",
    "WSIS_FUNDING_DATABASE_URL",
    "WSIS_FUNDING_ISSUER",
    "WSIS_FUNDING_SCHEDULE",
    "WSIS_FUNDING_TRACEBACK",
)


@attrs.frozen
class Result:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """Run ``wsis-funding ARGS`` in this process through :func:`wsis_funding.cli.main`."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return Result(code, out, err)


def run_process(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> Result:
    """Run ``python -m wsis_funding.cli ARGS`` as a real process, on the code under test."""
    environ = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    src = str(Path(wsis_funding.__file__).parents[1])
    environ["PYTHONPATH"] = os.pathsep.join([src, environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    environ.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "wsis_funding.cli", *args],
        cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    return Result(done.returncode, done.stdout, done.stderr)


def assert_refused(result: Result, fragment: str) -> None:
    """Exit status 2, nothing on stdout, one line ``error: ...`` naming ``fragment``."""
    assert "Traceback" not in result.err, result.err
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.startswith("error: "), result.err
    assert result.err.endswith("\n")
    assert result.err.count("\n") == 1, result.err
    assert fragment in result.err, result.err
