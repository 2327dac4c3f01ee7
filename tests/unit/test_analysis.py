"""Decision analysis: hand-computed cases and properties that must always hold."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefapp.domain.analysis import (
    Analysis,
    analyse,
    natural_key,
    normalised_weights,
    robustness_sentence,
    score_at,
)
from briefapp.domain.analysis_checks import Check, Severity
from briefapp.domain.entities import (
    Assessment,
    AssessmentResult,
    Brief,
    Constraint,
    Country,
    CountryRole,
    Criterion,
    Option,
    Score,
)
from briefapp.domain.errors import AnalysisError


def _brief(
    table: dict[str, list[int]],
    weights: list[float],
    assessments: tuple[Assessment, ...] = (),
    constraints: tuple[Constraint, ...] = (),
) -> Brief:
    """Options keyed as in ``table``, each scored on criteria K1, K2… in order."""
    criteria = tuple(
        Criterion(f"K{i + 1}", f"Criterion {i + 1}", weight=w)
        for i, w in enumerate(weights)
    )
    return Brief(
        reference="R",
        title="T",
        classification="OFFICIAL",
        options=tuple(Option(key, f"Option {key}") for key in table),
        criteria=criteria,
        scores=tuple(
            Score(key, f"K{i + 1}", value)
            for key, values in table.items()
            for i, value in enumerate(values)
        ),
        constraints=constraints,
        assessments=assessments,
    )


def _scores(analysis: Analysis) -> dict[str, float | None]:
    return {r.option: r.score for r in analysis.ranking}


def _checks(analysis: Analysis) -> list[Check]:
    """The checks, leaving out those on options' missing costs and delivery times."""
    return [c for c in analysis.checks if c.area != "options"]


def _ranks(analysis: Analysis) -> dict[str, int | None]:
    return {r.option: r.rank for r in analysis.ranking}


# Hand-computed cases ----------------------------------------------------------


def test_two_options_two_criteria() -> None:
    # Weights 3:1 → 0.75, 0.25. A = (0.75×4 + 0.25×1)×20 = 65; B = (1.5 + 1.25)×20 = 55.
    brief = _brief({"A": [4, 1], "B": [2, 5]}, [3, 1])
    analysis = analyse(replace(brief, recommended_option="A"))
    assert _scores(analysis) == {"A": pytest.approx(65), "B": pytest.approx(55)}
    assert _ranks(analysis) == {"A": 1, "B": 2}
    assert [r.contributions for r in analysis.ranking] == [
        pytest.approx((60, 5)),
        pytest.approx((30, 25)),
    ]
    # K1 at t: A = 20(1 + 3t), B = 20(5 − 3t): equal at t = 2/3.
    k1, k2 = analysis.sensitivity
    assert (k1.weight, round(k1.stable_from, 3), k1.stable_to) == (0.75, 0.667, 1)
    assert (k1.leader_below, k1.next_leader) == ("B", None)
    # K2 at t: A = 20(4 − 3t), B = 20(2 + 3t): equal at t = 1/3.
    assert (k2.stable_from, round(k2.stable_to, 3)) == (0, 0.333)
    assert (k2.leader_below, k2.next_leader) == (None, "B")
    assert robustness_sentence(analysis) == (
        "The recommendation of Option A holds unless the weight of criterion 1 "
        "falls below 66.7%, when Option B ranks first."
    )


def test_the_leader_changes_at_a_known_weight() -> None:
    # Weights 2:1:1. A = 70, B = 65, C = 60.
    brief = _brief({"A": [5, 1, 3], "B": [3, 4, 3], "C": [1, 5, 5]}, [2, 1, 1])
    analysis = analyse(replace(brief, recommended_option="A"))
    assert _scores(analysis) == {
        "A": pytest.approx(70),
        "B": pytest.approx(65),
        "C": pytest.approx(60),
    }
    k1, k2, k3 = analysis.sensitivity
    # K1: A = 2 + 3t, B = 3.5 − t/2, C = 5 − 4t (×20); B and C both meet A at
    # t = 3/7, and below it C gains faster.
    assert round(k1.stable_from, 3) == 0.429
    assert (k1.stable_to, k1.leader_below, k1.next_leader) == (1, "C", None)
    # K2: A = 13/3 − 10t/3, B = 3 + t: B overtakes at t = 4/13 (C only at 1/3).
    assert (k2.stable_from, round(k2.stable_to, 3), k2.next_leader) == (0, 0.308, "B")
    # K3: A = 11/3 − 2t/3, C = 7/3 + 8t/3: C overtakes at t = 0.4; B never does.
    assert (k3.stable_from, round(k3.stable_to, 3), k3.next_leader) == (0, 0.4, "C")
    assert robustness_sentence(analysis) == (
        "The recommendation of Option A holds unless the weight of criterion 2 "
        "rises above 30.8%, when Option B ranks first."
    )


