"""No template runs code: a template sees plain data only, reaches no attribute
outside a short allow-list, and cannot touch the objects Briefapp writes the
document with (the chart's picture used to carry the live ``DocxTemplate``).

Each hostile template is tried three ways, as it would reach a user from a
shared folder: filled in, checked by the checker (whose trial renders must
not run it) and through ``briefapp templates check``. Every attempt writes a
file if it works, and the test looks for that file."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from briefapp.documents.analysis_render import with_placeholders
from briefapp.documents.checker import ERROR, check_template
from briefapp.documents.context import brief_context
from briefapp.documents.environment import (
    LIST_METHODS,
    PLAIN_TYPES,
    RECORD_METHODS,
    TEXT_METHODS,
    ensure_plain,
    template_environment,
)
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError
from tests.cli_in_process import run_cli
from tests.data.templates.build import document
from tests.reliability import HOSTILE_TEMPLATES, tally

pytestmark = pytest.mark.reliability

TODAY = dt.date(2026, 11, 28)
PROPERTIES = DocumentProperties("", "", "", "", "", "")
TARGET = "TARGET"  # replaced by a path in the test's folder

ATTACKS = {
    "tpl.docx.save": "{% if score_chart %}{{ score_chart.tpl.docx.save('TARGET') }}"
    "{% endif %}",
    "tpl.render": "{{ score_chart.tpl.render({'x': 1}) }}",
    "tpl.replace_zipname": "{{ score_chart.tpl.replace_zipname('a', 'TARGET') }}",
    "tpl by attr": "{{ (score_chart|attr('tpl')).save('TARGET') }}",
    "tpl by item": "{{ score_chart['tpl'].save('TARGET') }}",
    "matrix attribute": "{{ assessment_matrix.tpl }}",
    "matrix method": "{{ assessment_matrix.unescape() }}",
    "__dict__": "{{ score_chart.__dict__ }}",
    "__class__": "{{ title.__class__.__mro__ }}",
    "__html__": "{{ score_chart.__html__() }}",
    "str.format": "{{ '{0.__class__}'.format(title) }}",
    "method's owner": "{{ title.upper.__self__ }}",
    "list append": "{% set x = options.append(1) %}{{ options|length }}",
    "dict update": "{{ recommended.update({'title': 'x'}) }}",
    "map attribute": "{{ (options|map(attribute='__class__')|first).__mro__ }}",
    "macro globals": "{% macro m() %}{% endmacro %}{{ m.__globals__ }}",
    "range globals": "{{ range.__globals__ }}",
    "lipsum": "{{ lipsum() }}",
    "cycler internals": "{{ cycler('a').__init__.__globals__ }}",
    "loop internals": "{% for o in options %}{{ loop._iterator }}{% endfor %}",
}


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "written-by-the-template.txt"
    yield path
    assert not path.exists(), "the template wrote a file"


def hostile(tmp_path: Path, body: str, target: Path) -> Path:
    path = tmp_path / "hostile.docx"
    path.write_bytes(document(body.replace(TARGET, str(target))))
    return path


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_a_hostile_template_is_refused_when_filled_in(
    tmp_path: Path, target: Path, demo_brief: Brief, attack: str
) -> None:
    template = hostile(tmp_path, attack, target)
    with pytest.raises(TemplateError) as refused:
        render_docx(
            template,
            brief_context(demo_brief, today=TODAY),
            marking=demo_brief.classification,
            properties=PROPERTIES,
        )
    assert "hostile.docx" in str(refused.value)
    assert "may not" in str(refused.value) or "no attribute" in str(refused.value)
    tally(HOSTILE_TEMPLATES)


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_checker_refuses_a_hostile_template_without_running_it(
    tmp_path: Path, target: Path, demo_brief: Brief, attack: str
) -> None:
    template = hostile(tmp_path, attack, target)
    empty = Brief(demo_brief.reference, demo_brief.title, demo_brief.classification)
    findings = check_template(template, (demo_brief, empty))
    errors = [f for f in findings if f.severity == ERROR]
    assert errors, f"{attack} passed the check"
    # The static checks found it: no trial render ran the template.
    assert not any(f.where.startswith("trial") for f in errors), errors


def test_the_checker_names_what_a_picture_or_table_cannot_do(
    tmp_path: Path, target: Path, demo_brief: Brief
) -> None:
    template = hostile(tmp_path, ATTACKS["tpl.docx.save"], target)
    messages = [f.message for f in check_template(template, (demo_brief,))]
    assert messages == [
        "“score_chart” is a picture, with nothing to read after a dot (“.tpl”): "
        "show it as it is"
    ]
    template.write_bytes(document("{{ assessment_matrix.rows }}"))
    assert [f.message for f in check_template(template, (demo_brief,))] == [
        "“assessment_matrix” is a table, with nothing to read after a dot "
        "(“.rows”): show it as it is"
    ]
    template.write_bytes(document("{{ title.format(1) }}{{ o.key.__len__ }}"))
    assert [f.message for f in check_template(template, (demo_brief,))] == [
        "“title” is text, and “format” is not something a template may use on it "
        "(it may use capitalize, casefold, count, endswith, find, isdigit, join, "
        "lower, lstrip, replace, rstrip, split, splitlines, startswith, strip, "
        "title, upper)",
        "“o” is not a value a brief provides",
        "“__len__” may not be used in a template (refused by the sandbox)",
    ]


def test_the_command_line_check_refuses_the_attack_and_writes_nothing(
    tmp_path: Path, target: Path
) -> None:
    template = hostile(tmp_path, ATTACKS["tpl.docx.save"], target)
    outcome = run_cli("templates", "check", str(template))
    assert outcome.status == 1
    assert "“score_chart” is a picture" in outcome.stdout + outcome.stderr


def test_the_text_methods_a_template_may_use_still_work(
    tmp_path: Path, demo_brief: Brief
) -> None:
    body = (
        "{{ title.upper() }}|{{ options|length }}|{{ options.count(options[0]) }}|"
        "{% for o in options %}{{ loop.index }}{{ o.get('key') }}{% endfor %}|"
        "{% set ns = namespace(n=0) %}{% for o in options %}{% set ns.n = ns.n + 1 %}"
        "{% endfor %}{{ ns.n }}|{% for g in options|groupby('supplier') %}"
        "{{ g.grouper }}{{ g.list|length }}{% endfor %}|"
        "{% set c = cycler('x', 'y') %}{{ c.next() }}{{ c.next() }}|"
        "{% macro shout(t) %}{{ t.upper() }}{% endmacro %}{{ shout('ok') }}"
    )
    template = tmp_path / "fine.docx"
    template.write_bytes(document(body))
    data = render_docx(
        template,
        brief_context(demo_brief, today=TODAY),
        marking=demo_brief.classification,
        properties=PROPERTIES,
    )
    text = docx.Document(io.BytesIO(data)).paragraphs[0].text
    options = demo_brief.options
    keys = "".join(f"{n}{o.key}" for n, o in enumerate(options, 1))
    suppliers = sorted(o.supplier or "" for o in options)
    groups = "".join(f"{s}{suppliers.count(s)}" for s in dict.fromkeys(suppliers))
    parts = text.split("|")
    assert parts[:5] == [
        demo_brief.title.upper(),
        str(len(options)),
        "1",
        keys,
        str(len(options)),
    ]
    assert parts[5:] == [groups, "xy", "OK"]


def test_the_context_a_template_sees_is_plain_data(demo_brief: Brief) -> None:
    plain, objects = with_placeholders(brief_context(demo_brief, today=TODAY))
    ensure_plain(plain)
    # The chart and the matrix are placeholders naming objects kept outside.
    assert sorted(key.split("-")[0] for key in objects) == [
        "assessment_matrix",
        "score_chart",
    ]
    for key in objects:
        assert key in plain[key.split("-")[0]]


def test_an_object_in_the_context_is_refused_before_any_template_runs() -> None:
    with pytest.raises(
        TypeError, match=r"context\.chart holds a \w*Path, not plain data"
    ):
        ensure_plain({"title": "x", "chart": Path("x")})
    with pytest.raises(TypeError, match=r"context\.options\[0\]\.f holds a function"):
        ensure_plain({"options": [{"f": _f}]})


def _f() -> None:
    """A function, which no context may hold."""


def _reachable(value: Any, depth: int = 0) -> Iterator[Any]:
    yield value
    if depth > 6:
        return
    items = value.values() if isinstance(value, dict) else value
    if isinstance(value, dict | list | tuple):
        for item in items:
            yield from _reachable(item, depth + 1)


def test_no_attribute_outside_the_allow_list_is_reachable(demo_brief: Brief) -> None:
    """A walk over every attribute of every value a template can reach: each
    is refused unless it is on the allow-list for plain data, and what the
    allow-list gives is a method of plain data or plain data itself."""
    environment = template_environment()
    plain, _objects = with_placeholders(brief_context(demo_brief, today=TODAY))
    seen = 0
    for value in _reachable(plain):
        allowed = _allowed_for(value)
        for name in {*dir(value), "tpl", "docx", "__globals__", "__builtins__"}:
            seen += 1
            got = environment.getattr(value, name)
            if name in allowed:
                assert environment.is_safe_callable(got) or type(got) in PLAIN_TYPES
                continue
            if isinstance(value, dict) and name in value:
                continue  # a record's field (o.title), plain data itself
            # Refused if it exists; missing (Undefined) if it does not.
            refusal = SecurityError if hasattr(value, name) else UndefinedError
            with pytest.raises(refusal):
                str(got)
    assert seen > 1000


def _allowed_for(value: Any) -> frozenset[str]:
    from markupsafe import Markup

    if isinstance(value, Markup) or type(value) in (bool, int, float):
        return frozenset()
    if isinstance(value, str):
        return TEXT_METHODS
    if isinstance(value, dict):
        return RECORD_METHODS
    if isinstance(value, list | tuple):
        return LIST_METHODS
    return frozenset()


def test_listing_a_shared_folder_with_the_attack_writes_nothing(
    tmp_path: Path, target: Path
) -> None:
    """Anyone who can put a file in a team's folder reaches everyone who lists
    it: the listing checks each template, and the attack is refused there."""
    folder = tmp_path / "team"
    folder.mkdir()
    for name, attack in (("save", "tpl.docx.save"), ("copy", "tpl.replace_zipname")):
        body = ATTACKS[attack].replace(TARGET, str(target))
        (folder / f"{name}.docx").write_bytes(document(body))
    outcome = run_cli("templates", "list", "--templates", str(folder))
    assert outcome.status == 0
    rows = [line.split("\t")[:4] for line in outcome.stdout.splitlines()]
    assert rows[-2:] == [
        ["copy", "template folder", "en-GB", "1 error"],
        ["save", "template folder", "en-GB", "1 error"],
    ]
