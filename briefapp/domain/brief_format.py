"""The ``.brief.json`` interchange format: strict reading and stable writing.

Reading checks the whole document before anything is built, and reports every
problem with the JSON path of the value at fault (``brief.options[2].cost.amount:
not a decimal number``). Writing is deterministic, so export, import and export
again gives the same bytes. The brief itself is read by ``brief_reader`` and
written by ``brief_writer``; its clearance record, beside it since format
version 3, by ``clearance_format``.
"""

from __future__ import annotations

import json
from typing import Any

from briefapp.domain.brief_reader import (
    CLEARANCE_KEY,
    FILE_SUFFIX,
    FORMAT_NAME,
    FORMAT_VERSION,
    BriefReader,
)
from briefapp.domain.brief_writer import brief_to_dict
from briefapp.domain.clearance import Clearance
from briefapp.domain.clearance_format import (
    FileClearance,
    clearance_to_dict,
    read_clearance,
)
from briefapp.domain.entities import Brief
from briefapp.domain.errors import BriefFormatError
from briefapp.domain.validation import brief_problems

__all__ = [
    "FILE_SUFFIX",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "brief_to_dict",
    "dumps_brief",
    "loads_brief",
    "loads_brief_file",
]


def loads_brief(data: bytes | str) -> Brief:
    """Read a brief file's content, checking all of it (its clearance record
    too, which is then left aside).

    Raises:
        BriefFormatError: naming the JSON path and the problem of each fault.
    """
    return loads_brief_file(data)[0]


def loads_brief_file(data: bytes | str) -> tuple[Brief, FileClearance | None]:
    """Read a brief file's content and its clearance record, if it has one,
    checking all of both.

    Raises:
        BriefFormatError: naming the JSON path and the problem of each fault.
    """
    reader = BriefReader()
    fields = reader.header(_decode(data))
    brief: Brief | None = None
    clearance: FileClearance | None = None
    if fields is not None and "brief" in fields:
        brief = reader.brief(fields["brief"], "brief")
    if fields is not None and CLEARANCE_KEY in fields:
        clearance = read_clearance(fields[CLEARANCE_KEY], reader, CLEARANCE_KEY)
    if reader.problems:
        raise BriefFormatError(reader.problems)
    assert brief is not None
    problems = brief_problems(brief)
    if problems:
        raise BriefFormatError([(p.path, p.message) for p in problems])
    return brief, clearance


def brief_from_dict(content: str) -> Brief:
    """The brief held by a version's canonical JSON (a brief file's ``brief``
    object, as ``brief_to_dict`` gives it)."""
    reader = BriefReader()
    brief = reader.brief(json.loads(content), "brief")
    if reader.problems or brief is None:
        raise BriefFormatError(reader.problems or [("brief", "not a brief")])
    return brief


def dumps_brief(
    brief: Brief, clearance: Clearance | FileClearance | None = None
) -> str:
    """The brief as ``.brief.json`` text (UTF-8, two-space indent, final
    newline), with its clearance record when ``clearance`` is given."""
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "brief": brief_to_dict(brief),
    }
    if clearance is not None:
        document[CLEARANCE_KEY] = clearance_to_dict(clearance)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


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
