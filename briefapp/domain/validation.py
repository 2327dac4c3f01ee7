"""The rules a brief must satisfy before it is stored or exported.

Problems are reported with the JSON path of the offending value in the brief
file format (``brief.options[2].supplier``), so the same rules serve the
importer, the window and the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from briefapp.domain.countries import country_name, is_known_country, is_known_currency
from briefapp.domain.entities import MAX_SCORE, UNNAMED_COUNTRY, Brief, Money
from briefapp.domain.errors import BriefFormatError

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$")
AMOUNT_PATTERN = re.compile(r"^[0-9]{1,15}(\.[0-9]{1,6})?$")
DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SPACES = re.compile(r"[\s_'\u00a0\u202f]")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
MAX_LINE_LENGTH = 500
MAX_COUNT = 1_000_000_000
MAX_UNIT_LENGTH = 40
MAX_WEIGHT = 1_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: where (a JSON path) and what."""

    path: str
    message: str


def brief_problems(brief: Brief, *, complete: bool = True) -> list[Problem]:
    """Every rule the brief breaks, in document order.

    Args:
        complete: also require the fields a finished brief needs (reference,
            title, classification, item titles). A draft being edited may lack
            them and still be saved; it cannot be imported or exported.
    """
    problems: list[Problem] = []
    for name in ("reference", "title", "classification"):
        message = single_line_problem(getattr(brief, name), required=complete)
        if message:
            problems.append(Problem(f"brief.{name}", message))
    problems += _country_problems(brief)
    problems += _key_problems("options", [o.key for o in brief.options])
    problems += _key_problems("constraints", [c.key for c in brief.constraints])
    problems += _key_problems("sources", [s.key for s in brief.sources])
    problems += _key_problems("criteria", [c.key for c in brief.criteria])
    problems += _option_problems(brief)
    problems += _criterion_problems(brief)
    problems += _assessment_problems(brief)
    problems += _score_problems(brief)
    keys = {option.key for option in brief.options}
    if brief.recommended_option is not None and brief.recommended_option not in keys:
        problems.append(
            Problem(
                "brief.recommended_option",
                f"{quoted(brief.recommended_option)} is not one of the brief's options",
            )
        )
    for list_name in ("options", "constraints", "sources", "criteria"):
        for index, item in enumerate(getattr(brief, list_name)):
            message = single_line_problem(item.title, required=complete)
            if message:
                problems.append(Problem(f"brief.{list_name}[{index}].title", message))
    return problems


def quoted(value: str) -> str:
    """A value as a message quotes it: “as it is”, or escaped in JSON's way
    when it holds a line break or another control character, so a message
    stays one line."""
    if value.isprintable():
        return f"“{value}”"
    return json.dumps(value, ensure_ascii=False)


def reference_key(reference: str) -> str | None:
    """What makes a reference unique in a database: trimmed, in NFC, case
    folded (``MOD-1`` and `` mod-1 `` are the same reference); ``None`` for an
    empty reference, which any number of drafts may have."""
    key = unicodedata.normalize("NFC", reference).strip().casefold()
    return key or None


def numbered_reference(reference: str, number: int) -> str:
    """The reference that tells the ``number``-th brief of a reference apart:
    ``MOD-2026-031 (2)``."""
    return f"{reference.strip()} ({number})"


def missing_for_export(brief: Brief) -> list[Problem]:
    """What a saved draft still lacks before it can be exported."""
    draft = {(p.path, p.message) for p in brief_problems(brief, complete=False)}
    return [p for p in brief_problems(brief) if (p.path, p.message) not in draft]


def describe_problem(problem: Problem) -> str:
    """A problem in words, e.g. ``Option 2 title is empty``."""
    return f"{field_label(problem.path)} {problem.message}"


def field_label(path: str) -> str:
    """The field at a JSON path as people call it: ``Option 2 cost amount``."""
    words = []
    for part in path.removeprefix("brief.").split("."):
        name, _, index = part.partition("[")
        label = name.replace("_", " ")
        if index:
            label = f"{_SINGULAR.get(name, name)} {int(index.rstrip(']')) + 1}"
        words.append(label)
    text = " ".join(words)
    return text[:1].upper() + text[1:]


_SINGULAR = {
    "countries": "country",
    "options": "option",
    "constraints": "constraint",
    "sources": "source",
    "criteria": "criterion",
    "assessments": "assessment",
    "scores": "score",
}


def raise_for_problems(problems: Sequence[Problem]) -> None:
    """Raise a ``BriefFormatError`` listing ``problems``, if there are any."""
    if problems:
        raise BriefFormatError([(p.path, p.message) for p in problems])


