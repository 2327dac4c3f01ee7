"""Comparing two versions of a brief: the changes a reader is shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from briefapp.domain.compare import (
    BriefComparison,
    ChangeKind,
    FieldChange,
    ItemChange,
    Segment,
    SegmentKind,
    compare_briefs,
    comparison_lines,
    word_diff,
)
from briefapp.domain.entities import (
    Brief,
    BriefType,
    Constraint,
    ConstraintKind,
    Country,
    CountryRole,
    Criterion,
    Money,
    Option,
    Score,
    Source,
)

EQUAL, INSERT, DELETE = SegmentKind.EQUAL, SegmentKind.INSERT, SegmentKind.DELETE


def _brief() -> Brief:
    return Brief(
        reference="MOD-2026-001",
        title="Artillery ammunition",
        classification="RESTRICTED",
        summary="The cost is high.",
        key_points=("Stocks are low.",),
        countries=(
            Country("LT", CountryRole.ACQUIRER, "Buys for its own forces."),
            Country("DE", CountryRole.SUPPLIER, "Offers new production."),
        ),
        options=(
            Option("A", "Buy from Poland", supplier="PL"),
            Option("B", "Buy from Germany", supplier="DE"),
            Option("D", "Do nothing"),
        ),
        constraints=(
            Constraint("C1", "Legal basis", kind=ConstraintKind.LEGAL),
            Constraint("C2", "Re-transfer consent"),
            Constraint("C3", "Budget ceiling", kind=ConstraintKind.BUDGET),
        ),
        criteria=(Criterion("K1", "Effectiveness", weight=30.0),),
        scores=(Score("A", "K1", 4, "Proven rounds."), Score("B", "K1", 3)),
    )


def _edited(brief: Brief) -> Brief:
    lithuania, germany = brief.countries
    constraints = brief.constraints
    return replace(
        brief,
        summary="The cost is low.",
        key_points=(*brief.key_points, "Delivery takes a year."),
        options=(*brief.options[:2], Option("E", "Lease from Poland")),
        constraints=(*constraints[:2], replace(constraints[2], title="Budget cap")),
        countries=(replace(lithuania, notes="Buys for Ukraine."), germany),
        scores=(replace(brief.scores[0], score=5), brief.scores[1]),
    )


def _changed_words(change: FieldChange) -> list[tuple[SegmentKind, str]]:
    return [(s.kind, s.text) for s in change.segments if s.kind is not EQUAL]


# word_diff --------------------------------------------------------------------


def test_word_diff_marks_the_changed_word_only() -> None:
    assert word_diff("The cost is high.", "The cost is very high!") == (
        Segment(EQUAL, "The cost is "),
        Segment(INSERT, "very "),
        Segment(EQUAL, "high"),
        Segment(DELETE, "."),
        Segment(INSERT, "!"),
    )


def test_word_diff_of_equal_and_of_empty_texts() -> None:
    assert word_diff("same", "same") == (Segment(EQUAL, "same"),)
    assert word_diff("", "") == ()
    assert word_diff("", "new text") == (Segment(INSERT, "new text"),)
    assert word_diff("old text", "") == (Segment(DELETE, "old text"),)


@given(st.text(), st.text())
def test_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.kind is not INSERT) == old
    assert "".join(s.text for s in segments if s.kind is not DELETE) == new
    assert all(s.text for s in segments)


# compare_briefs ---------------------------------------------------------------


def test_identical_briefs_have_no_differences(demo_brief: Brief) -> None:
    comparison = compare_briefs(demo_brief, replace(demo_brief))
    assert comparison.is_empty
    assert comparison.counts() == {"fields": 0, "added": 0, "removed": 0, "changed": 0}
    assert comparison_lines(comparison) == ["No differences."]


def test_storage_state_is_not_a_difference(demo_brief: Brief) -> None:
    saved = replace(demo_brief, id=7, revision=3)
    assert compare_briefs(demo_brief, saved).is_empty


def test_known_edits_give_exactly_those_changes() -> None:
    old = _brief()
    comparison = compare_briefs(old, _edited(old))

    summary, key_points = comparison.fields
    assert (summary.path, summary.label) == ("summary", "Summary")
    assert summary.segments == (
        Segment(EQUAL, "The cost is "),
        Segment(DELETE, "high"),
        Segment(INSERT, "low"),
        Segment(EQUAL, "."),
    )
    assert (key_points.path, key_points.label) == ("key_points", "Key points")
    assert key_points.old == "Stocks are low."
    assert key_points.new == "Stocks are low.\nDelivery takes a year."
    assert _changed_words(key_points) == [(INSERT, "\nDelivery takes a year.")]

    summaries = [(i.collection, i.key, i.label, i.kind) for i in comparison.items]
    assert summaries == [
        ("options", "E", "Option E: Lease from Poland", ChangeKind.ADDED),
        ("options", "D", "Option D: Do nothing", ChangeKind.REMOVED),
        ("constraints", "C3", "Constraint C3: Budget cap", ChangeKind.CHANGED),
        (
            "countries",
            "LT/acquirer",
            "Country Lithuania (acquirer)",
            ChangeKind.CHANGED,
        ),
        ("scores", "A/K1", "Score of A on K1", ChangeKind.CHANGED),
    ]
    added, removed, constraint, country, score = comparison.items
    assert added.fields == removed.fields == ()
    assert not any(item.moved for item in comparison.items)
    assert [(f.path, f.label, f.old, f.new) for f in constraint.fields] == [
        ("constraints.C3.title", "Title", "Budget ceiling", "Budget cap")
    ]
    assert _changed_words(constraint.fields[0]) == [
        (DELETE, "ceiling"),
        (INSERT, "cap"),
    ]
    assert [(f.path, f.label) for f in country.fields] == [
        ("countries.LT/acquirer.notes", "Notes")
    ]
    assert _changed_words(country.fields[0]) == [
        (DELETE, "its own forces"),
        (INSERT, "Ukraine"),
    ]
    assert [(f.path, f.label, f.old, f.new) for f in score.fields] == [
        ("scores.A/K1.score", "Score", "4", "5")
    ]
    assert comparison.counts() == {"fields": 2, "added": 1, "removed": 1, "changed": 3}
    assert not comparison.is_empty


def test_comparison_lines_read_as_wdiff() -> None:
    old = _brief()
    assert comparison_lines(compare_briefs(old, _edited(old))) == [
        "Summary: The cost is [-high-]{+low+}.",
        "Key points: Stocks are low.{+\nDelivery takes a year.+}",
        "+ Option E: Lease from Poland",
        "- Option D: Do nothing",
        "~ Constraint C3: Budget cap",
        "    Title: Budget [-ceiling-]{+cap+}",
        "~ Country Lithuania (acquirer)",
        "    Notes: Buys for [-its own forces-]{+Ukraine+}.",
        "~ Score of A on K1",
        "    Score: [-4-]{+5+}",
    ]


def test_values_are_shown_as_people_read_them() -> None:
    old = replace(
        _brief(), sources=(Source("S1", "Budget law", date=dt.date(2026, 1, 5)),)
    )
    option = replace(
        old.options[1],
        supplier="PL",
        cost=Money(Decimal("1000000.00"), "EUR"),
        delivery_months=12,
        advantages=("Fast.", "Cheap."),
    )
    new = replace(
        old,
        brief_type=BriefType.INFORMATION,
        deadline=dt.date(2026, 12, 15),
        options=(old.options[0], option, old.options[2]),
        constraints=(replace(old.constraints[0], hard=False), *old.constraints[1:]),
        criteria=(replace(old.criteria[0], weight=27.5),),
        sources=(replace(old.sources[0], date=dt.date(2026, 2, 1), url="https://x"),),
    )
    comparison = compare_briefs(old, new)
    shown = {f.path: (f.label, f.old, f.new) for f in comparison.fields} | {
        f.path: (f.label, f.old, f.new) for i in comparison.items for f in i.fields
    }
    assert shown == {
        "brief_type": ("Brief type", "Decision brief", "Information brief"),
        "deadline": ("Deadline", "", "2026-12-15"),
        "options.B.supplier": ("Supplier", "Germany", "Poland"),
        "options.B.cost": ("Cost", "", "1000000.00 EUR"),
        "options.B.delivery_months": ("Delivery (months)", "", "12"),
        "options.B.advantages": ("Advantages", "", "Fast.\nCheap."),
        "constraints.C1.hard": ("Hard", "yes", "no"),
        "criteria.K1.weight": ("Weight", "30", "27.5"),
        "sources.S1.date": ("Date", "2026-01-05", "2026-02-01"),
        "sources.S1.url": ("URL", "", "https://x"),
    }


def test_a_country_in_two_roles_is_two_items() -> None:
    old = _brief()
    seller = Country("LT", CountryRole.SUPPLIER, "Sells surplus rounds.")
    new = replace(old, countries=(*old.countries, seller))
    (item,) = compare_briefs(old, new).items
    assert (item.key, item.label, item.kind) == (
        "LT/supplier",
        "Country Lithuania (supplier)",
        ChangeKind.ADDED,
    )
    # Editing one role's notes leaves the other role's entry alone.
    edited = replace(new, countries=(*old.countries, replace(seller, notes="None.")))
    (item,) = compare_briefs(new, edited).items
    assert (item.key, item.kind) == ("LT/supplier", ChangeKind.CHANGED)
    assert [f.path for f in item.fields] == ["countries.LT/supplier.notes"]


def test_unnamed_countries_in_the_same_role_are_told_apart(demo_brief: Brief) -> None:
    countries = list(demo_brief.countries)
    assert [c.code for c in countries[2:4]] == ["XX", "XX"]
    countries[3] = replace(countries[3], notes="Supplier 2: no longer interested.")
    comparison = compare_briefs(
        demo_brief, replace(demo_brief, countries=tuple(countries))
    )
    (item,) = comparison.items
    assert item.key == "XX/supplier#2"
    assert item.label == "Country not yet named (supplier) #2"
    assert item.fields[0].path == "countries.XX/supplier#2.notes"


def test_a_moved_option_is_reported_as_moved_only(demo_brief: Brief) -> None:
    a, b, c, d = demo_brief.options
    comparison = compare_briefs(demo_brief, replace(demo_brief, options=(a, d, b, c)))
    assert comparison.items == (
        ItemChange(
            "options", "D", f"Option D: {d.title}", ChangeKind.CHANGED, (), True
        ),
    )
    assert comparison_lines(comparison) == [f"~ Option D: {d.title} (moved)"]


def test_reordered_scores_are_no_change() -> None:
    old = _brief()
    new = replace(old, scores=tuple(reversed(old.scores)))
    assert compare_briefs(old, new) == BriefComparison((), ())


def test_a_changed_item_is_named_by_its_new_title(demo_brief: Brief) -> None:
    options = (replace(demo_brief.options[0], title="Buy and transfer"),)
    new = replace(demo_brief, options=options + demo_brief.options[1:])
    (item,) = compare_briefs(demo_brief, new).items
    assert item.label == "Option A: Buy and transfer"
    assert comparison_lines(compare_briefs(demo_brief, new))[0] == (
        "~ Option A: Buy and transfer"
    )


def test_a_unit_given_or_taken_away_is_a_difference(demo_brief: Brief) -> None:
    a, *rest = demo_brief.options
    fire_units = replace(a, quantity=4, quantity_unit="fire units")
    bare = replace(a, quantity_unit="")
    lines = comparison_lines(
        compare_briefs(replace(demo_brief, options=(bare, *rest)), demo_brief)
    )
    assert lines[1:] == ["    Quantity unit: {+rounds+}"]
    lines = comparison_lines(
        compare_briefs(demo_brief, replace(demo_brief, options=(bare, *rest)))
    )
    assert lines[1:] == ["    Quantity unit: [-rounds-]"]
    lines = comparison_lines(
        compare_briefs(demo_brief, replace(demo_brief, options=(fire_units, *rest)))
    )
    assert lines[1:] == [
        "    Quantity: [-12000-]{+4+}",
        "    Quantity unit: [-rounds-]{+fire units+}",
    ]
