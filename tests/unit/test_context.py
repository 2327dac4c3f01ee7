"""The values templates receive: formatted for reading, cleaned for XML."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from briefapp.documents.context import brief_context
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


def test_context_has_no_missing_values_for_an_empty_brief() -> None:
    context = brief_context(Brief("R", "T", "OFFICIAL"), today=TODAY)
    assert context["deadline"] == ""
    assert context["options"] == []


def test_context_strings_are_cleaned(demo_brief: Brief) -> None:
    brief = replace(demo_brief, title="A\x00B\x0bC")
    assert brief_context(brief, today=TODAY)["title"] == "AB\nC"
