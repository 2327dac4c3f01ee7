"""Decision analysis: screen the options against the constraints, score the
survivors on weighted criteria, rank them, and test how robust first place is.

Pure functions of a ``Brief``: no Qt, no database, no Word. The window, the
command line and the templates all show what ``analyse`` returns.

- Screening: a ``fails`` on a hard constraint screens an option out.
- Score: Σ(weight × score) / Σ(weight) × 20, so 0–100; a missing score is 0.
- Sensitivity: for each criterion, its normalised weight ``t`` is moved over
  0–1 with the other weights rescaled in proportion, ``(1 − t) / (1 − w)``.
  Every score is then linear in ``t``, so the interval in which the leader
  stays first is found exactly, from where it meets each rival.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from briefapp.domain.analysis_checks import Check, Severity, analysis_checks
from briefapp.domain.entities import MAX_SCORE, AssessmentResult, Brief, Criterion
from briefapp.domain.errors import AnalysisError

__all__ = ["Analysis", "Check", "RankedOption", "Sensitivity", "Severity", "analyse"]

SCALE = 100 / MAX_SCORE
"""Turns a weighted mean score (0–5) into points (0–100)."""
_TOLERANCE = 1e-9
"""Scores closer than this are equal (sums of floats are not exact)."""


@dataclass(frozen=True, slots=True)
class ScreeningReason:
    """A hard constraint an option fails."""

    constraint: str
    title: str
    note: str


@dataclass(frozen=True, slots=True)
class RankedOption:
    """One option's place in the analysis.

    ``contributions`` holds what each criterion adds to ``score``, in the
    brief's order of criteria; ``score`` is ``None`` when there is nothing to
    score with (no criteria, or every weight zero).
    """

    option: str
    title: str
    score: float | None
    rank: int | None
    screened_out: bool
    reasons: tuple[ScreeningReason, ...]
    contributions: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """How far one criterion's normalised weight can move before first place
    changes; ``leader_below``/``next_leader`` take first place below
    ``stable_from``/above ``stable_to`` (``None`` where the interval reaches
    0 or 1)."""

    criterion: str
    title: str
    weight: float
    stable_from: float
    stable_to: float
    leader_below: str | None
    next_leader: str | None


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of ``analyse``: ranked options first, screened-out ones after."""

    ranking: tuple[RankedOption, ...]
    sensitivity: tuple[Sensitivity, ...]
    checks: tuple[Check, ...]
    criteria: tuple[Criterion, ...]
    weights: tuple[float, ...]
    recommended: str | None = None
    blocked: str = ""
    """Why nothing is ranked, as a key of ``ENGLISH_PHRASES`` (or empty)."""

    @property
    def ranked(self) -> tuple[RankedOption, ...]:
        return tuple(r for r in self.ranking if r.rank is not None)

    @property
    def screened_out(self) -> tuple[RankedOption, ...]:
        return tuple(r for r in self.ranking if r.screened_out)

    @property
    def leaders(self) -> tuple[str, ...]:
        """The options sharing first place (none if nothing could be ranked)."""
        return tuple(r.option for r in self.ranking if r.rank == 1)

    @property
    def leader(self) -> str | None:
        leaders = self.leaders
        return leaders[0] if leaders else None


def normalised_weights(criteria: Sequence[Criterion]) -> tuple[float, ...]:
    """The criteria's weights scaled to sum to 1.

    Raises:
        AnalysisError: every weight is zero, so nothing can be scored.
    """
    total = math.fsum(c.weight for c in criteria)
    if criteria and total <= 0:
        raise AnalysisError(
            "Every criterion has a weight of zero: give at least one criterion a "
            "weight above zero."
        )
    return tuple(c.weight / total for c in criteria)


