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
deliveries, waits for the writes and, briefly, for slow work to see that it
is cancelled. A task's callbacks are bound methods of widgets: a worker never
drops the last reference to one (freeing a Qt wrapper off the GUI thread
crashes), so each task, with its call, travels to the outbox whole and is let
go of there, on the GUI thread, even when nobody wants its result any more.
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
    call: Callable[[], Any] | None = None


_SHUTDOWN_WAIT = 10.0
"""How long closing waits for slow work to notice it is cancelled (seconds)."""


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
        self._running: set[concurrent.futures.Future[None]] = set()
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
        task = _Task(on_success, on_error, self._token(channel), call=call)
        self._pending.add(task)
        if write:
            # One write thread: the last write submitted is the last to finish.
            self._last_write = self._submit(self._writes, task)
        else:
            self._submit(self._slow if slow else self._reads, task)

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
        report = partial(self._report, on_progress, token)
        task = _Task(on_success, on_error, token, call=partial(call, report))
        self._pending.add(task)
        self._submit(self._slow, task)

    def _submit(
        self, pool: concurrent.futures.ThreadPoolExecutor, task: _Task
    ) -> concurrent.futures.Future[None]:
        """Run ``task`` on ``pool``; the pool's work item holds only a box
        that the worker empties, so the task is never let go of there."""
        future = pool.submit(self._work, [task])
        with self._lock:
            self._running.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: concurrent.futures.Future[None]) -> None:
        with self._lock:
            self._running.discard(future)

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
        self._reads.shutdown(wait=False, cancel_futures=True)
        self._slow.shutdown(wait=False, cancel_futures=True)
        self._writes.shutdown(wait=True)
        with self._lock:
            running = set(self._running)
        # Slow work sees the cancellation within a moment; reads are short.
        concurrent.futures.wait(running, timeout=_SHUTDOWN_WAIT)
        with self._lock:
            self._outbox.clear()  # here, on the GUI thread
        self._pending.clear()

    def _work(self, box: list[_Task]) -> None:
        task = box.pop()
        call = task.call
        assert call is not None
        try:
            task.outcome = (call(), None)
        except BaseException as error:  # handed to the GUI thread, never lost
            task.outcome = (None, error)
        del call
        with self._lock:
            # Even unwanted, the task goes to the outbox, to be let go of on
            # the GUI thread.
            self._outbox.append(task)
            del task
            if not self._closed:
                self._outbox_filled.emit()

    @Slot()
    def _on_outbox_filled(self) -> None:
        with self._lock:
            finished, self._outbox = self._outbox, []
        for task in finished:
            self._deliver(task)

    def _deliver(self, task: _Task) -> None:
        self._pending.discard(task)
        task.call = None
        if self._closed:
            return
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
