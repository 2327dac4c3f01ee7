"""Word templates as the user chooses them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """A template a brief can be exported with."""

    name: str
    path: Path
    origin: str

    @property
    def label(self) -> str:
        return self.name.replace("-", " ").capitalize()
