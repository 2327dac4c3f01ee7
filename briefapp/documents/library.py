"""Finding Word templates: the built-in ones, or a file the user names.

A template is named by its file stem (``decision-brief``) within a template
folder; names are looked up only inside that folder, never as paths.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from briefapp.domain.errors import TemplateError
from briefapp.domain.templates import TemplateInfo

DEFAULT_TEMPLATE = "decision-brief"
TEMPLATE_SUFFIX = ".docx"


def list_templates(builtin_dir: Path) -> list[TemplateInfo]:
    """The templates in ``builtin_dir``, the default first, then by name."""
    found = [
        TemplateInfo(path.stem, path, "built-in")
        for path in builtin_dir.glob(f"*{TEMPLATE_SUFFIX}")
        if path.is_file() and not path.name.startswith(("~$", "."))
    ]
    return sorted(found, key=lambda t: (t.name != DEFAULT_TEMPLATE, t.name))


def resolve_template(choice: str | None, builtin_dir: Path) -> Path:
    """The template file for ``choice``: a built-in name, or a path to a ``.docx``.

    Raises:
        TemplateError: no such template, or the file is not a Word document.
    """
    choice = choice or DEFAULT_TEMPLATE
    by_name = {t.name: t.path for t in list_templates(builtin_dir)}
    if choice in by_name:
        return by_name[choice]
    path = Path(choice)
    if path.is_file() and path.suffix.lower() != TEMPLATE_SUFFIX:
        raise TemplateError(
            f"{path} is not a Word template: templates are .docx files."
        )
    if path.suffix.lower() != TEMPLATE_SUFFIX:
        names = ", ".join(sorted(by_name)) or "none"
        raise TemplateError(
            f"There is no template called “{choice}” (built-in templates: {names}); "
            "give a template name or the path of a .docx file."
        )
    check_template_file(path)
    return path


def check_template_file(path: Path) -> None:
    """Refuse a template path that is not a readable Word document."""
    if not path.is_file():
        raise TemplateError(f"The template {path} does not exist or is not a file.")
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise TemplateError(f"The template {path} is not a Word document.") from error
    if "word/document.xml" not in names:
        raise TemplateError(f"The template {path} is not a Word document.")
    if "word/vbaProject.bin" in names:
        raise TemplateError(
            f"The template {path} contains macros; save it as a plain .docx."
        )
