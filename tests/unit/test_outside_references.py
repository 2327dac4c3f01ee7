"""Nothing in a template or a rendered brief reaches outside the file but a
hyperlink a reader clicks, and no embedded object rides along."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from briefapp.documents.check import check_output
from briefapp.documents.checker import check_template
from briefapp.documents.context import brief_context
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError
from tests.data.templates.build import document, rewrite

PIXEL = "http://tracker.example.org/pixel.png"
HYPERLINK = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
)
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def relationship(kind: str, target: str, mode: str | None = "External") -> bytes:
    shown = f' TargetMode="{mode}"' if mode is not None else ""
    return (
        f'<Relationship Id="rId99" Type="{kind}" Target="{target}"{shown}/>'
        "</Relationships>"
    ).encode()


def changed(data: bytes, rels: bytes | None = None, run: str = "") -> bytes:
    """``data`` with a relationship added and ``run`` put in the first paragraph."""

    def change(name: str, content: bytes) -> bytes:
        if name == "word/_rels/document.xml.rels" and rels is not None:
            return content.replace(b"</Relationships>", rels)
        if name == "word/document.xml" and run:
            return content.replace(b"</w:p>", run.encode() + b"</w:p>", 1)
        return content

    return rewrite(data, change)


def linked_picture(attribute: str = "r:link") -> str:
    return (
        f'<w:r><w:drawing><a:blip xmlns:a="{A}" {attribute}="rId99"/></w:drawing></w:r>'
    )


HYPERLINK_RUN = '<w:hyperlink r:id="rId99"><w:r><w:t>the site</w:t></w:r></w:hyperlink>'


def check(tmp_path: Path, data: bytes) -> list[str]:
    path = tmp_path / "template.docx"
    path.write_bytes(data)
    return [str(f) for f in check_template(path)]


def test_a_picture_linked_through_a_hyperlink_relationship_is_refused(
    tmp_path: Path,
) -> None:
    data = changed(
        document("{{ title }}"), relationship(HYPERLINK, PIXEL), linked_picture()
    )
    assert check(tmp_path, data) == [
        f"error: package: it links a picture to {PIXEL} (word/document.xml), which "
        "Word and LibreOffice fetch to show it; insert the picture into the "
        "document instead"
    ]


def test_an_outside_hyperlink_used_by_anything_but_a_link_is_refused(
    tmp_path: Path,
) -> None:
    data = changed(
        document("{{ title }}"),
        relationship(HYPERLINK, PIXEL),
        linked_picture("r:embed"),
    )
    assert check(tmp_path, data) == [
        f"error: package: it points to {PIXEL} from its blip (word/document.xml); "
        "only hyperlinks may point outside the file: remove it"
    ]


def test_a_hyperlink_a_reader_clicks_is_allowed(tmp_path: Path) -> None:
    data = changed(
        document("{{ title }}"),
        relationship(HYPERLINK, "https://example.org/"),
        HYPERLINK_RUN,
    )
    assert check(tmp_path, data) == []


def test_an_absolute_uri_target_is_outside_whatever_its_mode_says(
    tmp_path: Path,
) -> None:
    data = changed(document("{{ title }}"), relationship(IMAGE, PIXEL, mode=None))
    assert check(tmp_path, data) == [
        f"error: package: it refers to a remote image at {PIXEL} "
        "(word/_rels/document.xml.rels); insert the picture into the document "
        "instead"
    ]


def with_ole_object(data: bytes) -> bytes:
    ole = (
        '<w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:'
        'office" Type="Embed" ProgID="Package" r:id="rId99"/></w:object></w:r>'
    )
    data = changed(data, relationship(OLE, "embeddings/oleObject1.bin", None), ole)
    data = rewrite(
        data,
        lambda name, content: (
            content.replace(
                b"<Default ",
                b'<Default Extension="bin" ContentType="application/'
                b'vnd.openxmlformats-officedocument.oleObject"/><Default ',
                1,
            )
            if name == "[Content_Types].xml"
            else content
        ),
    )
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("word/embeddings/oleObject1.bin", b"\xd0\xcf\x11\xe0 payload")
    return buffer.getvalue()


def test_an_embedded_ole_object_is_refused(tmp_path: Path) -> None:
    assert check(tmp_path, with_ole_object(document("{{ title }}"))) == [
        "error: package: it holds an embedded object "
        "(word/embeddings/oleObject1.bin), which would be copied into every brief; "
        "delete it, or paste what it shows as a picture"
    ]


@pytest.fixture
def rendered(tmp_path: Path) -> bytes:
    path = tmp_path / "plain.docx"
    path.write_bytes(document("{{ title }}"))
    brief = Brief(reference="MOD-1", title="Radios", classification="RESTRICTED")
    return render_docx(
        path,
        brief_context(brief, today=dt.date(2026, 11, 28)),
        marking="RESTRICTED",
        properties=DocumentProperties("", "", "", "", "", ""),
    )


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            lambda data: changed(
                data, relationship(HYPERLINK, PIXEL), linked_picture()
            ),
            f"The document links a picture to {PIXEL} (word/document.xml), which "
            "Word and LibreOffice fetch to show it; insert the picture into the "
            "document instead.",
        ),
        (
            lambda data: changed(
                data, relationship(HYPERLINK, PIXEL), linked_picture("r:embed")
            ),
            f"The document points to {PIXEL} from its blip (word/document.xml); "
            "only hyperlinks may point outside the file: remove it.",
        ),
        (
            lambda data: changed(data, relationship(IMAGE, PIXEL, mode=None)),
            f"The document refers to a remote image at {PIXEL} "
            "(word/_rels/document.xml.rels); insert the picture into the document "
            "instead.",
        ),
        (
            with_ole_object,
            "The document holds an embedded object (word/embeddings/oleObject1.bin), "
            "which would be copied into every brief; delete it, or paste what it "
            "shows as a picture.",
        ),
    ],
    ids=["r:link", "outside-blip", "absolute-uri", "ole"],
)
def test_the_output_check_refuses_the_same(
    rendered: bytes, change: object, says: str
) -> None:
    assert callable(change)
    with pytest.raises(TemplateError) as refused:
        check_output(change(rendered), marking="RESTRICTED", references=2)
    assert str(refused.value) == says


def test_the_output_check_allows_a_hyperlink(rendered: bytes) -> None:
    data = changed(
        rendered, relationship(HYPERLINK, "https://example.org/"), HYPERLINK_RUN
    )
    check_output(data, marking="RESTRICTED", references=2)  # raises if refused


def test_the_output_check_refuses_a_target_mode_in_odd_case(rendered: bytes) -> None:
    data = changed(rendered, relationship(HYPERLINK, PIXEL, mode="EXTERNAL"))
    with pytest.raises(TemplateError) as refused:
        check_output(data, marking="RESTRICTED", references=2)
    assert str(refused.value) == (
        "The document's relationship “rId99” in word/_rels/document.xml.rels has the "
        "target mode “EXTERNAL”, which is neither “External” nor “Internal”; save "
        "the document again in Word."
    )
