"""Finding Word templates: built-in, the user's own, and an extra folder.

Templates are listed in that order and looked up by name (the file stem,
``decision-brief``) in the same order, so the first of a name wins. A name is
only ever looked up inside these folders; a path to a ``.docx`` elsewhere is
taken as given. What a template says about itself (title, description,
language, intended type of brief) comes from a ``NAME.json`` beside it, else
from its document properties.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefapp.documents.package import UnsafePartError, read_xml
from briefapp.domain.errors import TemplateError
from briefapp.domain.templates import TemplateInfo, TemplateOrigin

DEFAULT_TEMPLATE = "decision-brief"
TEMPLATE_SUFFIX = ".docx"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"


@dataclass(frozen=True, slots=True)
class TemplateFolder:
    origin: TemplateOrigin
    path: Path


def list_templates(folders: Sequence[TemplateFolder]) -> list[TemplateInfo]:
    """Every template in ``folders``, folder by folder, the default first."""
    found: list[TemplateInfo] = []
    for folder in folders:
        if not folder.path.is_dir():
            continue
        paths = sorted(
            path
            for path in folder.path.glob(f"*{TEMPLATE_SUFFIX}")
            if not path.name.startswith(("~$", "."))
        )
        infos = [describe_template(path, folder.origin) for path in paths]
        found += sorted(infos, key=lambda t: (t.name != DEFAULT_TEMPLATE, t.name))
    return found


def resolve_template(
    choice: str | None, folders: Sequence[TemplateFolder]
) -> TemplateInfo:
    """The template for ``choice``: a name from the folders, or a ``.docx`` path.

    Raises:
        TemplateError: no such template, or the path is not a ``.docx`` file.
    """
    choice = choice or DEFAULT_TEMPLATE
    templates = list_templates(folders)
    for template in templates:
        if template.name == choice:
            return template
    path = Path(choice)
    if path.is_file() and path.suffix.lower() != TEMPLATE_SUFFIX:
        raise TemplateError(
            f"{path} is not a Word template: templates are .docx files."
        )
    if path.suffix.lower() != TEMPLATE_SUFFIX:
        names = ", ".join(dict.fromkeys(t.name for t in templates)) or "none"
        raise TemplateError(
            f"There is no template called “{choice}” (templates: {names}); "
            "give a template name or the path of a .docx file."
        )
    if not path.is_file():
        raise TemplateError(f"The template {path} does not exist or is not a file.")
    return describe_template(path, TemplateOrigin.FILE)


def describe_template(path: Path, origin: TemplateOrigin) -> TemplateInfo:
    """The template at ``path`` with its metadata (sidecar JSON over properties)."""
    properties = {**_document_properties(path), **_sidecar(path)}
    return TemplateInfo(
        name=path.stem,
        path=path,
        origin=origin,
        title=str(properties.get("name", "")),
        description=str(properties.get("description", "")),
        language=str(properties.get("language") or "en-GB"),
        brief_type=str(properties.get("brief_type", "")),
    )


def _document_properties(path: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as package:
            if "docProps/core.xml" not in package.namelist():
                return {}
            if package.getinfo("docProps/core.xml").file_size > 1_000_000:
                return {}
            core = read_xml(package, "docProps/core.xml")
    except (zipfile.BadZipFile, OSError, UnsafePartError):
        return {}

    def text(tag: str) -> str:
        element = core.find(tag)
        return (element.text or "").strip() if element is not None else ""

    return {
        "name": text(f"{_DC}title"),
        "description": text(f"{_DC}subject"),
        "language": text(f"{_DC}language"),
        "brief_type": text(f"{_CP}category"),
    }


def _sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_suffix(".json")
    try:
        loaded = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {
        key: value
        for key, value in loaded.items()
        if key in ("name", "description", "language", "brief_type")
        and isinstance(value, str)
    }
