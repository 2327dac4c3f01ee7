"""The .brief.json format: exact round trips and a precise message for every fault."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from briefapp import paths
from briefapp.domain.brief_format import dumps_brief, loads_brief, loads_brief_file
from briefapp.domain.entities import Brief, Money
from briefapp.domain.errors import BriefFormatError
from tests.unit.json_edits import Document, delete_at, set_at


@pytest.fixture
def document() -> Document:
    return json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))


def test_the_shipped_demo_is_in_canonical_form() -> None:
    text = paths.demo_brief_file().read_text(encoding="utf-8")
    assert dumps_brief(loads_brief(text)) == text


def test_reading_keeps_every_value(demo_brief: Brief) -> None:
    assert demo_brief.reference == "MOD-2026-014"
    assert demo_brief.deadline is not None
    assert demo_brief.deadline.isoformat() == "2026-12-15"
    option_a = demo_brief.options[0]
    assert option_a.cost == Money(Decimal("38400000.00"), "EUR")
    assert option_a.quantity == 12000
    assert option_a.quantity_unit == "rounds"
    assert option_a.supplier == "XX"
    assert len(option_a.advantages) == 3
    assert demo_brief.options[3].supplier is None
    assert [c.key for c in demo_brief.constraints] == [f"C{n}" for n in range(1, 8)]
    assert demo_brief.constraints[3].hard is False


def test_money_keeps_its_exact_digits(document: Document) -> None:
    document["brief"]["options"][0]["cost"]["amount"] = "0.10"
    brief = loads_brief(json.dumps(document))
    assert brief.options[0].cost == Money(Decimal("0.10"), "EUR")
    assert '"amount": "0.10"' in dumps_brief(brief)


def test_a_quantity_keeps_its_unit_through_a_round_trip(document: Document) -> None:
    document["brief"]["options"][1]["quantity_unit"] = "fire units"
    document["brief"]["options"][2]["quantity_unit"] = ""
    text = dumps_brief(loads_brief(json.dumps(document)))
    options = json.loads(text)["brief"]["options"]
    # Left out when empty, so a brief without units reads as it did before.
    assert [o.get("quantity_unit") for o in options] == [
        "rounds",
        "fire units",
        None,
        "rounds",
    ]
    assert dumps_brief(loads_brief(text)) == text


def test_unicode_and_markup_survive_a_round_trip(document: Document) -> None:
    document["brief"]["title"] = "Šakalienė: kasetiniai šaudmenys <A & B> “quoted” 🚀"
    text = dumps_brief(loads_brief(json.dumps(document)))
    assert "Šakalienė: kasetiniai šaudmenys <A & B> “quoted” 🚀" in text
    assert dumps_brief(loads_brief(text)) == text


FAULTS = [
    (set_at("format", "other.thing"), "format: must be “briefapp.brief”"),
    (
        set_at("format_version", 5),
        "format_version: version 5 was written by a newer Briefapp; "
        "this one reads versions up to 4",
    ),
    (set_at("format_version", "1"), "format_version: must be a whole number"),
    (delete_at("brief/title"), "brief.title: missing required key"),
    (delete_at("brief/options/1/risks"),
     "brief.options[1].risks: missing required key"),
    (set_at("brief/colour", "red"), "brief.colour: unknown key"),
    (set_at("brief/summery", "x"),
     "brief.summery: unknown key (did you mean “summary”?)"),
    (set_at("brief/options/0/flavour", 1), "brief.options[0].flavour: unknown key"),
    (set_at("format_version", 3),  # each option names its unit
     "brief.options[0].quantity_unit: needs format_version 4; this file is "
     "version 3 (and 3 more problems)"),
    (set_at("brief/options/0/quantity_unit", 4),
     "brief.options[0].quantity_unit: must be a string, not a number"),
    (set_at("brief/options/0/quantity_unit", "fire\nunits"),
     "brief.options[0].quantity_unit: must be a single line"),
    (set_at("brief/options/0/quantity_unit", "u" * 41),
     "brief.options[0].quantity_unit: is longer than 40 characters"),
    (set_at("brief/options/0/quantity", None),
     "brief.options[0].quantity_unit: is given without a quantity"),
    (set_at("brief/title", 7), "brief.title: must be a string, not a number"),
    (set_at("brief/title", "  "), "brief.title: is empty"),
    (set_at("brief/summary", "half \ud800 pair"),
     "brief.summary: contains an escape that is not a Unicode character"),
    (set_at("brief/options/0/risks/1", "\udc00"),
     "brief.options[0].risks[1]: contains an escape that is not a Unicode character"),
    (set_at("brief/title", "two\nlines"), "brief.title: must be a single line"),
    (set_at("brief/classification", "\u0000\u200b"), "brief.classification: is empty"),
    (set_at("brief/title", "bell\u0007"), "brief.title: contains control characters"),
    (set_at("brief/options/1/title", "\u200b"), "brief.options[1].title: is empty"),
    (set_at("brief/options", {}), "brief.options: must be an array, not an object"),
    (
        set_at("brief/brief_type", "memo"),
        "brief.brief_type: must be one of decision, information",
    ),
    (set_at("brief/deadline", "15/12/2026"),
     "brief.deadline: must be a date written YYYY-MM-DD, or null"),
    (set_at("brief/deadline", "2026-02-30"),
     "brief.deadline: “2026-02-30” is not a date in the calendar"),
    (set_at("brief/countries/0/code", "QQ"),
     "brief.countries[0].code: “QQ” is not an ISO 3166 alpha-2 code"),
    (set_at("brief/countries/0/code", "lt"),
     "brief.countries[0].code: “lt” is not an ISO 3166 alpha-2 code"),
    (set_at("brief/countries/0/code", "L\nT"),
     'brief.countries[0].code: "L\\nT" is not an ISO 3166 alpha-2 code'),
    (set_at("brief/recommended_option", "\n"),
     'brief.recommended_option: "\\n" is not one of the brief\'s options'),
    (set_at("brief/countries/1/role", "enemy"),
     "brief.countries[1].role: must be one of acquirer, supplier, recipient, partner"),
    (set_at("brief/countries/1/code", "LT") ,
     None),  # Lithuania as recipient too is allowed: different role
    (set_at("brief/options/1/key", "A"),  # and its assessments and scores are twins
     "brief.options[1].key: the key “A” is already used (and 12 more problems)"),
    (set_at("brief/assessments/0/option", "Z"),
     "brief.assessments[0].option: “Z” is not one of the brief's options"),
    (set_at("brief/assessments/1/constraint", "C1"),
     "brief.assessments[1]: option A is assessed against constraint C1 twice"),
    (set_at("brief/assessments/0/result", "maybe"),
     "brief.assessments[0].result: must be one of meets, partial, fails, unknown"),
    (set_at("brief/assessments/0/source", "S9"),
     "brief.assessments[0].source: “S9” is not one of the brief's sources"),
    (set_at("brief/assessments/0/source", 3),
     "brief.assessments[0].source: must be a source's key or null, not a number"),
    (set_at("brief/scores/0/score", 6),
     "brief.scores[0].score: must be a whole number from 0 to 5, not 6"),
    (set_at("brief/scores/0/score", 2.5),
     "brief.scores[0].score: must be a whole number from 0 to 5, not 2.5"),
    (set_at("brief/scores/0/score", "4"),
     "brief.scores[0].score: must be a whole number from 0 to 5, not a string"),
    (set_at("brief/scores/0/criterion", "K9"),
     "brief.scores[0].criterion: “K9” is not one of the brief's criteria"),
    (set_at("brief/scores/1/criterion", "K1"),
     "brief.scores[1]: option A is scored on criterion K1 twice"),
    (set_at("brief/criteria/0/weight", -1),
     "brief.criteria[0].weight: must not be negative"),
    (set_at("brief/criteria/0/weight", "30"),
     "brief.criteria[0].weight: must be a number, not a string"),
    (set_at("brief/criteria/0/weight", 1e400),
     "brief.criteria[0].weight: must be a finite number"),
    (delete_at("brief/criteria/0/weight"),
     "brief.criteria[0].weight: missing required key"),
    (set_at("brief/criteria/1/key", "K1"),  # and the scores on it are twins
     "brief.criteria[1].key: the key “K1” is already used (and 4 more problems)"),
    (set_at("brief/constraints/2/key", "C 3"),
     "brief.constraints[2].key: “C 3” is not a valid key: use 1 to 16 letters, "
     "digits, dots, dashes or underscores, starting with a letter or digit "
     "(and 4 more problems)"),  # the assessments against C3 now name no constraint
    (set_at("brief/options/2/supplier", "FR"),
     "brief.options[2].supplier: “FR” is not among the brief's countries"),
    (set_at("brief/options/2/supplier", 5),
     "brief.options[2].supplier: must be a string or null, not a number"),
    (set_at("brief/options/2/cost/amount", "12,5"),
     "brief.options[2].cost.amount: not a decimal number"),
    (set_at("brief/options/2/cost/amount", 12.5),
     "brief.options[2].cost.amount: must be a decimal number in a string, "
     "such as \"12500000.00\""),
    (set_at("brief/options/2/cost/amount", "-5"),
     "brief.options[2].cost.amount: must not be negative"),
    (set_at("brief/options/2/cost/currency", "EURO"),
     "brief.options[2].cost.currency: “EURO” is not an ISO 4217 currency code"),
    (set_at("brief/options/2/quantity", 1.5),
     "brief.options[2].quantity: must be a whole number or null, not a number"),
    (set_at("brief/options/2/quantity", True),
     "brief.options[2].quantity: must be a whole number or null, not a boolean"),
    (set_at("brief/options/2/delivery_months", -1),
     "brief.options[2].delivery_months: must not be negative"),
    (set_at("brief/options/2/quantity", 10**19),
     "brief.options[2].quantity: must be at most 1,000,000,000"),
    (set_at("brief/options/2/risks/0", None),
     "brief.options[2].risks[0]: must be a string, not null"),
    (set_at("brief/constraints/0/hard", "yes"),
     "brief.constraints[0].hard: must be true or false, not a string"),
    (set_at("brief/sources/1/date", 2008),
     "brief.sources[1].date: must be a date written YYYY-MM-DD, or null"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), FAULTS)
def test_each_fault_is_named_with_its_json_path(
    document: Document, change: Callable[[Document], None], expected: str | None
) -> None:
    broken = copy.deepcopy(document)
    change(broken)
    if expected is None:
        loads_brief(json.dumps(broken))
        return
    with pytest.raises(BriefFormatError) as caught:
        loads_brief(json.dumps(broken))
    assert str(caught.value) == expected


def test_every_problem_is_collected_and_counted(document: Document) -> None:
    document["brief"]["title"] = 1
    document["brief"]["options"][0]["quantity"] = "many"
    document["brief"]["sources"][0]["url"] = None
    with pytest.raises(BriefFormatError) as caught:
        loads_brief(json.dumps(document))
    assert caught.value.problems == [
        ("brief.title", "must be a string, not a number"),
        ("brief.options[0].quantity", "must be a whole number or null, not a string"),
        ("brief.sources[0].url", "must be a string, not null"),
    ]
    assert str(caught.value).endswith("(and 2 more problems)")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "not valid JSON: Expecting value (line 1, column 1)"),
        (b'{"format": ', "not valid JSON: Expecting value (line 1, column 12)"),
        (b"\xff\xfe{}", "not UTF-8 text (invalid byte at position 0)"),
        (b"[1, 2]", "the file must hold a JSON object, not an array"),
        (
            b"PK\x03\x04rest",
            "this is a zip or Word file, not a brief file (.brief.json)",
        ),
        (b'{"format": 1, "format": 2}', "the key “format” appears twice in one object"),
        (b"1" * 5000, "not a brief file: it holds a number too long to read"),
        (b"[" * 100_000, "not a brief file: arrays or objects are nested too deeply"),
        (
            b'{"format": "briefapp.brief", "format_version": 1}',
            "brief: missing required key",
        ),
    ],
)
def test_files_that_are_not_brief_documents(data: bytes, expected: str) -> None:
    with pytest.raises(BriefFormatError) as caught:
        loads_brief(data)
    assert str(caught.value) == expected


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    data = paths.demo_brief_file().read_bytes()
    assert loads_brief(b"\xef\xbb\xbf" + data).reference == "MOD-2026-014"


def as_older(document: Document, version: int) -> None:
    """``document`` as a file of ``version`` (before 4) would have it: its
    options' quantities without units."""
    document["format_version"] = version
    for option in document["brief"]["options"]:
        del option["quantity_unit"]


