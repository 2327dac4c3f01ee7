"""Review copies and issued briefs, read back as Word files."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefapp.domain.clearance import CommentClass, CommentTarget, Member, TargetKind
from briefapp.domain.errors import UserError
from briefapp.domain.workflow import Action, Role
from briefapp.services.briefs import ExistingReference
from briefapp.services.review import Verdict
from briefapp.services.session import Services

DRAFTER, REVIEWER, APPROVER = "Ona Analyst", "Rasa Reviewer", "Jonas Approver"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


@pytest.fixture
def reviewed(services: Services) -> Services:
    """Brief 1 reviewed once, with changes requested, then edited by the drafter."""
    services.clearance.set_chain(
        1,
        [Member(DRAFTER, Role.DRAFTER), Member(REVIEWER, Role.REVIEWER),
         Member(APPROVER, Role.APPROVER)],
        DRAFTER,
    )  # fmt: skip
    services.clearance.act(1, Action.SUBMIT, DRAFTER)
    services.clearance.add_comment(
        1,
        CommentTarget(TargetKind.OPTION, "B"),
        "Where does the cost of B come from?",
        REVIEWER,
        CommentClass.MUST_FIX,
    )
    services.clearance.add_comment(
        1, CommentTarget(), "Fine otherwise.", REVIEWER, CommentClass.COMMENT
    )
    services.clearance.act(1, Action.REQUEST_CHANGES, REVIEWER)
    services.briefs.editor = DRAFTER
    brief = services.briefs.get_brief(1)
    options = list(brief.options)
    options[1] = replace(options[1], title=options[1].title + " (revised)")
    services.briefs.save_brief(
        replace(
            brief,
            summary=brief.summary.replace("dialogue, not yet", "dialogue, but not yet"),
            options=tuple(options),
        )
    )
    return services


def xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(part))


def test_the_review_copy_has_comments_tracked_changes_and_an_annex(
    reviewed: Services, tmp_path: Path
) -> None:
    output = tmp_path / "review.docx"
    made = reviewed.review.review_copy(1, output)
    assert (made.comments, made.base_version, made.tracked) == (2, 1, 1)

    comments = xml(output, "word/comments.xml")
    found = [
        (c.get(f"{W}author"), "".join(c.itertext()))
        for c in comments.iterfind("w:comment", NS)
    ]
    assert found == [
        (REVIEWER, "[Must fix before clearance] Where does the cost of B come from?"),
        (REVIEWER, "[Comment only] Fine otherwise."),
    ]
    body = xml(output, "word/document.xml")
    # The must-fix comment is anchored at option B's title in the text.
    first = comments.find("w:comment", NS)
    assert first is not None
    start = body.find(f".//w:commentRangeStart[@w:id='{first.get(f'{W}id')}']", NS)
    assert start is not None
    anchored = []
    for node in start.itersiblings():
        if node.tag == f"{W}commentRangeEnd":
            break
        anchored.append("".join(node.itertext()))
    assert "".join(anchored) == "Purchase for national stocks only (revised)"

    inserted = ["".join(i.itertext()) for i in body.iterfind(".//w:ins", NS)]
    deleted = ["".join(d.itertext()) for d in body.iterfind(".//w:del", NS)]
    assert [t.strip() for t in inserted] == ["but"]
    assert deleted == []
    authors = {e.get(f"{W}author") for e in body.iterfind(".//w:ins", NS)}
    assert authors == {DRAFTER}

    document = docx.Document(str(output))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Changes since version 1" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("Option B: ") for c in cells)
    assert any(
        "Was: “Purchase for national stocks only”; now: “Purchase for national "
        "stocks only (revised)”" in c
        for c in cells
    )
    footer = "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    assert (
        "Review copy, draft, not for issue · changes since version 1 marked" in footer
    )


def test_a_first_review_copy_has_comments_and_no_changes(
    services: Services, tmp_path: Path
) -> None:
    services.clearance.add_comment(
        1, CommentTarget(TargetKind.FIELD, "summary"), "Shorter.", REVIEWER
    )
    made = services.review.review_copy(1, tmp_path / "first.docx")
    assert (made.comments, made.tracked, made.annexed, made.base_version) == (
        1, 0, 0, None,
    )  # fmt: skip
    body = xml(tmp_path / "first.docx", "word/document.xml")
    assert body.find(".//w:ins", NS) is None


def issue(services: Services, tmp_path: Path) -> Path:
    services.clearance.set_chain(
        1, [Member(DRAFTER, Role.DRAFTER), Member(APPROVER, Role.APPROVER)], DRAFTER
    )
    services.clearance.act(1, Action.SUBMIT, DRAFTER)
    services.clearance.act(1, Action.APPROVE, APPROVER, "Cleared.")
    return services.review.issue(1, tmp_path / "issued.docx", APPROVER)


def test_an_issued_brief_verifies_and_carries_its_digest(
    services: Services, tmp_path: Path
) -> None:
    issued = issue(services, tmp_path)
    clearance = services.clearance.clearance(1)
    approved = clearance.versions[1]
    document = docx.Document(str(issued))
    for section in document.sections:
        footer = "\n".join(p.text for p in section.footer.paragraphs)
        assert (
            f"Issued from version 2 of MOD-2026-014, approved by {APPROVER}" in footer
        )
        assert f"SHA-256 {approved.digest}" in footer
    result = services.review.verify(issued)
    assert result.verdict is Verdict.VERIFIED
    assert result.message.startswith(
        "issued.docx matches version 2 of brief MOD-2026-014"
    )
    assert f"approved by {APPROVER} on " in result.message
    assert approved.digest in result.message


def test_one_changed_word_is_a_mismatch(services: Services, tmp_path: Path) -> None:
    issued = issue(services, tmp_path)
    document = docx.Document(str(issued))
    paragraph = next(p for p in document.paragraphs if "dialogue, not yet" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("dialogue", "talks")
    changed = tmp_path / "changed.docx"
    document.save(str(changed))
    result = services.review.verify(changed)
    assert result.verdict is Verdict.CHANGED
    assert result.message == (
        "changed.docx does NOT match: it is marked as version 2 of brief "
        "MOD-2026-014, but its text, or how it is shown, differs from every file "
        "issued from that version."
    )


def test_a_resaved_issued_file_still_verifies(
    services: Services, tmp_path: Path
) -> None:
    issued = issue(services, tmp_path)
    document = docx.Document(str(issued))
    resaved = tmp_path / "resaved.docx"
    document.save(str(resaved))
    assert services.review.verify(resaved).verdict is Verdict.VERIFIED


def test_unrelated_and_unreadable_files(services: Services, tmp_path: Path) -> None:
    unrelated = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear colleague,")
    document.save(str(unrelated))
    result = services.review.verify(unrelated)
    assert result.verdict is Verdict.UNKNOWN
    assert "carries no mark of a brief issued by Briefapp" in result.message
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a zip")
    with pytest.raises(
        UserError, match=r"junk\.docx: This file is not a Word document"
    ):
        services.review.verify(junk)


def test_a_copy_of_an_issued_brief_is_recorded_and_verifies(
    services: Services, tmp_path: Path
) -> None:
    issue(services, tmp_path)
    copy = services.review.issued_copy(
        1, tmp_path / "copy.docx", DRAFTER, "options-annex"
    )
    assert services.review.verify(copy).verdict is Verdict.VERIFIED
    stored = docx.Document(io.BytesIO(copy.read_bytes()))
    assert stored.core_properties.identifier == "MOD-2026-014"


def test_a_changed_marking_in_a_header_is_a_mismatch(
    services: Services, tmp_path: Path
) -> None:
    issued = issue(services, tmp_path)
    document = docx.Document(str(issued))
    for paragraph in document.sections[0].header.paragraphs:
        for run_ in paragraph.runs:
            run_.text = run_.text.replace("RESTRICTED", "UNCLASSIFIED")
    changed = tmp_path / "declassified.docx"
    document.save(str(changed))
    assert services.review.verify(changed).verdict is Verdict.CHANGED


def test_a_withdrawn_or_replaced_issue_is_said_to_be_so(
    services: Services, tmp_path: Path
) -> None:
    issued = issue(services, tmp_path)
    services.clearance.act(1, Action.REOPEN, APPROVER, "Costs revised by the supplier.")
    withdrawn = services.review.verify(issued)
    assert withdrawn.verdict is Verdict.WITHDRAWN
    assert withdrawn.message.splitlines()[0].endswith(
        f"But the brief was reopened by {APPROVER} on "
        f"{withdrawn.message.split(' on ')[-1].split(' (')[0]} "
        "(“Costs revised by the supplier.”), so that approval no longer stands."
    )
    brief = services.briefs.get_brief(1)
    services.briefs.editor = DRAFTER
    services.briefs.save_brief(replace(brief, summary=brief.summary + " Revised."))
    services.clearance.act(1, Action.SUBMIT, DRAFTER)
    services.clearance.act(1, Action.APPROVE, APPROVER)
    second = services.review.issue(1, tmp_path / "second.docx", APPROVER)
    assert services.review.verify(second).verdict is Verdict.VERIFIED
    replaced = services.review.verify(issued)
    assert replaced.verdict is Verdict.WITHDRAWN
    assert "But it is replaced: a later version was approved by" in replaced.message


def test_an_imported_brief_gets_a_review_copy_without_changes(
    reviewed: Services, tmp_path: Path
) -> None:
    exported = tmp_path / "reviewed.brief.json"
    reviewed.briefs.export_brief_file(1, exported)
    imported = reviewed.briefs.import_brief_file(exported, ExistingReference.AS_NEW)
    assert imported.id is not None
    made = reviewed.review.review_copy(imported.id, tmp_path / "imported.docx")
    # Its reviewed version's content stayed where it was taken: no changes marked.
    assert (made.comments, made.tracked, made.base_version) == (2, 0, None)


AS_NEW = ExistingReference.AS_NEW


def test_verify_names_the_brief_the_file_was_issued_from(
    services: Services, tmp_path: Path
) -> None:
    first = issue(services, tmp_path)
    exported = tmp_path / "copy.brief.json"
    services.briefs.export_brief_file(1, exported)
    second_id = services.briefs.import_brief_file(exported, AS_NEW).id
    assert second_id is not None
    services.briefs.editor = DRAFTER
    services.clearance.act(second_id, Action.SUBMIT, DRAFTER)
    services.clearance.act(second_id, Action.APPROVE, APPROVER)
    second = services.review.issue(
        second_id, tmp_path / "second.docx", APPROVER, template="one-page-summary"
    )
    services.clearance.act(1, Action.REOPEN, APPROVER, "Withdrawn.")
    # Each file is judged by the brief it came from.
    assert services.review.verify(second).verdict is Verdict.VERIFIED
    assert services.review.verify(first).verdict is Verdict.WITHDRAWN


def test_a_failed_record_writes_no_issued_file(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.clearance.set_chain(
        1, [Member(DRAFTER, Role.DRAFTER), Member(APPROVER, Role.APPROVER)], DRAFTER
    )
    services.clearance.act(1, Action.SUBMIT, DRAFTER)
    services.clearance.act(1, Action.APPROVE, APPROVER)

    def fail(*_args: object) -> None:
        raise UserError("The database is full.")

    monkeypatch.setattr("briefapp.db.clearance_store.add_issue", fail)
    output = tmp_path / "issued.docx"
    with pytest.raises(UserError, match="The database is full"):
        services.review.issue(1, output, APPROVER)
    assert not output.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert services.clearance.clearance(1).status.value == "approved"


def test_a_file_issued_before_signatures_verifies_by_its_characters(
    services: Services, tmp_path: Path, database_path: Path
) -> None:
    import sqlite3

    from briefapp.documents.issue_marks import body_fingerprint

    issued = issue(services, tmp_path)
    # As issued before: no signature part, a record of its characters alone.
    old = tmp_path / "old.docx"
    with zipfile.ZipFile(issued) as new, zipfile.ZipFile(old, "w") as kept:
        for item in new.infolist():
            data = new.read(item.filename)
            if b"urn:briefapp:issue-signature" not in data:
                kept.writestr(item, data)
    with sqlite3.connect(database_path) as connection:
        connection.execute(
            "UPDATE brief_issue SET fingerprint = ?",
            (body_fingerprint(old.read_bytes()),),
        )
    connection.close()
    result = services.review.verify(old)
    assert result.verdict is Verdict.VERIFIED
    first, checked, signed = result.message.splitlines()
    assert first.startswith("old.docx matches version 2 of brief MOD-2026-014")
    assert checked.startswith("Checked: its characters only, in the body, headers")
    assert signed == (
        "It carries no signature (it was issued before Briefapp signed its files, "
        "or the signature was removed), so this rests on the database alone: anyone "
        "who can write the database file could have made an altered file match."
    )


def test_a_template_with_text_in_alternative_content_is_not_issued(
    services: Services, tmp_path: Path
) -> None:
    from briefapp import paths
    from briefapp.domain.errors import ExportError

    template = tmp_path / "boxed.docx"
    source = paths.templates_dir() / "decision-brief.docx"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(template, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                paragraph = root.find(f"{W}body/{W}p")
                box = etree.SubElement(paragraph, f"{{{mc}}}AlternateContent")
                choice = etree.SubElement(box, f"{{{mc}}}Choice", Requires="w14")
                etree.SubElement(etree.SubElement(choice, f"{W}r"), f"{W}t").text = "A"
                fallback = etree.SubElement(box, f"{{{mc}}}Fallback")
                etree.SubElement(
                    etree.SubElement(fallback, f"{W}r"), f"{W}t"
                ).text = "B"
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            new.writestr(item, data)
    services.clearance.set_chain(
        1, [Member(DRAFTER, Role.DRAFTER), Member(APPROVER, Role.APPROVER)], DRAFTER
    )
    services.clearance.act(1, Action.SUBMIT, DRAFTER)
    services.clearance.act(1, Action.APPROVE, APPROVER, "Cleared.")
    output = tmp_path / "issued.docx"
    with pytest.raises(ExportError) as error:
        services.review.issue(1, output, APPROVER, template=str(template))
    assert str(error.value) == (
        "The Word file cannot be issued: it has text inside alternative content "
        "(mc:AlternateContent), which one program shows and another replaces by "
        "its fallback; Briefapp never issues such a file."
    )
    assert not output.exists()
    assert services.clearance.clearance(1).status.value == "approved"


def test_a_page_the_read_back_refuses_issues_nothing(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issuing reads its file back as LibreOffice lays it out; a refused page
    leaves no file and no issue."""
    from briefapp.domain.errors import TemplateError

    services.clearance.set_chain(
        1, [Member(DRAFTER, Role.DRAFTER), Member(APPROVER, Role.APPROVER)], DRAFTER
    )
    services.clearance.act(1, Action.SUBMIT, DRAFTER)
    services.clearance.act(1, Action.APPROVE, APPROVER)
    read: list[str] = []

    def refuse(docx: bytes, marking: str, cancelled: object = None) -> bytes:
        read.append(marking)
        raise TemplateError("Page 2 of the PDF does not show the classification.")

    monkeypatch.setattr(services.export, "pdf_available", lambda: True)
    monkeypatch.setattr(services.export, "read_back", refuse)
    output = tmp_path / "issued.docx"
    with pytest.raises(TemplateError, match="Page 2 of the PDF"):
        services.review.issue(1, output, APPROVER)
    assert read == ["RESTRICTED"]
    assert not output.exists()
    assert services.clearance.clearance(1).status.value == "approved"
