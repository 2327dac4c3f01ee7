"""Background work reporting progress: each report reaches the GUI thread, in
order and before the result; a superseded call's reports are dropped."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from briefapp.gui.tasks import TaskRunner


def test_reports_arrive_on_the_gui_thread_in_order_before_the_result(
    qtbot: QtBot,
) -> None:
    runner = TaskRunner()
    got: list[tuple[str, object, bool]] = []

    def work(report: Callable[[object], None]) -> str:
        for number in range(3):
            report(number)
        return "done"

    def note(kind: str) -> Callable[[object], None]:
        def add(value: object) -> None:
            got.append(
                (kind, value, threading.current_thread() is threading.main_thread())
            )

        return add

    runner.run_reporting(work, note("progress"), note("result"))
    qtbot.waitUntil(runner.is_idle)
    runner.shutdown()
    assert got == [
        ("progress", 0, True),
        ("progress", 1, True),
        ("progress", 2, True),
        ("result", "done", True),
    ]


def test_a_superseded_call_reports_nothing(qtbot: QtBot) -> None:
    runner = TaskRunner()
    got: list[object] = []
    gate = threading.Event()

    def work(report: Callable[[object], None]) -> str:
        report("early")
        gate.wait(30)
        report("late")
        return "old"

    runner.run_reporting(work, got.append, got.append, channel="checks")
    runner.supersede("checks")
    gate.set()
    qtbot.waitUntil(runner.is_idle)
    runner.shutdown()
    assert got == []


class _Owner(QWidget):
    """A widget whose method is a task's callback, as a dialog's are."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[object] = []
        self.released_on: list[bool] = []

    def take(self, value: object) -> None:
        self.results.append(value)

    def __del__(self) -> None:  # where the last reference went
        self.released_on.append(threading.current_thread() is threading.main_thread())


def test_a_worker_never_lets_go_of_a_widget_a_task_calls_back(qtbot: QtBot) -> None:
    """Freeing a Qt wrapper off the GUI thread crashes the process: when the
    window has dropped a dialog while its work still runs, the last reference
    to the dialog must still go on the GUI thread, with or without delivery."""
    runner = TaskRunner()
    release = threading.Event()
    released: list[list[bool]] = []
    for slow in (False, True):
        owner = _Owner()
        released.append(owner.released_on)
        runner.run(lambda: release.wait(10) and "late", owner.take, slow=slow)
        del owner  # the dialog was closed: only the task holds it
    running = list(runner._running)
    release.set()
    # Wait for the workers without running the GUI thread's event loop.
    concurrent.futures.wait(running, timeout=10)
    assert all(future.done() for future in running)
    assert released == [[], []]  # not let go of in a worker
    qtbot.waitUntil(runner.is_idle)
    assert released == [[True], [True]]

    # After shutdown nobody is called back, and still nothing is freed in a worker.
    release.clear()
    owner = _Owner()
    gone = owner.released_on
    runner.run(lambda: release.wait(10) and "after", owner.take, slow=True)
    del owner
    threading.Timer(0.2, release.set).start()
    runner.shutdown()
    assert gone == [True]
