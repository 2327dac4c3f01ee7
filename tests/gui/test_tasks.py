"""Background work reporting progress: each report reaches the GUI thread, in
order and before the result; a superseded call's reports are dropped."""

from __future__ import annotations

import threading
from collections.abc import Callable

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
