"""Looking inside a Word file before trusting it: is it a plain .docx, and safe?

Everything here reads the zip directory and small XML parts only; nothing is
unpacked whole. Sizes and compression ratios are checked before any part is
read, so a zip bomb is refused without using memory, and XML is parsed with
entities and network access off.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

MAX_PARTS = 2000
MAX_TOTAL_BYTES = 50_000_000
MAX_PART_BYTES = 20_000_000
MAX_RATIO = 100
DOCUMENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
TEMPLATE_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
)
HYPERLINK = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
)
# Field codes that make Word read another file or program when fields update.
OUTSIDE_FIELDS = frozenset(
    ("INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "LINK", "DDE", "DDEAUTO", "IMPORT",
     "DATABASE", "RD")
)  # fmt: skip
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_O = "{urn:schemas-microsoft-com:office:office}"
_O_RELID = f"{_O}relid"
# The only elements that may use an outside relationship: links a reader clicks.
_CLICKED_LINKS = (
    f"{_W}hyperlink",
    "{http://schemas.openxmlformats.org/drawingml/2006/main}hlinkClick",
)
_ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
# What zipfile raises for a part it cannot unpack: damaged data (zlib.error,
# BadZipFile for a bad checksum, EOFError), and RuntimeError for a compression
# method it does not know or a part encrypted with a password.
UNPACKING_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError)


@dataclass(frozen=True, slots=True)
class PackageProblem:
    """Why a file cannot be used as a template; ``fatal`` stops further checks."""

    message: str
    fatal: bool = True


def inspect_package(path: Path) -> list[PackageProblem]:
    """Every reason ``path`` is not a safe, plain Word document (empty if none)."""
    early = _file_problem(path)
    if early:
        return [early]
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            sized = _size_problems(members)
            if sized:
                return sized
            unpacked = _unpacking_problems(package, members)
            if unpacked:
                return unpacked
            return _content_problems(package, {m.filename for m in members})
    except UnsafePartError as error:
        return [PackageProblem(str(error))]
    except (zipfile.BadZipFile, OSError):
        return [PackageProblem("it is not a Word document (not a zip package)")]


def _file_problem(path: Path) -> PackageProblem | None:
    if path.is_dir():
        return PackageProblem("it is a folder, not a Word file")
    if not path.exists():
        return PackageProblem("there is no such file")
    if not path.is_file():
        return PackageProblem("it is not a regular file (a pipe or a device?)")
    suffix = path.suffix.lower()
    if suffix in (".docm", ".dotm"):
        return PackageProblem(
            "it is a macro-enabled Word file; save it in Word as a Word Document "
            "(.docx) without macros"
        )
    if suffix == ".dotx":
        return PackageProblem(
            "it is a Word template file (.dotx); open it in Word and save it as a "
            "Word Document (.docx)"
        )
    if suffix != ".docx":
        return PackageProblem("its name does not end in .docx")
    return None


def size_problem(package: zipfile.ZipFile) -> str | None:
    """Why ``package`` is too large to unpack safely (``None``: it is not)."""
    problems = _size_problems(package.infolist())
    return problems[0].message if problems else None


def _size_problems(members: list[zipfile.ZipInfo]) -> list[PackageProblem]:
    if len(members) > MAX_PARTS:
        return [
            PackageProblem(f"it has {len(members):,} parts (at most {MAX_PARTS:,})")
        ]
    total = sum(m.file_size for m in members)
    if total > MAX_TOTAL_BYTES:
        return [
            PackageProblem(
                f"it unpacks to {total / 1e6:,.0f} MB "
                f"(at most {MAX_TOTAL_BYTES // 10**6} MB)"
            )
        ]
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_PART_BYTES or (
            member.file_size > 1_000_000 and ratio > MAX_RATIO
        ):
            return [
                PackageProblem(
                    f"its part {member.filename} unpacks to {member.file_size:,} bytes "
                    f"from {member.compress_size:,} (a zip bomb?)"
                )
            ]
    return []


def _unpacking_problems(
    package: zipfile.ZipFile, members: list[zipfile.ZipInfo]
) -> list[PackageProblem]:
    """A part that cannot be unpacked (read in blocks: the sizes are checked)."""
    for member in members:
        try:
            with package.open(member) as part:
                while part.read(1 << 20):
                    pass
        except UNPACKING_ERRORS:
            return [PackageProblem(_damaged_part(member.filename))]
    return []


def _damaged_part(name: str) -> str:
    return (
        f"its part {name} cannot be unpacked (the file is damaged or encrypted); "
        "open it in Word and save it again"
    )


def _content_problems(
    package: zipfile.ZipFile, names: set[str]
) -> list[PackageProblem]:
    for required in ("[Content_Types].xml", "word/document.xml"):
        if required not in names:
            return [PackageProblem(f"it is not a Word document (no {required})")]
    types = _content_types(package)
    main_type = types.get("/word/document.xml", "")
    problems: list[PackageProblem] = []
    if _has_macros(names, types):
        problems.append(
            PackageProblem("it contains macros; save it as a .docx without macros")
        )
    elif main_type == TEMPLATE_TYPE:
        problems.append(
            PackageProblem(
                "it is a Word template (.dotx) renamed to .docx; "
                "save it as a Word Document"
            )
        )
    elif main_type != DOCUMENT_TYPE:
        problems.append(PackageProblem("its main part is not a Word document"))
    roots = {}
    for name in xml_part_names(package):
        root = read_xml(package, name)  # every XML part: no DOCTYPE, well-formed
        roots[name] = root
        if name.lower().endswith(".rels"):
            problems += relationship_problems(name, root)
        elif (field := outside_field(root)) is not None:
            problems.append(
                PackageProblem(
                    f"its part {name} has {article(field)} {field} field, which "
                    "fetches an outside file when Word updates fields; remove it",
                    fatal=False,
                )
            )
    problems += reference_problems(roots)
    problems += embedded_object_problems(sorted(names), types, roots)
    return problems


def xml_part_names(package: zipfile.ZipFile) -> list[str]:
    """Every part that holds XML, by its content type or its name, in any case."""
    types = _content_types(package)
    names = []
    for name in package.namelist():
        if name.endswith("/"):
            continue
        content_type = types.get("/" + name, "")
        if name.lower().endswith((".xml", ".rels")) or content_type.endswith("xml"):
            names.append(name)
    return sorted(names)


def _content_types(package: zipfile.ZipFile) -> dict[str, str]:
    """The content type of every part: the overrides, else the default by extension."""
    root = read_xml(package, "[Content_Types].xml")
    defaults = {
        str(d.get("Extension", "")).lower(): str(d.get("ContentType", ""))
        for d in root.iter(f"{_CT}Default")
    }
    types = {}
    for name in package.namelist():
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        types["/" + name] = defaults.get(extension, "")
    for override in root.iter(f"{_CT}Override"):
        types[str(override.get("PartName", ""))] = str(override.get("ContentType", ""))
    return types


def _has_macros(names: set[str], types: dict[str, str]) -> bool:
    kinds = " ".join(types.values()).lower()
    markers = (
        "macroenabled",
        "vbaproject",
        "vbadata",
        "activex",
        "keymapcustomizations",
    )
    return any(marker in kinds for marker in markers) or any(
        n.lower().endswith(("vbaproject.bin", "vbadata.xml")) for n in names
    )


def outside_field(root: Any) -> str | None:
    """The first Word field in ``root`` that reads another file, if any.

    Word may split a field's code over several runs, so the instruction text
    between a field's begin and separate marks is joined before it is read.
    """
    codes = [str(node.get(f"{_W}instr", "")) for node in root.iter(f"{_W}fldSimple")]
    current: list[str] | None = None
    for node in root.iter(f"{_W}fldChar", f"{_W}instrText"):
        if node.tag == f"{_W}instrText":
            if current is not None:
                current.append(node.text or "")
            continue
        kind = node.get(f"{_W}fldCharType")
        if kind == "begin":
            current = []
        elif kind in ("separate", "end") and current is not None:
            codes.append("".join(current))
            current = None
    for code in codes:
        words = code.split()
        if words and words[0].upper() in OUTSIDE_FIELDS:
            return words[0].upper()
    return None


def relationship_problems(name: str, root: Any) -> list[PackageProblem]:
    problems = []
    for relationship in root:
        mode = relationship.get("TargetMode")
        if mode is not None and mode not in ("External", "Internal"):
            # ``external``, `` External``: whatever a reader makes of it, it is
            # no part of the package (python-docx would look for one and fail).
            problems.append(
                PackageProblem(
                    f"its relationship {_quoted(relationship.get('Id'))} in {name} "
                    f"has the target mode {_quoted(mode)}, which is neither "
                    "“External” nor “Internal”; save the document again in Word"
                )
            )
            continue
        if not is_external(relationship):
            continue
        kind = str(relationship.get("Type", "")).rsplit("/", 1)[-1]
        if relationship.get("Type") == HYPERLINK:
            continue  # allowed where only a hyperlink uses it: reference_problems
        target = relationship.get("Target")
        what = {"image": "a remote image", "attachedTemplate": "an attached template"}
        fix = {
            "image": "insert the picture into the document instead",
            "attachedTemplate": "detach it (Developer ▸ Document Template)",
        }
        problems.append(
            PackageProblem(
                f"it refers to {what.get(kind, f'an outside {kind}')} at {target} "
                f"({name}); {fix.get(kind, 'remove it')}",
                # An outside target marked as inside: python-docx would look
                # for a part of that name and fail.
                fatal=str(mode or "").strip().lower() != "external",
            )
        )
    return problems


def is_external(relationship: Any) -> bool:
    """Whether a relationship points outside the package: its target mode says
    so, in any case, or its target is an absolute URI (``http:``, ``file:``)."""
    mode = str(relationship.get("TargetMode") or "").strip().lower()
    target = str(relationship.get("Target") or "").strip()
    return mode == "external" or _ABSOLUTE_URI.match(target) is not None


def reference_problems(roots: dict[str, Any]) -> list[PackageProblem]:
    """Uses of outside targets other than a hyperlink a reader clicks: a
    picture linked by ``r:link``, or an outside relationship used by anything
    but ``w:hyperlink`` or ``a:hlinkClick``. A reader would fetch them."""
    problems = []
    for rels_name, rels in roots.items():
        source = _source_part(rels_name)
        if not rels_name.lower().endswith(".rels") or source not in roots:
            continue
        targets = {str(r.get("Id")): r for r in rels}
        for element in roots[source].iter():
            for attribute, value in element.attrib.items():
                problem = _reference_problem(source, element, attribute, value, targets)
                if problem is not None:
                    problems.append(problem)
    return problems


def _reference_problem(
    source: str, element: Any, attribute: str, value: str, targets: dict[str, Any]
) -> PackageProblem | None:
    if not attribute.startswith(_R) and attribute != _O_RELID:
        return None
    relationship = targets.get(value)
    target = relationship.get("Target") if relationship is not None else value
    if attribute == f"{_R}link":
        return PackageProblem(
            f"it links a picture to {target} ({source}), which Word and LibreOffice "
            "fetch to show it; insert the picture into the document instead",
            fatal=False,
        )
    if relationship is None or not is_external(relationship):
        return None
    if attribute == f"{_R}id" and element.tag in _CLICKED_LINKS:
        return None
    return PackageProblem(
        f"it points to {target} from its {etree.QName(element).localname} "
        f"({source}); only hyperlinks may point outside the file: remove it",
        fatal=False,
    )


def _source_part(rels_name: str) -> str:
    """The part a relationships part belongs to: ``word/document.xml`` for
    ``word/_rels/document.xml.rels``."""
    folder, _, file = rels_name.rpartition("_rels/")
    return folder + file.removesuffix(".rels")


def embedded_object_problems(
    names: list[str], types: dict[str, str], roots: dict[str, Any]
) -> list[PackageProblem]:
    """An embedded (OLE) object, which every brief made from it would carry."""
    found = next(
        (n for n in names if types.get("/" + n, "").endswith("oleObject")), None
    ) or next(
        (n for n in names if "embeddings/" in n.lower() and n.lower().endswith(".bin")),
        None,
    )
    for name, root in roots.items() if found is None else ():
        if name.lower().endswith(".rels"):
            if any(str(r.get("Type", "")).endswith("/oleObject") for r in root):
                found = name
        elif next(root.iter(f"{_W}object", f"{_O}OLEObject"), None) is not None:
            found = name
        if found is not None:
            break
    if found is None:
        return []
    return [
        PackageProblem(
            f"it holds an embedded object ({found}), which would be copied into "
            "every brief; delete it, or paste what it shows as a picture",
        )
    ]


def _quoted(value: object) -> str:
    shown = str(value or "")
    return "“" + (shown if len(shown) <= 40 else shown[:40] + "…") + "”"


class UnsafePartError(Exception):
    """A part that cannot be unpacked, is not well-formed XML, or declares
    entities (a DOCTYPE)."""


def read_xml(package: zipfile.ZipFile, name: str) -> Any:
    """A part parsed safely; a DOCTYPE (entities) is refused as unsafe."""
    try:
        data = package.read(name)
    except UNPACKING_ERRORS as error:
        raise UnsafePartError(_damaged_part(name)) from error
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise UnsafePartError(
            f"its part {name} is not valid XML ({error.msg})"
        ) from error
    if root.getroottree().docinfo.doctype:
        raise UnsafePartError(
            f"its part {name} declares a DOCTYPE; XML entities are not allowed"
        )
    return root


def article(word: str) -> str:
    """“a” or “an” before ``word`` (a field name such as INCLUDETEXT)."""
    return "an" if word[:1].upper() in "AEIOU" else "a"


# LibreOffice names the core properties relationship with a type of its own;
# python-docx does not recognise it, adds a second docProps/core.xml and so
# writes a package with two parts of one name.
_CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
    "core-properties"
)
_CORE_PROPERTIES_LIBREOFFICE = (
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/"
    "core-properties"
)


def open_template(path: Path) -> io.BytesIO:
    """The template's bytes, ready for python-docx: a core properties
    relationship written by LibreOffice is given its standard type."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        try:
            rels = package.read("_rels/.rels")
        except KeyError:
            return io.BytesIO(data)
        if _CORE_PROPERTIES_LIBREOFFICE.encode() not in rels:
            return io.BytesIO(data)
        fixed = io.BytesIO()
        with zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as copy:
            for member in package.infolist():
                content = package.read(member)
                if member.filename == "_rels/.rels":
                    content = content.replace(
                        _CORE_PROPERTIES_LIBREOFFICE.encode(), _CORE_PROPERTIES.encode()
                    )
                copy.writestr(member, content)
    fixed.seek(0)
    return fixed
