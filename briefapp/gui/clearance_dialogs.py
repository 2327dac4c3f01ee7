"""Dialogs of the clearance: a new comment, a note, issuing, a comparison, and
the preferences (the user's name, the backups kept)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.clearance import (
    COMMENT_CLASS_LABELS,
    FIELD_LABELS,
    CommentClass,
    CommentTarget,
    TargetKind,
)
from briefapp.domain.compare import BriefComparison, Segment, SegmentKind
from briefapp.domain.countries import country_name
from briefapp.domain.entities import Brief
from briefapp.domain.markings import STANDARD_MARKINGS, marking_choices
from briefapp.domain.templates import TemplateInfo
from briefapp.gui.choices import ChoiceBox
from briefapp.gui.dialogs import ExportChoice, ExportDialog
from briefapp.services.backups import KEEP_RANGE
from briefapp.settings import login_name


def comment_targets(brief: Brief) -> list[tuple[CommentTarget, str]]:
    """Everything a comment can be attached to, as (target, label) in the
    order of the brief."""
    targets = [(CommentTarget(), "The brief as a whole")]
    targets += [
        (CommentTarget(TargetKind.FIELD, name), f"Field: {label}")
        for name, label in FIELD_LABELS.items()
    ]
    targets += [
        (CommentTarget(TargetKind.OPTION, o.key), f"Option {o.key}: {o.title}")
        for o in brief.options
    ]
    targets += [
        (CommentTarget(TargetKind.CONSTRAINT, c.key), f"Constraint {c.key}: {c.title}")
        for c in brief.constraints
    ]
    seen: set[str] = set()
    for country in brief.countries:
        if country.code not in seen:
            seen.add(country.code)
            targets.append(
                (
                    CommentTarget(TargetKind.COUNTRY, country.code),
                    f"Country: {country_name(country.code)}",
                )
            )
    return targets


class CommentDialog(QDialog):
    """Asks what to comment on, how serious it is, and the comment."""

    def __init__(
        self, brief: Brief, target: CommentTarget, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a comment")
        self.target = ChoiceBox(
            (label, value) for value, label in comment_targets(brief)
        )
        self.target.setAccessibleName("Comment on")
        self.target.select(target)
        self.comment_class = ChoiceBox(
            (label, value) for value, label in COMMENT_CLASS_LABELS.items()
        )
        self.comment_class.setAccessibleName("Class")
        self.comment_class.select(CommentClass.COMMENT)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Comment")
        self.text.setPlaceholderText("What should change, and why.")
        self.text.setTabChangesFocus(True)
        self.reason = QLabel("Type the comment.")
        self.reason.setAccessibleName("What is missing")
        self.reason.setStyleSheet("color: #b00020")
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add comment")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._on_text_changed)
        form = QFormLayout()
        form.addRow("&On:", self.target)
        form.addRow("&Class:", self.comment_class)
        form.addRow("Co&mment:", self.text)
        form.addRow("", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._buttons)
        self._on_text_changed()
        self.resize(560, 300)

    @Slot()
    def _on_text_changed(self) -> None:
        missing = not self.text.toPlainText().strip()
        self.reason.setVisible(missing)
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not missing)

    def accept(self) -> None:
        if self.text.toPlainText().strip():
            super().accept()

    @classmethod
    def ask(
        cls, parent: QWidget | None, brief: Brief, target: CommentTarget
    ) -> tuple[CommentTarget, CommentClass, str] | None:
        dialog = cls(brief, target, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return (
            dialog.target.value(),
            dialog.comment_class.value(),
            dialog.text.toPlainText(),
        )


class NoteDialog(QDialog):
    """Asks for a few lines of text (a note on a step, a reply, a label).

    With ``required`` (the sentence saying what is missing), the text may not
    be blank: until some is typed, the sentence shows in red under it and the
    accept button is greyed out."""

    def __init__(
        self,
        title: str,
        prompt: str,
        accept: str,
        parent: QWidget | None = None,
        required: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._required = required
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(title)
        self.text.setTabChangesFocus(True)
        self.reason = QLabel(required)
        self.reason.setAccessibleName("What is missing")
        self.reason.setStyleSheet("color: #b00020")
        self.reason.setWordWrap(True)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText(accept)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text)
        layout.addWidget(self.reason)
        layout.addWidget(self._buttons)
        self._on_text_changed()
        self.resize(520, 240)

    @Slot()
    def _on_text_changed(self) -> None:
        missing = bool(self._required) and not self.text.toPlainText().strip()
        self.reason.setVisible(missing)
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not missing)

    def accept(self) -> None:
        if self._required and not self.text.toPlainText().strip():
            return  # (Ctrl+Enter and the like reach here with the button greyed)
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        prompt: str,
        accept: str,
        required: str = "",
    ) -> str | None:
        """The text entered (maybe empty unless ``required``), ``None`` for
        Cancel."""
        dialog = cls(title, prompt, accept, parent, required)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.text.toPlainText()


class IssueDialog(ExportDialog):
    """Choose the template and the file of the issued Word file: the export
    dialog's choices, titled and worded for issuing."""

    def __init__(
        self,
        parent: QWidget | None,
        templates: list[TemplateInfo],
        suggested: Path,
        template: str,
        version: int,
    ) -> None:
        super().__init__(parent, templates, suggested, template)
        self.setWindowTitle(f"Issue version {version}")
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Issue")

    @classmethod
    def ask_issue(
        cls,
        parent: QWidget | None,
        templates: list[TemplateInfo],
        suggested: Path,
        version: int,
        template: str = "",
    ) -> ExportChoice | None:
        """The template and file chosen, ``None`` for Cancel. The template
        offered first is ``template`` or, if empty, the first listed: the
        default one, as ``issue -t`` defaults to."""
        dialog = cls(parent, templates, suggested, template, version)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()


