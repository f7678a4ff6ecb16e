"""Running a batch of documents: drafts rendered in parallel, each issued in its own transaction.

For each document the parent process drafts it in a read-only unit of work (numbered with the
number it expects to take), hands the draft to a :class:`~.render_pool.Renderer` (the render
check, and the PDF when one is wanted: the slow part) and, in the order of the plan, issues it
in a writing transaction of its own: the use case builds the document again under the lock
and takes its number. The render check done by the worker counts for that use case
(:func:`~.preparing.mark_checked`), and when the stored document is the draft (it is, unless
the books changed meanwhile) the worker's PDF is its PDF; otherwise the PDF is rendered again.
So numbering and storing stay in the parent, in order, and a document that cannot be rendered
takes no number.

A document that fails (any :class:`WsisFundingError`: it cannot be rendered, its dates are out
of order, the books changed) is reported with its reason and the run goes on; other errors
(a bug, a lost database) stop the run.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Literal

import attrs

from wsis_funding.documents.model import IssuedDocument, Snapshot
from wsis_funding.documents.numbering import DocumentNumber
from wsis_funding.errors import WsisFundingError
from wsis_funding.rendering.render import prepare, write_pdf
from wsis_funding.services.documents import NumberFor
from wsis_funding.services.preparing import mark_checked
from wsis_funding.services.render_pool import Rendered, Renderer
from wsis_funding.storage.unit_of_work import Store, UnitOfWork

__all__ = ["BatchItem", "BatchSummary", "Progress", "Task", "run_tasks"]

Outcome = Literal["issued", "skipped", "failed"]


@attrs.frozen(kw_only=True)
class BatchItem:
    """What a batch run did about one document it considered.

    ``subject`` says what the document is about (partner, pledge, instalment or payment).
    ``number`` is the document issued, or for a skipped one the document that already covers
    it. ``reason`` says why it was skipped or failed (``error`` is the failure's error class);
    ``pdf`` is the file written for an issued document when an output folder was given.
    """

    subject: str
    partner: str
    outcome: Outcome
    number: str | None = None
    reason: str | None = None
    error: str | None = None
    pdf: Path | None = None


@attrs.frozen(kw_only=True)
class BatchSummary:
    """The outcome of a batch run: every document considered, in the order of the plan."""

    kind: str
    items: tuple[BatchItem, ...]

    def _with(self, outcome: Outcome) -> tuple[BatchItem, ...]:
        return tuple(i for i in self.items if i.outcome == outcome)

    @property
    def issued(self) -> tuple[BatchItem, ...]:
        """The documents issued by this run."""
        return self._with("issued")

    @property
    def skipped(self) -> tuple[BatchItem, ...]:
        """The documents not issued because they already were (each names the one there)."""
        return self._with("skipped")

    @property
    def failed(self) -> tuple[BatchItem, ...]:
        """The documents that could not be issued, each with its reason."""
        return self._with("failed")


Progress = Callable[[BatchItem, int, int], None]
"""Called once per document considered: its outcome, how many are done, how many in all."""


@attrs.frozen(kw_only=True)
class Task:
    """A document a batch run will try to issue: how to draft it and how to issue it."""

    subject: str
    partner: str
    draft: Callable[[UnitOfWork, NumberFor], Snapshot]
    issue: Callable[[UnitOfWork], IssuedDocument]


Entry = Task | BatchItem
"""A step of a plan: a document to issue, or one already skipped while planning."""


class _Numbers:
    """Numbers drafts expect to take: the next free one plus the drafts still in flight."""

    def __init__(self) -> None:
        self.in_flight: Counter[tuple[str, int]] = Counter()

    def numbering(self, uow: UnitOfWork, asked: list[tuple[str, int]]) -> NumberFor:
        def number_for(series: str, year: int) -> DocumentNumber:
            asked.append((series, year))
            seq = uow.documents.peek_number(series, year).seq + self.in_flight[(series, year)]
            return DocumentNumber(series, year, seq)

        return number_for


@attrs.frozen
class _Pending:
    task: Task
    draft: Snapshot
    series: tuple[tuple[str, int], ...]
    rendered: Future[Rendered]


def _write(folder: Path, number: str, pdf: bytes) -> Path:
    """Write ``pdf`` as ``folder/number.pdf``, complete or not at all; return the path."""
    target = folder / f"{number}.pdf"
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{number}.", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pdf)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _failed(task: Task, exc: WsisFundingError) -> BatchItem:
    return BatchItem(
        subject=task.subject,
        partner=task.partner,
        outcome="failed",
        reason=str(exc),
        error=type(exc).__name__,
    )


def run_tasks(
    store: Store,
    kind: str,
    entries: Sequence[Entry],
    *,
    workers: int,
    out: Path | None,
    template_dir: Path | None,
    progress: Progress | None,
) -> BatchSummary:
    """Issue the documents of a plan, each in its own transaction; return what happened.

    ``entries`` are the plan's steps in order (documents to issue, or already skipped).
    Rendering runs in ``workers`` processes (1: in this one); with ``out`` each issued
    document's PDF is written there as ``<number>.pdf``. ``progress`` is called after each
    step. Raises only what is not a document's own failure (``OSError`` writing a PDF, a
    database error, a bug).
    """
    numbers = _Numbers()
    done: list[BatchItem] = []

    def report(item: BatchItem) -> None:
        done.append(item)
        if progress is not None:
            progress(item, len(done), len(entries))

    with Renderer(workers=workers, template_dir=template_dir, write=out is not None) as renderer:

        def finish(step: _Pending | BatchItem) -> None:
            if isinstance(step, BatchItem):
                report(step)
                return
            try:
                report(_issue(store, step, renderer, out))
            finally:
                numbers.in_flight.subtract(step.series)

        window: deque[_Pending | BatchItem] = deque()
        for entry in entries:
            window.append(
                entry if isinstance(entry, BatchItem) else _draft(store, entry, numbers, renderer)
            )
            while len(window) > renderer.ahead:
                finish(window.popleft())
        while window:
            finish(window.popleft())
    return BatchSummary(kind=kind, items=tuple(done))


def _draft(store: Store, task: Task, numbers: _Numbers, renderer: Renderer) -> _Pending | BatchItem:
    """Draft ``task``'s document (read-only) and hand it to the renderer."""
    asked: list[tuple[str, int]] = []

    def draft(uow: UnitOfWork) -> Snapshot:
        return task.draft(uow, numbers.numbering(uow, asked))

    try:
        snapshot = store.run(draft, writes=False)
    except WsisFundingError as exc:
        return _failed(task, exc)
    numbers.in_flight.update(asked)
    return _Pending(task, snapshot, tuple(asked), renderer.submit(snapshot))


def _issue(store: Store, step: _Pending, renderer: Renderer, out: Path | None) -> BatchItem:
    """Issue one rendered draft under the lock; write its PDF; return its outcome."""
    task = step.task
    rendered = step.rendered.result()
    if rendered.error is not None:
        return BatchItem(
            subject=task.subject,
            partner=task.partner,
            outcome="failed",
            reason=rendered.reason,
            error=rendered.error,
        )
    mark_checked(step.draft, renderer.template_dir)
    try:
        document = store.run(task.issue, writes=True)
    except WsisFundingError as exc:
        return _failed(task, exc)
    path = None
    if out is not None:
        pdf = rendered.pdf
        if pdf is None or document.snapshot != step.draft:
            # The books changed between the draft and the lock: render what was stored (the
            # use case checked it renders before storing it).
            pdf = write_pdf(prepare(document.snapshot, template_dir=renderer.template_dir))
        path = _write(out, document.number, pdf)
    return BatchItem(
        subject=task.subject,
        partner=task.partner,
        outcome="issued",
        number=document.number,
        pdf=path,
    )