def analyse(brief: Brief) -> Analysis:
    """Screen, score, rank and test the robustness of ``brief``'s options."""
    reasons = screening(brief)
    criteria = brief.criteria
    try:
        weights = normalised_weights(criteria) if criteria else None
    except AnalysisError:
        weights = None
    table = _score_table(brief)
    scored: dict[str, tuple[float, ...]] = {}
    if weights is not None:
        for option in brief.options:
            row = table.get(option.key, {})
            scored[option.key] = tuple(
                w * row.get(c.key, 0) * SCALE
                for w, c in zip(weights, criteria, strict=True)
            )
    survivors = [o.key for o in brief.options if not reasons[o.key]]
    blocked = _blocked(brief, weights, survivors, table)
    totals = {
        key: math.fsum(scored[key])
        for key in survivors
        if key in scored and not blocked
    }
    ranks = rank(totals)
    titles = {o.key: o.title for o in brief.options}
    ranked = [
        RankedOption(key, titles[key], totals[key], ranks[key], False, (), scored[key])
        for key in sorted(totals, key=lambda k: (ranks[k], natural_key(k)))
    ]
    out = [
        RankedOption(
            o.key,
            o.title,
            math.fsum(scored[o.key]) if o.key in scored else None,
            None,
            True,
            reasons[o.key],
            scored.get(o.key, ()),
        )
        for o in brief.options
        if reasons[o.key]
    ]
    unranked = [
        RankedOption(key, titles[key], None, None, False, (), ())
        for key in survivors
        if key not in totals
    ]
    sensitivity: tuple[Sensitivity, ...] = ()
    if weights is not None and ranked:
        sensitivity = sensitivities(
            criteria, weights, {k: table.get(k, {}) for k in totals}, ranked[0].option
        )
    leaders = tuple(r.option for r in ranked if r.rank == 1)
    checks = analysis_checks(
        brief,
        {key: tuple(r.constraint for r in found) for key, found in reasons.items()},
        leaders,
        table,
        weights_given=weights is not None or not criteria,
    )
    return Analysis(
        tuple(ranked + unranked + out),
        sensitivity,
        tuple(checks),
        criteria,
        weights or (),
        brief.recommended_option,
        blocked,
    )


def _blocked(
    brief: Brief,
    weights: tuple[float, ...] | None,
    survivors: list[str],
    table: dict[str, dict[str, int]],
) -> str:
    """Why no option can be ranked, or an empty string."""
    if not brief.options:
        return "no_options"
    if not brief.criteria:
        return "no_criteria"
    if weights is None:
        return "zero_weights"
    if not survivors:
        return "all_screened"
    if not any(table.get(key) for key in survivors):
        return "no_scores"
    return ""


def screening(brief: Brief) -> dict[str, tuple[ScreeningReason, ...]]:
    """For each option, the hard constraints it fails (empty: not screened out)."""
    hard = {c.key: c for c in brief.constraints if c.hard}
    found: dict[str, list[ScreeningReason]] = {o.key: [] for o in brief.options}
    for assessment in brief.assessments:
        constraint = hard.get(assessment.constraint)
        if constraint and assessment.result is AssessmentResult.FAILS:
            found.setdefault(assessment.option, []).append(
                ScreeningReason(constraint.key, constraint.title, assessment.note)
            )
    order = {c.key: i for i, c in enumerate(brief.constraints)}
    return {
        key: tuple(sorted(items, key=lambda r: order[r.constraint]))
        for key, items in found.items()
    }


def rank(scores: dict[str, float]) -> dict[str, int]:
    """Competition ranks (1, 2, 2, 4): equal scores share a rank."""
    ordered = sorted(scores.values(), reverse=True)
    ranks = {}
    for key, score in scores.items():
        ranks[key] = 1 + sum(1 for s in ordered if s > score + _TOLERANCE)
    return ranks


def natural_key(key: str) -> tuple[tuple[int, str], ...]:
    """Sorts ``O2`` before ``O10``."""
    return tuple(
        (0, part.zfill(20)) if part.isdigit() else (1, part)
        for part in re.findall(r"\d+|\D+", key)
    )


def sensitivities(
    criteria: Sequence[Criterion],
    weights: Sequence[float],
    scores: dict[str, dict[str, int]],
    leader: str,
) -> tuple[Sensitivity, ...]:
    """The interval of each criterion's weight in which ``leader`` stays first.

    Args:
        scores: the score of each ranked option on each criterion (by key).
    """
    found = []
    for index, criterion in enumerate(criteria):
        lines = {
            key: _line(criteria, weights, row, index) for key, row in scores.items()
        }
        low, high = _stable_interval(lines, leader, weights[index])
        found.append(
            Sensitivity(
                criterion.key,
                criterion.title,
                weights[index],
                low,
                high,
                _taker(lines, leader, low, upward=False) if low > 0 else None,
                _taker(lines, leader, high, upward=True) if high < 1 else None,
            )
        )
    return tuple(found)


