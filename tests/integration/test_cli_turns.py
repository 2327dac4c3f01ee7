"""Whose turn it is, what blocks a step, and one version number for an issue,
as the command line says them."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.cli_in_process import run_cli

DRAFTER, FIRST, SECOND, APPROVER = (
    "Ona Analyst",
    "Rasa Reviewer",
    "Petras Reviewer",
    "Jonas Approver",
)


@pytest.fixture
def db(database_path: Path) -> str:
    """The demo brief with a chain of two reviewers."""
    made = run_cli(
        "--db", str(database_path), "chain", "1", "--drafter", DRAFTER,
        "--reviewer", FIRST, "--reviewer", SECOND, "--approver", APPROVER,
        "--as", DRAFTER,
    )  # fmt: skip
    assert made.status == 0, made
    return str(database_path)


def ok(db: str, *args: str) -> str:
    done = run_cli("--db", db, *args)
    assert done.status == 0, done
    return done.stdout


def test_status_names_the_reviewer_whose_turn_it_is(db: str) -> None:
    ok(db, "submit", "1", "--as", DRAFTER)
    assert (
        "Next steps by others: Clear (Rasa Reviewer, then Petras Reviewer); "
        "Request changes (Rasa Reviewer, Petras Reviewer or Jonas Approver); "
        "Approve (Jonas Approver, once Rasa Reviewer and Petras Reviewer have "
        "cleared).\n"
    ) in ok(db, "status", "1", "--as", DRAFTER)
    ok(db, "clear", "1", "--as", FIRST)
    # The first reviewer has cleared: the second one's turn, not hers.
    assert (
        "Next steps by others: Clear (Petras Reviewer); "
        "Request changes (Petras Reviewer or Jonas Approver); "
        "Approve (Jonas Approver, once Petras Reviewer has cleared).\n"
    ) in ok(db, "status", "1", "--as", FIRST)
    status = ok(db, "status", "1", "--as", SECOND)
    assert f"You ({SECOND}) may: clear, request-changes\n" in status
    assert "Next steps by others: Request changes (Rasa Reviewer or Jonas " in status


def test_an_open_must_fix_comment_blocks_its_authors_clear(db: str) -> None:
    ok(db, "submit", "1", "--as", DRAFTER)
    first = ok(
        db, "comment", "1", "--on", "field:summary", "--class", "must-fix",
        "--as", FIRST, "Say what the cost is and where the figure comes from.",
    ).strip()  # fmt: skip
    refused = run_cli("--db", db, "clear", "1", "--as", FIRST)
    assert refused.one_line_error == (
        "Your comment marked “must fix before clearance” is still open: "
        f"#{first} on Summary (“Say what the cost is and where the…”). "
        f"It is resolved by you or the approver ({APPROVER})."
    )
    assert "may: request-changes\n" in ok(db, "status", "1", "--as", FIRST)
    ok(db, "resolve", first, "--as", FIRST)
    assert ok(db, "clear", "1", "--as", FIRST) == (
        f"MOD-2026-014: you cleared version 1; waiting for {SECOND}\n"
    )


def test_the_drafter_may_not_resolve_a_must_fix_comment(db: str) -> None:
    comment = ok(
        db, "comment", "1", "--class", "must-fix", "--as", FIRST, "Check dates.",
    ).strip()  # fmt: skip
    refused = run_cli("--db", db, "resolve", comment, "--as", DRAFTER)
    assert refused.one_line_error == (
        "A comment that must be fixed before clearance is resolved by its author "
        f"({FIRST}) or the approver ({APPROVER}); you act as {DRAFTER}."
    )


def test_an_issue_carries_one_version_number_everywhere(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(db, "save-version", "1", "--as", DRAFTER)  # 1
    ok(db, "submit", "1", "--as", DRAFTER)  # 2
    ok(db, "clear", "1", "--as", FIRST)
    ok(db, "clear", "1", "--as", SECOND)
    ok(db, "approve", "1", "--as", APPROVER)  # 3, the one issued
    monkeypatch.chdir(tmp_path)
    issued = run_cli("--db", db, "issue", "1", "--as", APPROVER)
    assert issued.status == 0, issued
    assert issued.stdout == "MOD-2026-014-v3.docx\n"
    assert issued.stderr.startswith("briefapp: issued version 3 (SHA-256 ")
    footer = "\n".join(
        p.text
        for s in docx.Document(str(tmp_path / "MOD-2026-014-v3.docx")).sections
        for p in s.footer.paragraphs
    )
    assert "Issued from version 3 of MOD-2026-014" in footer
    history = ok(db, "history", "1").splitlines()[-1].split("\t")
    assert (history[2], history[4]) == ("issue", "version 3")
    versions = [line.split("\t")[:2] for line in ok(db, "versions", "1").splitlines()]
    assert versions[-1] == ["3", "approved"]  # no later number for the issue
    assert ok(db, "verify", "MOD-2026-014-v3.docx").startswith(
        "MOD-2026-014-v3.docx matches version 3 of brief MOD-2026-014"
    )
    assert "Latest version: 3 (approved)\n" in ok(db, "status", "1")


def test_the_demo_brief_is_anyones_to_edit_and_give_a_chain(
    database_path: Path, tmp_path: Path
) -> None:
    # The first command makes the database as whoever is logged in.
    assert "(nobody named yet" in ok(str(database_path), "status", "1", "--as", "me")
    exported = tmp_path / "demo.brief.json"
    ok(str(database_path), "export", "1", "-o", str(exported))
    assert ok(str(database_path), "update", "1", str(exported), "--as", DRAFTER)
    assert ok(
        str(database_path), "chain", "1", "--drafter", DRAFTER, "--as", DRAFTER
    ) == (f"drafter\t{DRAFTER}\n")
