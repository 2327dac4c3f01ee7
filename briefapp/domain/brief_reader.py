"""Reading the ``brief`` object of a ``.brief.json`` file, checking all of it.

The reader walks the decoded JSON, builds entities where it can and collects
every problem with the JSON path of the value at fault; ``brief_format`` then
applies the brief's own rules.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from briefapp.domain.entities import (
    BRIEF_TEXT_FIELDS,
    MAX_SCORE,
    Assessment,
    AssessmentResult,
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
from briefapp.domain.validation import AMOUNT_PATTERN, DATE_PATTERN

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")

FORMAT_NAME = "briefapp.brief"
FORMAT_VERSION = 4
FILE_SUFFIX = ".brief.json"

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}

BRIEF_KEYS = (
    "reference", "title", "classification", "brief_type", "addressee", "drafter",
    "deadline", "summary", "decision_sought", "background", "considerations",
    "recommendation", "countries", "options", "constraints", "sources",
)  # fmt: skip
# Keys added to format version 1 after its first release: files may leave them out.
OPTIONAL_BRIEF_KEYS = (
    "deadline_reason",
    "key_points",
    "next_steps",
    "recommended_option",
)
# Added in format version 2: the decision analysis.
ANALYSIS_KEYS = ("criteria", "assessments", "scores")
# Added in format version 3, beside ``brief``: the clearance record.
CLEARANCE_KEY = "clearance"
# Added in format version 4, in each option: what its quantity counts.
OPTION_LATER_KEYS = ("quantity_unit",)
INTRODUCED_IN = {
    **dict.fromkeys(ANALYSIS_KEYS, 2),
    CLEARANCE_KEY: 3,
    **dict.fromkeys(OPTION_LATER_KEYS, 4),
}
COUNTRY_KEYS = ("code", "role", "notes")
OPTION_KEYS = (
    "key", "title", "description", "supplier", "cost", "quantity",
    "delivery_months", "advantages", "disadvantages", "risks",
)  # fmt: skip
MONEY_KEYS = ("amount", "currency")
CONSTRAINT_KEYS = ("key", "title", "hard", "description", "kind")
SOURCE_KEYS = ("key", "title", "publisher", "author", "date", "url", "note")
CRITERION_KEYS = ("key", "title", "description", "weight")
ASSESSMENT_KEYS = ("option", "constraint", "result", "note", "source")
SCORE_KEYS = ("option", "criterion", "score", "rationale")

E = TypeVar("E", bound=StrEnum)


class BriefReader:
    """Walks a decoded document, building entities and collecting problems."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.version = FORMAT_VERSION

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def header(self, value: Any) -> dict[str, Any] | None:
        """The document's top-level keys once its format and version are
        known to be readable (``None``: reading cannot go on)."""
        fields = self.fields(
            value, "", ("format", "format_version", "brief"), (CLEARANCE_KEY,)
        )
        if fields is None:
            return None
        if fields.get("format") != FORMAT_NAME:
            self.fail("format", f"must be “{FORMAT_NAME}”")
            return None
        version = fields.get("format_version")
        if type(version) is not int:
            self.fail("format_version", "must be a whole number")
            return None
        if version > FORMAT_VERSION:
            self.fail(
                "format_version",
                f"version {version} was written by a newer Briefapp; "
                f"this one reads versions up to {FORMAT_VERSION}",
            )
            return None
        if version < 1:
            self.fail("format_version", f"there is no format version {version}")
            return None
        self.version = version
        if CLEARANCE_KEY in fields and version < INTRODUCED_IN[CLEARANCE_KEY]:
            self.too_new(CLEARANCE_KEY, CLEARANCE_KEY)
            return {k: v for k, v in fields.items() if k != CLEARANCE_KEY}
        return fields

    def fields(
        self,
        value: Any,
        path: str,
        names: tuple[str, ...],
        optional: tuple[str, ...] = (),
        later: tuple[str, ...] = (),
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            where = "must be an object" if path else "the file must hold a JSON object"
            self.fail(path, f"{where}, not {_kind(value)}")
            return None
        prefix = f"{path}." if path else ""
        known = names + optional
        for key in value:
            if key in later:
                self.too_new(f"{prefix}{key}", key)
            elif key not in known:
                self.fail(
                    f"{prefix}{_key_text(key)}", "unknown key" + _suggestion(key, known)
                )
        for name in names:
            if name not in value:
                self.fail(f"{prefix}{name}", "missing required key")
        return value

    def too_new(self, path: str, key: str) -> None:
        needed = f"needs format_version {INTRODUCED_IN[key]}"
        self.fail(path, f"{needed}; this file is version {self.version}")

    def brief(self, value: Any, path: str) -> Brief | None:
        if self.version >= 2:
            fields = self.fields(
                value, path, BRIEF_KEYS, OPTIONAL_BRIEF_KEYS + ANALYSIS_KEYS
            )
        else:  # version 1 is read as version 2 without an analysis
            fields = self.fields(
                value, path, BRIEF_KEYS, OPTIONAL_BRIEF_KEYS, ANALYSIS_KEYS
            )
        if fields is None:
            return None
        recommended = fields.get("recommended_option")
        if recommended is not None and not isinstance(recommended, str):
            self.fail(
                f"{path}.recommended_option",
                f"must be an option's key or null, not {_kind(recommended)}",
            )
            recommended = None
        text: dict[str, Any] = {
            n: self.text(fields, path, n) for n in BRIEF_TEXT_FIELDS
        }
        return Brief(
            **text,
            brief_type=self.enum(fields, path, "brief_type", BriefType),
            deadline=self.date(fields, path, "deadline"),
            key_points=self.text_list(fields, path, "key_points"),
            recommended_option=recommended,
            countries=self.items(fields, path, "countries", self.country),
            options=self.items(fields, path, "options", self.option),
            constraints=self.items(fields, path, "constraints", self.constraint),
            sources=self.items(fields, path, "sources", self.source),
            criteria=self.items(fields, path, "criteria", self.criterion),
            assessments=self.items(fields, path, "assessments", self.assessment),
            scores=self.items(fields, path, "scores", self.score),
        )

    def country(self, value: Any, path: str) -> Country | None:
        fields = self.fields(value, path, COUNTRY_KEYS)
        if fields is None:
            return None
        return Country(
            code=self.text(fields, path, "code"),
            role=self.enum(fields, path, "role", CountryRole),
            notes=self.text(fields, path, "notes"),
        )

    def option(self, value: Any, path: str) -> Option | None:
        if self.version >= INTRODUCED_IN["quantity_unit"]:
            fields = self.fields(value, path, OPTION_KEYS, OPTION_LATER_KEYS)
        else:
            fields = self.fields(value, path, OPTION_KEYS, (), OPTION_LATER_KEYS)
        if fields is None:
            return None
        supplier = fields.get("supplier")
        if isinstance(supplier, str):
            supplier = self.unicode(supplier, f"{path}.supplier")
        elif supplier is not None:
            self.fail(
                f"{path}.supplier", f"must be a string or null, not {_kind(supplier)}"
            )
            supplier = None
        return Option(
            key=self.text(fields, path, "key"),
            title=self.text(fields, path, "title"),
            description=self.text(fields, path, "description"),
            supplier=supplier,
            cost=self.money(fields.get("cost"), f"{path}.cost"),
            quantity=self.count(fields, path, "quantity"),
            quantity_unit=self.text(fields, path, "quantity_unit"),
            delivery_months=self.count(fields, path, "delivery_months"),
            advantages=self.text_list(fields, path, "advantages"),
            disadvantages=self.text_list(fields, path, "disadvantages"),
            risks=self.text_list(fields, path, "risks"),
        )

    def constraint(self, value: Any, path: str) -> Constraint | None:
        fields = self.fields(value, path, CONSTRAINT_KEYS)
        if fields is None:
            return None
        hard = fields.get("hard")
        if not isinstance(hard, bool):
            self.fail(f"{path}.hard", f"must be true or false, not {_kind(hard)}")
            hard = True
        return Constraint(
            key=self.text(fields, path, "key"),
            title=self.text(fields, path, "title"),
            hard=hard,
            description=self.text(fields, path, "description"),
            kind=self.enum(fields, path, "kind", ConstraintKind),
        )

    def source(self, value: Any, path: str) -> Source | None:
        fields = self.fields(value, path, SOURCE_KEYS)
        if fields is None:
            return None
        text: dict[str, Any] = {n: self.text(fields, path, n) for n in _SOURCE_TEXT}
        return Source(**text, date=self.date(fields, path, "date"))

    def criterion(self, value: Any, path: str) -> Criterion | None:
        fields = self.fields(value, path, CRITERION_KEYS)
        if fields is None:
            return None
        weight = fields.get("weight", 0)
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            self.fail(f"{path}.weight", f"must be a number, not {_kind(weight)}")
            weight = 0
        elif isinstance(weight, int) and abs(weight) > 2**53:
            self.fail(f"{path}.weight", "is too large")
            weight = 0
        return Criterion(
            key=self.text(fields, path, "key"),
            title=self.text(fields, path, "title"),
            description=self.text(fields, path, "description"),
            weight=float(weight),
        )

    def assessment(self, value: Any, path: str) -> Assessment | None:
        fields = self.fields(value, path, ASSESSMENT_KEYS)
        if fields is None:
            return None
        source = fields.get("source")
        if isinstance(source, str):
            source = self.unicode(source, f"{path}.source")
        elif source is not None:
            self.fail(
                f"{path}.source",
                f"must be a source's key or null, not {_kind(source)}",
            )
            source = None
        return Assessment(
            option=self.text(fields, path, "option"),
            constraint=self.text(fields, path, "constraint"),
            result=self.enum(fields, path, "result", AssessmentResult),
            note=self.text(fields, path, "note"),
            source=source,
        )

    def score(self, value: Any, path: str) -> Score | None:
        fields = self.fields(value, path, SCORE_KEYS)
        if fields is None:
            return None
        score = fields.get("score")
        if type(score) is not int:
            if "score" in fields:
                shown = score if isinstance(score, float) else _kind(score)
                self.fail(
                    f"{path}.score",
                    f"must be a whole number from 0 to {MAX_SCORE}, not {shown}",
                )
            return None
        return Score(
            option=self.text(fields, path, "option"),
            criterion=self.text(fields, path, "criterion"),
            score=score,
            rationale=self.text(fields, path, "rationale"),
        )

    def money(self, value: Any, path: str) -> Money | None:
        if value is None:
            return None
        fields = self.fields(value, path, MONEY_KEYS)
        if fields is None:
            return None
        amount = fields.get("amount")
        currency = self.text(fields, path, "currency")
        if isinstance(amount, str) and AMOUNT_PATTERN.match(amount):
            return Money(Decimal(amount), currency)
        if isinstance(amount, str) and AMOUNT_PATTERN.match(amount.removeprefix("-")):
            self.fail(f"{path}.amount", "must not be negative")
            return None
        if isinstance(amount, int | float) and not isinstance(amount, bool):
            self.fail(
                f"{path}.amount",
                'must be a decimal number in a string, such as "12500000.00"',
            )
        elif "amount" in fields:
            self.fail(f"{path}.amount", "not a decimal number")
        return None

    def items(self, fields: dict[str, Any], path: str, name: str, read: Any) -> Any:
        value = fields.get(name, [])
        if not isinstance(value, list):
            self.fail(f"{path}.{name}", f"must be an array, not {_kind(value)}")
            return ()
        built = (read(item, f"{path}.{name}[{i}]") for i, item in enumerate(value))
        return tuple(item for item in built if item is not None)

    def text(self, fields: dict[str, Any], path: str, name: str) -> str:
        value = fields.get(name, "")
        if not isinstance(value, str):
            self.fail(f"{path}.{name}", f"must be a string, not {_kind(value)}")
            return ""
        return self.unicode(value, f"{path}.{name}")

    def unicode(self, value: str, where: str) -> str:
        """``value``, unless it holds half a surrogate pair (not real text)."""
        if _SURROGATE.search(value):
            self.fail(where, "contains an escape that is not a Unicode character")
            return ""
        return value

    def text_list(
        self, fields: dict[str, Any], path: str, name: str
    ) -> tuple[str, ...]:
        value = fields.get(name, [])
        if not isinstance(value, list):
            self.fail(
                f"{path}.{name}", f"must be an array of strings, not {_kind(value)}"
            )
            return ()
        items = []
        for index, item in enumerate(value):
            where = f"{path}.{name}[{index}]"
            if isinstance(item, str):
                items.append(self.unicode(item, where))
            else:
                self.fail(where, f"must be a string, not {_kind(item)}")
        return tuple(items)

    def count(self, fields: dict[str, Any], path: str, name: str) -> int | None:
        value = fields.get(name)
        if value is None:
            return None
        if type(value) is not int:
            self.fail(
                f"{path}.{name}", f"must be a whole number or null, not {_kind(value)}"
            )
            return None
        return value

    def date(self, fields: dict[str, Any], path: str, name: str) -> dt.date | None:
        value = fields.get(name)
        if value is None:
            return None
        where = f"{path}.{name}"
        if not isinstance(value, str) or not DATE_PATTERN.match(value):
            self.fail(where, "must be a date written YYYY-MM-DD, or null")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(where, f"“{value}” is not a date in the calendar")
            return None

    def enum(self, fields: dict[str, Any], path: str, name: str, kind: type[E]) -> E:
        value = fields.get(name)
        choices = [member.value for member in kind]
        if value in choices:
            return kind(value)
        if name in fields:
            self.fail(f"{path}.{name}", f"must be one of {', '.join(choices)}")
        return next(iter(kind))


_SURROGATE = re.compile("[\ud800-\udfff]")
_SOURCE_TEXT = ("key", "title", "publisher", "author", "url", "note")


def _key_text(key: str) -> str:
    """A key as a message shows it: plain names as they are, others quoted and
    escaped (a newline in a key must not break the message), long ones cut."""
    if _PLAIN_KEY.fullmatch(key):
        return key
    shown = key if len(key) <= 40 else key[:40] + "…"
    return json.dumps(shown, ensure_ascii=False)


def _suggestion(key: str, names: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.7)
    return f" (did you mean “{close[0]}”?)" if close else ""


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)