def single_line_problem(value: str, *, required: bool) -> str | None:
    """Why ``value`` is not an acceptable one-line field, or ``None``."""
    if required and not has_visible_text(value):
        return "is empty"
    if "\n" in value or "\r" in value:
        return "must be a single line"
    if any(unicodedata.category(c) == "Cc" and c != "\t" for c in value):
        return "contains control characters"
    if len(value) > MAX_LINE_LENGTH:
        return f"is longer than {MAX_LINE_LENGTH} characters"
    return None


def has_visible_text(value: str) -> bool:
    """Whether ``value`` shows anything: not only spaces, controls, format marks
    or the noncharacters U+FFFE and U+FFFF (which no document can hold)."""
    return any(
        not c.isspace()
        and unicodedata.category(c) not in ("Cc", "Cf", "Cs")
        and c not in _NONCHARACTERS
        for c in value
    )


_NONCHARACTERS = frozenset("\ufffe\uffff")


def key_problem(key: str, taken: Collection[str]) -> str | None:
    """Why ``key`` cannot be used beside the keys in ``taken``, or ``None``
    (give a set when checking many keys: the lookup is then constant time)."""
    if not KEY_PATTERN.match(key):
        return (
            f"“{key}” is not a valid key: use 1 to 16 letters, digits, "
            "dots, dashes or underscores, starting with a letter or digit"
        )
    if key in taken:
        return f"the key “{key}” is already used"
    return None


def money_problem(money: Money) -> tuple[str, str] | None:
    """Which part of ``money`` is unacceptable (``amount`` or ``currency``) and why."""
    if not money.amount.is_finite():
        return "amount", "is not a finite amount"
    if money.amount < 0:
        return "amount", "must not be negative"
    if not is_known_currency(money.currency):
        return "currency", f"“{money.currency}” is not an ISO 4217 currency code"
    return None


def parse_amount(text: str) -> Decimal:
    """An amount typed by a user: digits and a decimal point, grouping allowed.

    Commas are read only as thousands separators (``12,500,000.50``); a comma
    anywhere else is refused rather than guessed, so ``38,5`` never becomes 385.

    Raises:
        ValueError: with a sentence saying what is wrong.
    """
    typed = text.strip()
    compact = _SPACES.sub("", typed)
    if compact.startswith("-"):
        raise ValueError("A cost must not be negative.")
    if "," in compact:
        if not _THOUSANDS.match(compact):
            raise ValueError(
                f"“{typed}” is not an amount: use a point for decimals and commas "
                "only between thousands, for example 12,500,000.50."
            )
        compact = compact.replace(",", "")
    if not AMOUNT_PATTERN.match(compact):
        raise ValueError(
            f"“{typed}” is not an amount: write digits with an optional "
            "decimal point, for example 12500000.00."
        )
    return Decimal(compact)


def parse_date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD, or ``None`` for empty text.

    Raises:
        ValueError: with a sentence saying what is wrong.
    """
    text = text.strip()
    if not text:
        return None
    if not DATE_PATTERN.match(text):
        raise ValueError(
            f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-12-15."
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a day in the calendar.") from None


def parse_count(text: str, what: str) -> int | None:
    """A whole number typed by a user, or ``None`` for empty text.

    Raises:
        ValueError: with a sentence naming ``what`` and the problem.
    """
    compact = _SPACES.sub("", text.strip())
    if not compact:
        return None
    if _THOUSANDS.match(compact) and "." not in compact:
        compact = compact.replace(",", "")
    if not compact.isascii() or not compact.isdigit():
        raise ValueError(
            f"The {what} must be a whole number of 0 or more, not “{text}”."
        )
    number = int(compact)
    if number > MAX_COUNT:
        raise ValueError(f"The {what} must be at most {MAX_COUNT:,}.")
    return number


def count_problem(value: int | None) -> str | None:
    if value is not None and value < 0:
        return "must not be negative"
    if value is not None and value > MAX_COUNT:
        return f"must be at most {MAX_COUNT:,}"
    return None


def unit_problem(unit: str, quantity: int | None) -> str | None:
    """Why ``unit`` cannot be what an option's ``quantity`` counts, or ``None``."""
    if not unit:
        return None
    message = single_line_problem(unit, required=False)
    if message is None and len(unit) > MAX_UNIT_LENGTH:
        message = f"is longer than {MAX_UNIT_LENGTH} characters"
    if message is None and quantity is None:
        message = "is given without a quantity"
    return message


def next_key(prefix: str, taken: Iterable[str]) -> str:
    """The first free key ``prefix1``, ``prefix2``… (or ``A``, ``B``… if no prefix)."""
    used = set(taken)
    if not prefix:
        for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            if letter not in used:
                return letter
        prefix = "O"
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def _key_problems(list_name: str, keys: list[str]) -> list[Problem]:
    # A set of the keys seen so far: one lookup per key, so a brief of 100,000
    # options is checked in linear time rather than comparing every pair.
    problems = []
    seen: set[str] = set()
    for index, key in enumerate(keys):
        message = key_problem(key, seen)
        if message:
            problems.append(Problem(f"brief.{list_name}[{index}].key", message))
        seen.add(key)
    return problems


