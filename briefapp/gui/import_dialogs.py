"""The questions and reports of importing a brief file: a reference already
used by another brief, and every problem of a file that was refused."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.errors import BriefFormatError, ReferenceTakenError
from briefapp.services.briefs import ExistingReference

AS_NEW_TEXT = "Import as a new reference"
REPLACE_TEXT = "Replace the draft"


class ReferenceTakenDialog:
    @classmethod
    def ask(
        cls, parent: QWidget | None, file_name: str, error: ReferenceTakenError
    ) -> ExistingReference | None:
        """What to do with a file whose reference brief ``error.brief_id``
        already has: import it under a new reference, replace that draft, or
        nothing (``None``)."""
        reference = error.reference.strip()
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(f"Import {file_name}")
        box.setText(f"Reference {reference} is already used by brief {error.brief_id}.")
        box.setInformativeText(
            "Import the file as a new brief with a numbered reference "
            f"({reference} (2), …), replace the content of brief {error.brief_id} "
            "with the file's, or cancel."
            + ("" if error.draft else " Only a draft can be replaced.")
        )
        as_new = box.addButton(AS_NEW_TEXT, QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton(REPLACE_TEXT, QMessageBox.ButtonRole.DestructiveRole)
        replace.setEnabled(error.draft)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(as_new)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is as_new:
            return ExistingReference.AS_NEW
        if clicked is replace:
            return ExistingReference.REPLACE
        return None


class ImportProblemsDialog(QDialog):
    """Every problem of a refused brief file, one per line with its JSON path,
    in a list that scrolls."""

    def __init__(
        self, parent: QWidget | None, title: str, error: BriefFormatError
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        count = len(error.problems)
        summary = QLabel(
            f"The file was not imported: {count} problem"
            f"{'s' if count > 1 else ''} to fix. Nothing was changed."
        )
        summary.setWordWrap(True)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.problems.setAccessibleName("Problems")
        self.problems.setPlainText(
            "\n".join(
                f"{path}: {text}" if path else text for path, text in error.problems
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(640, 360)

    @classmethod
    def tell(cls, parent: QWidget | None, title: str, error: BriefFormatError) -> None:
        cls(parent, title, error).exec()
