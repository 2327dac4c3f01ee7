"""The name checker follows what a template's names hold, in every construct."""

from __future__ import annotations

import pytest

from briefapp.documents.environment import template_environment
from briefapp.documents.names import name_problems


def problems(source: str) -> list[str]:
    environment = template_environment()
    return [p.message for p in name_problems(environment.parse(source), environment)]


@pytest.mark.parametrize(
    "source",
    [
        "{{ title }} {{ deadline_iso|date('short') }}",
        "{% for o in options %}{{ o.cost }} {{ loop.index }}{% endfor %}",
        "{% for o in options|sort(attribute='title') %}{{ o.title }}{% endfor %}",
        "{% for o in options|selectattr('cost') %}{{ o.key }}{% endfor %}",
        "{% for o in options|reverse %}{{ o.risks|join('; ') }}{% endfor %}",
        "{% with first = options|first %}{{ first.title }}{% endwith %}",
        "{% set n = options|length %}{{ n }}",
        "{% set heading %}{{ title }}{% endset %}{{ heading }}",
        "{% macro row(o) %}{{ o.title }}{% endmacro %}{{ row(options[0]) }}",
        "{% macro box() %}{{ caller() }}{% endmacro %}"
        "{% call box() %}{{ title }}{% endcall %}",
        "{% if recommended %}{{ recommended.title }}{% endif %}",
        "{% for c in countries if c.role == 'supplier' %}{{ c.name }}{% endfor %}",
        "{% for key, value in {'a': 1}.items() %}{{ key }}{{ value }}{% endfor %}",
    ],
)
def test_correct_templates_have_no_problems(source: str) -> None:
    assert problems(source) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{% for o in options|sort(attribute='titel') %}{% endfor %}",
            "an option has no field “titel” (did you mean “title”?)",
        ),
        (
            "{% for o in options|sort(attribute='title') %}{{ o.cots }}{% endfor %}",
            "an option has no field “cots” (did you mean “cost”?)",
        ),
        (
            "{% with first = options|first %}{{ first.titel }}{% endwith %}",
            "an option has no field “titel” (did you mean “title”?)",
        ),
        (
            "{% for c in countries %}{{ c.nmae }}{% endfor %}",
            "a country has no field “nmae” (did you mean “name”?)",
        ),
        (
            "{% with x = title %}{% endwith %}{{ x }}",
            "“x” is not a value a brief provides",
        ),
        (
            "{{ recommended.cots }}",
            "the recommended option has no field “cots” (did you mean “cost”?)",
        ),
        (
            "{{ title is definedd }}",
            "there is no test “definedd” (did you mean “defined”?)",
        ),
    ],
)
def test_mistakes_are_named_with_a_suggestion(source: str, expected: str) -> None:
    assert problems(source) == [expected]
