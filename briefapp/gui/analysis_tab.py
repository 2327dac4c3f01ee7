"""The Analysis tab: criteria and the two grids on the left, the ranking on the
right, re-ranked as soon as a weight, result or score changes."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from briefapp.domain.analysis import Analysis, Check, analyse
from briefapp.domain.entities import Brief
from briefapp.gui.analysis_grids import ASSESSMENTS, SCORES, GridEditor
from briefapp.gui.analysis_view import RankingView
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.record_editor import RecordEditor

WEIGHT_COLUMN = 2
"""Where the criteria table shows the weight (key, title, weight, share)."""
QUICK_ENOUGH = 0.03
"""An analysis faster than this (seconds) is redone at every change; a slower
one (hundreds of options and constraints) once changes pause for 250 ms."""


class AnalysisWidget(QWidget):
    """Criteria, assessments and scores, and what the analysis makes of them.

    The analysis is recomputed when the brief changes while the tab is shown,
    and when the tab is shown after changes elsewhere.
    """

    elsewhere_requested = Signal(object)
    """A check concerns a part of the brief outside this tab (argument: it)."""

    def __init__(
        self,
        document: BriefDocument,
        criteria: RecordEditor[Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._stale = True
        self.analysis: Analysis | None = None
        self._analysis_seconds = 0.0
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(250)
        self._pending.timeout.connect(self._analyse)
        self.criteria = criteria
        self.assessments = GridEditor(ASSESSMENTS, document)
        self.scores = GridEditor(SCORES, document)
        self.inputs = QTabWidget()
        self.inputs.setAccessibleName("Analysis inputs")
        self.inputs.addTab(self.criteria, "Criteria and &weights")
        self.inputs.addTab(self.assessments, "Options × &constraints")
        self.inputs.addTab(self.scores, "Options × criteria &scores")
        self.ranking = RankingView()
        self.ranking.check_activated.connect(self._on_check_activated)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.inputs)
        splitter.addWidget(self.ranking)
        splitter.setSizes([640, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        document.changed.connect(self._on_document_changed)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh(self._document.brief)

    @Slot(object)
    def _on_document_changed(self, brief: Brief | None) -> None:
        if self.isVisible():
            self._refresh(brief)
        else:
            self._stale = True

    def _refresh(self, brief: Brief | None) -> None:
        self._stale = False
        if brief is not None:
            self.criteria.show_brief(brief)
        self.assessments.show_brief(brief)
        self.scores.show_brief(brief)
        if self._analysis_seconds < QUICK_ENOUGH:
            self._analyse()
        else:  # a large brief: analyse once typing pauses
            self._pending.start()

    @Slot()
    def _analyse(self) -> None:
        brief = self._document.brief
        started = time.perf_counter()
        self.analysis = analyse(brief) if brief is not None else None
        self._analysis_seconds = time.perf_counter() - started
        self.ranking.show_analysis(self.analysis)

    @Slot(object)
    def _on_check_activated(self, check: Check) -> None:
        """Show the place a check is about: a cell here, or elsewhere."""
        if check.area == "assessments" and len(check.keys) == 2:
            self.inputs.setCurrentWidget(self.assessments)
            self.assessments.select(*check.keys)
        elif check.area == "scores" and len(check.keys) == 2:
            self.inputs.setCurrentWidget(self.scores)
            self.scores.select(*check.keys)
        elif check.area == "criteria":
            self.inputs.setCurrentWidget(self.criteria)
            view = self.criteria.table.view
            view.setCurrentIndex(view.model().index(0, WEIGHT_COLUMN))
            view.setFocus()
        elif check.area == "assessments":
            self.inputs.setCurrentWidget(self.assessments)
        else:
            self.elsewhere_requested.emit(check)
