"""The command line run in the test's own process: the same ``main`` a user
runs, without starting Python again, so generated cases stay quick."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import TextIO
from unittest.mock import patch

from briefapp.cli import EXIT_BUG, main


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    stdout: str
    stderr: str

    @property
    def one_line_error(self) -> str:
        """The error line a user sees, checked to be the only output."""
        assert self.status == 1, self
        assert self.stdout == ""
        assert self.stderr.startswith("briefapp: ")
        assert self.stderr.count("\n") == 1
        assert self.stderr.endswith("\n")
        return self.stderr.removeprefix("briefapp: ").removesuffix("\n")


def run_cli(*args: str, stdout: TextIO | None = None) -> Outcome:
    """``briefapp ARGS`` in this process: its exit status and output.

    ``stdout`` stands for the terminal (by default one that takes any text).
    The log file is not set up (the test's log capture sees what would be
    logged), and a bug's exit status fails the test at once.
    """
    stdout = stdout or io.StringIO()
    stderr = io.StringIO()
    with (
        redirect_stdout(stdout),
        redirect_stderr(stderr),
        patch("briefapp.app.configure_logging"),
    ):
        try:
            status = main(list(args))
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
    stdout.flush()
    stdout.seek(0)
    outcome = Outcome(status, stdout.read(), stderr.getvalue())
    assert outcome.status != EXIT_BUG, outcome
    assert "Traceback" not in outcome.stderr, outcome
    return outcome
