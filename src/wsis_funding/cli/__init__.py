"""The ``wsis-funding`` command line: a thin layer that parses, calls the library, prints.

Every error the user can cause ends in one line on stderr and exit status 2, never a
traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console

from wsis_funding.cli.books import books
from wsis_funding.cli.demo import demo
from wsis_funding.cli.settings import load_settings
from wsis_funding.cli.tiers import tiers
from wsis_funding.errors import WsisFundingError

__all__ = ["cli", "main", "run"]


@click.group()
@click.option(
    "--schedule",
    type=click.Path(path_type=Path),
    help="Tier schedule TOML (default: $WSIS_FUNDING_SCHEDULE, else the illustrative one).",
)
@click.option(
    "--database", help="SQLAlchemy URL of the books (default: $WSIS_FUNDING_DATABASE_URL)."
)
@click.option(
    "--issuer",
    type=click.Path(path_type=Path),
    help="Issuer settings TOML, needed to issue documents (default: $WSIS_FUNDING_ISSUER).",
)
@click.option("--config", type=click.Path(path_type=Path), help="Settings TOML file.")
@click.pass_context
def cli(
    ctx: click.Context,
    schedule: Path | None,
    database: str | None,
    issuer: Path | None,
    config: Path | None,
) -> None:
    """Track WSIS Forum sponsorship and WSIS Fund in Trust contributions."""
    ctx.obj = load_settings(schedule=schedule, database_url=database, issuer=issuer, config=config)


cli.add_command(tiers)
cli.add_command(books)
cli.add_command(demo)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return its exit status (2 for bad input, with one line on stderr)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="wsis-funding",
                 standalone_mode=False)  # fmt: skip
    except click.exceptions.Abort:
        err.print("aborted")
        return 1
    except click.ClickException as e:
        err.print(f"error: {e.format_message()}", markup=False)
        return 2
    except WsisFundingError as e:
        err.print(f"error: {' '.join(str(e).split())}", markup=False)
        return 2
    return 0


def run() -> None:
    """Console-script entry point: run :func:`main` and exit with its status."""
    sys.exit(main())