def test_a_version_1_file_is_read_as_a_brief_without_an_analysis(
    document: Document,
) -> None:
    as_older(document, 1)
    for name in ("criteria", "assessments", "scores"):
        del document["brief"][name]
    brief = loads_brief(json.dumps(document))
    assert (brief.criteria, brief.assessments, brief.scores) == ((), (), ())
    assert brief.options[0].title.startswith("Combined purchase")
    # Written back, it is a version 4 file.
    assert json.loads(dumps_brief(brief))["format_version"] == 4


def test_a_version_1_file_cannot_carry_an_analysis(document: Document) -> None:
    as_older(document, 1)
    with pytest.raises(BriefFormatError) as caught:
        loads_brief(json.dumps(document))
    assert str(caught.value) == (
        "brief.criteria: needs format_version 2; this file is version 1 "
        "(and 2 more problems)"
    )


def test_a_version_2_file_is_read_as_a_brief_without_a_clearance(
    document: Document,
) -> None:
    as_older(document, 2)
    brief, clearance = loads_brief_file(json.dumps(document))
    assert clearance is None
    demo = loads_brief(paths.demo_brief_file().read_bytes())
    units_left_out = [replace(o, quantity_unit="") for o in demo.options]
    assert brief == replace(demo, options=tuple(units_left_out))


@pytest.mark.parametrize("version", [1, 2])
def test_only_version_3_files_carry_a_clearance(
    document: Document, version: int
) -> None:
    as_older(document, version)
    for name in ("criteria", "assessments", "scores"):
        del document["brief"][name]
    document["clearance"] = {"status": "draft"}
    with pytest.raises(BriefFormatError) as caught:
        loads_brief(json.dumps(document))
    assert caught.value.problems == [
        ("clearance", f"needs format_version 3; this file is version {version}")
    ]
