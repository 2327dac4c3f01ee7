"""List edits keep assessments, scores and the recommendation on their items."""

from __future__ import annotations

from dataclasses import replace

from briefapp.domain.edits import with_items
from briefapp.domain.entities import Brief


def test_renaming_an_option_moves_its_assessments_scores_and_recommendation(
    demo_brief: Brief,
) -> None:
    options = (replace(demo_brief.options[0], key="A1"), *demo_brief.options[1:])
    edited = with_items(demo_brief, "options", options)
    assert edited.recommended_option == "A1"
    assert {a.option for a in edited.assessments} == {"A1", "B", "C", "D"}
    assert len(edited.assessments) == len(demo_brief.assessments)
    assert [s.score for s in edited.scores if s.option == "A1"] == [
        s.score for s in demo_brief.scores if s.option == "A"
    ]


def test_reordering_renames_nothing(demo_brief: Brief) -> None:
    reordered = tuple(reversed(demo_brief.options))
    edited = with_items(demo_brief, "options", reordered)
    assert edited.assessments == demo_brief.assessments
    assert edited.recommended_option == "A"


def test_removing_a_constraint_or_criterion_removes_what_refers_to_it(
    demo_brief: Brief,
) -> None:
    edited = with_items(demo_brief, "constraints", demo_brief.constraints[1:])
    assert "C1" not in {a.constraint for a in edited.assessments}
    assert len(edited.assessments) == len(demo_brief.assessments) - 4
    edited = with_items(edited, "criteria", demo_brief.criteria[:-1])
    assert {s.criterion for s in edited.scores} == {"K1", "K2", "K3", "K4"}


def test_removing_a_source_leaves_the_assessment_without_one(
    demo_brief: Brief,
) -> None:
    kept = tuple(s for s in demo_brief.sources if s.key != "S3")
    edited = with_items(demo_brief, "sources", kept)
    assert edited.assessments[0].source is None
    assert edited.assessments[0].note == demo_brief.assessments[0].note
    assert edited.assessments[4].source == "S2"
