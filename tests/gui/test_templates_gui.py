"""Templates in the window: the list with checks, adding one, PDF export, cancelling."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from briefapp import paths
from briefapp.gui.dialogs import ExportChoice
from briefapp.gui.main_window import MainWindow
from briefapp.gui.templates_dialog import TemplatesDialog
from briefapp.settings import Settings
from tests.gui.conftest import Dialogs

BROKEN = Path(__file__).parents[1] / "data" / "templates"


def _dialog(qtbot: QtBot, window: MainWindow) -> TemplatesDialog:
    dialog = TemplatesDialog(
        window, window.services.export, window.runner, window.settings
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _statuses(dialog: TemplatesDialog) -> dict[str, tuple[str, str]]:
    model = dialog.model
    return {
        model.index(row, 0).data(): (
            model.index(row, 1).data(),
            model.index(row, 3).data(),
        )
        for row in range(model.rowCount())
    }


def _wait_for_checks(qtbot: QtBot, dialog: TemplatesDialog) -> None:
    qtbot.waitUntil(
        lambda: all(s[1] != "checking…" for s in _statuses(dialog).values()),
        timeout=60_000,
    )


def test_the_built_in_templates_are_listed_and_pass(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = _dialog(qtbot, window)
    qtbot.waitUntil(
        lambda: all(s[1] != "checking…" for s in _statuses(dialog).values()),
        timeout=60_000,
    )
    assert _statuses(dialog) == {
        "Decision brief": ("built-in", "ok"),
        "Sprendimo pažyma (lietuvių kalba)": ("built-in", "ok"),
        "One-page summary": ("built-in", "ok"),
        "Options annex": ("built-in", "ok"),
    }
    assert dialog.findings.toPlainText() == "decision-brief.docx passed the check."


def test_a_broken_template_is_not_added_and_says_why(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, locations: object
) -> None:
    dialog = _dialog(qtbot, window)
    scripted_dialogs.open_file.append(BROKEN / "misspelt-in-loop.docx")
    dialog._on_add_clicked()
    qtbot.waitUntil(
        lambda: "it was not added" in dialog.findings.toPlainText(), timeout=30_000
    )
    rejected = (
        "misspelt-in-loop.docx has 1 error and cannot be used: it was not added.\n"
        "• body, in “Option {{ o.key }}: {{ o.cots }}”: an option has no field "
        "“cots” (did you mean “cost”?)"
    )
    assert dialog.findings.toPlainText() == rejected
    # The other templates' checks finishing later do not hide why it was refused.
    _wait_for_checks(qtbot, dialog)
    assert dialog.findings.toPlainText() == rejected
    assert "Misspelt in loop" not in [
        t.label for t in window.services.export.list_templates()
    ]


def test_a_good_template_is_added_to_the_users_templates(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    own = tmp_path / "my-brief.docx"
    made = docx.Document()
    made.core_properties.title = "My brief"
    made.sections[0].header.paragraphs[0].text = "{{ classification }}"
    made.sections[0].footer.paragraphs[0].text = "{{ classification }}"
    made.add_paragraph("{{ title }} for {{ addressee }}")
    made.save(own)
    dialog = _dialog(qtbot, window)
    scripted_dialogs.open_file.append(own)
    dialog._on_add_clicked()
    qtbot.waitUntil(
        lambda: "was added" in dialog.findings.toPlainText(), timeout=30_000
    )
    assert dialog.findings.toPlainText() == (
        "my-brief.docx passed the check and was added to your templates."
    )
    qtbot.waitUntil(lambda: "My brief" in _statuses(dialog), timeout=30_000)
    assert _statuses(dialog)["My brief"][0] == "your templates"
    _wait_for_checks(qtbot, dialog)
    assert dialog.view.currentIndex().data() == "My brief"
    assert dialog.findings.toPlainText() == (
        "my-brief.docx passed the check and was added to your templates."
    )

    # Adding another file of the same name asks before replacing it.
    other = tmp_path / "other" / "my-brief.docx"
    other.parent.mkdir()
    made.core_properties.title = "My other brief"
    made.save(other)
    scripted_dialogs.open_file.append(other)
    scripted_dialogs.confirm.append(False)
    dialog._on_add_clicked()
    assert scripted_dialogs.shown[-1] == (
        "confirm",
        "Replace your template?",
        f"Your templates already include my-brief.docx. Adding {other} replaces it "
        "with this file (if the new one passes the check).",
    )
    assert "My brief" in _statuses(dialog)


def test_checking_again_keeps_the_selected_template(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = _dialog(qtbot, window)
    _wait_for_checks(qtbot, dialog)
    dialog.view.selectRow(2)
    chosen = dialog.view.currentIndex().data()
    dialog._on_recheck_clicked()
    _wait_for_checks(qtbot, dialog)
    assert dialog.view.currentIndex().data() == chosen
    assert dialog.findings.toPlainText().endswith("passed the check.")
    assert not dialog.findings.toPlainText().startswith("decision-brief")


def test_a_copy_named_like_a_built_in_template_is_refused(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    copy = tmp_path / "decision-brief.docx"
    shutil.copy(paths.templates_dir() / "decision-brief.docx", copy)
    dialog = _dialog(qtbot, window)
    scripted_dialogs.open_file.append(copy)
    dialog._on_add_clicked()
    qtbot.waitUntil(
        lambda: "not added" in dialog.findings.toPlainText(), timeout=30_000
    )
    message = (
        "A built-in template is already called “decision-brief”: rename your copy "
        "(for example decision-brief-own.docx) and add it again."
    )
    assert (
        dialog.findings.toPlainText() == f"decision-brief.docx was not added: {message}"
    )
    assert scripted_dialogs.shown[-1] == (
        "notice",
        "Cannot add decision-brief.docx",
        message,
    )
    assert [t.origin.value for t in window.services.export.list_templates()] == [
        "built-in"
    ] * 4


def test_an_extra_folder_is_listed_and_remembered(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    folder = tmp_path / "team-templates"
    folder.mkdir()
    shutil.copy(paths.templates_dir() / "one-page-summary.docx", folder / "team.docx")
    shutil.copy(BROKEN / "misspelt-field.docx", folder / "broken.docx")
    dialog = _dialog(qtbot, window)
    scripted_dialogs.folder.append(folder)
    dialog._on_choose_folder_clicked()
    assert window.settings.templates_folder == str(folder)
    assert dialog.folder.text() == str(folder)
    qtbot.waitUntil(
        lambda: _statuses(dialog).get("Broken", ("", ""))[1] == "1 error",
        timeout=30_000,
    )
    dialog.view.selectRow(
        next(
            row
            for row in range(dialog.model.rowCount())
            if dialog.model.index(row, 0).data() == "Broken"
        )
    )
    assert dialog.findings.toPlainText() == (
        "broken.docx has 1 error and cannot be used: fix these and check again.\n"
        "• body, in “Subject: {{ titel }}”: “titel” is not a value a brief provides "
        "(did you mean “title”?)"
    )
    reopened = _dialog(qtbot, window)
    assert reopened.folder.text() == str(folder)
    origins = {t.name: t.origin.value for t in window.services.export.list_templates()}
    assert origins["team"] == "template folder"
    dialog._on_clear_folder_clicked()
    assert "team" not in {t.name for t in window.services.export.list_templates()}


def test_without_libreoffice_pdf_export_is_disabled_and_says_why(
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    window = make_window()
    assert not window.export_pdf_action.isEnabled()
    assert window.export_pdf_action.toolTip() == (
        "Export to PDF needs LibreOffice: install it (on Debian or Ubuntu: sudo apt "
        "install libreoffice-writer) and restart Briefapp."
    )
    file_menu = window.menuBar().actions()[0].menu()
    assert file_menu.toolTipsVisible()


def test_export_to_pdf_from_the_window(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    if not window.services.export.pdf_available():
        assert not window.export_pdf_action.isEnabled()
        assert "needs LibreOffice" in window.export_pdf_action.toolTip()
        if os.environ.get("BRIEFAPP_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice is required here but is not installed")
        pytest.skip("LibreOffice is not installed here; CI installs it")
    output = tmp_path / "brief.pdf"
    scripted_dialogs.export.append(ExportChoice("one-page-summary", output))
    scripted_dialogs.confirm.append(False)
    window.export_pdf_action.trigger()
    qtbot.waitUntil(output.exists, timeout=120_000)
    assert output.read_bytes().startswith(b"%PDF")


def _runaway(folder: Path) -> Path:
    runaway = folder / "runaway.docx"
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "{{ classification }}"
    made.sections[0].footer.paragraphs[0].text = "{{ classification }}"
    made.add_paragraph(
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
    )
    made.save(runaway)
    return runaway


def test_closing_the_window_stops_a_running_export(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    window.services.export.render_timeout = 600
    output = tmp_path / "never.docx"
    scripted_dialogs.export.append(ExportChoice(str(_runaway(tmp_path)), output))
    window.export_word_action.trigger()
    qtbot.waitUntil(lambda: bool(multiprocessing.active_children()), timeout=30_000)
    window.close()
    qtbot.waitUntil(lambda: not multiprocessing.active_children(), timeout=30_000)
    assert not output.exists()


def test_a_slow_export_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    output = tmp_path / "never.docx"
    scripted_dialogs.export.append(ExportChoice(str(_runaway(tmp_path)), output))
    window.export_word_action.trigger()
    assert window.cancel_button.isVisibleTo(window)
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            window.statusBar().currentMessage()
            == "Export cancelled; no file was written."
        ),
        timeout=30_000,
    )
    assert not output.exists()
    assert not window.cancel_button.isVisibleTo(window)


def test_settings_remember_the_template_folder(tmp_path: Path) -> None:
    settings = Settings(templates_folder=str(tmp_path))
    settings.save(tmp_path / "s.json")
    assert Settings.load(tmp_path / "s.json").templates_folder == str(tmp_path)


def test_the_preview_shows_the_brief_as_the_template_renders_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    tabs = window.editor.tabs
    tabs.setCurrentWidget(window.preview)
    qtbot.waitUntil(
        lambda: "Acquisition of cluster munitions" in window.preview.view.toPlainText(),
        timeout=30_000,
    )
    text = window.preview.view.toPlainText()
    assert text.startswith("RESTRICTED")
    assert "Combined purchase for national stocks and transfer to Ukraine" in text
    lithuanian = window.preview.template.findData(
        str(paths.templates_dir() / "decision-brief-lt.docx")
    )
    assert lithuanian > 0
    window.preview.template.setCurrentIndex(lithuanian)
    window.preview.template.activated.emit(lithuanian)
    qtbot.waitUntil(
        lambda: "Rekomendacijos" in window.preview.view.toPlainText(), timeout=30_000
    )


def test_the_preview_follows_the_open_brief(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.tabs.setCurrentWidget(window.preview)
    qtbot.waitUntil(
        lambda: "Acquisition of cluster munitions" in window.preview.view.toPlainText(),
        timeout=30_000,
    )
    window.duplicate_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.title.startswith("Copy of"))  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: "Copy of Acquisition" in window.preview.view.toPlainText(),
        timeout=30_000,
    )
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.title == "Untitled brief")  # type: ignore[union-attr]
    reference = window.document.brief.reference  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: reference in window.preview.view.toPlainText(), timeout=30_000
    )
    assert "Untitled brief" in window.preview.view.toPlainText()
    assert "Acquisition" not in window.preview.view.toPlainText()


def test_a_long_preview_error_wraps_instead_of_widening_the_window(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    broken = tmp_path / ("a-template-with-a-rather-long-name-" * 3 + ".docx")
    shutil.copy(BROKEN / "misspelt-field.docx", broken)
    window.services.export.set_extra_folder(tmp_path)
    window.preview.reload_templates()
    window.resize(1000, 700)
    window.editor.tabs.setCurrentWidget(window.preview)
    qtbot.waitUntil(
        lambda: "Acquisition of cluster munitions" in window.preview.view.toPlainText(),
        timeout=30_000,
    )
    index = window.preview.template.findData(str(broken))
    window.preview.template.setCurrentIndex(index)
    window.preview.template.activated.emit(index)
    qtbot.waitUntil(
        lambda: window.preview.status.text().startswith("No preview:"),
        timeout=30_000,
    )
    assert "titel" in window.preview.status.text()
    assert window.width() == 1000
