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
import os
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefapp.documents.package import UNPACKING_ERRORS, UnsafePartError, read_xml
from briefapp.domain.errors import TemplateError
from briefapp.domain.templates import TemplateInfo, TemplateOrigin

DEFAULT_TEMPLATE = "decision-brief"
TEMPLATE_SUFFIX = ".docx"
SIDECAR_LIMIT = 64 * 1024
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
            if not path.name.startswith(("~$", ".")) and _is_regular_file(path)
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
    if not path.exists():
        raise TemplateError(f"The template {path} does not exist.")
    if not _is_regular_file(path):
        raise TemplateError(
            f"The template {path} is not a file (a folder, a pipe or a device?)."
        )
    return describe_template(path, TemplateOrigin.FILE)


def link_problem(path: Path, folders: Sequence[TemplateFolder]) -> str | None:
    """Why the template at ``path`` may not be used, if it sits in one of the
    user's template folders as a link to a file outside that folder: a
    template dropped into a folder is used from there, not from elsewhere."""
    place = Path(os.path.abspath(path))
    for folder in folders:
        if folder.origin is TemplateOrigin.BUILT_IN:
            continue  # installed by the application (a package may link files)
        if place.parent != Path(os.path.abspath(folder.path)):
            continue
        target = Path(os.path.realpath(place))
        if not target.is_relative_to(os.path.realpath(folder.path)):
            return (
                f"it is a link to {target}, outside the folder {folder.path}; "
                "copy the template into the folder instead of linking to it"
            )
    return None


def _is_regular_file(path: Path) -> bool:
    """A plain file (not a folder, a pipe or a device that would block a read)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


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
    """Name, description, language and brief type from the document properties:
    core (title, subject, language, category), then the custom property
    “Language” that Word's Advanced Properties offer, which wins."""
    try:
        with zipfile.ZipFile(path) as package:
            core = _small_part(package, "docProps/core.xml")
            custom = _small_part(package, "docProps/custom.xml")
    except (*UNPACKING_ERRORS, OSError, UnsafePartError):
        return {}  # a damaged file is listed; using it says what is wrong
    found: dict[str, Any] = {}
    if core is not None:
        for key, tag in (
            ("name", f"{_DC}title"),
            ("description", f"{_DC}subject"),
            ("language", f"{_DC}language"),
            ("brief_type", f"{_CP}category"),
        ):
            element = core.find(tag)
            found[key] = (element.text or "").strip() if element is not None else ""
    if custom is not None:
        for prop in custom:
            if prop.get("name", "").strip().lower() == "language" and len(prop):
                found["language"] = (prop[0].text or "").strip()
    return found


def _small_part(package: zipfile.ZipFile, name: str) -> Any:
    """A small XML part, parsed safely; ``None`` if absent or too large."""
    if name not in package.namelist() or package.getinfo(name).file_size > 1_000_000:
        return None
    return read_xml(package, name)


def _sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_suffix(".json")
    if not _is_regular_file(sidecar) or sidecar.stat().st_size > SIDECAR_LIMIT:
        return {}
    try:
        loaded = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # nested too deeply
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {
        key: value
        for key, value in loaded.items()
        if key in ("name", "description", "language", "brief_type")
        and isinstance(value, str)
    }
