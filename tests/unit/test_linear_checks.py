"""Checks of large briefs grow linearly with the brief: counted, not timed.

Keys here count how often they are compared for equality. Comparing each key
with every earlier one (a list search) makes n²/2 comparisons; a set lookup
makes almost none, since distinct keys rarely share a hash.
"""

from __future__ import annotations

from dataclasses import replace

from briefapp.domain.edits import with_items
from briefapp.domain.entities import Brief, Option
from briefapp.domain.validation import brief_problems

OPTIONS = 3_000


class CountedKey(str):
    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountedKey.comparisons += 1
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__


def _brief(count: int) -> Brief:
    options = tuple(
        Option(key=CountedKey(f"O{i}"), title=f"Option {i}") for i in range(count)
    )
    return Brief("MOD-1", "Many options", "RESTRICTED", options=options)


def test_checking_the_keys_of_many_options_compares_each_key_about_once() -> None:
    brief = _brief(OPTIONS)
    CountedKey.comparisons = 0
    assert brief_problems(brief) == []
    assert CountedKey.comparisons <= 2 * OPTIONS


def test_a_repeated_key_is_still_found_among_many() -> None:
    brief = _brief(OPTIONS)
    options = (*brief.options, Option(key="O17", title="Again"))
    problems = brief_problems(replace(brief, options=options))
    assert [(p.path, p.message) for p in problems] == [
        (f"brief.options[{OPTIONS}].key", "the key “O17” is already used")
    ]


def test_renaming_one_option_among_many_compares_each_key_about_once() -> None:
    brief = _brief(OPTIONS)
    renamed = list(brief.options)
    renamed[5] = replace(renamed[5], key=CountedKey("NEW"))
    CountedKey.comparisons = 0
    edited = with_items(brief, "options", renamed)
    assert edited.options[5].key == "NEW"
    assert CountedKey.comparisons <= 4 * OPTIONS
