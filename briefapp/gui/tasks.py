"""Running service calls off the GUI thread.

``TaskRunner.run`` takes a call, runs it on a worker thread and hands its
result or error back on the GUI thread. Writes go through one single-threaded
queue, because SQLite has one writer and saves must land in order. Slow work
(renders, template checks, PDF conversion) has its own threads, so it never
holds up loading a brief. A call given a ``channel`` supersedes earlier calls
on that channel: their results are dropped. Slow calls take a ``cancelled``
callable from ``stop_when``, which turns true when the window closes, so a
render in a child process ends with the window instead of keeping the
program alive. Slow work may also report progress (``run_reporting``): each
report reaches the GUI thread the same way. Background code never touches
widgets.

Workers are plain Python threads; finished work is put in an outbox and one
queued signal tells the GUI thread to empty it. No Qt object is made per
task, so closing a window while work is running is safe: ``shutdown`` stops
deliveries and waits for the writes.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

SuccessHandler = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]


@dataclass(eq=False)
class _Task:
    on_success: SuccessHandler
    on_error: ErrorHandler | None
    token: tuple[str, int] | None
    outcome: tuple[Any, BaseException | None] = field(default=(None, None))


class TaskRunner(QObject):
    """Runs calls on worker threads; reports failures nobody handled."""

    failed = Signal(object)
    """A task without its own error handler failed (argument: the exception)."""
    _outbox_filled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reads = concurrent.futures.ThreadPoolExecutor(2, "briefapp-read")
        self._writes = concurrent.futures.ThreadPoolExecutor(1, "briefapp-write")
        self._slow = concurrent.futures.ThreadPoolExecutor(2, "briefapp-slow")
        self._closing = threading.Event()
        self._last_write: concurrent.futures.Future[None] | None = None
        self._lock = threading.Lock()
        self._outbox: list[_Task] = []
        self._pending: set[_Task] = set()
        self._latest: dict[str, int] = {}
        self._closed = False
        self._outbox_filled.connect(self._on_outbox_filled)

    def run(
        self,
        call: Callable[[], Any],
        on_success: SuccessHandler,
        on_error: ErrorHandler | None = None,
        *,
        write: bool = False,
        slow: bool = False,
        channel: str | None = None,
    ) -> None:
        """Run ``call`` in the background; call back on the GUI thread.

        Args:
            call: the work; must not touch widgets.
            on_success: receives the result.
            on_error: receives the exception; without it ``failed`` is emitted.
            write: queue behind every other write, one at a time.
            slow: a render, check or conversion; runs beside reads and writes.
            channel: results of earlier calls on the same channel are dropped.
        """
        if self._closed:
            return
        task = _Task(on_success, on_error, self._token(channel))
        self._pending.add(task)
        if write:
            # One write thread: the last write submitted is the last to finish.
            self._last_write = self._writes.submit(self._work, task, call)
        elif slow:
            self._slow.submit(self._work, task, call)
        else:
            self._reads.submit(self._work, task, call)

    def run_reporting(
        self,
        call: Callable[[Callable[[Any], None]], Any],
        on_progress: SuccessHandler,
        on_success: SuccessHandler,
        on_error: ErrorHandler | None = None,
        *,
        channel: str | None = None,
    ) -> None:
        """Run slow ``call(report)``; each value it passes to ``report`` (from
        any thread) reaches ``on_progress`` on the GUI thread, in order and
        before the result. A superseded channel drops its reports too."""
        if self._closed:
            return
        token = self._token(channel)
        task = _Task(on_success, on_error, token)
        self._pending.add(task)
        report = partial(self._report, on_progress, token)
        self._slow.submit(self._work, task, partial(call, report))

    def _report(
        self, on_progress: SuccessHandler, token: tuple[str, int] | None, value: Any
    ) -> None:
        with self._lock:
            if self._closed:
                return
            self._outbox.append(_Task(on_progress, None, token, (value, None)))
            self._outbox_filled.emit()

    def _token(self, channel: str | None) -> tuple[str, int] | None:
        if channel is None:
            return None
        number = self._latest.get(channel, 0) + 1
        self._latest[channel] = number
        return (channel, number)

    def stop_when(self, event: threading.Event | None = None) -> Callable[[], bool]:
        """A ``cancelled`` callable for slow work: true once ``event`` is set or
        the runner shuts down."""
        closing = self._closing
        if event is None:
            return closing.is_set
        return lambda: closing.is_set() or event.is_set()

    def supersede(self, channel: str) -> None:
        """Drop the results of every call still running on ``channel``."""
        self._latest[channel] = self._latest.get(channel, 0) + 1

    def is_idle(self) -> bool:
        return not self._pending

    def wait_for_writes(self, timeout: float = 30.0) -> None:
        """Block until queued writes have run, then deliver what has finished."""
        if self._last_write is not None:
            concurrent.futures.wait([self._last_write], timeout=timeout)
        self._on_outbox_filled()

    def shutdown(self) -> None:
        """Finish the queued writes, stop slow work, drop everything else; no
        callback runs after."""
        self._closing.set()
        self.wait_for_writes()
        with self._lock:
            self._closed = True
            self._outbox.clear()
        self._pending.clear()
        self._reads.shutdown(wait=False, cancel_futures=True)
        self._slow.shutdown(wait=False, cancel_futures=True)
        self._writes.shutdown(wait=True)

    def _work(self, task: _Task, call: Callable[[], Any]) -> None:
        try:
            task.outcome = (call(), None)
        except BaseException as error:  # handed to the GUI thread, never lost
            task.outcome = (None, error)
        with self._lock:
            if self._closed:
                return
            self._outbox.append(task)
            self._outbox_filled.emit()

    @Slot()
    def _on_outbox_filled(self) -> None:
        with self._lock:
            finished, self._outbox = self._outbox, []
        for task in finished:
            self._deliver(task)

    def _deliver(self, task: _Task) -> None:
        self._pending.discard(task)
        result, error = task.outcome
        token = task.token
        if token is not None and self._latest.get(token[0]) != token[1]:
            if error is not None:
                log.warning("superseded task failed: %s", type(error).__name__)
        elif error is None:
            task.on_success(result)
        elif task.on_error is not None:
            task.on_error(error)
        else:
            self.failed.emit(error)
