"""Review marks: comments, tracked changes, the change annex, the issue stamp
and the body fingerprint, each read back from the saved file as Word would."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from lxml import etree

from briefapp import paths
from briefapp.documents.context import brief_context
from briefapp.documents.issue_marks import (
    body_fingerprint,
    read_custom_properties,
    stamp_issue,
)
from briefapp.documents.pdf import convert_to_pdf
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.documents.review_marks import (
    CommentMark,
    TrackedChange,
    add_change_annex,
    add_comments,
    add_tracked_changes,
)
from briefapp.domain.compare import Segment, SegmentKind, word_diff
from briefapp.domain.entities import Brief
from briefapp.domain.errors import ExportError
from tests.integration.test_libreoffice import _tool

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHEN = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
STAMP = "Issued 28 November 2026 10:00 UTC · version 3 · fingerprint 1a2b3c4d"
Element = etree._Element


# -- helpers: build, save and read back ---------------------------------------


def saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def reopened(document: Document) -> Document:
    return docx.Document(io.BytesIO(saved(document)))


def xml_part(data: bytes, name: str) -> Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def body(data: bytes) -> Element:
    return xml_part(data, "word/document.xml").find(f"{W}body")


def paragraph_with(data: bytes, words: str) -> Element:
    """The body paragraph whose accepted text contains ``words``."""
    found = [p for p in body(data).iter(f"{W}p") if words in accepted(p)]
    assert found, f"no paragraph reads {words!r}"
    return found[0]


def within(node: Element, tag: str) -> bool:
    return any(True for _ in node.iterancestors(f"{W}{tag}"))


def accepted(element: Element) -> str:
    """The text after "Accept all changes": no deleted text, breaks as newlines."""
    out = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if not within(node, "del"):
            out.append({f"{W}tab": "\t", f"{W}br": "\n"}.get(node.tag, node.text or ""))
    return "".join(out)


def rejected(element: Element) -> str:
    """The text after "Reject all changes": deleted text back, insertions gone."""
    out = []
    for node in element.iter(f"{W}t", f"{W}delText", f"{W}tab", f"{W}br"):
        if not within(node, "ins"):
            out.append({f"{W}tab": "\t", f"{W}br": "\n"}.get(node.tag, node.text or ""))
    return "".join(out)


def commented_runs(data: bytes, comment_id: str) -> list[Element]:
    """The text runs between the comment's range start and end, in order."""
    runs, inside = [], False
    for node in body(data).iter():
        if node.tag == f"{W}commentRangeStart" and node.get(f"{W}id") == comment_id:
            inside = True
        elif node.tag == f"{W}commentRangeEnd" and node.get(f"{W}id") == comment_id:
            return runs
        elif inside and node.tag == f"{W}r" and node.find(f"{W}t") is not None:
            runs.append(node)
    raise AssertionError(f"comment {comment_id} has no complete range")


def run_text(runs: list[Element]) -> str:
    return "".join(t.text or "" for r in runs for t in r.iter(f"{W}t"))


def comments(data: bytes) -> dict[str, Element]:
    return {
        c.get(f"{W}id"): c
        for c in xml_part(data, "word/comments.xml").iter(f"{W}comment")
    }


def comment_paragraphs(comment: Element) -> list[str]:
    return ["".join(p.itertext()) for p in comment.iter(f"{W}p")]


def mark(
    *anchors: str, label: str = "Option B", text: str = "Check this."
) -> CommentMark:
    return CommentMark(
        anchors=anchors,
        fallback_label=label,
        author="Ruta Kazlauskiene",
        initials="RK",
        paragraphs=(
            f"[Must fix before clearance] {text}",
            "Jonas Petraitis, 2026-11-28 10:00: Agreed, will fix.",
        ),
        when=WHEN,
    )


def change(old: str, new: str, label: str = "Summary") -> TrackedChange:
    return TrackedChange(word_diff(old, new), "Ruta Kazlauskiene", WHEN, label)


