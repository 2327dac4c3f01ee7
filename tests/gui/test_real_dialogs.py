"""Every dialog of the window, opened the way a user opens it and answered by
filling its widgets and clicking its buttons."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QTextBrowser,
)
from pytestqt.qtbot import QtBot

from briefapp import __version__
from briefapp.documents import isolation
from briefapp.gui import dialogs
from briefapp.gui.clearance_dialogs import CompareDialog, NoteDialog, PreferencesDialog
from briefapp.gui.dialogs import ExportDialog
from briefapp.gui.main_window import MainWindow
from briefapp.gui.templates_dialog import TemplatesDialog
from tests.gui.conftest import REAL_CRASH_DIALOG
from tests.gui.user import (
    Modals,
    choose_by_keyboard,
    click_button,
    fill_file_dialog,
    set_my_name,
)

BROKEN_TEMPLATES = Path(__file__).parents[1] / "data" / "templates"


def test_delete_asks_first_and_cancel_keeps_the_brief(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    questions: list[str] = []

    def answer(box: QMessageBox, button: str) -> None:
        questions.append(box.text())
        click_button(qtbot, box, button)

    modals.expect(QMessageBox, lambda box: answer(box, "Cancel"))
    window.delete_action.trigger()
    modals.wait_answered()
    assert [b.id for b in window.services.briefs.list_briefs()] == [1]
    modals.expect(QMessageBox, lambda box: answer(box, "Delete"))
    window.delete_action.trigger()
    modals.wait_until(lambda: window.services.briefs.list_briefs() == [])
    assert questions[0] == questions[1]
    assert "MOD-2026-014" in questions[0]


def test_export_to_word_through_the_export_and_file_dialogs(
    qtbot: QtBot, window: MainWindow, modals: Modals, tmp_path: Path
) -> None:
    target = tmp_path / "for the minister.docx"

    def export(dialog: ExportDialog) -> None:
        template = dialog.findChild(QComboBox)
        assert template is not None
        choose_by_keyboard(
            qtbot,
            template,
            next(
                template.itemText(i)
                for i in range(template.count())
                if template.itemText(i).startswith("One-page summary")
            ),
        )
        path = dialog.findChild(QLineEdit)
        assert path is not None
        path.selectAll()
        qtbot.keyClicks(path, str(tmp_path / "missing" / "x.docx"))
        assert "does not exist" in dialog._reason.text()
        modals.expect_next(QFileDialog, lambda d: fill_file_dialog(qtbot, d, target))
        click_button(qtbot, dialog, "Browse…")
        assert path.text() == str(target)
        click_button(qtbot, dialog, "Export")

    modals.expect(ExportDialog, export)
    modals.expect(QMessageBox, lambda box: click_button(qtbot, box, "Not now"))
    window.export_word_action.trigger()
    modals.wait_until(target.exists, timeout=60_000)
    modals.wait_answered(timeout=60_000)
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Decision sought" in text or "decision" in text.lower()
    assert window.document.brief is not None
    assert window.document.brief.title in text


def test_about_names_the_version(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    said: list[str] = []
    modals.expect(
        QMessageBox,
        lambda box: (said.append(box.text()), click_button(qtbot, box, "OK")),
    )
    window.about_action.trigger()
    modals.wait_answered()
    assert f"Briefapp {__version__}" in said[0]


def test_a_crash_dialog_says_where_the_log_is(
    qtbot: QtBot, window: MainWindow, modals: Modals, tmp_path: Path
) -> None:
    said: list[str] = []
    modals.expect(
        QMessageBox,
        lambda box: (said.append(box.text()), click_button(qtbot, box, "OK")),
    )
    real = Path(tmp_path / "log" / "briefapp.log")
    REAL_CRASH_DIALOG.__func__(
        dialogs.CrashDialog, window, "Saving failed: KeyError: 'x'", real
    )
    modals.wait_answered()
    assert "Saving failed: KeyError: 'x'" in said[0]
    assert str(real) in said[0]


def test_save_version_and_compare_through_their_dialogs(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    set_my_name(qtbot, window, modals, "Ona Analyst")
    tab = window.clearance
    window.editor.tabs.setCurrentWidget(tab)
    versions = tab.versions

    def label(dialog: NoteDialog) -> None:
        qtbot.keyClicks(dialog.text, "Before the legal review")
        click_button(qtbot, dialog, "Save version")

    modals.expect(NoteDialog, label)
    qtbot.mouseClick(versions.save_version, Qt.MouseButton.LeftButton)
    modals.wait_until(lambda: len(window.services.clearance.clearance(1).versions) == 1)
    version = window.services.clearance.clearance(1).versions[0]
    assert version.label == "Before the legal review"

    title = window.editor.lines["title"].widget
    title.setFocus()
    title.end(False)
    qtbot.keyClicks(title, " (revised)")
    shown: list[str] = []

    def read(dialog: CompareDialog) -> None:
        view = dialog.findChild(QTextBrowser)
        assert view is not None
        shown.append(view.toPlainText())
        click_button(qtbot, dialog, "Close")

    modals.expect(CompareDialog, read)
    qtbot.waitUntil(versions.compare_current.isEnabled)
    versions.table.selectRow(0)
    qtbot.mouseClick(versions.compare_current, Qt.MouseButton.LeftButton)
    modals.wait_answered(timeout=20_000)
    assert "(revised)" in shown[0]


def test_the_templates_dialog_lists_and_checks_the_built_ins(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    listed: list[str] = []

    def look(dialog: TemplatesDialog) -> None:
        table = dialog.findChild(QTableView)
        assert table is not None
        model = table.model()

        def rows() -> list[str]:
            return [
                " | ".join(
                    str(model.index(r, c).data() or "")
                    for c in range(model.columnCount())
                )
                for r in range(model.rowCount())
            ]

        qtbot.waitUntil(
            lambda: bool(rows()) and not any("checking" in r for r in rows()),
            timeout=60_000,
        )
        listed.extend(rows())
        click_button(qtbot, dialog, "Close")

    modals.expect(TemplatesDialog, look)
    window.templates_action.trigger()
    modals.wait_answered(timeout=90_000)
    assert listed == [
        "Decision brief | built-in | en-GB | ok",
        "Sprendimo pažyma (lietuvių kalba) | built-in | lt-LT | ok",
        "One-page summary | built-in | en-GB | ok",
        "Options annex | built-in | en-GB | ok",
    ]


def test_the_templates_dialog_tries_a_template_with_the_open_brief(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    """Try with the open brief: the full check, then the brief as the
    template fills it, shown in the dialog; a template that fails with this
    brief says why."""
    seen: dict[str, str] = {}
    brief = window.document.brief
    assert brief is not None

    def try_it(dialog: TemplatesDialog) -> None:
        table = dialog.findChild(QTableView)
        assert table is not None
        qtbot.waitUntil(lambda: table.model().rowCount() == 4)
        table.selectRow(2)  # One-page summary
        click_button(qtbot, dialog, "Try with the open brief")
        trial = dialog.findChild(QTextBrowser)
        qtbot.waitUntil(
            lambda: "filled in without a fault" in dialog.findings.toPlainText(),
            timeout=60_000,
        )
        assert trial is not None
        assert trial.isVisible()
        seen["findings"] = dialog.findings.toPlainText()
        seen["trial"] = trial.toPlainText()
        seen["label"] = dialog.trial_label.text()
        click_button(qtbot, dialog, "Close")

    modals.expect(TemplatesDialog, try_it)
    window.templates_action.trigger()
    modals.wait_answered(timeout=90_000)
    assert seen["findings"].splitlines() == [
        "one-page-summary.docx passed the check.",
        f"Brief {brief.reference} filled in without a fault: see it below.",
    ]
    assert seen["label"] == f"Brief {brief.reference} in one-page-summary.docx:"
    assert brief.title in seen["trial"]
    assert seen["trial"].startswith(brief.classification)


def test_the_classification_list_offers_national_and_nato_markings_or_the_users_own(
    qtbot: QtBot, window: MainWindow, modals: Modals, settings_path: Path
) -> None:
    combo = window.editor.classification

    def offered() -> list[str]:
        return [combo.itemText(i) for i in range(combo.count())]

    assert {"RIBOTO NAUDOJIMO", "VISIŠKAI SLAPTAI", "NATO SECRET"} <= set(offered())
    choose_by_keyboard(qtbot, combo, "RIBOTO NAUDOJIMO")
    qtbot.waitUntil(
        lambda: (
            window.services.briefs.get_brief(1).classification == "RIBOTO NAUDOJIMO"
        ),
        timeout=10_000,
    )

    def keep_my_own(dialog: PreferencesDialog) -> None:
        dialog.markings.setFocus()
        for line in ("RIBOTO NAUDOJIMO", "  ", " SLAPTAI", "RIBOTO NAUDOJIMO"):
            qtbot.keyClicks(dialog.markings, line)
            qtbot.keyClick(dialog.markings, Qt.Key.Key_Return)
        click_button(qtbot, dialog, "Save")

    modals.expect(PreferencesDialog, keep_my_own)
    window.preferences_action.trigger()
    modals.wait_until(lambda: offered() == ["RIBOTO NAUDOJIMO", "SLAPTAI"])
    assert combo.currentText() == "RIBOTO NAUDOJIMO"  # the brief's marking stays
    assert json.loads(settings_path.read_text())["markings"] == [
        "RIBOTO NAUDOJIMO",
        "SLAPTAI",
    ]

    def back_to_standard(dialog: PreferencesDialog) -> None:
        dialog.markings.selectAll()
        qtbot.keyClick(dialog.markings, Qt.Key.Key_Delete)
        click_button(qtbot, dialog, "Save")

    modals.expect(PreferencesDialog, back_to_standard)
    window.preferences_action.trigger()
    modals.wait_until(lambda: "NATO RESTRICTED" in offered())


def test_print_through_the_print_dialog_puts_the_marking_on_every_page(
    qtbot: QtBot, window: MainWindow, modals: Modals, tmp_path: Path
) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        # .ci/run installs poppler-utils beside LibreOffice: a missing one fails there.
        if os.environ.get("BRIEFAPP_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("pdftotext (poppler-utils) is required here but not installed")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    printed = tmp_path / "printed.pdf"

    def print_to_file(dialog: QPrintDialog) -> None:
        printers = dialog.findChild(QComboBox, "printers")
        assert printers is not None
        choose_by_keyboard(qtbot, printers, "Print to File (PDF)")
        name = dialog.findChild(QLineEdit, "filename")
        assert name is not None
        name.selectAll()
        qtbot.keyClicks(name, str(printed))
        click_button(qtbot, dialog, "Print")

    modals.expect(QPrintDialog, print_to_file)
    window.print_action.trigger()
    modals.wait_until(
        lambda: window.preview.status.text().startswith("Sent "), timeout=60_000
    )
    text = subprocess.run(
        [pdftotext, "-layout", str(printed), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 1
    assert window.preview.status.text() == f"Sent {len(pages)} pages to the printer."
    marking = window.document.brief.classification  # type: ignore[union-attr]
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == marking
        assert lines[-1] == marking
    assert "Acquisition of cluster munitions" in text


def _rows(dialog: TemplatesDialog) -> list[str]:
    table = dialog.findChild(QTableView)
    assert table is not None
    model = table.model()
    return [
        " | ".join(str(model.index(r, c).data() or "") for c in (0, 3))
        for r in range(model.rowCount())
    ]


def _progress(dialog: TemplatesDialog) -> str:
    label = next(
        w for w in dialog.findChildren(QLabel) if w.accessibleName() == "Check progress"
    )
    return label.text()


def test_the_templates_dialog_fills_rows_as_checks_finish_and_counts_them(
    qtbot: QtBot,
    window: MainWindow,
    modals: Modals,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A template that never finishes keeps its row "checking…" while the
    others fill in and the count says how far the checks are; the second
    opening takes every finished result from the cache."""
    started: list[str] = []
    real = isolation.run_isolated

    def counting(function: Any, *args: Any, **kwargs: Any) -> Any:
        started.append(args[0].name)
        return real(function, *args, **kwargs)

    monkeypatch.setattr(isolation, "run_isolated", counting)
    folder = tmp_path / "team"
    folder.mkdir()
    shutil.copy(BROKEN_TEMPLATES / "runaway.docx", folder / "runaway.docx")
    window.services.export.set_extra_folder(folder)
    window.services.export.render_timeout = 600
    seen: dict[str, Any] = {}

    def watch(dialog: TemplatesDialog) -> None:
        seen["first"] = _progress(dialog)
        qtbot.waitUntil(
            lambda: sum("checking" in r for r in _rows(dialog)) == 1, timeout=90_000
        )
        qtbot.waitUntil(lambda: "4 of 5" in _progress(dialog))
        seen["rows"], seen["progress"] = _rows(dialog), _progress(dialog)
        click_button(qtbot, dialog, "Close")

    modals.expect(TemplatesDialog, watch)
    window.templates_action.trigger()
    modals.wait_answered(timeout=120_000)
    assert seen == {
        "first": "Checking templates: 0 of 5…",
        "rows": [
            "Decision brief | ok",
            "Sprendimo pažyma (lietuvių kalba) | ok",
            "One-page summary | ok",
            "Options annex | ok",
            "Runaway | checking…",
        ],
        "progress": "Checking templates: 4 of 5…",
    }
    # Closing stopped the endless check; only the window's spare renderer waits.
    qtbot.waitUntil(window.runner.is_idle, timeout=30_000)
    assert len(multiprocessing.active_children()) <= 1
    assert sorted(started) == sorted(
        ["decision-brief.docx", "decision-brief-lt.docx", "one-page-summary.docx",
         "options-annex.docx", "runaway.docx"]
    )  # fmt: skip

    window.services.export.set_extra_folder(None)
    started.clear()

    def look_again(dialog: TemplatesDialog) -> None:
        qtbot.waitUntil(lambda: _progress(dialog) == "4 templates checked.")
        seen["again"] = _rows(dialog)
        click_button(qtbot, dialog, "Close")

    modals.expect(TemplatesDialog, look_again)
    window.templates_action.trigger()
    modals.wait_answered(timeout=30_000)
    assert seen["again"] == seen["rows"][:4]
    assert started == []
