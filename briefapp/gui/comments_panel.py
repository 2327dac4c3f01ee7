"""The comments of a brief: filters, the list with replies, and adding,
replying and resolving."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.clearance import (
    COMMENT_CLASS_LABELS,
    Clearance,
    Comment,
    CommentClass,
    CommentTarget,
    resolve_refusal,
    same_person,
    target_label,
)
from briefapp.domain.entities import Brief
from briefapp.gui.choices import ChoiceBox
from briefapp.gui.clearance_dialogs import CommentDialog, NoteDialog
from briefapp.gui.tasks import TaskRunner
from briefapp.services.session import Services

Change = Callable[[Callable[[], Any], str], None]
"""Runs a write and, once done, says so and shows the clearance again."""


class CommentsPanel(QWidget):
    """Open comments first; filter by open, mine or class."""

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        change: Change,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._change = change
        self.brief: Brief | None = None
        self.clearance: Clearance | None = None
        layout = QVBoxLayout(self)
        self.writable = services.read_only is None
        """False when the database is read-only: comments are only read."""
        filters, tree = self._build()
        layout.addLayout(filters)
        layout.addWidget(tree, 1)
        layout.addWidget(self.detail)

    def show_clearance(self, clearance: Clearance | None, brief: Brief | None) -> None:
        self.clearance, self.brief = clearance, brief
        self.add_comment.setEnabled(self.writable)
        self._show_comments()

    def _build(self) -> tuple[QHBoxLayout, QTreeWidget]:
        self.open_only = QCheckBox("&Open only")
        self.open_only.setChecked(True)
        self.mine_only = QCheckBox("&Mine")
        self.class_filter = ChoiceBox(
            [("All classes", None)]
            + [(label, value) for value, label in COMMENT_CLASS_LABELS.items()]
        )
        self.class_filter.setAccessibleName("Show class")
        for box in (self.open_only, self.mine_only):
            box.toggled.connect(self._show_comments)
        self.class_filter.currentIndexChanged.connect(self._show_comments)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Comments")
        self.tree.setHeaderLabels(["On", "Class", "By", "When", "Comment"])
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(self._on_comment_current_changed)
        self.add_comment = QPushButton("&Add comment…")
        self.add_comment.clicked.connect(self._on_add_comment_clicked)
        self.reply = QPushButton("&Reply…")
        self.reply.clicked.connect(self._on_reply_clicked)
        self.resolve = QPushButton("Re&solve")
        self.resolve.clicked.connect(self._on_resolve_clicked)
        filters = QHBoxLayout()
        for widget in (self.open_only, self.mine_only, self.class_filter):
            filters.addWidget(widget)
        filters.addStretch(1)
        for widget in (self.add_comment, self.reply, self.resolve):
            filters.addWidget(widget)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("The selected comment")
        self.detail.setPlaceholderText(
            "Select a comment to read it in full with its replies."
        )
        self.detail.setMaximumHeight(130)
        return filters, self.tree

    @Slot()
    def _show_comments(self) -> None:
        selected = self._current_comment()
        self.tree.clear()
        clearance, brief = self.clearance, self.brief
        if clearance is None or brief is None:
            return
        me = self._services.briefs.editor
        wanted = self.class_filter.value()
        for comment in clearance.comments:
            if comment.parent_id is not None:
                continue
            if self.open_only.isChecked() and comment.resolved:
                continue
            if self.mine_only.isChecked() and not same_person(comment.author, me):
                continue
            if wanted is not None and comment.comment_class is not wanted:
                continue
            item = comment_item(comment, target_label(brief, comment.target))
            for reply in clearance.replies_to(comment.id):
                item.addChild(comment_item(reply, "↳ reply"))
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
            if selected is not None and comment.id == selected.id:
                self.tree.setCurrentItem(item)
        for column in range(4):
            self.tree.resizeColumnToContents(column)
        self._on_comment_current_changed(None, None)

    @Slot()
    def _on_add_comment_clicked(self) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        self.comment_on(CommentTarget())

    def comment_on(self, target: CommentTarget) -> None:
        """Ask for a comment on ``target`` and add it."""
        brief = self.brief
        if brief is None or brief.id is None:
            return
        asked = CommentDialog.ask(self, brief, target)
        if asked is None:
            return
        on, comment_class, text = asked
        me = self._services.briefs.editor
        call = partial(
            self._services.clearance.add_comment, brief.id, on, text, me, comment_class
        )
        self._change(call, "Comment added.")

    @Slot()
    def _on_reply_clicked(self) -> None:
        comment = self._current_comment()
        if comment is None:
            return
        text = NoteDialog.ask(
            self,
            "Reply",
            f"Reply to {comment.author}: “{comment.text}”",
            "Reply",
            "Type the reply.",
        )
        if text is None:
            return
        me = self._services.briefs.editor
        self._change(
            partial(self._services.clearance.reply, comment.id, text, me),
            "Reply added.",
        )

    @Slot()
    def _on_resolve_clicked(self) -> None:
        comment = self._current_comment()
        if comment is None:
            return
        me = self._services.briefs.editor
        call = partial(
            self._services.clearance.resolve_comment,
            comment.id,
            me,
            not comment.resolved,
        )
        self._change(
            call, "Comment reopened." if comment.resolved else "Comment resolved."
        )

    def _current_comment(self) -> Comment | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        if item.parent() is not None:
            item = item.parent()
        comment: Comment = item.data(0, Qt.ItemDataRole.UserRole)
        return comment

    def _on_comment_current_changed(self, *_args: object) -> None:
        comment = self._current_comment()
        self.reply.setEnabled(comment is not None and self.writable)
        refused = self._resolve_refusal(comment)
        self.resolve.setEnabled(comment is not None and refused is None)
        self.resolve.setText("Re&open" if comment and comment.resolved else "Re&solve")
        self.resolve.setToolTip(
            refused
            or (
                "Mark the comment open again"
                if comment and comment.resolved
                else "Mark the comment resolved"
            )
        )
        self.detail.setPlainText(self._detail(comment))

    def _resolve_refusal(self, comment: Comment | None) -> str | None:
        """Why the user may not resolve (or reopen) ``comment``: the service's
        rule, or the database being read-only."""
        if comment is None or self.clearance is None:
            return "Select a comment first."
        if not self.writable:
            return self._services.read_only or "The database is read-only."
        return resolve_refusal(self.clearance, comment, self._services.briefs.editor)

    def _detail(self, comment: Comment | None) -> str:
        if comment is None or self.clearance is None or self.brief is None:
            return ""
        lines = [
            f"{target_label(self.brief, comment.target)} · "
            f"{COMMENT_CLASS_LABELS[comment.comment_class]} · {comment.author}, "
            f"{local_time(comment.created_at)}",
            comment.text,
        ]
        for reply in self.clearance.replies_to(comment.id):
            lines += [
                "",
                f"{reply.author}, {local_time(reply.created_at)}:",
                reply.text,
            ]
        if comment.resolved:
            lines += ["", f"Resolved by {comment.resolved_by}."]
        return "\n".join(lines)


def comment_item(comment: Comment, on: str) -> QTreeWidgetItem:
    label = COMMENT_CLASS_LABELS[comment.comment_class]
    if comment.parent_id is None and comment.resolved:
        label += f" (resolved by {comment.resolved_by})"
    item = QTreeWidgetItem(
        [on, label, comment.author, local_time(comment.created_at), comment.text]
    )
    item.setData(0, Qt.ItemDataRole.UserRole, comment)
    item.setToolTip(4, comment.text)
    if comment.comment_class is CommentClass.MUST_FIX and is_open(comment):
        item.setForeground(1, QBrush(QColor("#a50e0e")))
        font = QFont()
        font.setBold(True)
        item.setFont(1, font)
    if comment.resolved:
        for column in range(5):
            item.setForeground(column, QBrush(QColor("#777777")))
    return item


def is_open(comment: Comment) -> bool:
    return comment.parent_id is None and not comment.resolved


def local_time(moment: Any) -> str:
    """A stored time as the user's clock shows it."""
    return str(moment.astimezone().strftime("%Y-%m-%d %H:%M"))