def sample_document() -> Document:
    document = docx.Document()
    document.add_heading("Decision brief", level=1)
    purpose = document.add_paragraph("Purpose: ")
    purpose.add_run("The minister should approve Option B now.").bold = True
    document.add_paragraph("The cost is 4 million euros over two years.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Supplier"
    inner = table.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Nammo AS, Raufoss, Norway"
    document.add_paragraph("Closing remarks.")
    section = document.sections[0]
    section.header.paragraphs[0].text = "RESTRICTED"
    section.footer.paragraphs[0].text = "RESTRICTED footer"
    return document


# -- comments --------------------------------------------------------------------


def test_a_comment_covers_exactly_its_anchor_and_the_split_keeps_bold() -> None:
    document = sample_document()
    fallbacks = add_comments(document, [mark("approve Option B")])
    data = saved(document)

    assert fallbacks == []
    (comment_id, comment), *_ = comments(data).items()
    assert comment.get(f"{W}author") == "Ruta Kazlauskiene"
    assert comment.get(f"{W}initials") == "RK"
    assert comment.get(f"{W}date") == "2026-11-28T10:00:00Z"
    assert comment_paragraphs(comment) == [
        "[Must fix before clearance] Check this.",
        "Jonas Petraitis, 2026-11-28 10:00: Agreed, will fix.",
    ]
    runs = commented_runs(data, comment_id)
    assert run_text(runs) == "approve Option B"
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in runs)
    purpose = paragraph_with(data, "Purpose")
    assert accepted(purpose) == "Purpose: The minister should approve Option B now."
    reread = docx.Document(io.BytesIO(data))
    assert [c.author for c in reread.comments] == ["Ruta Kazlauskiene"]
    assert reread.comments.get(int(comment_id)).timestamp == WHEN


def test_an_anchor_matches_across_runs_and_despite_spacing() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Budget ceiling of ")
    paragraph.add_run("€38.4 million").italic = True
    paragraph.add_run("  in 2027.")
    add_comments(document, [mark("ceiling of €38.4\nmillion in")])
    data = saved(document)

    runs = commented_runs(data, "0")
    assert run_text(runs) == "ceiling of €38.4 million  in"
    assert runs[1].find(f"{W}rPr/{W}i") is not None
    assert accepted(paragraph_with(data, "Budget")) == (
        "Budget ceiling of €38.4 million  in 2027."
    )


def test_a_comment_anchors_in_a_nested_table_cell_at_the_first_occurrence() -> None:
    document = sample_document()
    document.add_paragraph("Nammo AS is mentioned again here.")
    add_comments(document, [mark("Nammo AS")])
    data = saved(document)

    runs = commented_runs(data, "0")
    assert run_text(runs) == "Nammo AS"
    assert within(runs[0], "tbl")
    assert len(list(runs[0].iterancestors(f"{W}tbl"))) == 2


def test_later_anchors_and_long_anchors_are_tried() -> None:
    document = docx.Document()
    long_text = (
        "The supplier must give written consent to re-transfer to Ukraine before "
        "any contract is signed, and the ministry"
    )
    document.add_paragraph(long_text + " will publish the decision.")
    anchor = long_text + " will not sign anything that was not seen by lawyers."
    marks = [mark("Not in the brief", "supplier must give"), mark(anchor)]
    assert add_comments(document, marks) == []
    data = saved(document)

    assert run_text(commented_runs(data, "0")) == "supplier must give"
    covered = run_text(commented_runs(data, "1"))
    assert long_text.startswith(covered)
    assert 60 < len(covered) <= 80
    assert not covered.endswith(" ")


def test_a_comment_without_a_place_goes_on_the_first_text_and_is_returned() -> None:
    document = sample_document()
    lost = mark("Option Z: nothing like this", label="Option B")
    found = mark("Closing remarks", label="Summary")
    assert add_comments(document, [lost, found]) == [lost]
    data = saved(document)

    by_id = comments(data)
    assert comment_paragraphs(by_id["0"])[0] == (
        "On Option B: [Must fix before clearance] Check this."
    )
    assert comment_paragraphs(by_id["1"])[0].startswith("[Must fix")
    assert run_text(commented_runs(data, "0")) == "Decision brief"
    assert run_text(commented_runs(data, "1")) == "Closing remarks"


