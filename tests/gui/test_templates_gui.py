"""Templates in the window: the list with checks, adding one, PDF export, cancelling."""

from __future__ import annotations

import os
import shutil
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
    assert dialog.findings.toPlainText() == (
        "misspelt-in-loop.docx has 1 error and cannot be used: it was not added.\n"
        "• body, in “Option {{ o.key }}: {{ o.cots }}{% endfor %}”: an option has no "
        "field “cots” (did you mean “cost”?)"
    )
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


def test_an_extra_folder_is_listed_and_remembered(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    folder = tmp_path / "team-templates"
    folder.mkdir()
    shutil.copy(paths.templates_dir() / "one-page-summary.docx", folder / "team.docx")
    dialog = _dialog(qtbot, window)
    scripted_dialogs.folder.append(folder)
    dialog._on_choose_folder_clicked()
    assert window.settings.templates_folder == str(folder)
    origins = {t.name: t.origin.value for t in window.services.export.list_templates()}
    assert origins["team"] == "template folder"
    dialog._on_clear_folder_clicked()
    assert "team" not in {t.name for t in window.services.export.list_templates()}


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


def test_a_slow_export_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    runaway = tmp_path / "runaway.docx"
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "{{ classification }}"
    made.sections[0].footer.paragraphs[0].text = "{{ classification }}"
    made.add_paragraph(
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
    )
    made.save(runaway)
    output = tmp_path / "never.docx"
    scripted_dialogs.export.append(ExportChoice(str(runaway), output))
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
    lithuanian = window.preview.template.findData("decision-brief-lt")
    window.preview.template.setCurrentIndex(lithuanian)
    window.preview.template.activated.emit(lithuanian)
    qtbot.waitUntil(
        lambda: "Rekomendacijos" in window.preview.view.toPlainText(), timeout=30_000
    )
