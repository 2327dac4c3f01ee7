"""The result of the decision analysis: the ranking as stacked bars (one colour
per criterion), the options screened out and why, how far each weight can
move before first place changes, and the checks, each leading to its cell."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.analysis import Analysis, Check, Severity, robustness_sentence

Index = QModelIndex | QPersistentModelIndex

# Colour-blind-safe (Okabe–Ito), one per criterion, repeating after eight.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
           "#F0E442", "#999999")  # fmt: skip
SEVERITY_MARKS = {Severity.ERROR: "⛔", Severity.WARNING: "⚠", Severity.INFO: "ℹ"}


def criterion_colour(number: int) -> QColor:
    return QColor(PALETTE[number % len(PALETTE)])


class ScoreChart(QWidget):
    """Weighted scores of the ranked options, stacked by criterion."""

    ROW = 26
    LABEL = 70

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._analysis: Analysis | None = None
        self.setAccessibleName("Weighted scores")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def show_analysis(self, analysis: Analysis | None) -> None:
        self._analysis = analysis
        ranked = analysis.ranked if analysis else ()
        self.setAccessibleDescription(
            "; ".join(f"{r.rank}. {r.option} {r.score:.1f}" for r in ranked)
        )
        self.setFixedHeight(self._height())
        self.update()

    def _height(self) -> int:
        if self._analysis is None or not self._analysis.ranked:
            return 24
        columns = self._legend_columns()
        legend = 22 * ((len(self._analysis.criteria) + columns - 1) // columns)
        return len(self._analysis.ranked) * self.ROW + 28 + legend

    def sizeHint(self) -> QSize:
        return QSize(360, self._height())

    def _legend_columns(self) -> int:
        return 2 if self.width() >= 320 else 1

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.setFixedHeight(self._height())  # the legend may need more rows

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        analysis = self._analysis
        if analysis is None or not analysis.ranked:
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignLeft, "No option is ranked yet."
            )
            return
        width = max(self.width() - self.LABEL - 50, 50)
        for row, ranked in enumerate(analysis.ranked):
            top = row * self.ROW + 4
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(0, top, self.LABEL - 6, self.ROW - 6),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{ranked.rank}.  {ranked.option}",
            )
            left = float(self.LABEL)
            for number, part in enumerate(ranked.contributions):
                span = width * part / 100
                painter.fillRect(
                    QRectF(left, top, span, self.ROW - 6), criterion_colour(number)
                )
                left += span
            painter.drawText(
                QRectF(left + 6, top, 60, self.ROW - 6),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{ranked.score:.1f}",
            )
        self._draw_legend(painter, analysis, len(analysis.ranked) * self.ROW + 10)

    def _draw_legend(self, painter: QPainter, analysis: Analysis, top: int) -> None:
        metrics = QFontMetrics(self.font())
        columns = self._legend_columns()
        column_width = self.width() // columns
        for number, criterion in enumerate(analysis.criteria):
            x = (number % columns) * column_width
            y = top + (number // columns) * 22
            painter.fillRect(QRectF(x, y + 4, 12, 12), criterion_colour(number))
            text = metrics.elidedText(
                f"{criterion.key} {criterion.title}",
                Qt.TextElideMode.ElideRight,
                column_width - 22,
            )
            painter.setPen(self.palette().text().color())
            painter.drawText(x + 18, y + 15, text)


class SensitivityChart(QWidget):
    """For each criterion: its weight now (a tick) and the range of weights in
    which first place holds (the shaded band) on a 0–100 % track."""

    ROW = 28
    LABEL = 190

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._analysis: Analysis | None = None
        self.setAccessibleName("How far each weight can move")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def show_analysis(self, analysis: Analysis | None) -> None:
        self._analysis = analysis
        items = analysis.sensitivity if analysis else ()
        self.setAccessibleDescription(
            "; ".join(
                f"{s.criterion} {s.weight:.0%}: first place holds from "
                f"{s.stable_from:.0%} to {s.stable_to:.0%}"
                for s in items
            )
        )
        self.setFixedHeight(max(len(items) * self.ROW + 8, 24))
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        items = self._analysis.sensitivity if self._analysis else ()
        metrics = QFontMetrics(self.font())
        text_colour = self.palette().text().color()
        if not items:
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignLeft, "Nothing to test yet."
            )
            return
        label_width = min(self.LABEL, int(self.width() * 0.4))
        width = max(self.width() - label_width - 90, 50)
        for row, item in enumerate(items):
            top = row * self.ROW + 4
            painter.setPen(text_colour)
            label = metrics.elidedText(
                f"{item.criterion} {item.title}",
                Qt.TextElideMode.ElideRight,
                label_width - 8,
            )
            painter.drawText(
                QRectF(0, top, label_width - 8, self.ROW - 8),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            track = QRectF(label_width, top + 6, width, self.ROW - 20)
            painter.fillRect(track, QColor("#e6e6e6"))
            band = QRectF(
                label_width + width * item.stable_from,
                track.top(),
                width * (item.stable_to - item.stable_from),
                track.height(),
            )
            painter.fillRect(band, QColor("#9fd3a8"))
            tick = label_width + width * item.weight
            painter.setPen(QPen(text_colour, 2))
            painter.drawLine(
                int(tick), int(top + 2), int(tick), int(top + self.ROW - 10)
            )
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(label_width + width + 6, top, 90, self.ROW - 8),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{item.stable_from:.0%}–{item.stable_to:.0%}",
            )


class CheckListModel(QAbstractListModel):
    """The analysis checks, most serious first."""

    def __init__(self) -> None:
        super().__init__()
        self._checks: tuple[Check, ...] = ()

    def set_checks(self, checks: tuple[Check, ...]) -> None:
        order = list(Severity)
        self.beginResetModel()
        self._checks = tuple(sorted(checks, key=lambda c: order.index(c.severity)))
        self.endResetModel()

    def check(self, row: int) -> Check | None:
        return self._checks[row] if 0 <= row < len(self._checks) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._checks)

    def data(self, index: Index, role: int = 0) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        check = self._checks[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{SEVERITY_MARKS[check.severity]}  {check.message}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{check.severity.value}: {check.where} (double-click to go there)"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{check.severity.value}: {check.message}"
        return None


class RankingView(QScrollArea):
    """Everything ``analyse`` found, for one brief."""

    check_activated = Signal(object)
    """A check was chosen (argument: the ``Check``): show its place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        # Everything wraps or scales to the pane's width; only scroll down.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary = _label(bold=True)
        self.summary.setAccessibleName("Robustness of the ranking")
        self.scores = ScoreChart()
        self.screened = _label()
        self.screened.setAccessibleName("Options screened out")
        self.sensitivity = SensitivityChart()
        self.checks = CheckListModel()
        self.check_list = QListView()
        self.check_list.setAccessibleName("Checks")
        self.check_list.setModel(self.checks)
        self.check_list.setWordWrap(True)
        self.check_list.setSpacing(3)
        self.check_list.setAlternatingRowColors(True)
        self.check_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.check_list.activated.connect(self._on_check_list_activated)
        self.check_list.doubleClicked.connect(self._on_check_list_activated)
        self.check_list.setMinimumHeight(140)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(_heading("Ranking (weighted score out of 100)"))
        layout.addWidget(self.scores)
        layout.addWidget(_heading("Screened out by a hard constraint"))
        layout.addWidget(self.screened)
        layout.addWidget(_heading("Weights within which first place holds"))
        layout.addWidget(
            _label(
                text="Black tick: the weight now. Green: the range of weights in "
                "which the first option stays first."
            )
        )
        layout.addWidget(self.sensitivity)
        layout.addWidget(_heading("Checks (double-click one to go there)"))
        layout.addWidget(self.check_list, 1)
        self.setWidget(page)

    def show_analysis(self, analysis: Analysis | None) -> None:
        self.summary.setText(robustness_sentence(analysis) if analysis else "")
        self.scores.show_analysis(analysis)
        self.sensitivity.show_analysis(analysis)
        out = analysis.screened_out if analysis else ()
        self.screened.setText(
            "\n".join(
                f"{r.option} {r.title}: "
                + "; ".join(
                    f"fails {x.constraint} ({x.title})"
                    + (f" – {x.note.rstrip('.')}" if x.note else "")
                    for x in r.reasons
                )
                for r in out
            )
            or "None."
        )
        self.checks.set_checks(analysis.checks if analysis else ())

    @Slot(QModelIndex)
    def _on_check_list_activated(self, index: QModelIndex) -> None:
        check = self.checks.check(index.row())
        if check is not None:
            self.check_activated.emit(check)


def _label(*, bold: bool = False, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)  # the pane may be narrow: wrap, never clip
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, 8, 0, 0)
    return label
