"""Every modal dialog, each opened through one classmethod that tests replace.

Questions are ``ask`` (they return the answer), notices are ``tell``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.templates import TemplateInfo, distinct_labels

WORD_FILTER = "Word documents (*.docx)"
PDF_FILTER = "PDF documents (*.pdf)"
BRIEF_FILTER = "Brief files (*.brief.json);;JSON files (*.json);;All files (*)"
BACKUP_FILTER = "Database backups (*.db);;All files (*)"
DATABASE_FILTER = "Briefapp databases (*.db);;All files (*)"


class ConfirmDialog:
    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        text: str,
        accept: str,
        refuse: str | None = None,
    ) -> bool:
        """Whether the user chose ``accept``. The other button, the default,
        is ``refuse`` (e.g. "Not now"), or Cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        yes = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
        if refuse is None:
            no = box.addButton(QMessageBox.StandardButton.Cancel)
        else:
            no = box.addButton(refuse, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes


class ChoiceDialog:
    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        text: str,
        choices: list[tuple[str, str]],
    ) -> str | None:
        """The key of the choice the user took, ``None`` for Cancel.

        ``choices`` are ``(key, button label)`` pairs, the first the default.
        """
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
        buttons = {
            box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key
            for key, label in choices
        }
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(next(iter(buttons)))
        box.exec()
        return buttons.get(box.clickedButton())


class NoticeDialog:
    @classmethod
    def tell(cls, parent: QWidget | None, title: str, text: str) -> None:
        """Show a problem the user can do something about."""
        QMessageBox.warning(parent, title, text)


class AboutDialog:
    @classmethod
    def tell(cls, parent: QWidget | None, text: str) -> None:
        QMessageBox.about(parent, "About Briefapp", text)


class CrashDialog:
    @classmethod
    def tell(cls, parent: QWidget | None, summary: str, log_path: Path) -> None:
        """Report a bug: what failed and where the details were logged."""
        QMessageBox.critical(
            parent,
            "Briefapp hit an unexpected error",
            f"{summary}\n\nYour saved work is safe. The details were written to "
            f"{log_path}; please send that file to the Briefapp maintainers.",
        )


class FileDialog:
    @classmethod
    def ask_open(
        cls, parent: QWidget | None, caption: str, folder: str, filters: str
    ) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, caption, folder, filters)
        return Path(name) if name else None

    @classmethod
    def ask_folder(
        cls, parent: QWidget | None, caption: str, folder: str
    ) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, caption, folder)
        return Path(name) if name else None

    @classmethod
    def ask_save(
        cls, parent: QWidget | None, caption: str, suggested: str, filters: str
    ) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
        return Path(name) if name else None


@dataclass(frozen=True, slots=True)
class ExportChoice:
    template: str
    output: Path


def fill_template_combo(
    combo: QComboBox, templates: list[TemplateInfo], current: str | None
) -> None:
    """List ``templates`` in ``combo``, each keyed by its path (two templates
    may share a name), and select ``current`` (a path, or a name)."""
    combo.clear()
    labels = distinct_labels(templates)
    for info in templates:
        combo.addItem(f"{labels[info.path]} ({info.origin.value})", str(info.path))
        combo.setItemData(
            combo.count() - 1, str(info.path), Qt.ItemDataRole.ToolTipRole
        )
    index = combo.findData(current)
    if index < 0:  # a name, as older settings keep it
        names = [info.name for info in templates]
        index = names.index(current) if current in names else 0
    combo.setCurrentIndex(index)


class ExportDialog(QDialog):
    """Choose the template and the file for an export to Word or PDF."""

    def __init__(
        self,
        parent: QWidget | None,
        templates: list[TemplateInfo],
        suggested: Path,
        template: str,
        suffix: str = ".docx",
    ) -> None:
        super().__init__(parent)
        self._suffix = suffix
        self._kind = "PDF" if suffix == ".pdf" else "Word"
        self.setWindowTitle(f"Export to {self._kind}")
        self._template = QComboBox()
        self._template.setAccessibleName("Template")
        fill_template_combo(self._template, templates, template)
        self._choose_template = QPushButton("Other…")
        self._choose_template.setAccessibleName("Choose a template file")
        self._choose_template.setToolTip("Use a .docx template of your own")
        self._choose_template.clicked.connect(self._on_choose_template_clicked)
        self._path = QLineEdit(str(suggested))
        self._path.setAccessibleName(f"{self._kind} file")
        self._path.textChanged.connect(self._on_path_text_changed)
        browse = QPushButton("Browse…")
        browse.setAccessibleName(f"Choose the {self._kind} file")
        browse.clicked.connect(self._on_browse_clicked)
        self._reason = QLabel()
        self._reason.setStyleSheet("color: #b00020")
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Ok
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self._layout(browse)
        self._on_path_text_changed(self._path.text())

    def _layout(self, browse: QPushButton) -> None:
        template_row = QHBoxLayout()
        template_row.addWidget(self._template, 1)
        template_row.addWidget(self._choose_template)
        file_row = QHBoxLayout()
        file_row.addWidget(self._path, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_buddy("&Template:", self._template), template_row)
        form.addRow(_buddy("&File:", self._path), file_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._reason)
        layout.addWidget(self._buttons)
        self.resize(560, self.sizeHint().height())

    def choice(self) -> ExportChoice:
        return ExportChoice(self._template.currentData(), Path(self._path.text()))

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        templates: list[TemplateInfo],
        suggested: Path,
        template: str,
        suffix: str = ".docx",
    ) -> ExportChoice | None:
        dialog = cls(parent, templates, suggested, template, suffix)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    @Slot()
    def _on_choose_template_clicked(self) -> None:
        chosen = FileDialog.ask_open(self, "Choose a Word template", "", WORD_FILTER)
        if chosen is None:
            return
        index = self._template.findData(str(chosen))
        if index < 0:
            self._template.addItem(f"{chosen.name} (your file)", str(chosen))
            index = self._template.count() - 1
        self._template.setCurrentIndex(index)

    @Slot()
    def _on_browse_clicked(self) -> None:
        filters = PDF_FILTER if self._suffix == ".pdf" else WORD_FILTER
        chosen = FileDialog.ask_save(
            self, f"Export to {self._kind}", self._path.text(), filters
        )
        if chosen is not None:
            if chosen.suffix.lower() != self._suffix:
                chosen = chosen.with_name(chosen.name + self._suffix)
            self._path.setText(str(chosen))

    @Slot(str)
    def _on_path_text_changed(self, text: str) -> None:
        reason = ""
        path = Path(text.strip()) if text.strip() else None
        if path is None:
            reason = "Choose a file name."
        elif path.suffix.lower() != self._suffix:
            reason = f"The file name must end in {self._suffix}."
        elif not path.parent.is_dir():
            reason = f"The folder {path.parent} does not exist."
        self._reason.setText(reason)
        self._reason.setVisible(bool(reason))
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not reason)


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label
