"""The clearance path on the command line, as a script would run it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import docx
import pytest

from tests.integration.test_cli import run
from tests.integration.test_libreoffice import _tool

pytestmark = pytest.mark.slow

DRAFTER, REVIEWER, APPROVER = "Ona Analyst", "Rasa Reviewer", "Jonas Approver"


def ok(*args: str, db: Path) -> str:
    done = run(*args, db=db)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_draft_to_issued_and_verified(database_path: Path, tmp_path: Path) -> None:
    db = database_path
    ok("chain", "1", "--drafter", DRAFTER, "--reviewer", REVIEWER,
       "--approver", APPROVER, "--as", DRAFTER, db=db)  # fmt: skip
    assert ok("submit", "1", "--as", DRAFTER, db=db) == (
        "MOD-2026-014 is now in review (version 1)\n"
    )
    moved = run("chain", "1", "--drafter", DRAFTER, "--approver", REVIEWER,
                "--as", DRAFTER, db=db)  # fmt: skip
    assert (moved.returncode, moved.stderr) == (
        1,
        "briefapp: The clearance chain is set while the brief is a draft; it is in "
        "review.\n",
    )
    comment_id = ok(
        "comment", "1", "--on", "option:B", "--class", "must-fix", "--as", REVIEWER,
        "The cost of B has no source.", db=db,
    ).strip()  # fmt: skip
    refused = run("approve", "1", "--as", APPROVER, db=db)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"briefapp: 1 comment marked “must fix before clearance” is still open: "
        f"#{comment_id} on Option B (“The cost of B has no source.”). It is "
        f"resolved by {REVIEWER} or you (the approver).\n"
    )
    wrong = run("request-changes", "1", "--as", DRAFTER, db=db)
    assert (wrong.returncode, wrong.stderr) == (
        1,
        "briefapp: Request changes is for the brief's approver or reviewer "
        f"({REVIEWER}, {APPROVER}); you act as {DRAFTER}.\n",
    )
    ok("request-changes", "1", "--as", REVIEWER, "--note", "See B.", db=db)
    status = ok("status", "1", "--as", DRAFTER, db=db)
    assert "Status: changes requested" in status
    assert f"You ({DRAFTER}) may: submit, revise" in status
    assert f"#{comment_id} [must fix before clearance, open] on option:B" in status

    exported = tmp_path / "brief.brief.json"
    ok("export", "1", "-o", str(exported), db=db)
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["brief"]["options"][1]["cost"]["amount"] = "31000000.00"
    exported.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert ok("update", "1", str(exported), "--as", DRAFTER, db=db) == (
        "MOD-2026-014 saved (a draft again after changes were requested)\n"
    )
    ok("reply", comment_id, "Source: the supplier's letter of 3 November.",
       "--as", DRAFTER, db=db)  # fmt: skip
    ok("submit", "1", "--as", DRAFTER, db=db)
    ok("resolve", comment_id, "--as", REVIEWER, db=db)
    diff = ok("diff", "1", "1", "2", db=db)
    assert "~ Option B: Purchase for national stocks only" in diff
    assert "Cost: [-" in diff

    review = tmp_path / "review.docx"
    assert "since version 1" in ok("review-copy", "1", "-o", str(review), db=db)

    assert ok("clear", "1", "--as", REVIEWER, db=db) == (
        "MOD-2026-014: you cleared version 2; ready for approval\n"
    )
    ok("approve", "1", "--as", APPROVER, "--note", "Cleared.", db=db)
    edit = run("update", "1", str(exported), "--as", DRAFTER, db=db)
    assert (edit.returncode, edit.stderr) == (
        1,
        "briefapp: Brief MOD-2026-014 is approved; reopen it (saying why) to edit "
        "it.\n",
    )
    issued = tmp_path / "issued.docx"
    assert ok("issue", "1", "-o", str(issued), "--as", APPROVER, db=db) == f"{issued}\n"
    versions = ok("versions", "1", db=db).splitlines()
    assert [line.split("\t")[:2] for line in versions] == [
        ["1", "submitted"], ["2", "submitted"], ["3", "approved"],
    ]  # fmt: skip

    history = ok("history", "1", db=db).splitlines()
    assert [line.split("\t")[1:3] for line in history][-3:] == [
        [REVIEWER, "clear"], [APPROVER, "approve"], [APPROVER, "issue"],
    ]  # fmt: skip
    verified = run("verify", str(issued), db=db)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(
        "issued.docx matches version 3 of brief MOD-2026-014"
    )

    changed = tmp_path / "changed.docx"
    word = docx.Document(str(issued))
    paragraph = next(p for p in word.paragraphs if "dialogue" in p.text)
    for run_ in paragraph.runs:
        run_.text = run_.text.replace("dialogue", "talks")
    word.save(str(changed))
    mismatch = run("verify", str(changed), db=db)
    assert mismatch.returncode == 4
    assert "does NOT match" in mismatch.stdout

    letter = tmp_path / "letter.docx"
    other = docx.Document()
    other.add_paragraph("Dear colleague,")
    other.save(str(letter))
    unknown = run("verify", str(letter), db=db)
    assert (unknown.returncode, unknown.stdout) == (
        5,
        "letter.docx is unknown: it carries no mark of a brief issued by Briefapp.\n",
    )

    missing = run("verify", str(issued), db=tmp_path / "nowhere.db")
    assert (missing.returncode, missing.stderr) == (
        1,
        f"briefapp: There is no database at {tmp_path / 'nowhere.db'} to verify "
        "against.\n",
    )
    assert not (tmp_path / "nowhere.db").exists()

    ok("reopen", "1", "--as", APPROVER, "--note", "Figures revised.", db=db)
    withdrawn = run("verify", str(issued), db=db)
    assert withdrawn.returncode == 6
    assert "so that approval no longer stands" in withdrawn.stdout

    # LibreOffice opens the review copy and shows the tracked change.
    soffice, pdftotext = _tool("soffice"), _tool("pdftotext")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(review)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        [pdftotext, str(tmp_path / "review.pdf"), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    assert "Review copy, in review, not for issue" in text
    assert "Changes since version 1" in text


def test_forbidden_steps_exit_non_zero_with_the_reason(database_path: Path) -> None:
    for step, reason in (
        ("approve", "Approve is possible only when the brief is in review; "
         "it is a draft."),
        ("issue", "Issue is possible only when the brief is approved; it is a draft."),
        ("reopen", "Reopen is possible only when the brief is approved or issued; "
         "it is a draft."),
        ("archive", "Archive is possible only when the brief is issued; "
         "it is a draft."),
        ("clear", "Clear is possible only when the brief is in review; it is a draft."),
    ):  # fmt: skip
        done = run(step, "1", db=database_path)
        assert (done.returncode, done.stderr.splitlines()[-1]) == (
            1,
            f"briefapp: {reason}",
        )
