"""Running service calls off the GUI thread.

``TaskRunner.run`` takes a call, runs it on a worker thread and hands its
result or error back on the GUI thread. Writes go through one single-threaded
queue, because SQLite has one writer and saves must land in order. A call
given a ``channel`` supersedes earlier calls on that channel: their results
are dropped. Background code never touches widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

SuccessHandler = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]


class _Delivery(QObject):
    """Lives on the GUI thread; receives a worker's outcome by a queued signal."""

    finished = Signal(object, object)

    def __init__(
        self,
        runner: TaskRunner,
        token: tuple[str, int] | None,
        on_success: SuccessHandler,
        on_error: ErrorHandler | None,
    ) -> None:
        super().__init__(runner)
        self._runner = runner
        self._token = token
        self._on_success = on_success
        self._on_error = on_error
        self.finished.connect(self._on_finished)

    @Slot(object, object)
    def _on_finished(self, result: Any, error: BaseException | None) -> None:
        self._runner._delivered(self, self._token, result, error)

    def deliver(self, result: Any, error: BaseException | None) -> None:
        if error is None:
            self._on_success(result)
        elif self._on_error is not None:
            self._on_error(error)
        else:
            self._runner.failed.emit(error)


class _Job(QRunnable):
    def __init__(self, call: Callable[[], Any], delivery: _Delivery) -> None:
        super().__init__()
        self._call = call
        self._delivery = delivery

    def run(self) -> None:
        try:
            result = self._call()
        except BaseException as error:  # handed to the GUI thread, never lost
            self._delivery.finished.emit(None, error)
        else:
            self._delivery.finished.emit(result, None)


class TaskRunner(QObject):
    """Runs calls on worker threads; reports busy state and unhandled failures."""

    busy_changed = Signal(bool)
    failed = Signal(object)
    """A task without its own error handler failed (argument: the exception)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._latest: dict[str, int] = {}
        self._pending: set[_Delivery] = set()

    def run(
        self,
        call: Callable[[], Any],
        on_success: SuccessHandler,
        on_error: ErrorHandler | None = None,
        *,
        write: bool = False,
        channel: str | None = None,
    ) -> None:
        """Run ``call`` in the background; call back on the GUI thread.

        Args:
            call: the work; must not touch widgets.
            on_success: receives the result.
            on_error: receives the exception; without it ``failed`` is emitted.
            write: queue behind every other write, one at a time.
            channel: results of earlier calls on the same channel are dropped.
        """
        token = None
        if channel is not None:
            number = self._latest.get(channel, 0) + 1
            self._latest[channel] = number
            token = (channel, number)
        delivery = _Delivery(self, token, on_success, on_error)
        was_idle = not self._pending
        self._pending.add(delivery)
        if was_idle:
            self.busy_changed.emit(True)
        (self._writes if write else self._reads).start(_Job(call, delivery))

    def is_idle(self) -> bool:
        return not self._pending

    def wait_for_writes(self, msecs: int = 30_000) -> bool:
        """Block until queued writes have run (their callbacks come later)."""
        return self._writes.waitForDone(msecs)

    def _delivered(
        self,
        delivery: _Delivery,
        token: tuple[str, int] | None,
        result: Any,
        error: BaseException | None,
    ) -> None:
        self._pending.discard(delivery)
        delivery.deleteLater()
        try:
            superseded = token is not None and self._latest.get(token[0]) != token[1]
            if not superseded:
                delivery.deliver(result, error)
            elif error is not None:
                log.warning("superseded task failed: %r", error)
        finally:
            if not self._pending:
                self.busy_changed.emit(False)
