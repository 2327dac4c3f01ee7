"""Hostile templates dropped straight into a templates folder, not added
through the window: each is refused with a message naming it as soon as
someone exports with it, and none of them breaks the list of templates."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefapp import paths
from briefapp.documents.library import TemplateFolder, link_problem
from briefapp.domain.brief_format import loads_brief
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError
from briefapp.domain.templates import TemplateOrigin
from briefapp.services.export import ExportService
from briefapp.services.session import Locations, open_services, template_service
from tests.cli_in_process import run_cli
from tests.data.templates.build import document, rewrite
from tests.reliability import HOSTILE_PATHS, HOSTILE_TEMPLATES, tally

pytestmark = pytest.mark.reliability

CHECKER_CASES = Path(__file__).parents[1] / "data" / "templates"
GOOD = paths.templates_dir() / "one-page-summary.docx"
BUILT_IN = ["decision-brief", "decision-brief-lt", "one-page-summary", "options-annex"]
FOLDER = TemplateOrigin.FOLDER


def prebuilt(name: str) -> Callable[[], bytes]:
    """One of the template checker's own broken templates."""
    return (CHECKER_CASES / name).read_bytes


def in_part(part: str, old: bytes, new: bytes, *more: bytes) -> Callable[[], bytes]:
    """A plain template with ``old`` replaced by ``new`` in one part (the
    first time), and so on for each further pair in ``more``."""
    changes = [(old, new), *zip(more[::2], more[1::2], strict=True)]

    def change(name: str, data: bytes) -> bytes:
        for before, after in changes if name == part else ():
            data = data.replace(before, after, 1)
        return data

    return lambda: rewrite(document("{{ title }}"), change)


def with_member(name: str, data: bytes) -> Callable[[], bytes]:
    def build() -> bytes:
        out = io.BytesIO(document("{{ title }}"))
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
            package.writestr(name, data)
        return out.getvalue()

    return build


def crowded() -> bytes:
    out = io.BytesIO(document("{{ title }}"))
    with zipfile.ZipFile(out, "a") as package:
        for number in range(2001):
            package.writestr(f"word/media/dot{number}.png", b"")
    return out.getvalue()


def damaged(member: str, *, encrypted: bool = False) -> Callable[[], bytes]:
    """A plain template whose ``member`` cannot be unpacked: its compressed
    bytes scrambled, or marked as encrypted with a password."""

    def build() -> bytes:
        data = bytearray(document("{{ title }}"))
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo(member)
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        if not encrypted:
            for offset in range(start + 2, start + 12):
                data[offset] ^= 0xFF
            return bytes(data)
        data[info.header_offset + 6] |= 1  # the local header's flags
        central = data.find(b"PK\x01\x02")  # the central directory's entries
        while central >= 0:
            length = int.from_bytes(data[central + 28 : central + 30], "little")
            if data[central + 46 : central + 46 + length] == member.encode():
                data[central + 8] |= 1
            central = data.find(b"PK\x01\x02", central + 4)
        return bytes(data)

    return build


_REL = b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
_REL_END = b"</Relationships>"


@dataclass(frozen=True)
class Case:
    build: Callable[[], bytes]
    says: str
    """What the refusal must say, besides naming the template."""
    timeout: float = 60
    """How long filling it in may take (short only where it is the point)."""


