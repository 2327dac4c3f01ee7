"""Cleaning user text for Word, and reading values people type."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from briefapp.documents.filters import paragraphs_filter
from briefapp.documents.text import ZERO_WIDTH_SPACE, clean_text, paragraphs
from briefapp.domain.quantities import parse_quantity, quantity_text
from briefapp.domain.validation import (
    Problem,
    describe_problem,
    field_label,
    key_problem,
    next_key,
    parse_amount,
    parse_count,
    parse_date,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("line1\r\nline2\rline3", "line1\nline2\nline3"),
        ("soft\x0bbreak\x0cpage", "soft\nbreak\npage"),
        ("nul\x00esc\x1bbell\x07", "nulescbell"),
        ("bad\ufffe\uffffend", "badend"),
        ("tab\tstays", "tab\tstays"),
        ("Šakalienė 🚀 «ąčę»", "Šakalienė 🚀 «ąčę»"),
        ("surrogate\ud800gone", "surrogategone"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_docxtpl_escape_pairs_are_guarded() -> None:
    assert (
        clean_text("{_{ x }_}") == f"{{{ZERO_WIDTH_SPACE}_{{ x }}{ZERO_WIDTH_SPACE}_}}"
    )


def test_paragraphs_split_on_blank_lines_only() -> None:
    assert paragraphs("one\ntwo\n\n \n three\n\n") == ["one\ntwo", " three"]
    assert paragraphs("  \n ") == []
    assert paragraphs_filter("a\n\nb") == "a\ab"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12500000.00", Decimal("12500000.00")),
        ("12,500,000", Decimal("12500000")),
        ("12,500,000.75", Decimal("12500000.75")),
        (" 12 500 000.5 ", Decimal("12500000.5")),
        ("0", Decimal("0")),
    ],
)
def test_amounts_people_type(typed: str, amount: Decimal) -> None:
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-5", "A cost must not be negative."),
        ("12,5.3.1", "“12,5.3.1” is not an amount: use a point for decimals"),
        ("38400000,50", "“38400000,50” is not an amount: use a point for decimals"),
        ("38,4", "“38,4” is not an amount: use a point for decimals"),
        ("٣٤", "“٣٤” is not an amount"),
        (
            "lots",
            "“lots” is not an amount: write digits with an optional decimal point",
        ),
        ("1e9", "“1e9” is not an amount"),
    ],
)
def test_amounts_refused_with_a_reason(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_amount(typed)


def test_dates_people_type() -> None:
    assert parse_date(" 2026-12-15 ") == dt.date(2026, 12, 15)
    assert parse_date("") is None
    with pytest.raises(ValueError, match="write it as YYYY-MM-DD"):
        parse_date("15.12.2026")
    with pytest.raises(ValueError, match="2026-02-30 is not a day in the calendar"):
        parse_date("2026-02-30")


def test_counts_people_type() -> None:
    assert parse_count("1,200", "quantity") == 1200
    assert parse_count("", "quantity") is None
    with pytest.raises(ValueError, match="The quantity must be a whole number"):
        parse_count("-3", "quantity")
    with pytest.raises(ValueError, match="The quantity must be a whole number"):
        parse_count("1,2", "quantity")
    with pytest.raises(ValueError, match="must be at most 1,000,000,000"):
        parse_count("99999999999999999999", "quantity")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("12000", (12000, "")),
        ("4 fire units", (4, "fire units")),
        ("12,000 rounds", (12000, "rounds")),
        ("12 000 rounds", (12000, "rounds")),
        ("12\u00a0000\u00a0rounds", (12000, "rounds")),
        ("  6000   launchers ", (6000, "launchers")),
        ("12000rounds", (12000, "rounds")),
        ("", (None, "")),
        ("   ", (None, "")),
    ],
)
def test_a_quantity_is_read_with_its_unit(
    typed: str, read: tuple[int | None, str]
) -> None:
    assert parse_quantity(typed) == read


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("four units", "“four units” is not a quantity: write a whole number, "
         "optionally followed by its unit, e.g. 4 fire units."),
        ("12.5 tonnes", "“12.5 tonnes” is not a quantity: write a whole number, "
         "optionally followed by its unit, e.g. 4 fire units."),
        ("-3 rounds", "“-3 rounds” is not a quantity: write a whole number, "
         "optionally followed by its unit, e.g. 4 fire units."),
        ("4 5 units", "“4 5 units” is not a quantity: write a whole number, "
         "optionally followed by its unit, e.g. 4 fire units."),
        ("99999999999999999999 rounds", "The quantity must be at most 1,000,000,000."),
        ("4 " + "u" * 41, f"A quantity's unit is at most 40 characters; “{'u' * 41}” "
         "has 41."),
        ("4 fire\x07units", "“fire\x07units” cannot be a quantity's unit: use plain "
         "words."),
    ],
)  # fmt: skip
def test_a_quantity_that_is_not_one_is_refused_with_a_sentence(
    typed: str, message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_quantity(typed)


def test_quantity_text_groups_the_number_before_its_unit() -> None:
    assert quantity_text(12000, "rounds") == "12,000 rounds"
    assert quantity_text(12000, "") == "12,000"
    assert quantity_text(None, "") == ""


def test_keys() -> None:
    assert next_key("", ["A", "B", "D"]) == "C"
    assert next_key("C", ["C1", "C2"]) == "C3"
    assert next_key("S", []) == "S1"
    assert key_problem("A", ["A"]) == "the key “A” is already used"
    assert key_problem("C-1.a", ["A"]) is None
    assert key_problem("", []) is not None
    assert key_problem("x" * 17, []) is not None


def test_problems_in_words() -> None:
    assert describe_problem(Problem("brief.title", "is empty")) == "Title is empty"
    assert (
        describe_problem(
            Problem("brief.options[1].cost.amount", "must not be negative")
        )
        == "Option 2 cost amount must not be negative"
    )
    assert field_label("brief.countries[0].code") == "Country 1 code"
