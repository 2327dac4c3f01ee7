"""Work on untrusted templates in a separate process, with a time limit, a
memory limit and a way out.

The sandbox stops a template from reaching Python's internals but not from
looping for ever or filling memory (``{% for i in range(99999) %}`` nested),
and docxtpl's own preprocessing can be slow or deep on hostile input. So
rendering and checking run in a child process: it is stopped when it takes
longer than the time limit, when the user cancels, when it outgrows its
memory or dies, and the user is told which. The child also dies with its
parent, so no renderer outlives the application, and on Linux it is confined
as it starts (``confinement``): no network, writes only in a private folder
of its own that is removed when it ends.

Starting Python and importing docxtpl, Jinja and lxml takes most of a second,
so one spare child is kept started and waiting: a job goes to it at once, and
a new spare is started as the job ends. Each child still does one job only,
so no state passes from one template to the next.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import multiprocessing
import multiprocessing.connection
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from briefapp.documents import confinement
from briefapp.documents.render import DocumentProperties
from briefapp.domain.entities import Brief
from briefapp.domain.errors import (
    RenderCancelledError,
    TemplateError,
    TemplateStoppedError,
)

log = logging.getLogger(__name__)

MEMORY_LIMIT_BYTES = 2 * 1024**3
_POLL_SECONDS = 0.05
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class ContextRequest:
    """A brief whose template context the child builds itself, so that building
    it (the analysis, formatting 100,000 options) counts against the same time
    limit as filling the template in, and can be stopped like it."""

    brief: Brief
    today: dt.date


@dataclass(frozen=True, slots=True)
class RenderJob:
    """Everything the child needs to render, in plain, picklable values: the
    context itself, or the brief to build it from (``ContextRequest``)."""

    template: Path
    context: dict[str, Any] | ContextRequest
    marking: str
    properties: DocumentProperties
    language: str
    field_map: bool = False


def render_isolated(
    job: RenderJob,
    *,
    timeout: float,
    cancelled: Callable[[], bool] | None = None,
    explain: bool = False,
) -> bytes:
    """Render ``job`` in a child process and return the checked DOCX bytes.

    With ``explain``, a template that fails is then checked in the same child,
    and the error says what the checker says about it (``checker.explained``).

    Raises:
        TemplateError: the template failed, or ran past ``timeout`` seconds or
            its memory limit and was stopped.
        RenderCancelledError: ``cancelled()`` became true.
    """
    what = f"Filling in the template {job.template.name}"
    work = _explained_render_job if explain else _render_job
    return run_isolated(work, job, what=what, timeout=timeout, cancelled=cancelled)


def run_isolated(
    function: Callable[..., R],
    *args: Any,
    what: str,
    timeout: float,
    cancelled: Callable[[], bool] | None = None,
) -> R:
    """``function(*args)`` in a child process (``function`` must be importable).

    ``what`` names the work for messages ("Checking the template x.docx").

    Raises:
        TemplateError: the work raised one, or was stopped (time, memory, death).
        RenderCancelledError: ``cancelled()`` became true.
    """
    child = _take_spare()
    try:
        child.jobs.send((function, args, what))
    except OSError:  # the spare died while waiting; start afresh
        child.stop()
        child = _Child.start()
        child.jobs.send((function, args, what))
    try:
        kind, payload = _wait(child.process, child.results, what, timeout, cancelled)
    finally:
        child.stop()
    if kind != "stopped":
        _refill_spare()
    if kind == "ok":
        return payload  # type: ignore[no-any-return]
    if kind == "template":
        raise TemplateError(str(payload))
    if kind == "stopped":
        raise TemplateStoppedError(str(payload))
    log.error("isolated work failed:\n%s", payload)
    raise RuntimeError(f"{what} failed: {str(payload).splitlines()[-1]}")


def keep_spare() -> None:
    """Keep a spare child from now on (an interactive session), starting it now
    so the first render does not wait for it."""
    _KEEP_SPARE.set()
    _refill_spare()


def discard_spare() -> None:
    """Stop keeping a spare child, and stop the one waiting (closing)."""
    _KEEP_SPARE.clear()
    with _SPARE_LOCK:
        spare, _SPARE[0] = _SPARE[0], None
    if spare is not None:
        spare.stop()


atexit.register(discard_spare)  # its private folder goes with it


@dataclass(frozen=True, slots=True)
class _Child:
    """A child process, its job pipe, its result pipe and its private folder
    (the only place it may write where it is confined)."""

    process: Any
    jobs: Any
    results: Any
    folder: str

    @classmethod
    def start(cls, *, spare: bool = False) -> _Child:
        """A new child; a ``spare`` one also loads what charts need while it
        waits (a child started for a job at once loads only what it uses)."""
        spawn = multiprocessing.get_context("spawn")
        job_reader, job_writer = spawn.Pipe(duplex=False)
        result_reader, result_writer = spawn.Pipe(duplex=False)
        folder = tempfile.mkdtemp(prefix="briefapp-render-")
        with _FONTS_LOCK:  # the first child may build matplotlib's font list
            prepare_fonts, _FONTS_PREPARED[0] = not _FONTS_PREPARED[0], True
        process = spawn.Process(
            target=_child_main,
            args=(job_reader, result_writer, spare, folder, prepare_fonts),
            daemon=True,
        )
        try:
            process.start()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            job_reader.close()
            result_writer.close()
        return cls(process, job_writer, result_reader, folder)

    def stop(self) -> None:
        self.jobs.close()
        self.results.close()
        _stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


_SPARE: list[_Child | None] = [None]
_SPARE_LOCK = threading.Lock()
_KEEP_SPARE = threading.Event()
_FONTS_PREPARED = [False]
_FONTS_LOCK = threading.Lock()


def _take_spare() -> _Child:
    with _SPARE_LOCK:
        spare, _SPARE[0] = _SPARE[0], None
    if spare is not None and spare.process.is_alive():
        return spare
    if spare is not None:
        spare.stop()
    return _Child.start()


def _refill_spare() -> None:
    if not _KEEP_SPARE.is_set():
        return
    with _SPARE_LOCK:
        if _SPARE[0] is None or not _SPARE[0].process.is_alive():
            _SPARE[0] = _Child.start(spare=True)


def _wait(
    child: Any,
    receiver: Any,
    what: str,
    timeout: float,
    cancelled: Callable[[], bool] | None,
) -> tuple[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        ready = multiprocessing.connection.wait(
            [receiver, child.sentinel], _POLL_SECONDS
        )
        if receiver in ready:
            try:
                outcome: tuple[str, Any] = receiver.recv()
            except EOFError:
                pass
            else:
                if outcome[0] != "confined":
                    return outcome
                confinement.note(outcome[1])  # what holds, then the result
                continue
        if ready:  # the child ended without a word
            child.join(1)
            code = child.exitcode
            if code is not None and code < 0:
                raise TemplateStoppedError(
                    f"{what} was ended by the system (signal {-code}); it may have "
                    "used too much memory."
                )
            raise TemplateStoppedError(
                f"{what} stopped unexpectedly (exit status {code})."
            )
        if cancelled is not None and cancelled():
            raise RenderCancelledError
        if time.monotonic() > deadline:
            log.warning("stopped isolated work that ran past %s s", timeout)
            raise TemplateStoppedError(
                f"{what} took longer than {timeout:g} seconds and was stopped; "
                "a loop in it may never end."
            )


def _stop(child: Any) -> None:
    if child.is_alive():
        child.terminate()
        child.join(2)
    if child.is_alive():
        child.kill()
        child.join(2)


def _child_main(
    jobs: Any, results: Any, spare: bool, folder: str, prepare_fonts: bool
) -> None:
    """The child process: die with the parent, limit memory, confine itself,
    load the libraries, wait for one job, do it, report back."""
    logging.disable(logging.CRITICAL)  # the parent logs what matters
    _die_with_parent()
    _limit_memory()
    held = confinement.confine(Path(folder), prepare_fonts=prepare_fonts)
    results.send(("confined", held))  # the parent logs what holds
    # The slow imports, done while the child waits for its job.
    import docx  # noqa: F401
    import docxtpl  # noqa: F401

    import briefapp.documents.checker  # noqa: F401

    if spare:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.figure

    try:
        function, args, what = jobs.recv()
    except (EOFError, OSError):  # discarded before it was needed
        return
    try:
        results.send(("ok", function(*args)))
    except TemplateError as error:
        results.send(("template", str(error)))
    except MemoryError:
        results.send(("stopped", f"{what} used more memory than allowed."))
    except RecursionError:
        results.send(("template", f"{what} failed: it nests too deeply."))
    except BaseException:
        results.send(("bug", traceback.format_exc()))
    finally:
        results.close()


def _render_job(job: RenderJob) -> bytes:
    from briefapp.documents.context import brief_context
    from briefapp.documents.labels import labels_for
    from briefapp.documents.render import render_docx

    labels = labels_for(job.language)
    context = job.context
    if isinstance(context, ContextRequest):
        context = brief_context(context.brief, today=context.today, labels=labels)
    return render_docx(
        job.template,
        context,
        marking=job.marking,
        properties=job.properties,
        labels=labels,
        field_map=job.field_map,
    )


def _explained_render_job(job: RenderJob) -> bytes:
    from briefapp.documents.checker import explained

    try:
        return _render_job(job)
    except TemplateError as error:
        raise explained(job.template, error) from None


def _die_with_parent() -> None:
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: Linux only
    except (OSError, AttributeError):
        pass


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on Windows
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT_BYTES
    if hard != resource.RLIM_INFINITY:
        limit = min(hard, MEMORY_LIMIT_BYTES)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
