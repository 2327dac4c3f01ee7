"""The classification markings a brief can carry, offered in the window's list.

Three families are offered as they are written on the page: the United
Kingdom's (the ministry's templates were first made after them), Lithuania's
national markings (Law on State Secrets and Official Secrets) and NATO's. A
user may keep a list of their own instead; any marking may also be typed.
"""

from __future__ import annotations

from collections.abc import Iterable

UK_MARKINGS = (
    "UNCLASSIFIED",
    "OFFICIAL",
    "OFFICIAL-SENSITIVE",
    "RESTRICTED",
    "CONFIDENTIAL",
    "SECRET",
    "TOP SECRET",
)
LITHUANIAN_MARKINGS = (
    "NESLAPTAI",
    "RIBOTO NAUDOJIMO",
    "KONFIDENCIALIAI",
    "SLAPTAI",
    "VISIŠKAI SLAPTAI",
)
NATO_MARKINGS = (
    "NATO UNCLASSIFIED",
    "NATO RESTRICTED",
    "NATO CONFIDENTIAL",
    "NATO SECRET",
    "COSMIC TOP SECRET",
)
STANDARD_MARKINGS = UK_MARKINGS + LITHUANIAN_MARKINGS + NATO_MARKINGS


def marking_choices(own: Iterable[str] = ()) -> tuple[str, ...]:
    """The user's own markings (trimmed, each once, in their order), or the
    standard list when they keep none."""
    mine = tuple(dict.fromkeys(" ".join(m.split()) for m in own if m.strip()))
    return mine or STANDARD_MARKINGS
