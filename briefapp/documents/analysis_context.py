"""The decision analysis as template values: ranking, options screened out,
criteria and weights, how robust first place is, the option × constraint
matrix (a Word table), the chart of weighted scores (a picture), and for each
option its scores with their rationales and its assessments with their notes.

The matrix and the chart depend on the document being written, so the
context holds a plain description of each (``MatrixSpec``, ``ChartSpec``);
``render_docx`` turns them into a table and a picture of that document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefapp.documents.labels import Labels
from briefapp.documents.text import TextList, clean_text
from briefapp.domain.analysis import Analysis, RankedOption, robustness_sentence
from briefapp.domain.entities import AssessmentResult, Brief, Option

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
                "reasons": _reasons(r, labels),
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


def option_analysis(
    brief: Brief, analysis: Analysis, labels: Labels
) -> dict[str, dict[str, Any]]:
    """For each option's key, the fields its record gains from the analysis:
    its rank and score, whether it is screened out and why, and the reasoning
    behind them (each score with its rationale, each assessment with its note)."""
    places = {r.option: r for r in analysis.ranking}
    weights = {
        c.key: labels.share(w)
        for c, w in zip(analysis.criteria, analysis.weights, strict=False)
    }
    return {
        option.key: _option_reasoning(
            brief, option, places.get(option.key), weights, labels
        )
        for option in brief.options
    }


def _option_reasoning(
    brief: Brief,
    option: Option,
    place: RankedOption | None,
    weights: dict[str, str],
    labels: Labels,
) -> dict[str, Any]:
    return {
        "rank": place.rank if place and place.rank is not None else "",
        "score": labels.points(place.score)
        if place and place.score is not None
        else "",
        "screened_out": bool(place and place.screened_out),
        "reasons": _reasons(place, labels) if place else TextList(()),
        "scores": _score_rows(brief, option, place, weights, labels),
        "assessments": _assessment_rows(brief, option, labels),
    }


def _score_rows(
    brief: Brief,
    option: Option,
    place: RankedOption | None,
    weights: dict[str, str],
    labels: Labels,
) -> list[dict[str, Any]]:
    """One row per criterion: its weight, the option's score, the points it adds
    to the weighted score, and why the option scored so."""
    given = {s.criterion: s for s in brief.scores if s.option == option.key}
    points = dict(
        zip(
            (c.key for c in brief.criteria),
            place.contributions if place else (),
            strict=False,
        )
    )
    rows = []
    for criterion in brief.criteria:
        score = given.get(criterion.key)
        rows.append(
            {
                "key": clean_text(criterion.key),
                "title": clean_text(criterion.title),
                "weight": weights.get(criterion.key, ""),
                "score": "" if score is None else labels.number(score.score),
                "points": labels.points(points[criterion.key])
                if score is not None and criterion.key in points
                else "",
                "rationale": clean_text(score.rationale) if score else "",
            }
        )
    return rows


def _assessment_rows(
    brief: Brief, option: Option, labels: Labels
) -> list[dict[str, Any]]:
    """One row per constraint the option was assessed against, in the brief's
    order: how it stands, and why. (The matrix shows those not assessed.)"""
    given = {a.constraint: a for a in brief.assessments if a.option == option.key}
    return [
        {
            "key": clean_text(constraint.key),
            "title": clean_text(constraint.title),
            "hard": constraint.hard,
            "strength": labels.hard if constraint.hard else labels.soft,
            "result": found.result.value,
            "result_label": labels.results[found.result],
            "mark": RESULT_MARKS[found.result],
            "note": clean_text(found.note),
            "source": clean_text(found.source or ""),
        }
        for constraint in brief.constraints
        if (found := given.get(constraint.key)) is not None
    ]


def _reasons(place: RankedOption, labels: Labels) -> TextList:
    """Each hard constraint the option fails, with the assessment's note."""
    return TextList(
        clean_text(
            f"{labels.fails} {x.constraint} ({x.title})"
            + (f": {x.note.rstrip('.')}" if x.note else "")
        )
        for x in place.reasons
    )


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
