"""Comparing two versions of a brief: which fields, options, constraints,
countries and sources changed, and, within a text, which words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from briefapp.domain.brief_format import brief_to_dict
from briefapp.domain.countries import UNNAMED_COUNTRY_NAME, country_name
from briefapp.domain.entities import (
    BRIEF_TYPE_LABELS,
    CONSTRAINT_KIND_LABELS,
    UNNAMED_COUNTRY,
    Brief,
    BriefType,
    ConstraintKind,
)

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


class SegmentKind(StrEnum):
    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text that is kept, inserted or deleted."""

    kind: SegmentKind
    text: str


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The words of ``old`` and ``new`` as kept, deleted and inserted runs.

    Joining the kept and deleted runs gives ``old``; joining the kept and
    inserted runs gives ``new``. A changed run lists its deletion first.
    """
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in _joined(matcher.get_opcodes(), before):
        if tag == "equal":
            _append(segments, SegmentKind.EQUAL, "".join(before[i1:i2]))
            continue
        _append(segments, SegmentKind.DELETE, "".join(before[i1:i2]))
        _append(segments, SegmentKind.INSERT, "".join(after[j1:j2]))
    return tuple(segments)


def _joined(
    opcodes: Sequence[tuple[str, int, int, int, int]], before: list[str]
) -> list[tuple[str, int, int, int, int]]:
    """The opcodes with a kept run of spaces between two changes taken into
    the change, so “[-own forces-]{+too+}” reads as one replacement."""
    merged: list[tuple[str, int, int, int, int]] = []
    for index, opcode in enumerate(opcodes):
        tag, i1, i2, _, j2 = opcode
        between = 0 < index < len(opcodes) - 1
        spaces = tag == "equal" and all(t.isspace() for t in before[i1:i2])
        if (
            merged
            and merged[-1][0] != "equal"
            and (tag != "equal" or (between and spaces))
        ):
            _, m1, _, n1, _ = merged[-1]
            merged[-1] = ("replace", m1, i2, n1, j2)
        else:
            merged.append(opcode)
    return merged


def _append(segments: list[Segment], kind: SegmentKind, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind is kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


class ChangeKind(StrEnum):
    """What happened to an item between two versions."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field whose text differs, with the words that changed.

    ``path`` is stable for machines (``summary``, ``options.B.title``,
    ``countries.LT/acquirer.notes``); ``label`` is what people call the field.
    """

    path: str
    label: str
    old: str
    new: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class ItemChange:
    """An option, constraint, country, source, criterion, assessment or score
    that was added, removed, changed or moved.

    ``key`` names the item within its collection: an option's key, a
    country's ``code/role``, an assessment's ``option/constraint``, a score's
    ``option/criterion``; a repeated identity gets ``#2``, ``#3``… in order.
    """

    collection: str
    key: str
    label: str
    kind: ChangeKind
    fields: tuple[FieldChange, ...]
    moved: bool = False


@dataclass(frozen=True, slots=True)
class BriefComparison:
    """What changed between two versions of a brief."""

    fields: tuple[FieldChange, ...]
    items: tuple[ItemChange, ...]

    @property
    def is_empty(self) -> bool:
        return not self.fields and not self.items

    def counts(self) -> dict[str, int]:
        """How many brief fields changed and how many items of each kind."""
        counts = {"fields": len(self.fields)}
        for kind in ChangeKind:
            counts[kind.value] = sum(item.kind is kind for item in self.items)
        return counts


# A field is labelled by its file name in words (``key_points``: "Key points")
# unless it is named here.
_LABELS = {"delivery_months": "Delivery (months)", "url": "URL"}
# Each collection, in report order, with the fields that make an item's identity.
_IDENTITIES = {
    "options": ("key",),
    "constraints": ("key",),
    "countries": ("code", "role"),
    "sources": ("key",),
    "criteria": ("key",),
    "assessments": ("option", "constraint"),
    "scores": ("option", "criterion"),
}
_NOUNS = {
    "options": "Option",
    "constraints": "Constraint",
    "sources": "Source",
    "criteria": "Criterion",
}
# Assessments and scores are grids: their stored order means nothing to a reader.
_UNORDERED = frozenset({"assessments", "scores"})
_MARKS = {ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-", ChangeKind.CHANGED: "~"}

_Item = dict[str, Any]


def compare_briefs(old: Brief, new: Brief) -> BriefComparison:
    """What changed from ``old`` to ``new``, over exactly a brief file's content.

    Storage state (id, status, revision, timestamps) is not compared.

    Returns:
        The changed brief fields in the file's order, then the item changes of
        options, constraints, countries, sources, criteria, assessments and
        scores: each collection in the new order, removed items after them.
    """
    before, after = brief_to_dict(old), brief_to_dict(new)
    fields = [
        change
        for name in after
        if name not in _IDENTITIES and (change := _field_change(name, before, after))
    ]
    items = [
        change
        for collection in _IDENTITIES
        for change in _item_changes(collection, before[collection], after[collection])
    ]
    return BriefComparison(tuple(fields), tuple(items))


def comparison_lines(comparison: BriefComparison) -> list[str]:
    """The comparison as plain text, in wdiff style: ``[-deleted-]{+inserted+}``.

    One line per changed brief field (``Summary: The cost is [-high-]{+low+}.``),
    then one per item (``+ Option E: …``, ``- Constraint C3: …``,
    ``~ Option B: …``, with `` (moved)`` when its place changed), each followed
    by its changed fields indented by four spaces. A value's own newlines stay
    in its line. No changes give ``["No differences."]``.
    """
    if comparison.is_empty:
        return ["No differences."]
    lines = [_field_line(change) for change in comparison.fields]
    for item in comparison.items:
        moved = " (moved)" if item.moved else ""
        lines.append(f"{_MARKS[item.kind]} {item.label}{moved}")
        lines.extend(f"    {_field_line(change)}" for change in item.fields)
    return lines


def _field_line(change: FieldChange) -> str:
    parts = []
    for segment in change.segments:
        if segment.kind is SegmentKind.DELETE:
            parts.append(f"[-{segment.text}-]")
        elif segment.kind is SegmentKind.INSERT:
            parts.append(f"{{+{segment.text}+}}")
        else:
            parts.append(segment.text)
    return f"{change.label}: {''.join(parts)}"


def _label(name: str) -> str:
    return _LABELS.get(name) or name.replace("_", " ").capitalize()


def _field_change(
    name: str, before: _Item, after: _Item, path: str = ""
) -> FieldChange | None:
    old, new = _text(name, before.get(name)), _text(name, after.get(name))
    if old == new:
        return None
    return FieldChange(path + name, _label(name), old, new, word_diff(old, new))


def _text(name: str, value: Any) -> str:
    """A value of the brief file as people read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(str(line) for line in value)
    if isinstance(value, dict):  # money, the only object inside an item
        return f"{value['amount']} {value['currency']}"
    if name == "brief_type":
        return BRIEF_TYPE_LABELS[BriefType(value)]
    if name == "kind":
        return CONSTRAINT_KIND_LABELS[ConstraintKind(value)]
    if name == "supplier":
        return country_name(value)
    return str(value)