def test_equal_scores_share_a_rank_and_are_listed_by_key() -> None:
    analysis = analyse(_brief({"C": [1, 1], "B": [4, 2], "A": [2, 4]}, [1, 1]))
    assert [(r.option, r.rank) for r in analysis.ranking] == [
        ("A", 1),
        ("B", 1),
        ("C", 3),
    ]
    assert analysis.leaders == ("A", "B")
    assert robustness_sentence(analysis) == (
        "Options A and B share first place, so the scores alone do not decide "
        "between them."
    )


def test_a_hard_constraint_screens_an_option_out_with_its_reasons() -> None:
    constraints = (
        Constraint("C1", "Consent to re-transfer"),
        Constraint("C2", "Delivery in a year", hard=False),
    )
    assessments = (
        Assessment("A", "C1", AssessmentResult.FAILS, "No consent given"),
        Assessment("A", "C2", AssessmentResult.MEETS),
        Assessment("B", "C1", AssessmentResult.MEETS),
        Assessment("B", "C2", AssessmentResult.FAILS, "18 months"),
    )
    brief = _brief({"A": [5], "B": [1]}, [1], assessments, constraints)
    analysis = analyse(brief)
    a = next(r for r in analysis.ranking if r.option == "A")
    assert (a.rank, a.screened_out) == (None, True)
    assert [(r.constraint, r.title, r.note) for r in a.reasons] == [
        ("C1", "Consent to re-transfer", "No consent given")
    ]
    assert [r.option for r in analysis.ranked] == ["B"]
    # A soft failure is flagged, not screened.
    assert [(c.severity, c.where) for c in _checks(analysis)] == [
        (Severity.INFO, "assessments[B,C2]")
    ]
    assert robustness_sentence(analysis) == (
        "Option B is the only option not screened out, so it ranks first whatever "
        "the weights."
    )


def test_when_every_option_is_screened_out_nothing_is_ranked() -> None:
    constraints = (Constraint("C1", "Legal"),)
    assessments = (
        Assessment("A", "C1", AssessmentResult.FAILS),
        Assessment("B", "C1", AssessmentResult.FAILS),
    )
    analysis = analyse(_brief({"A": [3], "B": [4]}, [1], assessments, constraints))
    assert analysis.ranked == ()
    assert analysis.sensitivity == ()
    assert [r.option for r in analysis.screened_out] == ["A", "B"]
    assert [(c.severity, c.message) for c in _checks(analysis)] == [
        (
            Severity.ERROR,
            "Every option fails a hard constraint, so none can be recommended.",
        )
    ]
    assert robustness_sentence(analysis) == (
        "No option can be ranked: every option fails a hard constraint."
    )


def test_one_option_only_is_first_whatever_the_weights() -> None:
    analysis = analyse(_brief({"A": [2, 3]}, [1, 4]))
    assert _ranks(analysis) == {"A": 1}
    assert _scores(analysis) == {"A": pytest.approx((0.2 * 2 + 0.8 * 3) * 20)}
    assert [(s.stable_from, s.stable_to) for s in analysis.sensitivity] == [
        (0, 1),
        (0, 1),
    ]


def test_zero_weights_are_a_clear_error_not_a_division_by_zero() -> None:
    brief = _brief({"A": [2, 3], "B": [1, 1]}, [0, 0])
    with pytest.raises(AnalysisError, match="Every criterion has a weight of zero"):
        normalised_weights(brief.criteria)
    analysis = analyse(brief)
    assert _scores(analysis) == {"A": None, "B": None}
    assert _ranks(analysis) == {"A": None, "B": None}
    assert [(c.severity, c.where) for c in analysis.checks][:1] == [
        (Severity.ERROR, "criteria")
    ]


def test_a_criterion_that_cannot_change_the_leader_has_the_whole_interval() -> None:
    # A is at least as good as B on every criterion.
    analysis = analyse(_brief({"A": [5, 3], "B": [2, 3]}, [1, 1]))
    k1, k2 = analysis.sensitivity
    assert (k1.stable_from, k1.stable_to, k1.next_leader) == (0, 1, None)
    # Only at K2's full weight (K1 weighing nothing) does B draw level; A stays first.
    assert (k2.stable_from, k2.stable_to, k2.next_leader) == (0, 1, None)
    assert robustness_sentence(analysis) == (
        "Option A ranks first whatever weight any single criterion is given."
    )


