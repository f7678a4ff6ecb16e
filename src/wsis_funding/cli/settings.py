"""Settings for the command line, built once at the edge from flags, environment and TOML.

Nothing reads the environment at import time: :func:`load_settings` is called by the CLI
with the flag values, and the frozen result is passed down.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs

from wsis_funding.errors import WsisFundingError
from wsis_funding.tomlfile import TomlFileProblem, read_toml_file

__all__ = [
    "ENV_CONFIG",
    "ENV_DATABASE",
    "ENV_ISSUER",
    "ENV_SCHEDULE",
    "InvalidSettings",
    "Settings",
    "load_settings",
]

ENV_CONFIG = "WSIS_FUNDING_CONFIG"
ENV_SCHEDULE = "WSIS_FUNDING_SCHEDULE"
ENV_DATABASE = "WSIS_FUNDING_DATABASE_URL"
ENV_ISSUER = "WSIS_FUNDING_ISSUER"
_KEYS = ("schedule", "database_url", "issuer")
_MAX_FILE = 64 * 1024


class InvalidSettings(WsisFundingError, ValueError):
    """A configuration file or value that cannot be used."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


@attrs.frozen(kw_only=True)
class Settings:
    """What the CLI needs: tier schedule file (None: illustrative), database, issuer TOML.

    ``database_url`` is None when none was given: there is no default database, so that a
    command never opens (or creates) a file the user did not name.
    """

    schedule: Path | None = None
    database_url: str | None = None
    issuer: Path | None = None


def load_settings(
    *,
    schedule: Path | None = None,
    database_url: str | None = None,
    issuer: Path | None = None,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Merge settings: flags win over environment variables, which win over the TOML file.

    The TOML file (``--config`` or ``$WSIS_FUNDING_CONFIG``) may hold ``schedule``,
    ``database_url`` and ``issuer`` (a path to the issuer settings TOML) at the top level.
    Raises :class:`InvalidSettings` naming the file and key.
    """
    env = os.environ if environ is None else environ
    file_values: dict[str, str] = {}
    config_path = config or (Path(env[ENV_CONFIG]) if env.get(ENV_CONFIG) else None)
    if config_path is not None:
        try:
            data = read_toml_file(config_path, max_bytes=_MAX_FILE, what="a settings file")
        except TomlFileProblem as e:
            raise InvalidSettings(str(config_path), e.problem) from None
        for key in _KEYS:
            if key in data:
                if not isinstance(data[key], str):
                    raise InvalidSettings(f"{config_path}: {key}", "expected a string")
                file_values[key] = data[key]
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise InvalidSettings(str(config_path), f"unknown key(s): {', '.join(unknown)}")
    schedule_value = schedule or env.get(ENV_SCHEDULE) or file_values.get("schedule")
    url = database_url or env.get(ENV_DATABASE) or file_values.get("database_url")
    issuer_value = issuer or env.get(ENV_ISSUER) or file_values.get("issuer")
    return Settings(
        schedule=Path(schedule_value) if schedule_value else None,
        database_url=url or None,
        issuer=Path(issuer_value) if issuer_value else None,
    )
