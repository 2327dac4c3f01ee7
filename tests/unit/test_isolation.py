"""Rendering in a child process: runaway templates are stopped, cancels are honoured."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sys
from pathlib import Path

import docx
import pytest

from briefapp.documents.context import brief_context
from briefapp.documents.isolation import (
    MEMORY_LIMIT_BYTES,
    RenderJob,
    discard_spare,
    keep_spare,
    render_isolated,
    run_isolated,
)
from briefapp.documents.render import DocumentProperties
from briefapp.domain.entities import Brief
from briefapp.domain.errors import (
    RenderCancelledError,
    TemplateError,
    TemplateStoppedError,
)
from briefapp.services.session import Services

RUNAWAY = (
    "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
)


def _template(tmp_path: Path, body: str) -> Path:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "{{ classification }}"
    made.sections[0].footer.paragraphs[0].text = "{{ classification }}"
    made.add_paragraph(body)
    path = tmp_path / "runaway.docx"
    made.save(path)
    return path


def _job(template: Path, brief: Brief) -> RenderJob:
    return RenderJob(
        template=template,
        context=brief_context(brief, today=dt.date(2026, 11, 28)),
        marking=brief.classification,
        properties=DocumentProperties("t", "a", "s", "k", "c", "i"),
        language="en-GB",
    )


def test_a_runaway_loop_is_stopped_and_reported(
    tmp_path: Path, demo_brief: Brief
) -> None:
    with pytest.raises(TemplateError) as caught:
        render_isolated(_job(_template(tmp_path, RUNAWAY), demo_brief), timeout=2)
    assert str(caught.value) == (
        "Filling in the template runaway.docx took longer than 2 seconds and was "
        "stopped; a loop in it may never end."
    )


def test_a_render_can_be_cancelled(tmp_path: Path, demo_brief: Brief) -> None:
    asked = []

    def cancelled() -> bool:
        """The user presses Cancel while the child is busy with the loop."""
        asked.append(True)
        return len(asked) > 3

    with pytest.raises(RenderCancelledError, match="The export was cancelled"):
        render_isolated(
            _job(_template(tmp_path, RUNAWAY), demo_brief),
            timeout=60,
            cancelled=cancelled,
        )


def test_template_errors_come_back_from_the_child(
    tmp_path: Path, demo_brief: Brief
) -> None:
    with pytest.raises(TemplateError, match="'titel' is undefined"):
        render_isolated(
            _job(_template(tmp_path, "{{ titel }}"), demo_brief), timeout=30
        )


def test_exports_through_the_service_are_stopped_too(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    services.export.render_timeout = 2
    output = tmp_path / "out.docx"
    with pytest.raises(TemplateError, match="took longer than 2 seconds"):
        services.export.export_docx(
            demo_brief, output, template=str(_template(tmp_path, RUNAWAY))
        )
    assert not output.exists()


def _grow() -> bytes:
    """Runs in the child: asks for more memory than a render may use."""
    return bytes(MEMORY_LIMIT_BYTES + 1)


@pytest.mark.skipif(sys.platform != "linux", reason="the memory limit is Linux-only")
def test_a_render_that_takes_too_much_memory_is_stopped() -> None:
    with pytest.raises(TemplateStoppedError) as caught:
        run_isolated(_grow, what="Filling in the template big.docx", timeout=30)
    assert str(caught.value) == (
        "Filling in the template big.docx used more memory than allowed."
    )


def test_a_child_that_dies_is_reported_not_waited_for() -> None:
    with pytest.raises(TemplateStoppedError) as caught:
        run_isolated(os._exit, 3, what="Filling in the template x.docx", timeout=600)
    assert str(caught.value) == (
        "Filling in the template x.docx stopped unexpectedly (exit status 3)."
    )


def _killed() -> None:
    """Runs in the child: ends as the kernel's out-of-memory killer would end it."""
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif(sys.platform == "win32", reason="signals are POSIX")
def test_a_child_killed_by_the_system_is_reported() -> None:
    with pytest.raises(TemplateStoppedError) as caught:
        run_isolated(_killed, what="Filling in the template x.docx", timeout=600)
    assert str(caught.value) == (
        "Filling in the template x.docx was ended by the system (signal 9); it may "
        "have used too much memory."
    )


def test_a_spare_renderer_serves_one_job_and_is_stopped_on_closing() -> None:
    keep_spare()
    try:
        first = run_isolated(os.getpid, what="Filling in", timeout=60)
        second = run_isolated(os.getpid, what="Filling in", timeout=60)
        # Each job had a process of its own, and a fresh one is waiting.
        assert first != second
        (waiting,) = multiprocessing.active_children()
        assert waiting.pid not in (first, second)
    finally:
        discard_spare()
    assert not multiprocessing.active_children()


@pytest.mark.skipif(sys.platform == "win32", reason="signals are POSIX")
def test_a_spare_renderer_that_died_while_waiting_is_replaced() -> None:
    keep_spare()
    try:
        (spare,) = multiprocessing.active_children()
        os.kill(spare.pid, signal.SIGKILL)
        spare.join(10)
        assert run_isolated(os.getpid, what="Filling in", timeout=60) != spare.pid
    finally:
        discard_spare()
    assert not multiprocessing.active_children()
