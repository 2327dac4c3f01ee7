"""Rendering in a separate process, with a time limit, a memory limit and a way out.

The sandbox stops a template from reaching Python's internals but not from
looping for ever or filling memory (``{% for i in range(99999) %}`` nested).
So the render runs in a child process: it is stopped when it takes longer
than the time limit, when the user cancels, or when it outgrows its memory,
and the user is told which. The parent never waits without looking up.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefapp.documents.render import DocumentProperties
from briefapp.domain.errors import RenderCancelledError, TemplateError

log = logging.getLogger(__name__)

MEMORY_LIMIT_BYTES = 2 * 1024**3
_POLL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class RenderJob:
    """Everything the child needs, in plain, picklable values."""

    template: Path
    context: dict[str, Any]
    marking: str
    properties: DocumentProperties
    language: str


def render_isolated(
    job: RenderJob,
    *,
    timeout: float,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """Render ``job`` in a child process and return the checked DOCX bytes.

    Raises:
        TemplateError: the template failed, or ran past ``timeout`` seconds or
            its memory limit and was stopped.
        RenderCancelledError: ``cancelled()`` became true.
    """
    spawn = multiprocessing.get_context("spawn")
    receiver, sender = spawn.Pipe(duplex=False)
    child = spawn.Process(target=_render_in_child, args=(sender, job), daemon=True)
    child.start()
    sender.close()
    try:
        outcome = _wait(child, receiver, job, timeout, cancelled)
    finally:
        receiver.close()
        _stop(child)
    kind, payload = outcome
    if kind == "ok":
        return bytes(payload)
    if kind == "template":
        raise TemplateError(str(payload))
    log.error("the renderer failed:\n%s", payload)
    raise RuntimeError(f"the renderer failed: {str(payload).splitlines()[-1]}")


def _wait(
    child: Any,
    receiver: Any,
    job: RenderJob,
    timeout: float,
    cancelled: Callable[[], bool] | None,
) -> tuple[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        if receiver.poll(_POLL_SECONDS):
            try:
                outcome: tuple[str, Any] = receiver.recv()
            except EOFError:
                outcome = ("gone", None)
            if outcome[0] != "gone":
                return outcome
        if cancelled is not None and cancelled():
            raise RenderCancelledError
        if not child.is_alive() and not receiver.poll():
            raise TemplateError(
                f"Filling in the template {job.template.name} stopped unexpectedly "
                "(it may have used more memory than allowed)."
            )
        if time.monotonic() > deadline:
            log.warning("stopped a render that ran past %s s", timeout)
            raise TemplateError(
                f"Filling in the template {job.template.name} took longer than "
                f"{timeout:g} seconds and was stopped; a loop in it may never end."
            )


def _stop(child: Any) -> None:
    if child.is_alive():
        child.terminate()
        child.join(2)
    if child.is_alive():
        child.kill()
        child.join(2)


def _render_in_child(sender: Any, job: RenderJob) -> None:
    """The child process: limit memory, render, send the outcome back."""
    _limit_memory()
    from briefapp.documents.labels import labels_for
    from briefapp.documents.render import render_docx

    try:
        data = render_docx(
            job.template,
            job.context,
            marking=job.marking,
            properties=job.properties,
            labels=labels_for(job.language),
        )
        sender.send(("ok", data))
    except TemplateError as error:
        sender.send(("template", str(error)))
    except MemoryError:
        sender.send(("template", f"Filling in the template {job.template.name} "
                     "used more memory than allowed and was stopped."))  # fmt: skip
    except BaseException:
        sender.send(("bug", traceback.format_exc()))
    finally:
        sender.close()


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on Windows
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = (
        MEMORY_LIMIT_BYTES
        if hard == resource.RLIM_INFINITY
        else min(hard, MEMORY_LIMIT_BYTES)
    )
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
