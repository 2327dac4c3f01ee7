"""The ``.brief.json`` interchange format: strict reading and stable writing.

Reading checks the whole document before anything is built, and reports every
problem with the JSON path of the value at fault (``brief.options[2].cost.amount:
not a decimal number``). Writing is deterministic, so export, import and export
again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from briefapp.domain.brief_reader import (
    FILE_SUFFIX,
    FORMAT_NAME,
    FORMAT_VERSION,
    BriefReader,
)
from briefapp.domain.entities import Brief, Option
from briefapp.domain.errors import BriefFormatError
from briefapp.domain.validation import brief_problems

__all__ = ["FILE_SUFFIX", "FORMAT_NAME", "FORMAT_VERSION", "dumps_brief", "loads_brief"]


def loads_brief(data: bytes | str) -> Brief:
    """Read a brief file's content, checking all of it.

    Raises:
        BriefFormatError: naming the JSON path and the problem of each fault.
    """
    document = _decode(data)
    reader = BriefReader()
    brief = reader.document(document)
    if reader.problems:
        raise BriefFormatError(reader.problems)
    assert brief is not None
    problems = brief_problems(brief)
    if problems:
        raise BriefFormatError([(p.path, p.message) for p in problems])
    return brief


def brief_from_dict(content: str) -> Brief:
    """The brief held by a version's canonical JSON (a brief file's ``brief``
    object, as ``brief_to_dict`` gives it)."""
    reader = BriefReader()
    brief = reader.brief(json.loads(content), "brief")
    if reader.problems or brief is None:
        raise BriefFormatError(reader.problems or [("brief", "not a brief")])
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
        "criteria": [
            {
                "key": c.key,
                "title": c.title,
                "description": c.description,
                "weight": _number(c.weight),
            }
            for c in brief.criteria
        ],
        "assessments": [
            {
                "option": a.option,
                "constraint": a.constraint,
                "result": a.result.value,
                "note": a.note,
                "source": a.source,
            }
            for a in brief.assessments
        ],
        "scores": [
            {
                "option": s.option,
                "criterion": s.criterion,
                "score": s.score,
                "rationale": s.rationale,
            }
            for s in brief.scores
        ],
    }


def _number(value: float) -> int | float:
    """A weight as JSON shows it: ``30``, not ``30.0``."""
    return int(value) if float(value).is_integer() else value


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
