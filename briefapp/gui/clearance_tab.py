"""The Clearance tab: the brief's status and the steps the user may take now,
its comments, versions, history and clearance chain."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.clearance import (
    VERSION_REASON_LABELS,
    Clearance,
    Member,
    chain_refusal,
    next_steps,
    refusal_for,
    reviewed_version,
)
from briefapp.domain.compare import BriefComparison
from briefapp.domain.entities import Brief
from briefapp.domain.workflow import STATUS_LABELS, TRANSITIONS, Action, Role
from briefapp.gui.clearance_dialogs import CompareDialog, NoteDialog
from briefapp.gui.comments_panel import CommentsPanel, is_open, local_time
from briefapp.gui.dialogs import FileDialog
from briefapp.gui.feedback import report_error
from briefapp.gui.file_actions import file_stem
from briefapp.gui.tasks import TaskRunner
from briefapp.services.session import Services

STEPS = (
    Action.SUBMIT,
    Action.CLEAR,
    Action.REQUEST_CHANGES,
    Action.APPROVE,
    Action.ISSUE,
    Action.REOPEN,
    Action.ARCHIVE,
)
WORD_FILTER = "Word documents (*.docx)"
WHAT_STEPS_DO = {
    Action.SUBMIT: "Send the brief to its reviewers; a version is taken.",
    Action.CLEAR: "Say you have reviewed the version in review and need no changes.",
    Action.REQUEST_CHANGES: "Send the brief back to its drafter for changes.",
    Action.APPROVE: "Approve the version in review; the approval is bound to its "
    "content.",
    Action.ISSUE: "Write the Word file of the approved version, stamped so that it "
    "can be verified.",
    Action.REOPEN: "Return the brief to draft; its approval no longer stands.",
    Action.ARCHIVE: "File the issued brief away; it is kept for verification.",
}


class Host(Protocol):
    """What the tab needs from the window around it."""

    def after_saving(self, then: Callable[[], None]) -> None: ...
    def reload_brief(self) -> None: ...
    def show_status(self, text: str) -> None: ...
    def folder(self) -> Path: ...


class ClearanceWidget(QWidget):
    """Status and steps on top; comments, versions, history and chain below."""

    clearance_shown = Signal(object)
    """A brief's clearance was loaded (argument: the ``Clearance``)."""

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        host: Host,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._host = host
        self.brief: Brief | None = None
        self.clearance: Clearance | None = None
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.acting = QLabel()
        self.acting.setWordWrap(True)
        self.buttons: dict[Action, QPushButton] = {}
        steps = QHBoxLayout()
        for action in STEPS:
            label = TRANSITIONS[action].label + (
                "…" if action in (Action.ISSUE, Action.REOPEN) else ""
            )
            button = QPushButton(label)
            button.clicked.connect(partial(self._on_step_clicked, action))
            self.buttons[action] = button
            steps.addWidget(button)
        steps.addStretch(1)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setAccessibleName("Why steps are unavailable")
        self.why.setStyleSheet("color: palette(dark)")
        self.sections = QTabWidget()
        self.comments = CommentsPanel(services, runner, self._change)
        self.sections.addTab(self.comments, "Comments")
        self.sections.addTab(self._versions_page(), "Versions")
        self.sections.addTab(self._history_page(), "History")
        self.sections.addTab(self._chain_page(), "Chain")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.acting)
        layout.addLayout(steps)
        layout.addWidget(self.why)
        layout.addWidget(self.sections, 1)

    # Pages ---------------------------------------------------------------------

    def _versions_page(self) -> QWidget:
        self.versions = _table(["No.", "Why", "Label", "By", "When", "SHA-256"])
        self.versions.setAccessibleName("Versions")
        self.versions.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
        )
        self.save_version = QPushButton("Save &version…")
        self.save_version.clicked.connect(self._on_save_version_clicked)
        self.compare_current = QPushButton("Compare with &current")
        self.compare_current.clicked.connect(self._on_compare_current_clicked)
        self.compare_two = QPushButton("Compare the &two selected")
        self.compare_two.clicked.connect(self._on_compare_two_clicked)
        self.since_review = QPushButton("Changes since last &review")
        self.since_review.clicked.connect(self._on_since_review_clicked)
        self.review_copy = QPushButton("&Word review copy…")
        self.review_copy.clicked.connect(self._on_review_copy_clicked)
        buttons = QHBoxLayout()
        for button in (
            self.save_version,
            self.compare_current,
            self.compare_two,
            self.since_review,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.review_copy)  # fmt: skip
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.versions)
        return page

    def _history_page(self) -> QWidget:
        self.history = _table(["When", "Who", "Step", "Status", "Note"])
        self.history.setAccessibleName("History")
        return self.history

    def _chain_page(self) -> QWidget:
        self.drafters = QLineEdit()
        self.drafters.setAccessibleName("Drafters")
        self.drafters.setPlaceholderText("Names, separated by commas")
        self.reviewers = QLineEdit()
        self.reviewers.setAccessibleName("Reviewers")
        self.reviewers.setPlaceholderText(
            "Names in the order they review, separated by commas"
        )
        self.approver = QLineEdit()
        self.approver.setAccessibleName("Approver")
        self.approver.setPlaceholderText("One name")
        self.save_chain = QPushButton("Save the &chain")
        self.save_chain.clicked.connect(self._on_save_chain_clicked)
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("&Drafted by:", self.drafters)
        form.addRow("Re&viewed by:", self.reviewers)
        form.addRow("A&pproved by:", self.approver)
        form.addRow("", self.save_chain)
        return page

    # Showing -----------------------------------------------------------------

    def show_brief(self, brief: Brief | None) -> None:
        """Show the clearance of ``brief`` (loaded in the background)."""
        if brief is None or self.brief is None or brief.id != self.brief.id:
            self._clear()  # nothing of the last brief may act on this one
        self.brief = brief
        if brief is None or brief.id is None:
            return
        self._runner.run(
            partial(self._services.clearance.clearance, brief.id),
            self._show,
            partial(report_error, self, "Cannot load the clearance"),
            channel="clearance",
        )

    def _clear(self) -> None:
        self.clearance = None
        self.status.setText("")
        self.why.setText("")
        for button in self.buttons.values():
            button.setEnabled(False)
        for widget in (self.drafters, self.reviewers, self.approver):
            widget.clear()
        for widget in (
            self.drafters,
            self.reviewers,
            self.approver,
            self.save_chain,
            self.save_version,
            self.compare_current,
            self.compare_two,
            self.since_review,
        ):
            widget.setEnabled(False)  # fmt: skip
        self.comments.show_clearance(None, None)
        self.versions.setRowCount(0)
        self.history.setRowCount(0)

    def _show(self, clearance: Clearance) -> None:
        if self.brief is None or clearance.brief_id != self.brief.id:
            return  # the clearance of a brief no longer shown
        self.clearance = clearance
        self.save_version.setEnabled(True)
        me = self._services.briefs.editor
        roles = clearance.roles_of(me)
        latest = clearance.versions[-1].number if clearance.versions else None
        facts = [f"<b>Status: {STATUS_LABELS[clearance.status]}</b>"]
        if latest is not None:
            facts.append(f"latest version {latest}")
        open_comments = sum(1 for c in clearance.comments if is_open(c))
        facts.append(f"{open_comments} open comment{'s' * (open_comments != 1)}")
        if clearance.open_must_fix:
            facts.append(
                f"<span style='color:#a50e0e'>{clearance.open_must_fix} must fix</span>"
            )
        self.status.setText(" · ".join(facts))
        held = ", ".join(sorted(r.value for r in roles)) or "no role in this brief"
        self.acting.setText(
            f"You act as {me or '(no name)'} ({held}). Change your name in "
            "Edit ▸ Preferences."
        )
        reasons = []
        for action, button in self.buttons.items():
            move = TRANSITIONS[action]
            reason = refusal_for(clearance, action, me, note="-")
            button.setEnabled(reason is None)
            button.setToolTip(reason or WHAT_STEPS_DO[action])
            if reason and clearance.status in move.sources and roles & move.roles:
                # Blocked for a reason other than who the user is: say it.
                said = (
                    reason
                    if reason.startswith(move.label)
                    else f"{move.label}: {reason}"
                )
                reasons.append(said)
        waiting = [
            f"{TRANSITIONS[a].label} ({', '.join(names) or 'nobody named yet'})"
            for a, names in next_steps(clearance)
            if not roles & TRANSITIONS[a].roles
        ]
        if waiting:
            reasons.append("Next steps by others: " + "; ".join(waiting) + ".")
        self.why.setText("\n".join(reasons))
        self.why.setVisible(bool(reasons))
        chain_reason = chain_refusal(clearance, me)
        for widget in (self.drafters, self.reviewers, self.approver, self.save_chain):
            widget.setEnabled(chain_reason is None)
        self.save_chain.setToolTip(chain_reason or "Save the chain")
        self._show_chain(clearance)
        self.comments.show_clearance(clearance, self.brief)
        self._show_versions(clearance)
        self._show_history(clearance)
        self.sections.setTabText(0, f"Comments ({open_comments} open)")
        self.sections.setTabText(1, f"Versions ({len(clearance.versions)})")
        self.clearance_shown.emit(clearance)

    def _show_chain(self, clearance: Clearance) -> None:
        def names(role: Role) -> str:
            return ", ".join(m.name for m in clearance.chain if m.role is role)

        self.drafters.setText(names(Role.DRAFTER))
        self.reviewers.setText(names(Role.REVIEWER))
        self.approver.setText(names(Role.APPROVER))

    def _show_versions(self, clearance: Clearance) -> None:
        rows = [
            [str(v.number), VERSION_REASON_LABELS[v.reason], v.label, v.created_by,
             local_time(v.created_at), v.digest[:12] + ("" if v.has_content else " *")]
            for v in reversed(clearance.versions)
        ]  # fmt: skip
        _fill(self.versions, rows)
        has = bool(clearance.versions)
        self.compare_current.setEnabled(has)
        self.compare_two.setEnabled(len(clearance.versions) > 1)
        base = _reviewed(clearance)
        here = any(v.number == base and v.has_content for v in clearance.versions)
        self.since_review.setEnabled(here)
        self.since_review.setToolTip(
            "Compare the version last reviewed with the brief now"
            if here
            else "No version has been reviewed in this database yet"
        )

    def _show_history(self, clearance: Clearance) -> None:
        rows = []
        for event in reversed(clearance.events):
            change = ""
            if event.from_status and event.to_status:
                before, after = event.from_status, event.to_status
                change = f"{STATUS_LABELS[before]} → {STATUS_LABELS[after]}"
            step = event.action.replace("_", " ")
            if event.version:
                step += f" (version {event.version})"
            rows.append([local_time(event.at), event.actor, step, change, event.note])
        _fill(self.history, rows)

    # Steps ---------------------------------------------------------------------

    def _on_step_clicked(self, action: Action) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        note = ""
        if action in (Action.REOPEN, Action.REQUEST_CHANGES, Action.APPROVE):
            prompt = {
                Action.REOPEN: "Why is the brief reopened? Reopening returns it to "
                "draft; its approval no longer stands.",
                Action.REQUEST_CHANGES: "A note for the drafter (optional; the "
                "comments say what to change).",
                Action.APPROVE: "A note with the approval (optional).",
            }[action]
            asked = NoteDialog.ask(
                self, TRANSITIONS[action].label, prompt, TRANSITIONS[action].label
            )
            if asked is None:
                return
            note = asked
        if action is Action.ISSUE:
            self._issue(brief)
            return
        me = self._services.briefs.editor
        call = partial(self._services.clearance.act, brief.id, action, me, note)
        self._host.after_saving(
            partial(self._run, call, f"{TRANSITIONS[action].label}: done.")
        )

    def _issue(self, brief: Brief) -> None:
        assert brief.id is not None
        clearance = self.clearance
        number = (
            clearance.versions[-1].number if clearance and clearance.versions else 0
        )
        suggested = self._host.folder() / f"{_stem(brief.reference)}-v{number}.docx"
        output = FileDialog.ask_save(
            self, "Issue the brief as", str(suggested), WORD_FILTER
        )
        if output is None:
            return
        me = self._services.briefs.editor
        call = partial(self._services.review.issue, brief.id, output, me)
        self._host.after_saving(partial(self._run, call, f"Issued to {output}."))

    def _run(self, call: Callable[[], Any], done: str) -> None:
        self._runner.run(
            call,
            partial(self._on_step_done, done),
            partial(report_error, self, "The step was not taken"),
            write=True,
        )

    def _on_step_done(self, done: str, _result: object) -> None:
        self._host.show_status(done)
        self._host.reload_brief()

    def _change(self, call: Callable[[], Any], done: str) -> None:
        self._runner.run(
            call,
            partial(self._on_changed, done),
            partial(report_error, self, "Not done"),
            write=True,
        )

    def _on_changed(self, done: str, _result: object) -> None:
        self._host.show_status(done)
        self.show_brief(self.brief)

    # Versions and chain ------------------------------------------------------------

    @Slot()
    def _on_save_version_clicked(self) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        label = NoteDialog.ask(
            self, "Save version", "A label for this version (optional).", "Save version"
        )
        if label is None:
            return
        me = self._services.briefs.editor
        call = partial(self._services.clearance.save_version, brief.id, label, me)
        self._host.after_saving(partial(self._change, call, "Version saved."))

    def _selected_versions(self) -> list[int]:
        rows = sorted({i.row() for i in self.versions.selectedIndexes()})
        return sorted(int(self.versions.item(r, 0).text()) for r in rows)

    @Slot()
    def _on_compare_current_clicked(self) -> None:
        chosen = self._selected_versions() or self._latest()
        if chosen:
            self._compare(chosen[0], None, f"Version {chosen[0]} → now")

    @Slot()
    def _on_compare_two_clicked(self) -> None:
        chosen = self._selected_versions()
        if len(chosen) != 2:
            self._host.show_status("Select two versions to compare (Ctrl+click).")
            return
        self._compare(
            chosen[0], chosen[1], f"Version {chosen[0]} → version {chosen[1]}"
        )

    @Slot()
    def _on_since_review_clicked(self) -> None:
        base = _reviewed(self.clearance) if self.clearance else None
        if base is not None:
            self._compare(base, None, f"Changes since the last review (version {base})")

    def _latest(self) -> list[int]:
        clearance = self.clearance
        return (
            [clearance.versions[-1].number] if clearance and clearance.versions else []
        )

    def _compare(self, old: int, new: int | None, title: str) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        call = partial(self._services.clearance.compare, brief.id, old, new)
        self._host.after_saving(
            lambda: self._runner.run(
                call,
                partial(self._on_compared, title),
                partial(report_error, self, "Cannot compare"),
            )
        )

    def _on_compared(self, title: str, comparison: BriefComparison) -> None:
        CompareDialog.show_comparison(self, title, comparison)

    @Slot()
    def _on_review_copy_clicked(self) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        suggested = self._host.folder() / f"{_stem(brief.reference)}-review.docx"
        output = FileDialog.ask_save(
            self, "Write the review copy as", str(suggested), WORD_FILTER
        )
        if output is None:
            return
        call = partial(self._services.review.review_copy, brief.id, output)
        self._host.after_saving(
            lambda: self._runner.run(
                call,
                self._on_review_copy_written,
                partial(report_error, self, "The review copy was not written"),
                slow=True,
            )
        )

    def _on_review_copy_written(self, made: Any) -> None:
        self._host.show_status(
            f"Wrote {made.path.name}: {made.comments} comment(s), {made.tracked} "
            f"tracked change(s), {made.annexed} in the change annex."
        )

    @Slot()
    def _on_save_chain_clicked(self) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        chain = [Member(n, Role.DRAFTER) for n in _names(self.drafters.text())]
        chain += [Member(n, Role.REVIEWER) for n in _names(self.reviewers.text())]
        chain += [Member(n, Role.APPROVER) for n in _names(self.approver.text())]
        me = self._services.briefs.editor
        self._change(
            partial(self._services.clearance.set_chain, brief.id, chain, me),
            "Clearance chain saved.",
        )


def _reviewed(clearance: Clearance | None) -> int | None:
    return reviewed_version(clearance) if clearance else None


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.resizeRowsToContents()


def _names(text: str) -> list[str]:
    return [" ".join(n.split()) for n in text.split(",") if n.strip()]


def _stem(reference: str) -> str:
    return file_stem(reference)