def test_a_missing_score_counts_as_zero_and_is_flagged() -> None:
    brief = _brief({"A": [4, 4], "B": [3, 3]}, [1, 1])
    brief = replace(brief, scores=brief.scores[1:])  # A has no K1 score
    analysis = analyse(brief)
    assert _scores(analysis)["A"] == pytest.approx(40)
    assert [c.message for c in _checks(analysis)] == [
        "Option A has no score on criterion K1 (Criterion 1); it counts as 0."
    ]
    assert _checks(analysis)[0].where == "scores[A,K1]"


def test_checks_name_what_a_brief_still_lacks(demo_brief: Brief) -> None:
    brief = replace(
        _brief({"A": [3], "B": [2]}, [1], constraints=(Constraint("C1", "Budget"),)),
        countries=(
            Country("UA", CountryRole.RECIPIENT),
            Country("XX", CountryRole.SUPPLIER),
        ),
        recommended_option="B",
    )
    brief = replace(
        brief, options=(brief.options[0], replace(brief.options[1], supplier="XX"))
    )
    wheres = [(c.where, c.message) for c in analyse(brief).checks]
    assert wheres == [
        (
            "assessments[A,C1]",
            "Option A is not assessed against constraint C1 (Budget).",
        ),
        (
            "assessments[B,C1]",
            "Option B is not assessed against constraint C1 (Budget).",
        ),
        ("options[A].cost", "Option A has no cost."),
        ("options[A].delivery_months", "Option A has no delivery time."),
        ("options[B].cost", "Option B has no cost."),
        ("options[B].delivery_months", "Option B has no delivery time."),
        (
            "countries[UA]",
            "Ukraine is a recipient, but no constraint covers export and "
            "re-transfer consent (kind “Export and re-transfer”).",
        ),
        (
            "options[B].supplier",
            "The recommended option B names a supplier that is not identified "
            "yet (XX).",
        ),
        (
            "recommended_option",
            "The brief recommends option B, but the analysis ranks option A first.",
        ),
    ]


# Properties -----------------------------------------------------------------


@st.composite
def _briefs(draw: st.DrawFn, integer_weights: bool = False) -> Brief:
    options = draw(st.integers(1, 5))
    criteria = draw(st.integers(1, 4))
    weight = (
        st.integers(0, 20).map(float)
        if integer_weights
        else st.floats(0, 100, allow_nan=False, allow_infinity=False)
    )
    weights = draw(st.lists(weight, min_size=criteria, max_size=criteria))
    if sum(weights) <= 0:
        weights[0] = 1.0
    keys = [chr(ord("A") + i) for i in range(options)]
    table = {
        key: draw(st.lists(st.integers(0, 5), min_size=criteria, max_size=criteria))
        for key in keys
    }
    failing = draw(st.sets(st.sampled_from(keys)))
    assessments = tuple(
        Assessment(key, "C1", AssessmentResult.FAILS) for key in sorted(failing)
    )
    brief = _brief(table, weights, assessments, (Constraint("C1", "Hard"),))
    # Drop some scores: they count as zero.
    kept = draw(st.lists(st.booleans(), min_size=len(brief.scores)))
    scores = tuple(
        s
        for s, keep in zip(brief.scores, kept[: len(brief.scores)], strict=True)
        if keep
    )
    return replace(brief, scores=scores)


@settings(max_examples=200, deadline=None)
@given(_briefs())
def test_scores_stay_within_0_and_100(brief: Brief) -> None:
    for ranked in analyse(brief).ranked:
        assert ranked.score is not None
        assert -1e-9 <= ranked.score <= 100 + 1e-9


@settings(max_examples=200, deadline=None)
@given(_briefs())
def test_the_ranking_is_a_permutation_of_the_options_not_screened_out(
    brief: Brief,
) -> None:
    analysis = analyse(brief)
    failing = {a.option for a in brief.assessments}
    survivors = sorted(o.key for o in brief.options if o.key not in failing)
    if not any(s.option in survivors for s in brief.scores):
        assert analysis.ranked == ()  # nothing scored: nothing to rank
        assert analysis.blocked in ("all_screened", "no_scores")
        return
    assert sorted(r.option for r in analysis.ranked) == survivors
    ranks = [r.rank for r in analysis.ranked]
    assert ranks == sorted(ranks)
    assert {r.option for r in analysis.screened_out} == failing


