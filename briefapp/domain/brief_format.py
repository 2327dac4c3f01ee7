"""The ``.brief.json`` interchange format: strict reading and stable writing.

Reading checks the whole document before anything is built, and reports every
problem with the JSON path of the value at fault (``brief.options[2].cost.amount:
not a decimal number``). Writing is deterministic, so export, import and export
again gives the same bytes.
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
    Brief,
    BriefType,
    Constraint,
    ConstraintKind,
    Country,
    CountryRole,
    Money,
    Option,
    Source,
)
from briefapp.domain.errors import BriefFormatError
from briefapp.domain.validation import AMOUNT_PATTERN, DATE_PATTERN, brief_problems

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")

FORMAT_NAME = "briefapp.brief"
FORMAT_VERSION = 1
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
COUNTRY_KEYS = ("code", "role", "notes")
OPTION_KEYS = (
    "key", "title", "description", "supplier", "cost", "quantity",
    "delivery_months", "advantages", "disadvantages", "risks",
)  # fmt: skip
MONEY_KEYS = ("amount", "currency")
CONSTRAINT_KEYS = ("key", "title", "hard", "description", "kind")
SOURCE_KEYS = ("key", "title", "publisher", "author", "date", "url", "note")

E = TypeVar("E", bound=StrEnum)


def loads_brief(data: bytes | str) -> Brief:
    """Read a brief file's content, checking all of it.

    Raises:
        BriefFormatError: naming the JSON path and the problem of each fault.
    """
    document = _decode(data)
    reader = _Reader()
    brief = reader.document(document)
    if reader.problems:
        raise BriefFormatError(reader.problems)
    assert brief is not None
    problems = brief_problems(brief)
    if problems:
        raise BriefFormatError([(p.path, p.message) for p in problems])
    return brief


def dumps_brief(brief: Brief) -> str:
    """The brief as ``.brief.json`` text (UTF-8, two-space indent, final newline)."""
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "brief": brief_to_dict(brief),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """The ``brief`` object of the file format, keys in their documented order."""
    return {
        "reference": brief.reference,
        "title": brief.title,
        "classification": brief.classification,
        "brief_type": brief.brief_type.value,
        "addressee": brief.addressee,
        "drafter": brief.drafter,
        "deadline": _date_text(brief.deadline),
        "deadline_reason": brief.deadline_reason,
        "summary": brief.summary,
        "key_points": list(brief.key_points),
        "decision_sought": brief.decision_sought,
        "background": brief.background,
        "considerations": brief.considerations,
        "recommendation": brief.recommendation,
        "recommended_option": brief.recommended_option,
        "next_steps": brief.next_steps,
        "countries": [
            {"code": c.code, "role": c.role.value, "notes": c.notes}
            for c in brief.countries
        ],
        "options": [_option_to_dict(o) for o in brief.options],
        "constraints": [
            {
                "key": c.key,
                "title": c.title,
                "hard": c.hard,
                "description": c.description,
                "kind": c.kind.value,
            }
            for c in brief.constraints
        ],
        "sources": [
            {
                "key": s.key,
                "title": s.title,
                "publisher": s.publisher,
                "author": s.author,
                "date": _date_text(s.date),
                "url": s.url,
                "note": s.note,
            }
            for s in brief.sources
        ],
    }


def _option_to_dict(option: Option) -> dict[str, Any]:
    cost = option.cost
    return {
        "key": option.key,
        "title": option.title,
        "description": option.description,
        "supplier": option.supplier,
        "cost": None
        if cost is None
        else {"amount": str(cost.amount), "currency": cost.currency},
        "quantity": option.quantity,
        "delivery_months": option.delivery_months,
        "advantages": list(option.advantages),
        "disadvantages": list(option.disadvantages),
        "risks": list(option.risks),
    }


def _date_text(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _decode(data: bytes | str) -> Any:
    if isinstance(data, bytes):
        if data.startswith(b"PK\x03\x04"):
            raise BriefFormatError(
                [("", "this is a zip or Word file, not a brief file (.brief.json)")]
            )
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BriefFormatError(
                [("", f"not UTF-8 text (invalid byte at position {error.start})")]
            ) from None
    try:
        return json.loads(data, object_pairs_hook=_refuse_repeated_keys)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise BriefFormatError(
            [("", f"not valid JSON: {error.msg} ({where})")]
        ) from None
    except _RepeatedKeyError as error:
        raise BriefFormatError(
            [("", f"the key “{error.key}” appears twice in one object")]
        ) from None
    except RecursionError:
        raise BriefFormatError(
            [("", "not a brief file: arrays or objects are nested too deeply")]
        ) from None
    except ValueError:
        # json refuses integers of more than 4,300 digits with a plain ValueError.
        raise BriefFormatError(
            [("", "not a brief file: it holds a number too long to read")]
        ) from None


class _RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RepeatedKeyError(key)
        result[key] = value
    return result


class _Reader:
    """Walks a decoded document, building entities and collecting problems."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def document(self, value: Any) -> Brief | None:
        fields = self.fields(value, "", ("format", "format_version", "brief"))
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
                f"this one reads version {FORMAT_VERSION}",
            )
            return None
        if version < 1:
            self.fail("format_version", f"there is no format version {version}")
            return None
        if "brief" not in fields:
            return None
        return self.brief(fields["brief"], "brief")

    def fields(
        self,
        value: Any,
        path: str,
        names: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            where = "must be an object" if path else "the file must hold a JSON object"
            self.fail(path, f"{where}, not {_kind(value)}")
            return None
        prefix = f"{path}." if path else ""
        known = names + optional
        for key in value:
            if key not in known:
                self.fail(
                    f"{prefix}{_key_text(key)}", "unknown key" + _suggestion(key, known)
                )
        for name in names:
            if name not in value:
                self.fail(f"{prefix}{name}", "missing required key")
        return value

    def brief(self, value: Any, path: str) -> Brief | None:
        fields = self.fields(value, path, BRIEF_KEYS, OPTIONAL_BRIEF_KEYS)
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
        fields = self.fields(value, path, OPTION_KEYS)
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
