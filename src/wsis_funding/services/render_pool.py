"""Rendering drafts of documents for batch runs, in this process or in worker processes.

A worker receives a snapshot (a frozen value, pickled) and returns the outcome: the PDF bytes
when they are wanted, or the reason the document cannot be rendered. It never touches the
books: the parent numbers and stores the documents itself. Workers are started the platform's
default way (``multiprocessing.get_context()``; a program may choose another with
``multiprocessing.set_start_method``). Where that is ``fork`` (Linux before Python 3.14) a
worker is a copy of the parent and inherits its open database connections: the
:class:`~wsis_funding.storage.unit_of_work.Store` never lets another process use them (it
opens its own per process), and a worker never asks for one. Where it is ``spawn`` or
``forkserver``, the program's main module is imported again in each worker, so a script needs
the usual ``if __name__ == "__main__":`` guard. Each worker loads WeasyPrint and its fonts
once. Rendering is deterministic: the same snapshot gives the same bytes in any process.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType

import attrs

from wsis_funding.documents.model import Snapshot
from wsis_funding.errors import WsisFundingError
from wsis_funding.rendering.fonts import font_configuration
from wsis_funding.rendering.render import prepare, write_pdf

__all__ = ["Rendered", "Renderer", "render_draft"]


@attrs.frozen(kw_only=True)
class Rendered:
    """What rendering a draft gave: its PDF (when asked for), or the error that stopped it.

    ``error`` is the error class name and ``reason`` its message; both None on success.
    """

    pdf: bytes | None
    error: str | None = None
    reason: str | None = None


def render_draft(snapshot: Snapshot, template_dir: Path | None, write: bool) -> Rendered:
    """Check that ``snapshot`` renders and, if ``write``, lay out its PDF.

    A document that cannot be rendered (:class:`MissingGlyphs`, :class:`MissingIban`, ...)
    is an outcome, not an exception; any other error propagates.
    """
    try:
        prepared = prepare(snapshot, template_dir=template_dir)
        pdf = write_pdf(prepared) if write else None
    except WsisFundingError as exc:
        return Rendered(pdf=None, error=type(exc).__name__, reason=str(exc))
    return Rendered(pdf=pdf)


def _warm() -> None:
    """Load WeasyPrint and the fonts once per worker, before the first document."""
    import weasyprint  # noqa: F401

    font_configuration()


class Renderer:
    """Renders drafts in order of submission: inline (``workers`` 1) or in a process pool."""

    def __init__(self, *, workers: int, template_dir: Path | None, write: bool) -> None:
        """Start ``workers`` processes (none for 1) rendering with ``template_dir``."""
        self.workers = workers
        self.template_dir = template_dir
        self.write = write
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1:
            context = multiprocessing.get_context()
            self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm)

    @property
    def ahead(self) -> int:
        """How many drafts to keep submitted ahead of the one being stored (0 inline)."""
        return 0 if self._pool is None else 2 * self.workers + 2

    def submit(self, snapshot: Snapshot) -> Future[Rendered]:
        """Start rendering ``snapshot`` (inline: render it now); return its future outcome."""
        if self._pool is None:
            done: Future[Rendered] = Future()
            done.set_result(render_draft(snapshot, self.template_dir, self.write))
            return done
        return self._pool.submit(render_draft, snapshot, self.template_dir, self.write)

    def close(self) -> None:
        """Stop the workers (drafts not yet rendered are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Renderer:
        """Return the renderer itself."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the workers."""
        self.close()