class CompareDialog(QDialog):
    """Two versions side by side in one text: deletions struck through in red,
    insertions underlined in green, then the options, constraints, countries
    and sources added, removed or changed."""

    def __init__(
        self, title: str, comparison: BriefComparison, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Differences")
        self.view.setHtml(comparison_html(comparison))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(820, 640)

    @classmethod
    def show_comparison(
        cls, parent: QWidget | None, title: str, comparison: BriefComparison
    ) -> None:
        cls(title, comparison, parent).exec()


def comparison_html(comparison: BriefComparison) -> str:
    if comparison.is_empty:
        return "<p>No differences.</p>"
    counts = comparison.counts()
    parts = [
        f"<p><b>{counts['fields']}</b> field(s) changed; <b>{counts['added']}</b> "
        f"added, <b>{counts['removed']}</b> removed, <b>{counts['changed']}</b> "
        "changed among options, constraints, countries, sources and the analysis.</p>"
    ]
    if comparison.fields:
        parts.append("<h3>Fields</h3>")
        for change in comparison.fields:
            parts.append(
                f"<p><b>{html.escape(change.label)}</b><br>"
                f"{segments_html(change.segments)}</p>"
            )
    if comparison.items:
        parts.append("<h3>Items</h3><ul>")
        for item in comparison.items:
            moved = " (moved)" if item.moved else ""
            parts.append(
                f"<li><b>{item.kind.value.capitalize()}</b>{moved}: "
                f"{html.escape(item.label)}"
            )
            for change in item.fields:
                parts.append(
                    f"<br>&nbsp;&nbsp;{html.escape(change.label)}: "
                    f"{segments_html(change.segments)}"
                )
            parts.append("</li>")
        parts.append("</ul>")
    return "".join(parts)


def segments_html(segments: tuple[Segment, ...]) -> str:
    styles = {
        SegmentKind.EQUAL: "{}",
        SegmentKind.DELETE: '<span style="color:#a50e0e; background:#fde7e9; '
        'text-decoration:line-through">{}</span>',
        SegmentKind.INSERT: '<span style="color:#0b5d1e; background:#e6f4ea; '
        'text-decoration:underline">{}</span>',
    }
    return "".join(
        styles[s.kind].format(html.escape(s.text).replace("\n", "<br>"))
        for s in segments
    )


@dataclass(frozen=True, slots=True)
class Preferences:
    name: str
    backups_kept: int
    markings: tuple[str, ...] = ()
    """The user's own classification markings; empty for the standard list."""


class PreferencesDialog(QDialog):
    """The name the user acts under in clearance, and how many backups to keep."""

    def __init__(self, current: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.name = QLineEdit(current.name)
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText(login_name() or "Your name")
        hint = QLabel(
            "Your name as comments, approvals and the history show it. It must "
            "match your name in a brief's clearance chain. Empty: your login name."
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.backups = QSpinBox()
        self.backups.setRange(*KEEP_RANGE)
        self.backups.setValue(current.backups_kept)
        self.backups.setAccessibleName("Backups to keep")
        self.backups.setMaximumWidth(100)
        backups_hint = QLabel(
            "Briefapp backs the database up once a day when it is first opened, "
            "and when you ask; older backups beyond this count are deleted."
        )
        backups_hint.setWordWrap(True)
        self.markings = QPlainTextEdit("\n".join(current.markings))
        self.markings.setAccessibleName("Classification markings")
        self.markings.setPlaceholderText("\n".join(STANDARD_MARKINGS[:3]) + "\n…")
        self.markings.setTabChangesFocus(True)
        self.markings.setMaximumHeight(110)
        markings_hint = QLabel(
            "The markings the Classification list offers, one per line. Empty: "
            "the standard list (UK, Lithuanian national and NATO markings). "
            "Any marking can still be typed."
        )
        markings_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Your &name:", self.name)
        form.addRow("", hint)
        form.addRow("&Backups to keep:", self.backups)
        form.addRow("", backups_hint)
        form.addRow("&Markings:", self.markings)
        form.addRow("", markings_hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 380)

    @classmethod
    def ask(cls, parent: QWidget | None, current: Preferences) -> Preferences | None:
        """The preferences chosen, ``None`` for Cancel."""
        dialog = cls(current, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return Preferences(
            " ".join(dialog.name.text().split()),
            dialog.backups.value(),
            marking_choices(dialog.markings.toPlainText().splitlines())
            if dialog.markings.toPlainText().strip()
            else (),
        )