def test_comments_on_an_empty_document_share_one_new_paragraph() -> None:
    document = docx.Document()
    marks = [mark("Anything", label="Summary"), mark("Else", label="Risks")]
    assert add_comments(document, marks) == marks
    reread = reopened(document)

    assert len(reread.paragraphs) == 1
    assert [c.text.split(":")[0] for c in reread.comments] == ["On Summary", "On Risks"]


# -- tracked changes -------------------------------------------------------------


def revisions(element: Element) -> list[Element]:
    return list(element.iter(f"{W}ins", f"{W}del"))


def test_a_changed_paragraph_shows_insertions_and_deletions() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("The cost is ").bold = True
    paragraph.add_run("5 million euros over three years.")
    old = "The cost is 4 million euros over two years."
    new = "The cost is 5 million euros over three years."
    assert add_tracked_changes(document, [change(old, new)]) == []
    data = saved(document)

    marked = paragraph_with(data, "The cost")
    assert accepted(marked) == new
    assert rejected(marked) == old
    kinds = {(r.tag, "".join(r.itertext())) for r in revisions(marked)}
    assert (f"{W}del", "4") in kinds
    assert (f"{W}ins", "5") in kinds
    assert (f"{W}del", "two") in kinds
    assert (f"{W}ins", "three") in kinds
    for revision in revisions(marked):
        assert revision.get(f"{W}author") == "Ruta Kazlauskiene"
        assert revision.get(f"{W}date") == "2026-11-28T10:00:00Z"
        assert revision.find(f"{W}r/{W}rPr/{W}b") is not None  # the first run's look
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text.startswith("The cost")


def test_a_multi_line_field_in_one_paragraph_with_or_without_line_breaks() -> None:
    document = docx.Document()
    document.add_paragraph("Kept line\nSecond line now changed")  # w:br inside
    document.add_paragraph("Joined first Joined second")  # lines run together
    old, new = "Kept line\nSecond line was here", "Kept line\nSecond line now changed"
    joined = change("Joined first\nJoined old", "Joined first\nJoined second")
    assert add_tracked_changes(document, [change(old, new), joined]) == []
    data = saved(document)

    marked = paragraph_with(data, "Kept line")
    assert accepted(marked) == new
    assert rejected(marked) == old
    assert len(marked.findall(f".//{W}br")) == 1
    marked = paragraph_with(data, "Joined")
    assert accepted(marked) == "Joined first Joined second"
    assert rejected(marked) == "Joined first Joined old"
    assert marked.find(f".//{W}br") is None


def test_a_multi_paragraph_field_is_marked_paragraph_by_paragraph() -> None:
    document = docx.Document()
    document.add_paragraph("Before.")
    old = "First block stays.\n\nSecond block was short.\n\nThird block."
    new = "First block stays.\n\nSecond block is now longer.\n\nThird block."
    for block in new.split("\n\n"):
        document.add_paragraph(block)
    document.add_paragraph("After.")
    lines_old, lines_new = "One\nTwo old\nThree", "One\nTwo new\nThree"
    for line in lines_new.split("\n"):
        document.add_paragraph(line)
    changes = [change(old, new), change(lines_old, lines_new, "Background")]
    assert add_tracked_changes(document, changes) == []
    data = saved(document)

    paragraphs = list(body(data).iter(f"{W}p"))
    assert [accepted(p) for p in paragraphs[1:4]] == new.split("\n\n")
    assert [rejected(p) for p in paragraphs[1:4]] == old.split("\n\n")
    assert [rejected(p) for p in paragraphs[5:8]] == lines_old.split("\n")
    assert [accepted(p) for p in paragraphs[5:8]] == lines_new.split("\n")
    assert not revisions(paragraphs[1])  # unchanged paragraphs are left as they were
    assert not revisions(paragraphs[3])


def test_changes_that_cannot_be_placed_are_returned() -> None:
    document = sample_document()
    missing = change("Text that was", "Text that is not in the brief")
    # New text over two paragraphs, old over one: no per-paragraph marks.
    document.add_paragraph("Alpha")
    document.add_paragraph("Beta")
    merged = change("Alpha Beta Gamma", "Alpha\nBeta", "Background")
    # Lines split between a table cell and the paragraph after the table.
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Cell line"
    document.add_paragraph("Line after")
    split = change("Cell line\nLine before", "Cell line\nLine after", "Risks")
    placed = change("Closing thoughts.", "Closing remarks.", "Closing")
    before = accepted(body(saved(document)))

    changes = [missing, merged, split, placed]
    assert add_tracked_changes(document, changes) == [missing, merged, split]
    data = saved(document)
    assert rejected(paragraph_with(data, "Closing")) == "Closing thoughts."
    assert accepted(body(data)) == before