def _country_problems(brief: Brief) -> list[Problem]:
    problems = []
    seen: set[tuple[str, str]] = set()
    for index, country in enumerate(brief.countries):
        path = f"brief.countries[{index}].code"
        if not is_known_country(country.code):
            problems.append(
                Problem(path, f"{quoted(country.code)} is not an ISO 3166 alpha-2 code")
            )
            continue
        pair = (country.code, country.role.value)
        if pair in seen and country.code != UNNAMED_COUNTRY:
            name = country_name(country.code)
            problems.append(
                Problem(path, f"{name} is listed twice as {country.role.value}")
            )
        seen.add(pair)
    return problems


def _option_problems(brief: Brief) -> list[Problem]:
    problems = []
    codes = {country.code for country in brief.countries}
    for index, option in enumerate(brief.options):
        path = f"brief.options[{index}]"
        if not option.title.strip():
            problems.append(Problem(f"{path}.title", "is empty"))
        if option.supplier is not None and option.supplier not in codes:
            problems.append(
                Problem(
                    f"{path}.supplier",
                    f"“{option.supplier}” is not among the brief's countries",
                )
            )
        if option.cost is not None:
            money = money_problem(option.cost)
            if money:
                problems.append(Problem(f"{path}.cost.{money[0]}", money[1]))
        for name in ("quantity", "delivery_months"):
            message = count_problem(getattr(option, name))
            if message:
                problems.append(Problem(f"{path}.{name}", message))
        message = unit_problem(option.quantity_unit, option.quantity)
        if message:
            problems.append(Problem(f"{path}.quantity_unit", message))
    return problems


def weight_problem(weight: float) -> str | None:
    """Why ``weight`` cannot be a criterion's weight, or ``None``."""
    if not math.isfinite(weight):
        return "must be a finite number"
    if weight < 0:
        return "must not be negative"
    if weight > MAX_WEIGHT:
        return f"must be at most {MAX_WEIGHT:,}"
    return None


def _criterion_problems(brief: Brief) -> list[Problem]:
    problems = []
    for index, criterion in enumerate(brief.criteria):
        message = weight_problem(criterion.weight)
        if message:
            problems.append(Problem(f"brief.criteria[{index}].weight", message))
    return problems


def _reference_problem(key: str, keys: set[str], noun: str) -> str | None:
    if key in keys:
        return None
    return f"“{key}” is not one of the brief's {noun}"


def _cell_problems(
    list_name: str,
    cells: Sequence[Any],
    references: dict[str, tuple[set[str], str]],
    twice: str,
    value_problem: Callable[[Any], str | None] = lambda _cell: None,
) -> list[Problem]:
    """Problems of assessments or scores: each reference names an item of the
    brief (``references``: field → keys and their noun), no option ×
    constraint (or criterion) pair comes twice (``twice``, formatted with it),
    and ``value_problem`` finds nothing wrong with the value (a score)."""
    problems = []
    seen: set[tuple[str, str]] = set()
    first, second = list(references)[:2]
    for index, cell in enumerate(cells):
        path = f"brief.{list_name}[{index}]"
        for field, (keys, noun) in references.items():
            value = getattr(cell, field)
            message = None if value is None else _reference_problem(value, keys, noun)
            if message:
                problems.append(Problem(f"{path}.{field}", message))
        message = value_problem(cell)
        if message:
            problems.append(Problem(f"{path}.score", message))
        pair = (getattr(cell, first), getattr(cell, second))
        if pair in seen:
            problems.append(Problem(path, twice.format(*pair)))
        seen.add(pair)
    return problems


def _assessment_problems(brief: Brief) -> list[Problem]:
    return _cell_problems(
        "assessments",
        brief.assessments,
        {
            "option": ({o.key for o in brief.options}, "options"),
            "constraint": ({c.key for c in brief.constraints}, "constraints"),
            "source": ({s.key for s in brief.sources}, "sources"),
        },
        "option {} is assessed against constraint {} twice",
    )


def _score_problems(brief: Brief) -> list[Problem]:
    return _cell_problems(
        "scores",
        brief.scores,
        {
            "option": ({o.key for o in brief.options}, "options"),
            "criterion": ({c.key for c in brief.criteria}, "criteria"),
        },
        "option {} is scored on criterion {} twice",
        _score_value_problem,
    )


def _score_value_problem(score: Any) -> str | None:
    if 0 <= score.score <= MAX_SCORE:
        return None
    return f"must be a whole number from 0 to {MAX_SCORE}, not {score.score}"