def score_at(line: tuple[float, float], weight: float) -> float:
    """A score (0–100) when the criterion's normalised weight is ``weight``."""
    on_criterion, on_others = line
    return weight * on_criterion + (1 - weight) * on_others


def _line(
    criteria: Sequence[Criterion],
    weights: Sequence[float],
    row: dict[str, int],
    index: int,
) -> tuple[float, float]:
    """An option's score as ``t × a + (1 − t) × b`` in criterion ``index``'s
    weight ``t``: ``a`` its points on that criterion, ``b`` on the others."""
    on_criterion = row.get(criteria[index].key, 0) * SCALE
    others = [
        (w, row.get(c.key, 0))
        for i, (w, c) in enumerate(zip(weights, criteria, strict=True))
        if i != index
    ]
    if not others:
        return on_criterion, on_criterion
    rest = math.fsum(w for w, _ in others)
    if rest <= 0:  # the other weights are all zero: share the rest equally
        others = [(1.0, s) for _, s in others]
        rest = float(len(others))
    return on_criterion, math.fsum(w * s for w, s in others) / rest * SCALE


def _stable_interval(
    lines: dict[str, tuple[float, float]], leader: str, weight: float
) -> tuple[float, float]:
    """The weights around ``weight`` (the one now) at which ``leader`` is first.

    Each crossing is measured from ``weight``, where the leader's margin is
    known not to be negative, so float noise cannot put the interval beside it.
    """
    low, high = 0.0, 1.0
    a_lead, b_lead = lines[leader]
    for key, (a, b) in lines.items():
        if key == leader:
            continue
        # The leader's margin over this rival: now + slope × (t − weight).
        slope = (a_lead - a) - (b_lead - b)
        if abs(slope) < _TOLERANCE:
            continue  # parallel: the margin never changes sign
        now = max(score_at((a_lead, b_lead), weight) - score_at((a, b), weight), 0.0)
        crossing = weight - now / slope
        if slope > 0:
            low = max(low, min(crossing, weight))
        else:
            high = min(high, max(crossing, weight))
    return min(max(low, 0.0), 1.0), max(min(high, 1.0), 0.0)


def _taker(
    lines: dict[str, tuple[float, float]], leader: str, at: float, *, upward: bool
) -> str | None:
    """Who is first just past ``at`` (above it if ``upward``, else below)."""
    top = max(score_at(line, at) for line in lines.values())
    tied = [
        key
        for key, line in lines.items()
        if key != leader and score_at(line, at) >= top - 1e-7
    ]
    if not tied:
        return None

    def slope(key: str) -> float:
        a, b = lines[key]
        return (a - b) if upward else (b - a)

    best = max(slope(key) for key in tied)
    return min(
        (key for key in tied if slope(key) >= best - _TOLERANCE), key=natural_key
    )


def _score_table(brief: Brief) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for score in brief.scores:
        table.setdefault(score.option, {})[score.criterion] = score.score
    return table


@dataclass(frozen=True, slots=True)
class Robustness:
    """How safe first place is, for a one-sentence summary.

    ``tipping`` is the criterion whose weight, moved the least, changes the
    leader (``None`` if no single weight can); ``rises`` whether that is by
    raising it; ``threshold`` the weight at which it happens; ``taker`` who
    then ranks first.
    """

    leaders: tuple[str, ...]
    ranked: int
    tipping: Sensitivity | None
    rises: bool
    threshold: float
    taker: str


def robustness(analysis: Analysis) -> Robustness | None:
    """How safe first place is; ``None`` if nothing could be ranked."""
    leaders = analysis.leaders
    if not leaders:
        return None
    best: tuple[float, Sensitivity, bool] | None = None
    for item in analysis.sensitivity:
        for rises, threshold, taker in (
            (True, item.stable_to, item.next_leader),
            (False, item.stable_from, item.leader_below),
        ):
            distance = round(abs(threshold - item.weight), 9)
            if taker is not None and (best is None or distance < best[0]):
                best = (distance, item, rises)
    if best is None:
        return Robustness(leaders, len(analysis.ranked), None, True, 0.0, "")
    _, item, rises = best
    threshold = item.stable_to if rises else item.stable_from
    taker = (item.next_leader if rises else item.leader_below) or ""
    return Robustness(leaders, len(analysis.ranked), item, rises, threshold, taker)