def _item_changes(
    collection: str, old_items: list[_Item], new_items: list[_Item]
) -> list[ItemChange]:
    old, new = _keyed(collection, old_items), _keyed(collection, new_items)
    moved = set() if collection in _UNORDERED else _moved(list(old), list(new))
    changes = []
    for key, (item, label) in new.items():
        if key not in old:
            changes.append(ItemChange(collection, key, label, ChangeKind.ADDED, ()))
            continue
        before, old_label = old[key]
        fields = _item_fields(collection, key, before, item)
        if fields or key in moved:
            # An item keeps a name even while its new title is still empty.
            name = label if item.get("title", True) else old_label
            changes.append(
                ItemChange(
                    collection, key, name, ChangeKind.CHANGED, fields, key in moved
                )
            )
    changes.extend(
        ItemChange(collection, key, label, ChangeKind.REMOVED, ())
        for key, (_item, label) in old.items()
        if key not in new
    )
    return changes


def _item_fields(
    collection: str, key: str, before: _Item, after: _Item
) -> tuple[FieldChange, ...]:
    path = f"{collection}.{key}."
    # A field written only when set (an option's unit) may be in one side only.
    every = dict.fromkeys([*after, *before])
    names = [name for name in every if name not in _IDENTITIES[collection]]
    changes = (_field_change(name, before, after, path) for name in names)
    return tuple(change for change in changes if change)


def _keyed(collection: str, items: list[_Item]) -> dict[str, tuple[_Item, str]]:
    """Each item with its key and label, in order; repeats numbered from #2."""
    keyed: dict[str, tuple[_Item, str]] = {}
    seen: dict[str, int] = {}
    for item in items:
        identity = "/".join(str(item[name]) for name in _IDENTITIES[collection])
        seen[identity] = seen.get(identity, 0) + 1
        label = _item_label(collection, item)
        if seen[identity] > 1:
            identity, label = (
                f"{identity}#{seen[identity]}",
                f"{label} #{seen[identity]}",
            )
        keyed[identity] = (item, label)
    return keyed


def _item_label(collection: str, item: _Item) -> str:
    if collection == "countries":
        code = item["code"]
        name = (
            UNNAMED_COUNTRY_NAME.lower()
            if code == UNNAMED_COUNTRY
            else country_name(code)
        )
        return f"Country {name} ({item['role']})"
    if collection == "assessments":
        return f"Assessment {item['option']} against {item['constraint']}"
    if collection == "scores":
        return f"Score of {item['option']} on {item['criterion']}"
    return f"{_NOUNS[collection]} {item['key']}: {item['title']}"


def _moved(old_keys: list[str], new_keys: list[str]) -> set[str]:
    """The kept items outside the longest runs that keep their order.

    ``difflib`` matches the longest run first, so moving one item to another
    place marks just that item.
    """
    common = set(old_keys) & set(new_keys)
    before = [key for key in old_keys if key in common]
    after = [key for key in new_keys if key in common]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    kept = {
        key
        for block in matcher.get_matching_blocks()
        for key in after[block.b : block.b + block.size]
    }
    return common - kept
