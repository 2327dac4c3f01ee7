"""Word templates as the user chooses them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class TemplateOrigin(StrEnum):
    """Where a template comes from, in the order templates are listed and found."""

    BUILT_IN = "built-in"
    USER = "your templates"
    FOLDER = "template folder"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """A template a brief can be exported with, and what it says about itself."""

    name: str
    path: Path
    origin: TemplateOrigin
    title: str = ""
    description: str = ""
    language: str = "en-GB"
    brief_type: str = ""

    @property
    def label(self) -> str:
        return self.title or self.name.replace("-", " ").capitalize()


def distinct_labels(templates: list[TemplateInfo]) -> dict[Path, str]:
    """Each template's label, with its file name added where two share one
    (a copy of a built-in template keeps the built-in's title)."""
    counts: dict[str, int] = {}
    for template in templates:
        counts[template.label] = counts.get(template.label, 0) + 1
    return {
        t.path: t.label if counts[t.label] == 1 else f"{t.label} – {t.path.name}"
        for t in templates
    }


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """The checker's findings for one template (``error``/``warning`` lines)."""

    template: TemplateInfo
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.errors:
            count = len(self.errors)
            return f"{count} error{'s' if count > 1 else ''}"
        return "ok"


@dataclass(frozen=True, slots=True)
class TemplateTrial:
    """A template's full check and one brief filled into it: the document, or
    ``None`` if the check or the trial failed (the check then says why)."""

    check: TemplateCheck
    document: bytes | None
