"""Build the small broken templates the checker tests use.

Run from the project root: ``python tests/data/templates/build.py``. Each file
has one mistake a template author could make (or a hostile file could hold).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.shared import RGBColor

HERE = Path(__file__).resolve().parent
MARKING = "{{ classification }}"


def document(*body: str, header: str = MARKING, footer: str = MARKING) -> bytes:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = header
    made.sections[0].footer.paragraphs[0].text = footer
    for line in body:
        made.add_paragraph(line)
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item)))
    return out.getvalue()


def split_tag() -> bytes:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = MARKING
    made.sections[0].footer.paragraphs[0].text = MARKING
    table = made.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "{{ ti"
    table.cell(0, 1).text = "tle }}"
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


def macro() -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"wordprocessingml.document.main+xml",
                b"NOT-USED",
            ).replace(
                b"application/vnd.openxmlformats-officedocument.NOT-USED",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            )
        return data

    return rewrite(document("{{ title }}"), change)


def zip_bomb() -> bytes:
    out = io.BytesIO(document("{{ title }}"))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/padding.bin", b"\0" * 3_000_000)
    return out.getvalue()


def remote_image() -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if name == "word/_rels/document.xml.rels":
            return data.replace(
                b"</Relationships>",
                b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/image" '
                b'Target="http://tracker.example.org/pixel.png" TargetMode="External"/>'
                b"</Relationships>",
            )
        return data

    return rewrite(document("{{ title }}"), change)


def xxe() -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if name == "docProps/core.xml":
            return data.replace(
                b"?>",
                b'?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
                1,
            )
        return data

    return rewrite(document("{{ title }}"), change)


def saved(made: Any) -> bytes:
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


def white_marking() -> bytes:
    made = docx.Document()
    run = made.sections[0].header.paragraphs[0].add_run(MARKING)
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    made.sections[0].footer.paragraphs[0].text = MARKING
    made.add_paragraph("{{ title }}")
    return saved(made)


def include_field() -> bytes:
    """An INCLUDETEXT field, its instruction split over two runs as Word does."""

    def change(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            field = (
                b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                b'<w:r><w:instrText xml:space="preserve"> INCLUDE</w:instrText></w:r>'
                b'<w:r><w:instrText xml:space="preserve">TEXT "http://example.org/'
                b'x.docx" </w:instrText></w:r>'
                b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            )
            return data.replace(b"<w:sectPr", field + b"<w:sectPr", 1)
        return data

    return rewrite(document("{{ title }}"), change)


def row_tag_shares_row() -> bytes:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = MARKING
    made.sections[0].footer.paragraphs[0].text = MARKING
    table = made.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for o in options %}"
    table.cell(0, 1).text = "Cost"
    table.cell(1, 0).text = "{{ o.title }}"
    table.cell(1, 1).text = "{{ o.cost }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    return saved(made)


def no_list_bullet() -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if name == "word/styles.xml":
            return re.sub(
                rb'<w:style [^>]*w:styleId="ListBullet".*?</w:style>',
                b"",
                data,
                count=1,
                flags=re.DOTALL,
            )
        return data

    return rewrite(document("{{p key_points|bullets }}"), change)


def renamed_macro() -> bytes:
    """A macro project under an innocent name, known only by its content type."""

    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/word/payload.bin" '
                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        return data

    out = io.BytesIO(rewrite(document("{{ title }}"), change))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/payload.bin", b"\xd0\xcf\x11\xe0 not really")
    return out.getvalue()


def doctype_data() -> bytes:
    """An XML part with an unusual name that declares entities."""

    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/customXml/item1.dat" '
                b'ContentType="application/xml"/></Types>',
            )
        return data

    out = io.BytesIO(rewrite(document("{{ title }}"), change))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "customXml/item1.dat",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>',
        )
    return out.getvalue()


CASES: dict[str, Callable[[], bytes]] = {
    "white-marking.docx": white_marking,
    "include-field.docx": include_field,
    "row-tag-shares-row.docx": row_tag_shares_row,
    "bullets-inline.docx": lambda: document("Points: {{ key_points|bullets }}"),
    "recommended-outside-if.docx": lambda: document("{{ recommended.title }}"),
    "no-list-bullet.docx": no_list_bullet,
    "renamed-macro.docx": renamed_macro,
    "doctype-data.docx": doctype_data,
    "unclosed-if.docx": lambda: document("{% if title %}", "Title: {{ title }}"),
    "bad-expression.docx": lambda: document("Cost: {{ title + }}"),
    "stray-endif.docx": lambda: document("Title: {{ title }}", "{%p endif %}"),
    "header-unclosed.docx": lambda: document(
        "{{ title }}", header="{{ classification }} {{ reference"
    ),
    "unknown-filter.docx": lambda: document("{{ title|shout }}"),
    "misspelt-field.docx": lambda: document("Subject: {{ titel }}"),
    "misspelt-in-loop.docx": lambda: document(
        "{%p for o in options %}", "Option {{ o.key }}: {{ o.cots }}", "{%p endfor %}"
    ),
    "sandbox.docx": lambda: document("{{ cycler.__init__.__globals__ }}"),
    "split-tag.docx": split_tag,
    "missing-marking.docx": lambda: document(
        "{{ title }}", header="Ministry of Defence"
    ),
    "macro.docx": macro,
    "zip-bomb.docx": zip_bomb,
    "remote-image.docx": remote_image,
    "xxe.docx": xxe,
    "runaway.docx": lambda: document(
        "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
    ),
}


def main() -> None:
    for name, build in CASES.items():
        (HERE / name).write_bytes(build())
    (HERE / "macro.docm").write_bytes(macro())
    (HERE / "renamed.docx").write_text("Just some text, not a Word file.\n")
    print(f"wrote {len(CASES) + 2} templates to {HERE}")


if __name__ == "__main__":
    main()
