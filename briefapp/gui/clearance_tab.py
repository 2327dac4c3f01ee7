"""The Clearance tab: the brief's status and the steps the user may take now,
its comments, versions, history and clearance chain."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.clearance import (
    Clearance,
    Member,
    chain_refusal,
    issue_version,
    others_sentence,
    refusal_for,
)
from briefapp.domain.entities import Brief, BriefStatus
from briefapp.domain.workflow import STATUS_LABELS, TRANSITIONS, Action, Role
from briefapp.gui.clearance_dialogs import IssueDialog, NoteDialog
from briefapp.gui.comments_panel import CommentsPanel, is_open, local_time
from briefapp.gui.dialogs import ConfirmDialog
from briefapp.gui.feedback import report_error
from briefapp.gui.tasks import TaskRunner
from briefapp.gui.versions_panel import VersionsPanel, fill_table, new_table
from briefapp.services.files import issue_file_name
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
ISSUED_OR_APPROVED = frozenset(
    {BriefStatus.APPROVED, BriefStatus.ISSUED, BriefStatus.ARCHIVED}
)
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
        self._shown: tuple[Clearance, Brief, str] | None = None
        self._chain_shown: tuple[int, tuple[Member, ...]] | None = None
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
        self.versions = VersionsPanel(services, runner, host, self._change)
        self.sections.addTab(self.versions, "Versions")
        self.sections.addTab(self._history_page(), "History")
        self.sections.addTab(self._chain_page(), "Chain")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.acting)
        layout.addLayout(steps)
        layout.addWidget(self.why)
        layout.addWidget(self.sections, 1)

    # Pages ---------------------------------------------------------------------

    def _history_page(self) -> QWidget:
        self.history = new_table(["When", "Who", "Step", "Status", "Note"])
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
        self._shown = None
        self._chain_shown = None
        self.status.setText("")
        self.why.setText("")
        for button in self.buttons.values():
            button.setEnabled(False)
        for widget in (self.drafters, self.reviewers, self.approver):
            widget.clear()
        for widget in (self.drafters, self.reviewers, self.approver, self.save_chain):
            widget.setEnabled(False)
        self.comments.show_clearance(None, None)
        self.versions.show_clearance(None, None)
        self.history.setRowCount(0)

    def _show(self, clearance: Clearance) -> None:
        if self.brief is None or clearance.brief_id != self.brief.id:
            return  # the clearance of a brief no longer shown
        shown = (clearance, self.brief, self._services.briefs.editor)
        if shown == self._shown:
            return  # nothing new: leave the selections as they are
        if self._shown is not None and shown[0::2] == self._shown[0::2]:
            # Only the brief's text changed: what comments are on may be named
            # differently; the rest stands (and keeps its selections).
            self._shown = shown
            self.comments.show_clearance(clearance, self.brief)
            return
        self._shown = shown
        self.clearance = clearance
        me = self._services.briefs.editor
        roles = clearance.roles_of(me)
        facts = [f"<b>Status: {STATUS_LABELS[clearance.status]}</b>"]
        facts += _version_facts(clearance)
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
        others = others_sentence(clearance, me)
        if others:
            reasons.append(others)
        self.why.setText("\n".join(reasons))
        self.why.setVisible(bool(reasons))
        if self._services.read_only:
            for button in self.buttons.values():
                button.setEnabled(False)
                button.setToolTip(self._services.read_only)
        chain_reason = self._services.read_only or chain_refusal(clearance, me)
        for widget in (self.drafters, self.reviewers, self.approver, self.save_chain):
            widget.setEnabled(chain_reason is None)
        self.save_chain.setToolTip(chain_reason or "Save the chain")
        self._show_chain(clearance)
        self.comments.show_clearance(clearance, self.brief)
        self.versions.show_clearance(clearance, self.brief)
        self._show_history(clearance)
        self.sections.setTabText(0, f"Comments ({open_comments} open)")
        self.sections.setTabText(1, f"Versions ({len(clearance.versions)})")
        self.clearance_shown.emit(clearance)

    def _show_chain(self, clearance: Clearance) -> None:
        chain = (clearance.brief_id, clearance.chain)
        if chain == self._chain_shown:
            return  # the same chain: names being typed in stay as they are
        self._chain_shown = chain

        def names(role: Role) -> str:
            return ", ".join(m.name for m in clearance.chain if m.role is role)

        self.drafters.setText(names(Role.DRAFTER))
        self.reviewers.setText(names(Role.REVIEWER))
        self.approver.setText(names(Role.APPROVER))

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
        fill_table(self.history, rows)

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
            required = (
                "A reason is needed: it goes in the brief's history."
                if TRANSITIONS[action].needs_note
                else ""
            )
            asked = NoteDialog.ask(
                self,
                TRANSITIONS[action].label,
                prompt,
                TRANSITIONS[action].label,
                required,
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
        approved = issue_version(self.clearance) if self.clearance else None
        if approved is None:
            return
        suggested = self._host.folder() / issue_file_name(
            brief.reference, approved.number
        )
        choice = IssueDialog.ask_issue(
            self,
            self._services.export.list_templates(),
            suggested,
            approved.number,
        )
        if choice is None:
            return
        if choice.output.exists() and not ConfirmDialog.ask(
            self,
            "Replace the file?",
            f"{choice.output.name} already exists in {choice.output.parent}. "
            "Replace it with the issued brief?",
            "Replace",
        ):
            return
        me = self._services.briefs.editor
        call = partial(
            self._services.review.issue,
            brief.id,
            choice.output,
            me,
            template=choice.template,
        )
        self._host.after_saving(
            partial(
                self._run, call, f"Issued version {approved.number} to {choice.output}."
            )
        )

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

    # Chain -------------------------------------------------------------------------

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


def _version_facts(clearance: Clearance) -> list[str]:
    """The version the status line names: the one approved or issued, else
    the latest."""
    approved = issue_version(clearance)
    if approved is not None and clearance.status in ISSUED_OR_APPROVED:
        done = "approved" if clearance.status is BriefStatus.APPROVED else "issued"
        return [f"version {approved.number} {done}"]
    if clearance.versions:
        return [f"latest version {clearance.versions[-1].number}"]
    return []


def _names(text: str) -> list[str]:
    return [" ".join(n.split()) for n in text.split(",") if n.strip()]