@settings(max_examples=200, deadline=None)
@given(_briefs(integer_weights=True), st.integers(2, 1000))
def test_scaling_every_weight_changes_nothing(brief: Brief, factor: int) -> None:
    scaled = replace(
        brief,
        criteria=tuple(replace(c, weight=c.weight * factor) for c in brief.criteria),
    )
    before, after = analyse(brief), analyse(scaled)
    assert (after.ranking, after.sensitivity, after.checks, after.weights) == (
        before.ranking,
        before.sensitivity,
        before.checks,
        before.weights,
    )


@settings(max_examples=300, deadline=None)
@given(_briefs())
def test_the_leader_at_the_reported_boundaries_matches_the_report(
    brief: Brief,
) -> None:
    analysis = analyse(brief)
    if not analysis.ranked:
        return
    leader = analysis.ranked[0].option
    for item in analysis.sensitivity:
        index = [c.key for c in brief.criteria].index(item.criterion)
        lines = {
            r.option: _line_of(brief, analysis, r.option, index)
            for r in analysis.ranked
        }

        def first(at: float, lines: dict[str, tuple[float, float]] = lines) -> set[str]:
            top = max(score_at(line, at) for line in lines.values())
            return {k for k, line in lines.items() if score_at(line, at) >= top - 1e-7}

        assert item.stable_from <= item.weight + 1e-9 <= item.stable_to + 2e-9
        assert leader in first(item.stable_from)
        assert leader in first(item.stable_to)
        # Past a boundary, first place goes to the option rising fastest from
        # among those level with the leader there (the first by key if several),
        # and the leader falls behind it.
        if item.next_leader is not None:
            assert item.next_leader == _taker(lines, leader, item.stable_to, 1)
        else:
            assert item.stable_to == 1
        if item.leader_below is not None:
            assert item.leader_below == _taker(lines, leader, item.stable_from, -1)
        else:
            assert item.stable_from == 0


def _taker(
    lines: dict[str, tuple[float, float]], leader: str, at: float, direction: int
) -> str:
    top = max(score_at(line, at) for line in lines.values())
    level = [k for k, line in lines.items() if score_at(line, at) >= top - 1e-7]

    def rise(key: str) -> float:
        a, b = lines[key]
        return (a - b) * direction

    best = max(rise(k) for k in level if k != leader)
    assert best > rise(leader)  # the leader does fall behind
    return min(
        (k for k in level if k != leader and rise(k) >= best - 1e-9), key=natural_key
    )


def _line_of(
    brief: Brief, analysis: Analysis, option: str, index: int
) -> tuple[float, float]:
    """The option's score as ``(a, b)`` in ``t × a + (1 − t) × b``, recomputed
    here from the scores, independently of the code under test."""
    given_scores = {s.criterion: s.score for s in brief.scores if s.option == option}
    values = [given_scores.get(c.key, 0) * 20 for c in brief.criteria]
    weights = list(analysis.weights)
    others = [
        (w, v)
        for i, (w, v) in enumerate(zip(weights, values, strict=True))
        if i != index
    ]
    if not others:
        return values[index], values[index]
    rest = sum(w for w, _ in others)
    if rest <= 0:
        return values[index], sum(v for _, v in others) / len(others)
    return values[index], sum(w * v for w, v in others) / rest


def test_the_sentence_speaks_of_the_recommendation_only_when_it_ranks_first() -> None:
    brief = replace(_brief({"A": [4, 1], "B": [2, 5]}, [1, 3]), recommended_option="A")
    analysis = analyse(brief)
    assert analysis.leader == "B"
    assert robustness_sentence(analysis).startswith("Option B ranks first unless")
    assert [c.message for c in _checks(analysis)] == [
        "The brief recommends option A, but the analysis ranks option B first."
    ]


def test_options_without_any_score_are_not_ranked() -> None:
    brief = replace(_brief({"A": [4, 1], "B": [2, 5]}, [1, 1]), scores=())
    analysis = analyse(brief)
    assert analysis.ranked == ()
    assert analysis.sensitivity == ()
    assert analysis.blocked == "no_scores"
    assert robustness_sentence(analysis) == (
        "No option can be ranked yet: score the options on the criteria."
    )
    assert len([c for c in analysis.checks if c.area == "scores"]) == 4
