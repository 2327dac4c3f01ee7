"""The values templates receive: formatted for reading, cleaned for XML."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from briefapp.documents.context import brief_context
from briefapp.documents.labels import LITHUANIAN
from briefapp.domain.entities import Brief

TODAY = dt.date(2026, 11, 28)


def test_context_formats_dates_money_and_names(demo_brief: Brief) -> None:
    context = brief_context(demo_brief, today=TODAY)
    assert context["date"] == "28 November 2026"
    assert context["deadline"] == "15 December 2026"
    assert context["brief_type_label"] == "Decision brief"
    option_a = context["options"][0]
    assert option_a["cost"] == "€38,400,000.00"
    assert option_a["cost_amount"] == "38400000.00"
    assert option_a["quantity"] == "12,000"
    assert option_a["quantity_unit"] == "rounds"
    assert option_a["quantity_text"] == "12,000 rounds"
    assert option_a["delivery"] == "9 months"
    assert option_a["supplier_name"] == "Not yet named"
    assert context["options"][3]["supplier"] == ""
    assert context["countries"][0] == {
        "code": "LT",
        "name": "Lithuania",
        "role": "acquirer",
        "role_label": "Acquirer",
        "notes": demo_brief.countries[0].notes,
    }
    assert context["constraints"][3]["strength"] == "Soft"
    assert context["constraints"][1]["kind_label"] == "Export and re-transfer"
    assert context["sources"][1]["citation"] == (
        "Convention on Cluster Munitions, United Nations Treaty Series, 30 May 2008"
    )


def test_a_quantity_without_a_unit_or_number_reads_as_it_is(
    demo_brief: Brief,
) -> None:
    a, b, *rest = demo_brief.options
    options = (
        replace(a, quantity_unit=""),
        replace(b, quantity=None, quantity_unit=""),
    )
    options += tuple(rest)
    brief = replace(demo_brief, options=options)
    english = brief_context(brief, today=TODAY)["options"]
    assert [o["quantity_text"] for o in english[:2]] == ["12,000", ""]
    lithuanian = brief_context(brief, today=TODAY, labels=LITHUANIAN)["options"]
    assert lithuanian[3]["quantity_text"] == "4\u00a0500 rounds"


def test_context_has_no_missing_values_for_an_empty_brief() -> None:
    context = brief_context(Brief("R", "T", "OFFICIAL"), today=TODAY)
    assert context["deadline"] == ""
    assert context["options"] == []


def test_context_strings_are_cleaned(demo_brief: Brief) -> None:
    brief = replace(demo_brief, title="A\x00B\x0bC")
    assert brief_context(brief, today=TODAY)["title"] == "AB\nC"


def test_each_option_carries_its_place_and_the_reasons_for_it(
    demo_brief: Brief,
) -> None:
    options = brief_context(demo_brief, today=TODAY)["options"]
    a, c = options[0], options[2]
    assert (a["rank"], a["score"], a["screened_out"], a["reasons"]) == (
        1,
        "68.0",
        False,
        [],
    )
    assert a["scores"][0] == {
        "key": "K1",
        "title": "Military effectiveness",
        "weight": "30%",
        "score": "5",
        "points": "30.0",
        "rationale": "Meets both aims: national stocks and rounds for Ukraine.",
    }
    assert sum(float(s["points"]) for s in a["scores"]) == 68.0
    assert a["assessments"][0] == {
        "key": "C1",
        "title": "Legal position after withdrawal from the Convention",
        "hard": True,
        "strength": "Hard",
        "result": "meets",
        "result_label": "meets",
        "mark": "✓",
        "note": "Lawful since the withdrawal took effect.",
        "source": "S3",
    }
    assert c["rank"] == ""
    assert c["screened_out"] is True
    assert c["reasons"][0].startswith("fails C6 (Humanitarian standard")
    assert c["assessments"][5]["mark"] == "✗"


def test_an_option_not_scored_or_assessed_says_so(demo_brief: Brief) -> None:
    brief = replace(
        demo_brief,
        scores=tuple(s for s in demo_brief.scores if s.option != "B"),
        assessments=tuple(a for a in demo_brief.assessments if a.option != "B"),
    )
    b = brief_context(brief, today=TODAY, labels=LITHUANIAN)["options"][1]
    assert [s["score"] for s in b["scores"]] == [""] * 5
    assert {s["rationale"] for s in b["scores"]} == {""}
    assert b["scores"][0]["weight"] == "30\xa0%"
    assert b["assessments"] == []  # the matrix shows it as not assessed
    one = replace(demo_brief.assessments[0], option="B", note="", source=None)
    brief = replace(brief, assessments=(*brief.assessments, one))
    (only,) = brief_context(brief, today=TODAY, labels=LITHUANIAN)["options"][1][
        "assessments"
    ]
    assert (only["key"], only["result_label"], only["note"], only["source"]) == (
        "C1",
        "atitinka",
        "",
        "",
    )
    empty = brief_context(replace(demo_brief, criteria=(), constraints=()), today=TODAY)
    assert empty["options"][0]["scores"] == []
    assert empty["options"][0]["assessments"] == []
    assert empty["options"][0]["rank"] == ""