def test_revision_ids_are_unique_and_clear_of_existing_ones() -> None:
    document = sample_document()
    document.add_paragraph("Second cost is 6 euros.")
    cost = document.paragraphs[2]._p
    cost.insert(
        0,
        etree.fromstring(
            f'<w:bookmarkStart xmlns:w="{W[1:-1]}" w:id="40" w:name="x"/>'
        ),
    )
    cost.append(etree.fromstring(f'<w:bookmarkEnd xmlns:w="{W[1:-1]}" w:id="40"/>'))
    changes = [
        change(
            "The cost is 3 million euros over one year.",
            "The cost is 4 million euros over two years.",
        ),
        change("Second cost is 7 euros.", "Second cost is 6 euros."),
    ]
    assert add_tracked_changes(document, changes) == []
    data = saved(document)

    ids = [int(r.get(f"{W}id")) for r in revisions(body(data))]
    assert len(ids) >= 4
    assert len(set(ids)) == len(ids)
    assert min(ids) > 40
    marked = paragraph_with(data, "The cost")
    children = [c for c in marked if c.tag != f"{W}pPr"]
    assert children[0].tag == f"{W}bookmarkStart"  # kept around the new runs
    assert children[-1].tag == f"{W}bookmarkEnd"


def test_a_comment_on_inserted_text_survives_rejecting_the_insertion() -> None:
    document = docx.Document()
    new = "Buy artillery rounds in 2027."
    document.add_paragraph(new)
    add_tracked_changes(document, [change("Buy rounds in 2027.", new)])
    add_comments(document, [mark("artillery")])
    data = saved(document)

    runs = commented_runs(data, "0")
    assert run_text(runs) == "artillery"
    assert within(runs[0], "ins")
    reference = body(data).find(f".//{W}commentReference")
    assert not within(reference, "ins")
    assert accepted(paragraph_with(data, "Buy")) == new


def test_a_change_with_nothing_inserted_or_deleted_is_skipped() -> None:
    document = sample_document()
    same = TrackedChange(
        (Segment(SegmentKind.EQUAL, "Closing remarks."),), "R", WHEN, "S"
    )
    assert add_tracked_changes(document, [same]) == []
    assert not revisions(body(saved(document)))


# -- change annex ------------------------------------------------------------------


def test_the_annex_is_a_heading_and_table_before_the_section_properties() -> None:
    document = sample_document()
    entries = [
        ("Summary", "Paragraph rewritten"),
        ("Option C", "Removed\nfrom the brief"),
    ]
    add_change_annex(
        document, "Changes since version 2", "These changes are not marked.", entries
    )
    data = saved(document)

    assert body(data)[-1].tag == f"{W}sectPr"
    reread = docx.Document(io.BytesIO(data))
    heading = reread.paragraphs[-2]
    assert heading.text == "Changes since version 2"
    assert heading.style.name == "Heading 1"
    assert heading.paragraph_format.page_break_before
    assert reread.paragraphs[-1].text == "These changes are not marked."
    table = reread.tables[-1]
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Item", "Change"],
        ["Summary", "Paragraph rewritten"],
        ["Option C", "Removed\nfrom the brief"],
    ]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_the_annex_without_table_grid_and_heading_styles() -> None:
    document = docx.Document()
    for name in ("Table Grid", "Heading 1"):
        style = document.styles[name].element
        style.getparent().remove(style)
    add_change_annex(document, "Changes", "Intro.", [("A", "B")])
    data = saved(document)

    table = body(data).find(f"{W}tbl")
    properties = [child.tag for child in table.find(f"{W}tblPr")]
    assert properties.index(f"{W}tblBorders") < properties.index(f"{W}tblLook")
    assert table.find(f"{W}tblPr/{W}tblBorders/{W}insideV") is not None
    heading = body(data).findall(f"{W}p")[-2]
    assert heading.find(f"{W}r/{W}rPr/{W}b") is not None  # no Heading 1: bold
    assert body(data)[-1].tag == f"{W}sectPr"


