"""Jinja2 environments for the document templates (HTML) and the embedded XML (CII, XMP).

Autoescaping is always on and undefined variables are errors. A user's template directory is
searched before ours (a ChoiceLoader), so a deployment can restyle a document by shipping one
file of the same name. Environments are cached per (template directory, language).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import jinja2

from wsis_funding.i18n import translations
from wsis_funding.rendering.errors import TemplateVariableMissing

__all__ = ["TEMPLATE_DIR", "environment", "isolate", "render_template", "template_dirs"]

TEMPLATE_DIR: Final = Path(__file__).parent / "templates"


def isolate(text: object) -> str:
    """Wrap ``text`` in Unicode first-strong isolate marks (FSI ... PDI).

    Latin names and addresses inside an Arabic document (and Arabic names in a Latin one) then
    keep their own order: "1204 Genève" is not turned into "Genève 1204" by the bidi algorithm.
    WeasyPrint ignores CSS ``unicode-bidi``, so the marks go into the text itself.
    """
    return f"\u2068{text}\u2069"


def template_dirs(template_dir: Path | None) -> tuple[Path, ...]:
    """Return the template directories in search order: the user's first, then ours."""
    return (TEMPLATE_DIR,) if template_dir is None else (Path(template_dir), TEMPLATE_DIR)


@functools.lru_cache(maxsize=64)
def environment(template_dir: Path | None, language: str) -> jinja2.Environment:
    """Return the Jinja2 environment for ``language`` with gettext installed (cached).

    Raises :class:`UnsupportedLanguage` for a language with no catalog.
    """
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(folder)) for folder in template_dirs(template_dir)]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
    )
    env.filters["isolate"] = isolate
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_template(
    name: str, context: Mapping[str, Any], *, language: str, template_dir: Path | None = None
) -> str:
    """Render the template ``name`` with ``context`` and return the text.

    Raises :class:`TemplateVariableMissing` if the template uses a variable, attribute or item
    that the context does not provide, and ``jinja2.TemplateNotFound`` for an unknown name.
    """
    env = environment(template_dir, language)
    try:
        return env.get_template(name).render(**context)
    except jinja2.UndefinedError as exc:
        raise TemplateVariableMissing(name, str(exc)) from exc
