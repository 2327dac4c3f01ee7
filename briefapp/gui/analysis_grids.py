"""The two grids of the decision analysis: each option against each constraint
(meets, partial, fails, unknown) and each option scored on each criterion.

One item model serves both, described by a ``GridSpec``; cells are painted by
the view from the model's data (no widget per cell), so a grid of hundreds of
options and constraints stays quick. The note or rationale of the selected
cell is edited below the grid.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.edits import with_assessment, with_score
from briefapp.domain.entities import MAX_SCORE, AssessmentResult, Brief
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.cell_view import CellTableView
from briefapp.gui.choices import ChoiceBox, find_choice
from briefapp.gui.fields import TextBinding

Index = QModelIndex | QPersistentModelIndex

RESULT_LOOKS = {
    AssessmentResult.MEETS: ("✓ meets", QColor("#d7f0d2")),
    AssessmentResult.PARTIAL: ("◐ partial", QColor("#fbeccb")),
    AssessmentResult.FAILS: ("✗ fails", QColor("#f6d0cc")),
    AssessmentResult.UNKNOWN: ("? unknown", QColor("#e4e4e4")),
}
NOT_GIVEN = "–"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    tooltip: str


@dataclass(frozen=True)
class GridSpec:
    """What one grid shows: its columns, its cells and how they are edited."""

    noun: str  # "assessment", "score"
    across: str  # what the columns are: "constraints", "criteria"
    across_field: str  # the field of a cell naming its column: "constraint"
    records: Callable[[Brief], Sequence[Any]]  # the brief's cells
    column_width: int
    note_label: str
    note_hint: str
    columns: Callable[[Brief], list[Column]]
    cell: Callable[[Brief, str, str], Any]  # the Assessment or Score, or None
    value: Callable[[Any], Any]  # the cell's result or score
    look: Callable[[Any], tuple[str, QColor | None]]
    choices: Sequence[tuple[str, Any]]
    set_value: Callable[[Brief, str, str, Any], Brief]
    set_note: Callable[[Brief, str, str, str], Brief]
    note: Callable[[Any], str]


def _constraint_columns(brief: Brief) -> list[Column]:
    return [
        Column(
            c.key,
            f"{c.key}\n{'hard' if c.hard else 'soft'}",
            f"{c.key}: {c.title} ({'hard' if c.hard else 'soft'} constraint)",
        )
        for c in brief.constraints
    ]


def _criterion_columns(brief: Brief) -> list[Column]:
    return [Column(c.key, c.key, f"{c.key}: {c.title}") for c in brief.criteria]


def _assessment(brief: Brief, option: str, constraint: str) -> Any:
    return next(
        (
            a
            for a in brief.assessments
            if a.option == option and a.constraint == constraint
        ),
        None,
    )


def _score(brief: Brief, option: str, criterion: str) -> Any:
    return next(
        (s for s in brief.scores if s.option == option and s.criterion == criterion),
        None,
    )


def _score_look(score: Any) -> tuple[str, QColor | None]:
    if score is None:
        return NOT_GIVEN, None
    shade = QColor.fromHsv(210, int(25 + 30 * score.score), 250)
    return str(score.score), shade


ASSESSMENTS = GridSpec(
    noun="assessment",
    across="constraints",
    across_field="constraint",
    records=lambda brief: brief.assessments,
    column_width=84,
    note_label="Note",
    note_hint="Why the option stands so against the constraint.",
    columns=_constraint_columns,
    cell=_assessment,
    value=lambda a: None if a is None else a.result,
    look=lambda a: (NOT_GIVEN, None) if a is None else RESULT_LOOKS[a.result],
    # Words first, so typing a letter (M, P, F, U, N) picks the choice.
    choices=[("Not assessed –", None)]
    + [
        (f"{label.split()[1].capitalize()} {label.split()[0]}", result)
        for result, (label, _colour) in RESULT_LOOKS.items()
    ],
    set_value=with_assessment,
    set_note=lambda brief, o, c, note: with_assessment(
        brief, o, c, _assessment(brief, o, c).result, note=note
    ),
    note=lambda a: a.note,
)
SCORES = GridSpec(
    noun="score",
    across="criteria",
    across_field="criterion",
    records=lambda brief: brief.scores,
    column_width=56,
    note_label="Rationale",
    note_hint="Why the option earns this score.",
    columns=_criterion_columns,
    cell=_score,
    value=lambda s: None if s is None else s.score,
    look=_score_look,
    choices=[("– not scored", None)] + [(str(n), n) for n in range(MAX_SCORE + 1)],
    set_value=with_score,
    set_note=lambda brief, o, k, note: with_score(
        brief, o, k, _score(brief, o, k).score, rationale=note
    ),
    note=lambda s: s.rationale,
)


class GridModel(QAbstractTableModel):
    """Options down, constraints or criteria across; edits go to the document."""

    def __init__(self, spec: GridSpec, document: BriefDocument) -> None:
        super().__init__()
        self.spec = spec
        self._document = document
        self._brief: Brief | None = None
        self._rows: list[tuple[str, str]] = []
        self._columns: list[Column] = []
        self._cells: dict[tuple[str, str], Any] = {}

    def set_brief(self, brief: Brief | None) -> None:
        rows = [(o.key, o.title) for o in brief.options] if brief else []
        columns = self.spec.columns(brief) if brief else []
        reshaped = rows != self._rows or columns != self._columns
        if reshaped:
            self.beginResetModel()
        self._brief, self._rows, self._columns = brief, rows, columns
        self._cells = {}
        if brief is not None:
            keys = {c.key for c in columns}
            for record in self.spec.records(brief):
                other = getattr(record, self.spec.across_field)
                if other in keys:
                    self._cells[(record.option, other)] = record
        if reshaped:
            self.endResetModel()
        elif rows and columns:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(rows) - 1, len(columns) - 1)
            )

    def keys(self, index: Index) -> tuple[str, str] | None:
        """The option and constraint (or criterion) keys of a cell."""
        if not index.isValid():
            return None
        return self._rows[index.row()][0], self._columns[index.column()].key

    def locate(self, option: str, other: str) -> QModelIndex:
        rows = [key for key, _title in self._rows]
        columns = [c.key for c in self._columns]
        if option not in rows or other not in columns:
            return QModelIndex()
        return self.index(rows.index(option), columns.index(other))

    def record(self, index: Index) -> Any:
        keys = self.keys(index)
        return None if keys is None else self._cells.get(keys)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = 0
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        count = len(self._columns) if horizontal else len(self._rows)
        if not 0 <= section < count:
            return None
        if horizontal:
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header
            if role == Qt.ItemDataRole.ToolTipRole:
                return column.tooltip
            return None
        key, title = self._rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            short = title if len(title) <= 22 else title[:21] + "…"
            return f"{key}  {short}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Option {key}: {title}"
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        record = self.record(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.spec.look(record)[0]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.spec.look(record)[1]
        if role == Qt.ItemDataRole.EditRole:
            return self.spec.value(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(index, record)
        return None

    def _tooltip(self, index: Index, record: Any) -> str:
        option, other = self._rows[index.row()][0], self._columns[index.column()]
        text = f"Option {option} × {other.tooltip}: {self.spec.look(record)[0]}"
        note = self.spec.note(record) if record is not None else ""
        return f"{text}\n{note}" if note else text

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
        )

    def setData(self, index: Index, value: Any, role: int = 2) -> bool:
        keys = self.keys(index)
        brief = self._document.brief
        if keys is None or brief is None or role != Qt.ItemDataRole.EditRole:
            return False
        row = find_choice(self.spec.choices, value)
        if row < 0:
            return False  # only the grid's own choices are values
        # The grid's own object, not what Qt made of it (an enum comes back
        # from item data as its plain str).
        value = self.spec.choices[row][1]
        if value == self.spec.value(self.record(index)):
            return True
        self._document.edit(
            self.spec.set_value(brief, *keys, value),
            f"{self.spec.noun.capitalize()} of option {keys[0]} on {keys[1]}",
        )
        return True


class GridDelegate(QStyledItemDelegate):
    """A drop-down of the grid's choices; typing a digit or letter picks one."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        model = index.model()
        assert isinstance(model, GridModel)
        combo = ChoiceBox(model.spec.choices, parent)
        combo.setAccessibleName(model.spec.noun.capitalize())
        combo.activated.connect(self._on_combo_activated)
        return combo

    @Slot()
    def _on_combo_activated(self) -> None:
        editor = self.sender()  # not a lambda holding the editor (a cycle)
        if isinstance(editor, QWidget):
            # A choice picked (from the popup or by its first letter) is the
            # cell's value: the cell is done.
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, ChoiceBox)
        if not editor.select(index.data(Qt.ItemDataRole.EditRole)):
            editor.setCurrentIndex(0)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        assert isinstance(editor, ChoiceBox)
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class GridEditor(QWidget):
    """A grid and, below it, the note of the selected cell."""

    def __init__(
        self, spec: GridSpec, document: BriefDocument, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self.model = GridModel(spec, document)
        self.view = CellTableView()
        self.view.setAccessibleName(f"{spec.noun.capitalize()}s")
        self.view.setModel(self.model)
        self.view.setItemDelegate(GridDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.horizontalHeader().setDefaultSectionSize(spec.column_width)
        self.view.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(spec.note_label)
        self.note.setPlaceholderText(spec.note_hint)
        self.note.setTabChangesFocus(True)
        self._binding = TextBinding(self.note, self._on_note_edited, parent=self)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        details = QWidget()
        form = QFormLayout(details)
        form.setContentsMargins(0, 6, 0, 0)
        form.addRow(self.heading)
        form.addRow(f"{spec.note_label}:", self.note)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.view)
        splitter.addWidget(details)
        splitter.setSizes([420, 160])
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(splitter)

    def show_brief(self, brief: Brief | None) -> None:
        self.model.set_brief(brief)
        spec = self.model.spec
        across = spec.across
        missing = [] if brief is None or brief.options else ["options"]
        if brief is not None and not self.model.columnCount():
            missing.append(across)
        self.empty.setText(
            f"Add {' and '.join(missing)} to fill in this grid." if missing else ""
        )
        self.empty.setVisible(bool(missing))
        self._show_details()

    def select(self, option: str, other: str) -> bool:
        """Select the cell of ``option`` and ``other``; ``False`` if none."""
        index = self.model.locate(option, other)
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus()
        return True

    def _show_details(self) -> None:
        index = self.view.currentIndex()
        keys = self.model.keys(index)
        record = self.model.record(index)
        spec = self.model.spec
        if keys is None:
            self.heading.setText(f"Select a cell to see its {spec.note_label.lower()}.")
        elif record is None:
            self.heading.setText(
                f"Option {keys[0]} × {keys[1]}: choose a value in the grid first."
            )
        else:
            column = self.model.headerData(
                index.column(),
                Qt.Orientation.Horizontal,
                Qt.ItemDataRole.ToolTipRole,
            )
            self.heading.setText(f"Option {keys[0]} × {column}")
        self.note.setEnabled(record is not None)
        self._binding.show(spec.note(record) if record is not None else "")

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, _current: QModelIndex, _old: QModelIndex) -> None:
        self._show_details()

    def _on_note_edited(self, text: str) -> None:
        brief = self._document.brief
        keys = self.model.keys(self.view.currentIndex())
        if (
            brief is None
            or keys is None
            or self.model.record(self.view.currentIndex()) is None
        ):
            return
        spec = self.model.spec
        edited = spec.set_note(brief, *keys, text)
        if edited != brief:
            self._document.edit(
                edited,
                f"Edit {spec.note_label.lower()}",
                merge_key=f"{spec.noun}[{keys[0]},{keys[1]}]",
            )
