"""Errors a user can act on, as distinct from bugs.

Every expected problem (bad input, a broken template, a locked or unreadable
database, a file that cannot be written) is a ``UserError`` carrying one
sentence that says what went wrong and where. The window shows it calmly; the
command line prints it on one line and exits non-zero. Any other exception is
a bug and is logged with its traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """An expected failure with a message meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BriefFormatError(UserError):
    """A brief file or brief data that does not follow the brief format.

    Attributes:
        problems: every problem found, each as ``(json_path, description)``.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = list(problems)
        first_path, first_problem = self.problems[0]
        message = f"{first_path}: {first_problem}" if first_path else first_problem
        if len(self.problems) > 1:
            more = len(self.problems) - 1
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(message)

    def problems_text(self) -> str:
        """Every problem, the first on the first line, the others indented below."""
        lines = [f"{path}: {text}" if path else text for path, text in self.problems]
        if len(lines) == 1:
            return lines[0]
        return f"{len(lines)} problems:\n" + "\n".join(f"  {line}" for line in lines)


class BriefNotFoundError(UserError):
    def __init__(self, brief_id: int) -> None:
        super().__init__(f"There is no brief with id {brief_id}.")
        self.brief_id = brief_id


class ReferenceTakenError(UserError):
    """A reference already used by another brief of the database.

    Attributes:
        reference: the reference as asked for.
        brief_id: the id of the brief that holds it.
        draft: whether that brief is a draft (which an import may replace).
    """

    def __init__(self, reference: str, brief_id: int, *, draft: bool) -> None:
        super().__init__(
            f"Reference {reference.strip()} is already used by brief {brief_id}; "
            "each brief needs a reference of its own."
        )
        self.reference = reference
        self.brief_id = brief_id
        self.draft = draft


class BriefConflictError(UserError):
    """A save based on an older version of a brief than the one stored."""

    def __init__(self, reference: str) -> None:
        super().__init__(
            f"Brief {reference} was changed elsewhere since it was opened; "
            "your edits were not saved over those changes."
        )


class StorageError(UserError):
    """The database cannot be opened, read or written."""


class DamagedDatabaseError(StorageError):
    """The database file is damaged or is not a database at all (a backup of
    it may be put back).

    Attributes:
        in_window: the message without the command-line advice, for the
            window, which offers the backups itself.
    """

    def __init__(self, message: str, *, in_window: str | None = None) -> None:
        super().__init__(message)
        self.in_window = in_window or message


class DatabaseBusyError(StorageError):
    """Another program held the database's write lock for longer than the wait."""


class ReadOnlyDatabaseError(StorageError):
    """The database is open read-only; nothing can be changed in it."""


class TemplateError(UserError):
    """A Word template that cannot be used, with where the problem is."""


class TemplateStoppedError(TemplateError):
    """Work on a template ran past its time or memory limit and was stopped."""


class ExportError(UserError):
    """An output file that cannot be written."""


class RenderCancelledError(UserError):
    """The user stopped an export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


class AnalysisError(UserError):
    """The options cannot be scored as the brief stands (every weight zero)."""
