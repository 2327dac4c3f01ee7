"""Counts the reliability tests keep: kills survived, fuzz cases run, hostile
inputs refused.

A test calls ``tally(KIND)`` once per case it checked and passed. When
``BRIEFAPP_RELIABILITY_OUT`` names a file, the suite writes the totals there
at the end of the run; ``python scripts/reliability_report.py`` runs the
reliability tests that way and writes the figures into the README.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

OUT_ENV_VAR = "BRIEFAPP_RELIABILITY_OUT"

KILLS_SURVIVED = "writer kills survived"
GUI_KILLS_RECOVERED = "window kills with edits recovered"
IMPORT_CASES = "generated brief files imported or refused"
RENDER_CASES = "generated briefs rendered"
HOSTILE_TEMPLATES = "hostile templates refused"
HOSTILE_PATHS = "hostile paths refused"
BAD_DATABASES = "damaged database files refused"
CONFLICTS = "conflicting saves refused"
DISK_FAULTS = "failed writes that left no partial file"

KINDS = (
    KILLS_SURVIVED,
    GUI_KILLS_RECOVERED,
    IMPORT_CASES,
    RENDER_CASES,
    HOSTILE_TEMPLATES,
    HOSTILE_PATHS,
    BAD_DATABASES,
    CONFLICTS,
    DISK_FAULTS,
)

_counts: Counter[str] = Counter()


def tally(kind: str, count: int = 1) -> None:
    """Count ``count`` passed cases of ``kind`` (one of ``KINDS``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown reliability count {kind!r}")
    _counts[kind] += count


def write_counts() -> None:
    """Write the totals to ``$BRIEFAPP_RELIABILITY_OUT``, if it is set."""
    out = os.environ.get(OUT_ENV_VAR)
    if out:
        totals = {kind: _counts[kind] for kind in KINDS}
        Path(out).write_text(json.dumps(totals, indent=2) + "\n", encoding="utf-8")
