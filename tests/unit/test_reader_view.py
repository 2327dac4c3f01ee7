"""The fingerprint of what a reader sees, the signature of an issued file and
the key that makes it."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefapp.documents.issue_signature import (
    IssueStatement,
    add_signature,
    key_id,
    read_signature,
    sign,
)
from briefapp.documents.reader_view import (
    UnverifiableTextError,
    reader_fingerprint,
    reader_view,
)
from briefapp.documents.wordml import W
from briefapp.services.issuing_keys import (
    IssuingKeyError,
    export_public_key,
    issuing_key,
    read_public_key,
)

Change = Callable[[docx.document.Document], None]
PINNED = "v2:c59a5883b2b331bd6fc80293e1c75c5106492b9e3a4a3faba4eceb448f6ff"


def saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def brief(change: Change | None = None, *, split: bool = False) -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "RESTRICTED"
    paragraph = document.add_paragraph()
    for text in (
        ("We recommend ", "Option", " A.") if split else ("We recommend Option A.",)
    ):
        paragraph.add_run(text)
    document.add_paragraph("Costs fit the allocation.")
    if change is not None:
        change(document)
    return saved(document)


def recommendation(document: docx.document.Document) -> docx.text.paragraph.Paragraph:
    return document.paragraphs[0]


def set_on_runs(name: str, **attributes: str) -> Change:
    def change(document: docx.document.Document) -> None:
        for run in recommendation(document).runs:
            element = etree.SubElement(run._r.get_or_add_rPr(), f"{W}{name}")
            for key, value in attributes.items():
                element.set(f"{W}{key}", value)

    return change


def test_runs_and_spacing_do_not_count() -> None:
    fingerprint = reader_fingerprint(brief())
    assert re.fullmatch(r"v2:[0-9a-f]{61}", fingerprint)
    assert reader_fingerprint(brief(split=True)) == fingerprint


@pytest.mark.parametrize(
    "change",
    [
        set_on_runs("vanish"),
        set_on_runs("color", val="FFFFFF"),
        set_on_runs("color", val="FEFEFE"),
        set_on_runs("sz", val="2"),
        set_on_runs("w", val="1"),
        set_on_runs("position", val="-3000"),
        set_on_runs("spacing", val="-200"),
        set_on_runs("strike"),
        set_on_runs("vertAlign", val="superscript"),
        set_on_runs("rFonts", ascii="Wingdings", hAnsi="Wingdings"),
        set_on_runs("highlight", val="black"),
        set_on_runs("shd", val="clear", fill="000000"),
    ],
    ids=[
        "hidden", "white", "near white", "1 pt", "1 % wide", "lowered",
        "squeezed", "struck", "superscript", "symbol font", "black highlight",
        "black shading",
    ],
)  # fmt: skip
def test_a_change_in_how_text_is_shown_counts(change: Change) -> None:
    assert reader_fingerprint(brief(change)) != reader_fingerprint(brief())


def test_what_keeps_the_text_readable_does_not_count() -> None:
    dark = set_on_runs("color", val="1F1F1F")
    assert reader_fingerprint(brief(dark)) == reader_fingerprint(brief())
    size = set_on_runs("sz", val="22")  # 11 pt, python-docx's default
    assert "«11»We recommend Option A." in reader_view(brief(size))
    assert reader_fingerprint(brief(size)) == reader_fingerprint(brief())


def test_a_style_that_hides_a_paragraph_counts() -> None:
    def hidden_style(document: docx.document.Document) -> None:
        style = document.styles.add_style("Quiet", 1)
        style.font.hidden = True
        recommendation(document).style = style

    view = reader_view(brief(hidden_style))
    assert "«11 hidden»We recommend Option A." in view
    assert "«11»Costs fit the allocation." in view


def test_a_hidden_marking_counts() -> None:
    def hide(document: docx.document.Document) -> None:
        document.sections[0].header.paragraphs[0].runs[0].font.hidden = True

    assert "[margin]\n«11 hidden»RESTRICTED" in reader_view(brief(hide))


def test_a_picture_counts_by_its_bytes(tmp_path: Path) -> None:
    from PIL import Image

    def picture(colour: str) -> bytes:
        path = tmp_path / f"{colour}.png"
        Image.new("RGB", (8, 8), colour).save(path)
        return brief(lambda d: d.add_picture(str(path)))

    red, blue = picture("red"), picture("blue")
    assert reader_fingerprint(red) != reader_fingerprint(blue)
    assert reader_fingerprint(red) != reader_fingerprint(brief())


def test_comments_count() -> None:
    def commented(text: str) -> Change:
        def change(document: docx.document.Document) -> None:
            run = recommendation(document).runs[0]
            document.add_comment(run, text=text, author="Rasa")

        return change

    agreed = reader_fingerprint(brief(commented("Agreed.")))
    assert agreed != reader_fingerprint(brief())
    assert agreed != reader_fingerprint(brief(commented("Not agreed.")))
    assert "[comments]\n[comment]\n«" in reader_view(brief(commented("Agreed.")))


def field(instruction: str, shown: str) -> Change:
    def change(document: docx.document.Document) -> None:
        paragraph = document.add_paragraph()
        marks = (("begin", None), ("instr", instruction), ("separate", None))
        for kind, text in (*marks, ("result", shown), ("end", None)):
            run = paragraph.add_run()
            if kind == "instr":
                etree.SubElement(run._r, f"{W}instrText").text = text
            elif kind == "result":
                run.text = shown
            else:
                etree.SubElement(run._r, f"{W}fldChar").set(f"{W}fldCharType", kind)

    return change


def test_fields_count_by_instruction_and_result_but_not_page_numbers() -> None:
    assert reader_fingerprint(brief(field(" PAGE ", "1"))) == reader_fingerprint(
        brief(field("PAGE \\* MERGEFORMAT", "7"))
    )
    approved = reader_fingerprint(brief(field(' QUOTE "Approved" ', "Approved")))
    assert approved != reader_fingerprint(brief(field(' QUOTE "No" ', "Approved")))
    assert approved != reader_fingerprint(brief(field(' QUOTE "Approved" ', "No")))


def wrap(xml: str) -> Change:
    def change(document: docx.document.Document) -> None:
        namespaces = (
            f'xmlns:w="{W[1:-1]}" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        )
        element = etree.fromstring(xml.replace("NS", namespaces))
        recommendation(document)._p.append(element)

    return change


@pytest.mark.parametrize(
    ("xml", "why"),
    [
        (
            "<mc:AlternateContent NS><mc:Choice Requires='w15'><w:r><w:t>A</w:t>"
            "</w:r></mc:Choice><mc:Fallback><w:r><w:t>C</w:t></w:r></mc:Fallback>"
            "</mc:AlternateContent>",
            "text inside alternative content",
        ),
        (
            "<w:sdt NS><w:sdtPr><w:dataBinding w:xpath='/a' w:storeItemID='{1}'/>"
            "</w:sdtPr><w:sdtContent><w:r><w:t>RESTRICTED</w:t></w:r></w:sdtContent>"
            "</w:sdt>",
            "a content control bound to data",
        ),
    ],
    ids=["AlternateContent", "data binding"],
)
def test_text_whose_look_depends_on_the_reader_is_refused(xml: str, why: str) -> None:
    with pytest.raises(UnverifiableTextError, match=why):
        reader_fingerprint(brief(wrap(xml)))


def test_a_picture_in_alternative_content_is_not_refused() -> None:
    xml = (
        "<mc:AlternateContent NS><mc:Choice Requires='wps'><w:r><w:drawing/></w:r>"
        "</mc:Choice><mc:Fallback><w:r><w:pict/></w:r></mc:Fallback>"
        "</mc:AlternateContent>"
    )
    assert reader_fingerprint(brief(wrap(xml))).startswith("v2:")


# -- the signature and the key -----------------------------------------------


def statement(fingerprint: str) -> IssueStatement:
    return IssueStatement(
        reference="MOD-2026-014", version="2", digest="ab" * 32,
        approved_by="Jonas Approver", approved_at="2026-12-01T10:00:00+00:00",
        fingerprint=fingerprint,
    )  # fmt: skip


def test_a_signature_travels_in_the_file_and_covers_what_it_states(
    tmp_path: Path,
) -> None:
    key = issuing_key(tmp_path / "keys" / "issuing-key.pem", create=True)
    assert key is not None
    data = brief()
    fingerprint = reader_fingerprint(data)
    signed = add_signature(
        data, sign(statement(fingerprint), key), {"Briefapp.Fingerprint": fingerprint}
    )
    assert reader_fingerprint(signed) == fingerprint  # the signature is not text
    found = read_signature(signed)
    assert found is not None
    assert found.key_id == key_id(key.public_key())
    assert found.valid_for(key.public_key())
    assert found.read_statement() == statement(fingerprint)
    other = issuing_key(tmp_path / "other.pem", create=True)
    assert other is not None
    assert not found.valid_for(other.public_key())
    tampered = type(found)(
        found.statement.replace(b"Jonas", b"Janis"), found.signature, found.key_id
    )
    assert not tampered.valid_for(key.public_key())
    assert read_signature(brief()) is None


def test_the_key_file_is_the_owners_alone(tmp_path: Path) -> None:
    path = tmp_path / "data" / "keys" / "issuing-key.pem"
    assert issuing_key(path, create=False) is None
    made = issuing_key(path, create=True)
    assert made is not None
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    again = issuing_key(path, create=True)
    assert again is not None
    assert key_id(again.public_key()) == key_id(made.public_key())
    os.chmod(path, 0o644)
    with pytest.raises(IssuingKeyError, match=r"can be read or changed by others"):
        issuing_key(path, create=False)
    linked = tmp_path / "linked.pem"
    linked.symlink_to(tmp_path / "nowhere.pem")
    with pytest.raises(IssuingKeyError, match=r"linked\.pem is not a plain file"):
        issuing_key(linked, create=True)
    assert not (tmp_path / "nowhere.pem").exists()


def test_the_public_key_is_exported_and_read_back(tmp_path: Path) -> None:
    key_path = tmp_path / "keys" / "issuing-key.pem"
    public = tmp_path / "me.pub"
    exported = export_public_key(key_path, public)
    assert b"PRIVATE" not in public.read_bytes()
    assert key_id(read_public_key(public)) == exported
    private = issuing_key(key_path, create=False)
    assert private is not None
    assert key_id(private.public_key()) == exported
    junk = tmp_path / "junk.pub"
    junk.write_bytes(key_path.read_bytes())  # the private key is not a public key
    with pytest.raises(IssuingKeyError, match=r"junk\.pub is not a public key"):
        read_public_key(junk)


def test_the_scheme_stays_as_files_were_issued_with_it() -> None:
    """Issued files are recorded and signed with this fingerprint: a change in
    what it reads (here or in run_properties) must come as a new scheme."""
    hidden = set_on_runs("vanish")
    data = brief(lambda d: (hidden(d), field(' QUOTE "Yes" ', "Yes")(d)))
    assert reader_view(data) == (
        "briefapp reader view 2\n[body]\n«11 hidden»We recommend Option A.\n"
        "«11»Costs fit the allocation.\n"
        '«field»QUOTE "Yes"«11»Yes\n[margin]\n«11»RESTRICTED\n[pictures]\n'
    )
    assert reader_fingerprint(data) == PINNED


def footnote(text: str) -> Change:
    def change(document: docx.document.Document) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        xml = (
            f'<w:footnotes xmlns:w="{W[1:-1]}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
            "</w:r></w:p></w:footnote>"
            f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
            "</w:footnote></w:footnotes>"
        )
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml"
        part = Part(
            PackURI("/word/footnotes.xml"),
            f"{kind}.footnotes+xml",
            xml.encode(),
            document.part.package,
        )
        document.part.relate_to(part, RT.FOOTNOTES)

    return change


def test_footnotes_count() -> None:
    sourced = brief(footnote("Source: the supplier's letter."))
    assert "[footnotes]\n[footnote]\n«11»Source: the supplier's letter." in (
        reader_view(sourced)
    )
    assert reader_fingerprint(sourced) != reader_fingerprint(
        brief(footnote("Source: none."))
    )
