"""User text printed by the command line carries no terminal control: escape
sequences and bidi overrides come out as escapes, and a tab or newline in a
field of tab-separated output cannot break its row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefapp import paths
from briefapp.cli_output import block, field
from tests.cli_in_process import run_cli

HOSTILE = "Fine\x1b]0;pwned\x07\x1b[2J\u202eevil\u2066\x9b31m\x7f\ttab\nline"
SHOWN = (
    "Fine\\u001b]0;pwned\\u0007\\u001b[2J\\u202eevil\\u2066\\u009b31m\\u007f"
    "\\ttab\\nline"
)
CONTROLS = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))] + [
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
]


def test_every_control_is_escaped_in_a_field() -> None:
    assert field(HOSTILE) == SHOWN
    for control in CONTROLS:
        assert field(f"a{control}b") == f"a\\u{ord(control):04x}b".replace(
            "\\u0009", "\\t"
        ).replace("\\u000a", "\\n").replace("\\u000d", "\\r")


def test_lines_keep_newlines_and_tabs_but_no_other_control() -> None:
    assert block("one\ttwo\nthree\x1b[0m\u202e") == "one\ttwo\nthree\\u001b[0m\\u202e"


@pytest.fixture
def hostile_db(tmp_path: Path, database_path: Path) -> Path:
    """A database holding a brief imported from a file whose title, chain
    names, comments and audit notes carry terminal controls."""
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["reference"] = "MOD-\u202eEVIL"
    document["brief"]["title"] = "Title\u202e\u2066x"
    moment = "2026-11-28T09:15:00Z"
    document["clearance"] = {
        "status": "draft",
        "chain": [{"name": f"Ona{HOSTILE}", "role": "drafter"}],
        "versions": [],
        "audit": [
            {"at": moment, "actor": f"Ona{HOSTILE}", "action": "chain",
             "note": HOSTILE, "from_status": None, "to_status": None,
             "version": None}
        ],
        "comments": [
            {"id": 1, "reply_to": None, "on": "brief", "author": "Rita",
             "created_at": moment, "text": HOSTILE, "class": "comment",
             "resolved": False, "resolved_by": "", "resolved_at": None,
             "version": None},
            {"id": 2, "reply_to": 1, "on": "brief", "author": f"Ona{HOSTILE}",
             "created_at": moment, "text": HOSTILE, "class": "comment",
             "resolved": False, "resolved_by": "", "resolved_at": None,
             "version": None},
        ],
    }  # fmt: skip
    path = tmp_path / "hostile.brief.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    imported = run_cli("--db", str(database_path), "--as", "Ieva", "import", str(path))
    assert imported.stdout == "2\n", imported
    return database_path


def _clean(output: str) -> None:
    for control in CONTROLS:
        if control not in "\t\n":
            assert control not in output, repr(control)


def test_comments_are_printed_escaped(hostile_db: Path) -> None:
    result = run_cli("--db", str(hostile_db), "comments", "2")
    _clean(result.stdout)
    assert result.stdout.splitlines() == [
        f"#1 [comment only, open] on brief: Rita: {SHOWN}",
        f"    ↳ Ona{SHOWN}: {SHOWN}",
    ]


def test_history_keeps_one_row_of_six_columns_per_step(hostile_db: Path) -> None:
    result = run_cli("--db", str(hostile_db), "history", "2")
    _clean(result.stdout)
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == 6 for row in rows)
    assert rows[0][1:] == [f"Ona{SHOWN}", "chain", "", "", SHOWN]


def test_status_is_printed_escaped(hostile_db: Path) -> None:
    result = run_cli("--db", str(hostile_db), "--as", "Ieva", "status", "2")
    _clean(result.stdout)
    lines = result.stdout.splitlines()
    assert lines[0] == "MOD-\\u202eEVIL  Title\\u202e\\u2066x"
    assert f"  drafter   Ona{SHOWN}" in lines
    assert f"  #1 [comment only, open] on brief: Rita: {SHOWN}" in lines


def test_list_keeps_one_row_of_four_columns_per_brief(hostile_db: Path) -> None:
    result = run_cli("--db", str(hostile_db), "list")
    _clean(result.stdout)
    rows = sorted(line.split("\t") for line in result.stdout.splitlines())
    assert [len(row) for row in rows] == [4, 4]
    assert rows[1] == ["2", "draft", "MOD-\\u202eEVIL", "Title\\u202e\\u2066x"]


def test_an_error_quoting_user_text_is_escaped_too(hostile_db: Path) -> None:
    result = run_cli("--db", str(hostile_db), "comment", "2", "x", "--on", "\x1b[2J")
    assert result.one_line_error == (
        "--on \\u001b[2J: say brief, field:NAME, option:KEY, constraint:KEY or "
        "country:CODE."
    )