CASES: dict[str, Case] = {
    # Template injection: each reaches for Python's internals.
    "ssti-globals": Case(prebuilt("sandbox.docx"), "refused by the sandbox"),
    "ssti-attr-filter": Case(  # the name is made as it runs: no check sees it
        lambda: document("{{ title|attr('_' ~ '_class__') }}"),
        "tries something templates may not do: access to attribute '__class__'",
    ),
    "ssti-in-header": Case(
        lambda: document(
            "{{ title }}", header="{{ classification }}{{ lipsum.__globals__ }}"
        ),
        "header of section 1",
    ),
    "ssti-include": Case(
        lambda: document("{% include '/etc/passwd' %}"),
        "cannot include, import or extend another template",
    ),
    # Work without end: time, memory, depth, counting.
    "runaway-loop": Case(
        prebuilt("runaway.docx"),
        "took longer than 2 seconds and was stopped",
        timeout=2,
    ),
    "memory-bomb": Case(
        lambda: document("{{ 'x' * 10**12 }}"), "used more memory than allowed"
    ),
    "recursion": Case(
        lambda: document("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
        "nests too deeply",
    ),
    # Zip bombs and packages that cannot be unpacked.
    "zip-bomb": Case(prebuilt("zip-bomb.docx"), "(a zip bomb?)"),
    "too-many-parts": Case(crowded, "parts (at most 2,000)"),
    "scrambled-part": Case(damaged("word/document.xml"), "cannot be unpacked"),
    "encrypted-part": Case(
        damaged("docProps/core.xml", encrypted=True), "cannot be unpacked"
    ),
    "not-a-zip": Case(prebuilt("renamed.docx"), "not a Word document"),
    "dotx-renamed": Case(
        in_part(
            "[Content_Types].xml",
            b"wordprocessingml.document.main+xml",
            b"wordprocessingml.template.main+xml",
        ),
        "is a Word template (.dotx) renamed to .docx",
    ),
    # Macros: .docm content under a .docx name, a VBA project by any name.
    "docm-content": Case(prebuilt("macro.docx"), "contains macros"),
    "vba-renamed": Case(prebuilt("renamed-macro.docx"), "contains macros"),
    "vba-project": Case(
        with_member("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"), "contains macros"
    ),
    # Reaching outside the file.
    "remote-image": Case(prebuilt("remote-image.docx"), "a remote image at"),
    "attached-template": Case(
        with_member(
            "word/_rels/settings.xml.rels",
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxml'
            b'formats.org/package/2006/relationships">' + _REL + b"officeDocument"
            b'/2006/relationships/attachedTemplate" Target="file://server/x.dotm" '
            b'TargetMode="External"/>' + _REL_END,
        ),
        "an attached template at file://server/x.dotm",
    ),
    "external-object": Case(
        in_part(
            "word/_rels/document.xml.rels",
            _REL_END,
            _REL + b'officeDocument/2006/relationships/oleObject" '
            b'Target="\\\\server\\share\\x.xlsx" TargetMode="External"/>' + _REL_END,
        ),
        "an outside oleObject",
    ),
    "includetext-field": Case(prebuilt("include-field.docx"), "INCLUDETEXT field"),
    "includepicture-field": Case(
        in_part(
            "word/document.xml",
            b"<w:sectPr",
            b'<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://x.org/p.png'
            b'&quot; \\d "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p><w:sectPr',
        ),
        "INCLUDEPICTURE field",
    ),
    # XML entities: reading local files, exponential expansion.
    "xxe-properties": Case(prebuilt("xxe.docx"), "declares a DOCTYPE"),
    "xxe-custom-part": Case(prebuilt("doctype-data.docx"), "declares a DOCTYPE"),
    "billion-laughs": Case(
        in_part(
            "word/document.xml",
            b"?>",
            b'?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(
                b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">'
                % ((98 + n,) + (97 + n,) * 10)
                for n in range(9)
            )
            + b"]>",
            b"{{ title }}",
            b"{{ title }}&j;",  # ten thousand million letters
        ),
        "its part word/document.xml ",  # libxml2 refuses the expansion itself
    ),
    "external-dtd": Case(
        in_part(
            "word/document.xml",
            b"?>",
            b'?><!DOCTYPE w:document SYSTEM "http://evil.example/x.dtd">',
        ),
        "declares a DOCTYPE",
    ),
}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database with the demo brief (id 1) for every export here."""
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "briefs.db"
    locations = Locations(
        paths.templates_dir(), folder / "none", paths.demo_brief_file()
    )
    open_services(path, locations).close()
    return path


def exports(extra: Path | None, timeout: float = 60) -> ExportService:
    return template_service(
        Locations(
            paths.templates_dir(),
            paths.user_templates_dir(),
            paths.demo_brief_file(),
            extra_templates=extra,
            render_timeout=timeout,
        )
    )


def demo() -> Brief:
    return loads_brief(paths.demo_brief_file().read_bytes())


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_template_in_a_folder_is_refused_by_name(
    name: str, database: Path, tmp_path: Path
) -> None:
    # Half go into the user's own folder, half into the extra folder.
    extra = tmp_path / "team" if sorted(CASES).index(name) % 2 else None
    folder = extra or paths.user_templates_dir()
    folder.mkdir(parents=True)
    (folder / f"{name}.docx").write_bytes(CASES[name].build())
    dropped = sorted(folder.iterdir())
    export = exports(extra, CASES[name].timeout)
    listed = [t.name for t in export.list_templates()]
    assert listed == [*BUILT_IN, name]

    output = tmp_path / "out" / "brief.docx"
    output.parent.mkdir()
    with pytest.raises(TemplateError) as caught:
        export.export_docx(demo(), output, template=name)
    message = str(caught.value)
    assert f"{name}.docx" in message
    assert CASES[name].says in message
    assert "\n" not in message

    extra_option = ["--templates", str(extra)] if extra else []
    rendered = run_cli(
        "--db", str(database), "render", "1", "--template", name, "-o", str(output),
        "--timeout", str(CASES[name].timeout), *extra_option,
    )  # fmt: skip
    refusal = rendered.one_line_error
    assert f"{name}.docx" in refusal
    assert CASES[name].says in refusal
    assert list(output.parent.iterdir()) == []
    assert sorted(folder.iterdir()) == dropped
    tally(HOSTILE_TEMPLATES)


def test_a_link_to_a_template_outside_the_folder_is_refused(
    database: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere" / "secret.docx"
    outside.parent.mkdir()
    outside.write_bytes(GOOD.read_bytes())
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "linked.docx").symlink_to(outside)
    (folder / "relinked.docx").symlink_to("linked.docx")
    (folder / "good.docx").write_bytes(GOOD.read_bytes())
    (folder / "alias.docx").symlink_to("good.docx")  # a link within: fine
    export = exports(folder)
    assert [t.name for t in export.list_templates()][-4:] == [
        "alias", "good", "linked", "relinked",
    ]  # fmt: skip
    assert link_problem(folder / "alias.docx", [TemplateFolder(FOLDER, folder)]) is None
    says = f"it is a link to {outside}, outside the folder {folder}"
    for name in ("linked", "relinked"):
        with pytest.raises(TemplateError) as caught:
            export.export_docx(demo(), tmp_path / "x.docx", template=name)
        assert str(caught.value) == (
            f"The template {name}.docx cannot be used: {says}; copy the template "
            "into the folder instead of linking to it."
        )
        assert export.check_template(str(folder / f"{name}.docx")).errors == (
            f"file: {says}; copy the template into the folder instead of linking to it",
        )
    rendered = run_cli(
        "--db", str(database), "render", "1", "--template", "linked", "-o",
        str(tmp_path / "x.docx"), "--templates", str(folder),
    )  # fmt: skip
    assert says in rendered.one_line_error
    assert not (tmp_path / "x.docx").exists()
    # Given as a path of its own, the file is the user's choice and is used.
    export.export_docx(demo(), tmp_path / "x.docx", template=str(outside))
    assert (tmp_path / "x.docx").is_file()
    tally(HOSTILE_TEMPLATES)


def _scrambled_properties() -> bytes:
    return damaged("docProps/core.xml")()


def _make_listing_folder(folder: Path, outside: Path) -> None:
    """A folder of things that are not usable templates, beside good ones."""
    folder.mkdir()
    (folder / "good.docx").write_bytes(GOOD.read_bytes())
    for name in ("xxe-properties", "zip-bomb", "not-a-zip", "encrypted-part"):
        (folder / f"{name}.docx").write_bytes(CASES[name].build())
    (folder / "scrambled-properties.docx").write_bytes(_scrambled_properties())
    (folder / "deep-sidecar.docx").write_bytes(GOOD.read_bytes())
    (folder / "deep-sidecar.json").write_text("[" * 50_000 + "]" * 50_000)
    (folder / os.fsdecode(b"caf\xe9.docx")).write_bytes(GOOD.read_bytes())
    os.mkfifo(folder / "pipe.docx")
    (folder / "folder.docx").mkdir()
    (folder / "dangling.docx").symlink_to(folder / "gone" / "x.docx")
    (folder / "device.docx").symlink_to("/dev/zero")
    (folder / "linked.docx").symlink_to(outside)
    (folder / "~$good.docx").write_bytes(b"Word's lock file")


LISTED = {
    "caf\\udce9": "ok",
    "deep-sidecar": "ok",
    "encrypted-part": "1 error",
    "good": "ok",
    "linked": "1 error",
    "not-a-zip": "1 error",
    "scrambled-properties": "1 error",
    "xxe-properties": "1 error",
    "zip-bomb": "1 error",
}


@pytest.mark.slow
def test_nothing_in_a_templates_folder_breaks_the_list(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    outside = tmp_path / "outside.docx"
    outside.write_bytes(GOOD.read_bytes())
    _make_listing_folder(folder, outside)
    listed = exports(folder).list_templates()
    others = sorted(set(LISTED) - {"caf\\udce9"})
    assert [t.name for t in listed] == [*BUILT_IN, os.fsdecode(b"caf\xe9"), *others]
    # The command line checks each one; a terminal that takes only UTF-8
    # still gets the name that is not.
    terminal = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    result = run_cli("templates", "list", "--templates", str(folder), stdout=terminal)
    assert (result.status, result.stderr) == (0, "")
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert {row[0]: row[3] for row in rows if row[1] == "template folder"} == LISTED
    assert all(row[3] == "ok" for row in rows if row[1] == "built-in")
    tally(HOSTILE_TEMPLATES, len([s for s in LISTED.values() if s != "ok"]))


TRAVERSALS = [
    "../outside",
    "../../outside",
    "team/../../outside",
    "sub/inner",
    "sub",
    "..",
    ".",
    "/etc/passwd",
    "~/outside",
    "%2e%2e%2foutside",
    "..\\outside",
    "outside\x00",
    "inner.docx",
    "../team/sub/inner.docx.",
]


NOT_A_TEMPLATE = "{} is not a Word template: templates are .docx files."
MISSING = "The template {} does not exist."
NO_SUCH_NAME = (
    "There is no template called “{}” (templates: " + ", ".join(BUILT_IN) + "); "
    "give a template name or the path of a .docx file."
)
EXPECTED = {"/etc/passwd": NOT_A_TEMPLATE, "inner.docx": MISSING}


@pytest.mark.parametrize("name", TRAVERSALS)
def test_a_template_name_never_reaches_outside_the_folders(
    name: str, database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names are looked up among the folders' own templates only; a path
    counts only as the path it is, from where the user is."""
    (tmp_path / "outside.docx").write_bytes(GOOD.read_bytes())
    folder = tmp_path / "team"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "inner.docx").write_bytes(GOOD.read_bytes())
    (folder / "sub.docx").mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HOME", str(tmp_path))
    output = tmp_path / "x.docx"
    with pytest.raises(TemplateError) as caught:
        exports(folder).export_docx(demo(), output, template=name)
    message = str(caught.value)
    assert message == EXPECTED.get(name, NO_SUCH_NAME).format(name)
    if "\x00" not in name:  # a command line cannot hold one
        rendered = run_cli(
            "--db", str(database), "render", "1", "--template", name, "-o",
            str(output), "--templates", str(folder),
        )  # fmt: skip
        assert rendered.one_line_error == message
    assert not output.exists()
    tally(HOSTILE_PATHS)