ENGLISH_PHRASES = {
    "recommendation_unless": "The recommendation of Option {leader} holds unless "
    "the weight of {criterion} {direction} {threshold}, when Option {taker} ranks "
    "first.",
    "first_unless": "Option {leader} ranks first unless the weight of {criterion} "
    "{direction} {threshold}, when Option {taker} does.",
    "recommendation_always": "The recommendation of Option {leader} holds whatever "
    "weight any single criterion is given.",
    "first_always": "Option {leader} ranks first whatever weight any single "
    "criterion is given.",
    "recommendation_only": "Option {leader} is the only option not screened out, "
    "so no change of weights alters the recommendation.",
    "first_only": "Option {leader} is the only option not screened out, so it ranks "
    "first whatever the weights.",
    "shared_first": "Options {leaders} share first place, so the scores alone do "
    "not decide between them.",
    "rises": "rises above",
    "falls": "falls below",
    "and": "and",
    "no_options": "No option can be ranked: the brief has no options yet.",
    "no_criteria": "No option can be ranked yet: add criteria and score the "
    "options on them.",
    "zero_weights": "No option can be ranked: every criterion has a weight of zero.",
    "all_screened": "No option can be ranked: every option fails a hard constraint.",
    "no_scores": "No option can be ranked yet: score the options on the criteria.",
}
"""The sentences of ``robustness_sentence``; a template language gives its own."""


def robustness_sentence(
    analysis: Analysis,
    phrases: dict[str, str] = ENGLISH_PHRASES,
    share: Callable[[float], str] | None = None,
) -> str:
    """How safe first place is, in one sentence (English unless ``phrases`` and
    ``share``, the percentage format, say otherwise). It speaks of "the
    recommendation" only when the brief recommends the option ranked first."""
    share = share or percent
    found = robustness(analysis)
    if found is None:
        return phrases[analysis.blocked or "no_scores"]
    if len(found.leaders) > 1:
        names = ", ".join(found.leaders[:-1]) + f" {phrases['and']} {found.leaders[-1]}"
        return phrases["shared_first"].format(leaders=names)
    leader = found.leaders[0]
    kind = "recommendation" if analysis.recommended == leader else "first"
    if found.ranked == 1:
        return phrases[f"{kind}_only"].format(leader=leader)
    if found.tipping is None:
        return phrases[f"{kind}_always"].format(leader=leader)
    title = found.tipping.title
    return phrases[f"{kind}_unless"].format(
        leader=leader,
        criterion=lower_first(title) if phrases is ENGLISH_PHRASES else title,
        direction=phrases["rises"] if found.rises else phrases["falls"],
        threshold=share(found.threshold),
        taker=found.taker,
    )


def percent(share: float) -> str:
    """``0.482`` as ``48.2%``, ``0.48`` as ``48%``."""
    text = f"{share * 100:.1f}".removesuffix(".0")
    return f"{text}%"


def lower_first(title: str) -> str:
    """``Cost`` as ``cost`` mid-sentence, but ``NATO interoperability`` as it is."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The analysis as JSON-ready values, numbers at full precision."""
    return {
        "ranking": [
            {
                "option": r.option,
                "title": r.title,
                "score": r.score,
                "rank": r.rank,
                "screened_out": r.screened_out,
                "reasons": [
                    {"constraint": x.constraint, "title": x.title, "note": x.note}
                    for x in r.reasons
                ],
            }
            for r in analysis.ranking
        ],
        "sensitivity": [
            {
                "criterion": s.criterion,
                "title": s.title,
                "weight": s.weight,
                "stable_from": s.stable_from,
                "stable_to": s.stable_to,
                "leader_below": s.leader_below,
                "next_leader": s.next_leader,
            }
            for s in analysis.sensitivity
        ],
        "summary": robustness_sentence(analysis),
        "checks": [
            {"severity": c.severity.value, "message": c.message, "where": c.where}
            for c in analysis.checks
        ],
    }