# -- issue stamp and custom properties ---------------------------------------------


def footer_parts(data: bytes) -> dict[str, Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = [n for n in package.namelist() if n.startswith("word/footer")]
    return {name: xml_part(data, name) for name in names}


def test_every_footer_in_use_ends_with_the_stamp_once() -> None:
    document = sample_document()
    first = document.sections[0]
    first.different_first_page_header_footer = True
    first.first_page_footer.paragraphs[0].text = "First page footer"
    document.add_section()  # its footers are linked to the first section's
    third = document.add_section()
    third.footer.is_linked_to_previous = False
    third.footer.paragraphs[0].text = "Third section footer"
    stamp_issue(document, STAMP, {"BriefIssue": "3"})
    data = saved(document)

    parts = footer_parts(data)
    assert len(parts) == 3
    for name, root in parts.items():
        last = root.findall(f"{W}p")[-1]
        assert "".join(last.itertext()) == STAMP, name
        assert "".join(root.itertext()).count(STAMP) == 1, name
        assert last.find(f".//{W}sz").get(f"{W}val") == "14"  # half-points: 7 pt
    reread = docx.Document(io.BytesIO(data))
    footers = [s.footer for s in reread.sections] + [
        reread.sections[0].first_page_footer
    ]
    for footer in footers:
        assert footer.paragraphs[-1].text == STAMP
    assert reread.sections[1].footer.is_linked_to_previous


def test_footers_a_document_shows_but_lacks_are_made_and_stamped() -> None:
    document = docx.Document()
    document.add_paragraph("Body.")
    document.settings.odd_and_even_pages_header_footer = True
    document.sections[0].different_first_page_header_footer = True
    stamp_issue(document, STAMP, {})
    section = reopened(document).sections[0]

    for footer in (section.footer, section.first_page_footer, section.even_page_footer):
        assert not footer.is_linked_to_previous
        assert footer.paragraphs[-1].text == STAMP
        assert footer.paragraphs[-1].runs[0].font.size == Pt(7)


def test_footers_a_document_does_not_show_are_not_made() -> None:
    document = docx.Document()
    document.add_paragraph("Body.")
    stamp_issue(document, STAMP, {})
    section = reopened(document).sections[0]

    assert section.footer.paragraphs[-1].text == STAMP
    assert section.first_page_footer.is_linked_to_previous
    assert section.even_page_footer.is_linked_to_previous


def test_custom_properties_round_trip_and_keep_earlier_ones() -> None:
    document = docx.Document()
    document.add_paragraph("Body.")
    stamp_issue(document, STAMP, {"BriefId": "MOD-2026-014", "BriefVersion": "2"})
    document = reopened(document)  # the template now has a custom.xml part
    stamp_issue(document, STAMP, {"briefversion": "3", "Fingerprint": "a & <b>"})
    data = saved(document)

    assert read_custom_properties(data) == {
        "BriefId": "MOD-2026-014",
        "briefversion": "3",
        "Fingerprint": "a & <b>",
    }
    props = xml_part(data, "docProps/custom.xml")
    assert [p.get("pid") for p in props] == ["2", "3", "4"]
    assert {p.get("fmtid") for p in props} == {"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"}
    types = xml_part(data, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert overrides["/docProps/custom.xml"] == (
        "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    )
    rels = xml_part(data, "_rels/.rels")
    custom = [r for r in rels if r.get("Type").endswith("/custom-properties")]
    assert [r.get("Target") for r in custom] == ["docProps/custom.xml"]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.namelist().count("docProps/custom.xml") == 1
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "Body."


def test_other_property_types_are_read_as_text() -> None:
    document = docx.Document()
    stamp_issue(document, STAMP, {"Name": "x"})
    data = saved(document)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w") as copy,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/custom.xml":
                content = content.replace(
                    b"<vt:lpwstr>x</vt:lpwstr>", b"<vt:i4>42</vt:i4>"
                )
            copy.writestr(item, content)
    assert read_custom_properties(buffer.getvalue()) == {"Name": "42"}


def test_reading_properties_of_what_is_not_a_word_document() -> None:
    assert read_custom_properties(saved(docx.Document())) == {}
    with pytest.raises(ExportError, match="not a Word document"):
        read_custom_properties(b"plain text, not a zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("notes.txt", "hello")
    with pytest.raises(ExportError, match="not a Word document") as error:
        read_custom_properties(buffer.getvalue())
    assert "/" not in str(error.value)


# -- body fingerprint ----------------------------------------------------------------


def fingerprint_of(*paragraphs: list[str], header: str | None = None) -> str:
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text in runs:
            paragraph.add_run(text)
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    return body_fingerprint(saved(document))


def test_the_fingerprint_ignores_runs_and_spacing_but_not_words_or_markings() -> None:
    base = fingerprint_of(["Buy 12,000 rounds."], ["Option A"], header="RESTRICTED")
    assert (
        fingerprint_of(
            ["Buy 12,", "000 ", "rounds."], ["Option", " A"], header="RESTRICTED"
        )
        == base
    )
    assert (
        fingerprint_of(["Buy  12,000\trounds. "], [], ["Option A"], header="RESTRICTED")
        == base
    )
    assert fingerprint_of(["Buy 12,000 rounds."], ["Option A"], header="SECRET") != base
    assert fingerprint_of(["Buy 12,000 rounds."], ["Option A"]) != base
    assert (
        fingerprint_of(["Buy 12,000 shells."], ["Option A"], header="RESTRICTED")
        != base
    )
    assert (
        fingerprint_of(["Buy 12,000 rounds."], ["Option B"], header="RESTRICTED")
        != base
    )
    assert len(base) == 64


def test_the_fingerprint_ignores_page_numbers_but_not_other_field_results() -> None:
    def with_field(instruction: str, shown: str) -> str:
        document = docx.Document()
        document.add_paragraph("Body.")
        footer = document.sections[0].footer.paragraphs[0]
        footer.add_run("Page ")
        for kind in ("begin", "separate", "end"):
            run = footer.add_run()
            mark = etree.SubElement(run._r, f"{W}fldChar")
            mark.set(f"{W}fldCharType", kind)
            if kind == "begin":
                code = etree.SubElement(footer.add_run()._r, f"{W}instrText")
                code.text = f" {instruction} "
            if kind == "separate":
                footer.add_run(shown)
        return body_fingerprint(saved(document))

    assert with_field("PAGE \\* MERGEFORMAT", "1") == with_field("PAGE", "7")
    assert with_field("QUOTE", "Approved") != with_field("QUOTE", "Rejected")


def test_the_fingerprint_reads_tracked_changes_as_accepted() -> None:
    old, new = "The cost is 4 million euros.", "The cost is 5 million euros."
    marked = docx.Document()
    marked.add_paragraph(new)
    add_tracked_changes(marked, [change(old, new)])
    assert body_fingerprint(saved(marked)) == fingerprint_of([new])


def test_the_fingerprint_skips_deleted_line_breaks() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Buy ")
    deleted = f'<w:del xmlns:w="{W[1:-1]}" w:id="9" w:author="R"><w:r><w:br/>'
    paragraph._p.append(
        etree.fromstring(f"{deleted}<w:delText>x</w:delText></w:r></w:del>")
    )
    paragraph.add_run("rounds.")
    assert body_fingerprint(saved(document)) == fingerprint_of(["Buy rounds."])


def test_the_fingerprint_of_what_is_not_a_word_document() -> None:
    with pytest.raises(ExportError, match="not a Word document"):
        body_fingerprint(b"PK\x03\x04 truncated")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ExportError, match="not a Word document"):
        body_fingerprint(buffer.getvalue())


# -- a real rendered brief, and LibreOffice as a second reader -----------------------

TEMPLATE = paths.templates_dir() / "decision-brief.docx"


def render(brief: Brief) -> bytes:
    properties = DocumentProperties(
        title=brief.title, author=brief.drafter, subject="s", keywords="k",
        category=brief.classification, identifier=brief.reference,
    )  # fmt: skip
    context = brief_context(brief, today=dt.date(2026, 11, 28))
    return render_docx(
        TEMPLATE, context, marking=brief.classification, properties=properties
    )


def marked_brief(brief: Brief) -> tuple[bytes, bytes, list[TrackedChange]]:
    """The rendered brief, and the same with every kind of review mark."""
    plain = render(brief)
    document = docx.Document(io.BytesIO(plain))
    old_summary = brief.summary.replace("four options", "three options")
    changes = [
        change(old_summary, brief.summary),
        change("A title that was never there", "Nor is this one", "Title"),
    ]
    unplaced = add_tracked_changes(document, changes)
    option_b = brief.options[1]
    add_comments(document, [mark(option_b.title, text="Costs are out of date.")])
    add_change_annex(
        document, "Changes not marked in the text", "Listed here instead.",
        [(c.label, "Title changed") for c in unplaced],
    )  # fmt: skip
    stamp_issue(document, STAMP, {"BriefReference": brief.reference})
    return plain, saved(document), unplaced


def test_marks_on_the_rendered_decision_brief(demo_brief: Brief) -> None:
    plain, data, unplaced = marked_brief(demo_brief)

    assert [c.label for c in unplaced] == ["Title"]
    summary = paragraph_with(data, "This brief sets out four options")
    assert "This brief sets out three options" in rejected(summary)
    assert revisions(summary)
    title = demo_brief.options[1].title
    commented = run_text(commented_runs(data, "0"))
    assert commented == title
    reread = docx.Document(io.BytesIO(data))
    section = reread.sections[0]
    assert section.different_first_page_header_footer
    for footer in (section.footer, section.first_page_footer):
        assert footer.paragraphs[-1].text == STAMP
        assert footer.paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.CENTER  # as above
        assert demo_brief.classification in "\n".join(p.text for p in footer.paragraphs)
    assert read_custom_properties(data) == {"BriefReference": demo_brief.reference}
    assert body(data)[-1].tag == f"{W}sectPr"
    assert body_fingerprint(plain) != body_fingerprint(data)  # the annex was added


@pytest.mark.slow
def test_libreoffice_prints_the_marked_brief_and_keeps_the_comment(
    demo_brief: Brief, tmp_path: Path
) -> None:
    soffice, pdftotext = _tool("soffice"), _tool("pdftotext")
    _, data, _ = marked_brief(demo_brief)
    pdf = tmp_path / "marked.pdf"
    pdf.write_bytes(convert_to_pdf(data, timeout=240))
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    flat = " ".join(text.split())
    # LibreOffice prints revisions as they are: "three" struck out, "four" added.
    assert "sets out threefour options" in flat
    assert "Changes not marked in the text" in flat
    pages = [page for page in text.split("\f") if page.strip()]
    assert all(" ".join(STAMP.split()) in " ".join(p.split()) for p in pages)

    # Saved again as DOCX by LibreOffice, the comment and the revisions remain.
    source = tmp_path / "marked.docx"
    source.write_bytes(data)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--headless", "--norestore", "--convert-to", "docx",
         "--outdir", str(tmp_path / "again"), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    converted = (tmp_path / "again" / "marked.docx").read_bytes()
    notes = [comment_paragraphs(c) for c in comments(converted).values()]
    assert any("Costs are out of date." in " ".join(n) for n in notes)
    changed = paragraph_with(converted, "This brief sets out four options")
    assert "three options" in rejected(changed)
    assert read_custom_properties(converted) == {"BriefReference": "MOD-2026-014"}
    # Another program's runs and spacing do not change what the text says.
    assert body_fingerprint(converted) == body_fingerprint(data)


def test_a_change_whose_text_is_in_two_places_is_not_marked() -> None:
    document = docx.Document()
    document.add_paragraph("Minister of Defence")
    document.add_paragraph("Minister of Defence")
    unplaced = add_tracked_changes(
        document, [change("Policy Unit", "Minister of Defence")]
    )
    assert len(unplaced) == 1
    assert b"w:ins" not in saved(document)


def test_verify_refuses_a_package_that_unpacks_too_large() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("_rels/.rels", b" " * 30_000_000)
    with pytest.raises(
        ExportError, match=r"cannot be read: its part _rels/\.rels unpacks"
    ):
        body_fingerprint(buffer.getvalue())
    with pytest.raises(ExportError, match="cannot be read"):
        read_custom_properties(buffer.getvalue())
