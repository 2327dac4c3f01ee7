"""The editor of one brief: its fields on the first tab, each list on its own tab."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.analysis import Check
from briefapp.domain.clearance import Clearance, TargetKind
from briefapp.domain.entities import BRIEF_TYPE_LABELS, Brief, BriefType
from briefapp.domain.markings import marking_choices
from briefapp.domain.workflow import edit_refusal
from briefapp.gui.analysis_tab import AnalysisWidget
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.choices import ChoiceBox
from briefapp.gui.fields import (
    DateField,
    LineBinding,
    MessageBanner,
    TextBinding,
    items_to_lines,
    lines_to_items,
)
from briefapp.gui.list_editors import make_list_editors
from briefapp.gui.read_only import set_read_only
from briefapp.gui.record_editor import RecordEditor

LINE_FIELDS = (
    ("reference", "Reference", "e.g. MOD-2026-014"),
    ("title", "Title", "A short, self-explanatory subject"),
    ("addressee", "To", "e.g. Minister of National Defence – for decision"),
    ("drafter", "From", "Drafter or contact officer"),
    ("deadline_reason", "Why by then", "What depends on the decision date"),
)
TEXT_FIELDS = (
    ("summary", "Summary", "The issue, in a few lines."),
    ("key_points", "Key points", "One point per line; they are printed as bullets."),
    ("decision_sought", "Decision sought", "What the minister is asked to decide."),
    ("recommendation", "Recommendation", "That you agree…"),
    ("background", "Background", "How the issue arose; what has happened so far."),
    (
        "considerations",
        "Considerations",
        "Legal and treaty, financial, political, communications…",
    ),
    ("next_steps", "Next steps", "What happens once the minister has decided."),
)
LIST_FIELDS = ("key_points",)
LIST_TABS = (
    ("options", "Options"),
    ("countries", "Countries"),
    ("constraints", "Constraints"),
    ("sources", "Sources"),
)


class BriefEditorWidget(QWidget):
    """Edits the brief held by a ``BriefDocument``; every change is undoable."""

    def __init__(self, document: BriefDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.banner = MessageBanner()
        self.lines: dict[str, LineBinding] = {}
        self.texts: dict[str, TextBinding] = {}
        self.field_labels: dict[str, tuple[QLabel, str]] = {}
        """Each field's label and its plain text, for comment markers."""
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Brief sections")
        self.fields_page = self._fields_page()
        self.tabs.addTab(self.fields_page, "&Brief")
        self.lists: dict[str, RecordEditor[Any]] = make_list_editors(document)
        for field, label in LIST_TABS:
            self.tabs.addTab(self.lists[field], label)
        self.analysis = AnalysisWidget(document, self.lists["criteria"])
        self.analysis.elsewhere_requested.connect(self._on_analysis_elsewhere_requested)
        self.tabs.addTab(self.analysis, "A&nalysis")
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(partial(self._switch_tab, step))
        self._comment_counts: dict[TargetKind, int] = {}
        self.read_only = False
        self._not_yours: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        document.loaded.connect(self._on_document_loaded)
        document.changed.connect(self._on_document_changed)

    def _fields_page(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout()
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self._add_line_fields(grid)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for field, label, hint in TEXT_FIELDS:
            box = QPlainTextEdit()
            box.setAccessibleName(label)
            box.setPlaceholderText(hint)
            box.setTabChangesFocus(True)
            box.setMinimumHeight(96)
            as_list = field in LIST_FIELDS
            self.texts[field] = TextBinding(
                box,
                partial(self._on_field_edited, field, label),
                parse=lines_to_items if as_list else str,
                render=items_to_lines if as_list else str,
                parent=self,
            )
            form.addRow(f"{label}:", box)
            shown = form.labelForField(box)
            assert isinstance(shown, QLabel)
            self.field_labels[field] = (shown, f"{label}:")
        layout = QVBoxLayout(page)
        layout.addLayout(grid)
        layout.addLayout(form)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    def _add_line_fields(self, grid: QGridLayout) -> None:
        for field, label, hint in LINE_FIELDS:
            line = QLineEdit()
            line.setAccessibleName(label)
            line.setPlaceholderText(hint)
            self.lines[field] = LineBinding(
                line, partial(self._on_field_edited, field, label), parent=self
            )
        self.classification = QComboBox()
        self.classification.setEditable(True)
        self.classification.addItems(marking_choices())
        self.classification.setAccessibleName("Classification")
        self.classification.setToolTip(
            "The marking printed in the header and footer of every page."
        )
        self.lines["classification"] = LineBinding(
            self.classification,
            partial(self._on_field_edited, "classification", "Classification"),
            parent=self,
        )
        self.brief_type = ChoiceBox(
            (label, kind) for kind, label in BRIEF_TYPE_LABELS.items()
        )
        self.brief_type.setAccessibleName("Type of brief")
        self.brief_type.activated.connect(self._on_brief_type_activated)
        self.deadline = DateField("Decision needed by")
        self.deadline.date_edited.connect(self._on_deadline_edited)
        self.deadline.problem_changed.connect(self._on_deadline_problem_changed)
        self.recommended = ChoiceBox()
        self.recommended.setAccessibleName("Recommended option")
        self.recommended.setToolTip("The option the brief recommends")
        self.recommended.activated.connect(self._on_recommended_activated)
        rows = (
            ("&Reference:", self.lines["reference"].widget, "&Classification:",
             self.classification),
            ("&To:", self.lines["addressee"].widget, "T&ype:", self.brief_type),
            ("Fro&m:", self.lines["drafter"].widget, "&Decision by:", self.deadline),
            ("&Why by then:", self.lines["deadline_reason"].widget, "Recommend&s:",
             self.recommended),
        )  # fmt: skip
        grid.addWidget(
            self._label("title", "T&itle:", self.lines["title"].widget), 0, 0
        )
        grid.addWidget(self.lines["title"].widget, 0, 1, 1, 3)
        names = {
            self.lines[name].widget: name
            for name in ("reference", "addressee", "drafter", "deadline_reason")
        }
        names |= {
            self.classification: "classification",
            self.brief_type: "brief_type",
            self.deadline: "deadline",
            self.recommended: "recommended_option",
        }
        for number, (left, left_widget, right, right_widget) in enumerate(rows, 1):
            grid.addWidget(
                self._label(names[left_widget], left, left_widget), number, 0
            )
            grid.addWidget(left_widget, number, 1)
            grid.addWidget(
                self._label(names[right_widget], right, right_widget), number, 2
            )
            grid.addWidget(right_widget, number, 3)

    def _label(self, field: str, text: str, widget: QWidget) -> QLabel:
        label = _buddy(text, widget)
        self.field_labels[field] = (label, text)
        return label

    @Slot(object)
    def show_comment_markers(self, clearance: Clearance) -> None:
        """Mark each field, and the tabs of options, constraints and countries,
        with the number of open comments on them."""
        counts = Counter(
            (c.target.kind, c.target.key)
            for c in clearance.comments
            if c.parent_id is None and not c.resolved
        )
        for field, (label, text) in self.field_labels.items():
            count = counts[(TargetKind.FIELD, field)]
            label.setText(f"{text[:-1]} ●{count}:" if count else text)
            label.setStyleSheet("color: #b06000; font-weight: bold" if count else "")
            label.setToolTip(
                f"{count} open comment{'s' * (count != 1)}: see the Clearance tab"
                if count
                else ""
            )
        self._comment_counts = {
            kind: sum(n for (k, _), n in counts.items() if k is kind)
            for kind in (TargetKind.OPTION, TargetKind.CONSTRAINT, TargetKind.COUNTRY)
        }
        for field, kind in (
            ("options", TargetKind.OPTION),
            ("constraints", TargetKind.CONSTRAINT),
            ("countries", TargetKind.COUNTRY),
        ):
            self.lists[field].table.model.set_markers(
                {key: n for (k, key), n in counts.items() if k is kind}
            )
        if self.document.brief is not None:
            self._show_tab_titles(self.document.brief)

    def _show_tab_titles(self, brief: Brief) -> None:
        kinds = {
            "options": TargetKind.OPTION,
            "constraints": TargetKind.CONSTRAINT,
            "countries": TargetKind.COUNTRY,
        }
        for number, (field, label) in enumerate(LIST_TABS, start=1):
            count = len(getattr(brief, field))
            title = f"{label} ({count})" if count else label
            comments = self._comment_counts.get(kinds.get(field, TargetKind.BRIEF), 0)
            if comments:
                title += f" ●{comments}"
            self.tabs.setTabText(number, title)
            self.tabs.setTabToolTip(
                number,
                f"{comments} open comment{'s' * (comments != 1)}" if comments else "",
            )

    def set_markings(self, markings: Sequence[str]) -> None:
        """Offer ``markings`` in the classification list (any may be typed)."""
        with QSignalBlocker(self.classification):
            shown = self.classification.currentText()
            self.classification.clear()
            self.classification.addItems(list(markings))
            self.classification.setEditText(shown)

    def _switch_tab(self, step: int) -> None:
        """Ctrl+PgDown and Ctrl+PgUp: the next or previous tab, round."""
        count = self.tabs.count()
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def focus_title(self) -> None:
        self.tabs.setCurrentIndex(0)
        title = self.lines["title"].widget
        title.setFocus()
        title.selectAll()

    @Slot(object)
    def _on_document_changed(self, brief: Brief | None) -> None:
        self.setEnabled(brief is not None)
        if brief is None:
            return
        for field, binding in (*self.lines.items(), *self.texts.items()):
            binding.show(getattr(brief, field))
        self.brief_type.select(brief.brief_type)
        self.deadline.show_date(brief.deadline)
        self._show_recommended(brief)
        for field, _label in LIST_TABS:
            self.lists[field].show_brief(brief)
        self._show_tab_titles(brief)
        self._show_lock(brief)

    def set_not_yours(self, reason: str | None) -> None:
        """Show the brief read-only (with ``reason``) when the user may not edit it."""
        self._not_yours = reason
        if self.document.brief is not None:
            self._show_lock(self.document.brief)

    def _show_lock(self, brief: Brief) -> None:
        locked = edit_refusal(brief) or self._not_yours
        if self.read_only != (locked is not None):
            self.read_only = locked is not None
            for page in (self.fields_page, *self.lists.values(), self.analysis):
                set_read_only(page, self.read_only)
        self.banner.show_message(
            "locked", f"{locked} It is shown read-only." if locked else ""
        )

    def _on_field_edited(self, field: str, label: str, value: object) -> None:
        brief = self.document.brief
        if brief is not None:
            self.document.edit(
                replace(brief, **{field: value}),
                f"Edit {label.lower()}",
                merge_key=field,
            )

    def _show_recommended(self, brief: Brief) -> None:
        with QSignalBlocker(self.recommended):
            self.recommended.set_choices(
                [("None yet", None)]
                + [(f"{o.key}: {o.title}", o.key) for o in brief.options]
            )
            self.recommended.select(brief.recommended_option)

    @Slot(object)
    def _on_analysis_elsewhere_requested(self, check: Check) -> None:
        """Show the option, country or field an analysis check is about."""
        brief = self.document.brief
        if brief is None:
            return
        if check.area == "recommended_option":
            self.tabs.setCurrentIndex(0)
            self.recommended.setFocus()
            return
        editor = self.lists.get(check.area)
        if editor is None:
            return
        self.tabs.setCurrentWidget(editor)
        items = getattr(brief, check.area)
        keys = [getattr(item, "key", None) or item.code for item in items]
        if check.keys and check.keys[0] in keys:
            editor.table.select_row(keys.index(check.keys[0]))
        editor.table.view.setFocus()

    @Slot(int)
    def _on_recommended_activated(self, index: int) -> None:
        brief = self.document.brief
        if brief is not None:
            key = self.recommended.value_at(index)
            self.document.edit(
                replace(brief, recommended_option=key), "Choose the recommended option"
            )

    @Slot(int)
    def _on_brief_type_activated(self, index: int) -> None:
        brief = self.document.brief
        kind = self.brief_type.value_at(index)
        if brief is not None and isinstance(kind, BriefType):
            self.document.edit(replace(brief, brief_type=kind), "Change type of brief")

    @Slot(str)
    def _on_deadline_problem_changed(self, problem: str) -> None:
        self.banner.show_message(
            "deadline",
            f"Decision by: {problem} The date is unchanged until it is corrected."
            if problem
            else "",
        )

    @Slot(object)
    def _on_document_loaded(self, brief: Brief | None) -> None:
        for editor in self.lists.values():
            editor.table.show_message("")
        self.deadline.reset(brief.deadline if brief else None)

    @Slot(object)
    def _on_deadline_edited(self, value: dt.date | None) -> None:
        brief = self.document.brief
        if brief is not None:
            self.document.edit(
                replace(brief, deadline=value),
                "Edit decision date",
                merge_key="deadline",
            )


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label
