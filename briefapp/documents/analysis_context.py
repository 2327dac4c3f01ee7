"""The decision analysis as template values: ranking, options screened out,
criteria and weights, how robust first place is, the option × constraint
matrix (a Word table) and the chart of weighted scores (a picture).

The matrix and the chart depend on the document being written, so the
context holds a plain description of each (``MatrixSpec``, ``ChartSpec``);
``render_docx`` turns them into a table and a picture of that document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefapp.documents.labels import Labels
from briefapp.documents.text import TextList, clean_text
from briefapp.domain.analysis import Analysis, robustness_sentence
from briefapp.domain.entities import AssessmentResult, Brief

RESULT_MARKS = {
    AssessmentResult.MEETS: "✓",
    AssessmentResult.PARTIAL: "◐",
    AssessmentResult.FAILS: "✗",
    AssessmentResult.UNKNOWN: "?",
}
RESULT_SHADES = {
    AssessmentResult.MEETS: "D7F0D2",
    AssessmentResult.PARTIAL: "FBECCB",
    AssessmentResult.FAILS: "F6D0CC",
    AssessmentResult.UNKNOWN: "E4E4E4",
}


@dataclass(frozen=True, slots=True)
class MatrixSpec:
    """The option × constraint table: a header row, then one row per option;
    each cell is ``(text, shade)`` (shade: hex fill colour, or empty)."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, str], ...], ...]

    def __bool__(self) -> bool:
        return bool(self.rows) and len(self.header) > 1

    def __str__(self) -> str:  # seen only if a template prints it as text
        return ""


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """The weighted scores of the ranked options, stacked by criterion."""

    options: tuple[str, ...]
    criteria: tuple[str, ...]
    contributions: tuple[tuple[float, ...], ...]
    axis: str
    totals: tuple[str, ...] = ()  # each bar's score, written in the language

    def __bool__(self) -> bool:
        return bool(self.options)

    def __str__(self) -> str:
        return ""


def analysis_context(
    brief: Brief, analysis: Analysis, labels: Labels
) -> dict[str, Any]:
    """The analysis values of the template context."""
    shares = dict(
        zip((c.key for c in analysis.criteria), analysis.weights, strict=False)
    )
    return {
        "criteria": [
            {
                "key": clean_text(c.key),
                "title": clean_text(c.title),
                "description": clean_text(c.description),
                "weight": labels.number(c.weight),
                "share": labels.share(shares[c.key]) if c.key in shares else "",
            }
            for c in brief.criteria
        ],
        "ranking": [
            {
                "rank": r.rank,
                "key": clean_text(r.option),
                "title": clean_text(r.title),
                "score": labels.points(r.score) if r.score is not None else "",
            }
            for r in analysis.ranked
        ],
        "screened_out": [
            {
                "key": clean_text(r.option),
                "title": clean_text(r.title),
                "reasons": TextList(
                    clean_text(
                        f"{labels.fails} {x.constraint} ({x.title})"
                        + (f": {x.note.rstrip('.')}" if x.note else "")
                    )
                    for x in r.reasons
                ),
            }
            for r in analysis.screened_out
        ],
        "sensitivity": [
            {
                "key": clean_text(s.criterion),
                "title": clean_text(s.title),
                "weight": labels.share(s.weight),
                "stable_from": labels.share(s.stable_from),
                "stable_to": labels.share(s.stable_to),
                "leader_below": s.leader_below or "",
                "next_leader": s.next_leader or "",
            }
            for s in analysis.sensitivity
        ],
        "robustness": clean_text(
            robustness_sentence(analysis, labels.phrases, labels.share)
        ),
        "assessment_matrix": _matrix(brief, labels),
        "score_chart": ChartSpec(
            tuple(r.option for r in analysis.ranked),
            tuple(f"{c.key} {c.title}" for c in analysis.criteria),
            tuple(r.contributions for r in analysis.ranked),
            labels.score_axis,
            tuple(labels.points(r.score or 0) for r in analysis.ranked),
        ),
    }


def _matrix(brief: Brief, labels: Labels) -> MatrixSpec:
    given = {(a.option, a.constraint): a.result for a in brief.assessments}
    header = (
        labels.option_word,
        *(
            f"{c.key}\n{(labels.hard if c.hard else labels.soft).lower()}"
            for c in brief.constraints
        ),
    )
    rows = []
    for option in brief.options:
        cells: list[tuple[str, str]] = [
            (clean_text(f"{option.key} {option.title}"), "")
        ]
        for constraint in brief.constraints:
            result = given.get((option.key, constraint.key))
            if result is None:
                cells.append(("–", ""))
            else:
                text = f"{RESULT_MARKS[result]} {labels.results[result]}"
                cells.append((text, RESULT_SHADES[result]))
        rows.append(tuple(cells))
    return MatrixSpec(header, tuple(rows))
