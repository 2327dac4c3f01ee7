"""Item models pass Qt's model checks; small widgets refuse bad input visibly."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from briefapp.domain.entities import Brief, BriefStatus, BriefSummary
from briefapp.domain.templates import TemplateInfo, TemplateOrigin
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.brief_list import BriefListModel, BriefListWidget
from briefapp.gui.dialogs import ExportChoice, ExportDialog
from briefapp.gui.fields import DateField
from briefapp.gui.list_editors import make_list_editors

NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


def summaries(count: int) -> list[BriefSummary]:
    return [
        BriefSummary(
            id=number,
            reference=f"MOD-2026-{number:05d}",
            title=f"Brief number {number}",
            status=BriefStatus.DRAFT,
            classification="RESTRICTED",
            updated_at=NOW - dt.timedelta(minutes=number),
        )
        for number in range(1, count + 1)
    ]


@pytest.mark.parametrize("count", [0, 1, 10_000])
def test_brief_list_model(qtmodeltester: ModelTester, count: int) -> None:
    model = BriefListModel()
    model.set_briefs(summaries(count))
    qtmodeltester.check(model)
    assert model.rowCount() == count


def test_brief_list_filters_and_sorts(qtbot: QtBot) -> None:
    widget = BriefListWidget()
    qtbot.addWidget(widget)
    widget.set_briefs(summaries(30), select=None)
    assert widget.first_id() == 1  # newest first
    qtbot.keyClicks(widget.filter, "number 2")
    assert widget.model.rowCount() == 11  # 2, 20-29
    assert widget.model.total() == 30
    widget.filter.clear()
    widget.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert widget.first_id() == 1
    widget.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert widget.first_id() == 30


def test_brief_list_says_when_empty(qtbot: QtBot) -> None:
    widget = BriefListWidget()
    qtbot.addWidget(widget)
    widget.set_briefs([], select=None)
    assert widget.empty.text().startswith("No briefs yet.")
    widget.set_briefs(summaries(2), select=2)
    qtbot.keyClicks(widget.filter, "zzz")
    assert widget.empty.text() == "No brief matches “zzz”."


def test_record_table_models(
    qtbot: QtBot, qtmodeltester: ModelTester, demo_brief: Brief
) -> None:
    document = BriefDocument()
    editors = make_list_editors(document)
    for editor in editors.values():
        qtbot.addWidget(editor)
    document.load(replace(demo_brief, id=1))
    for name, editor in editors.items():
        editor.show_brief(document.brief)  # type: ignore[arg-type]
        assert editor.table.model.rowCount() == len(getattr(demo_brief, name))
        qtmodeltester.check(editor.table.model)


def test_check_column_edits_a_constraint(qtbot: QtBot, demo_brief: Brief) -> None:
    document = BriefDocument()
    editors = make_list_editors(document)
    table = editors["constraints"].table
    qtbot.addWidget(editors["constraints"])
    document.load(replace(demo_brief, id=1))
    editors["constraints"].show_brief(document.brief)  # type: ignore[arg-type]
    index = table.model.index(0, 3)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    table.model.setData(
        index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert document.brief.constraints[0].hard is False  # type: ignore[union-attr]
    document.undo_stack.undo()
    assert document.brief.constraints[0].hard is True  # type: ignore[union-attr]


def test_date_field_refuses_bad_dates_visibly(qtbot: QtBot) -> None:
    field = DateField("Decision needed by")
    qtbot.addWidget(field)
    field.show()
    edited: list[object] = []
    field.date_edited.connect(edited.append)
    problems: list[str] = []
    field.problem_changed.connect(problems.append)
    qtbot.keyClicks(field.line, "2026-02-30")
    assert field.problem == "2026-02-30 is not a day in the calendar."
    assert field.line.toolTip() == field.problem
    assert edited == []
    field.line.clear()
    qtbot.keyClicks(field.line, "2026-12-15")
    assert field.problem == ""
    assert problems[-1] == ""
    assert edited[-1] == dt.date(2026, 12, 15)


def test_qt_calls_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on CPython 3.11 lost a reference to None per call and aborted."""
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(30_000):
        label.setText(str(number))
        label.resize(100 + number % 7, 20)
    assert sys.getrefcount(None) >= before - 100


def test_export_dialog_checks_the_file_name(qtbot: QtBot, tmp_path: Path) -> None:
    templates = [
        TemplateInfo("decision-brief", tmp_path / "d.docx", TemplateOrigin.BUILT_IN),
        TemplateInfo("one-page", tmp_path / "one-page.docx", TemplateOrigin.USER),
    ]
    dialog = ExportDialog(None, templates, tmp_path / "brief.docx", "one-page")
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog._buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    assert dialog.choice() == ExportChoice(
        str(tmp_path / "one-page.docx"), tmp_path / "brief.docx"
    )
    dialog._path.setText(str(tmp_path / "brief.pdf"))
    assert not ok.isEnabled()
    assert dialog._reason.text() == "The file name must end in .docx."
    dialog._path.setText(str(tmp_path / "missing" / "brief.docx"))
    assert dialog._reason.text() == f"The folder {tmp_path / 'missing'} does not exist."
    dialog._path.setText("")
    assert dialog._reason.text() == "Choose a file name."
