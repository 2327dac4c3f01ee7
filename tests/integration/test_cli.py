"""The command line as scripts use it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from briefapp import paths
from briefapp.settings import Settings

pytestmark = pytest.mark.slow


def run(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "briefapp", *args]
    if db is not None:
        command[3:3] = ["--db", str(db)]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        check=False,
    )


def test_list_import_export_render(tmp_path: Path, database_path: Path) -> None:
    listed = run("list", db=database_path)
    assert listed.returncode == 0, listed.stderr
    demo = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))["brief"]
    assert listed.stdout == f"1\tdraft\tMOD-2026-014\t{demo['title']}\n"

    exported = tmp_path / "out.brief.json"
    assert run("export", "1", "-o", str(exported), db=database_path).returncode == 0
    imported = run("import", "--as-new", str(exported), db=database_path)
    assert (imported.returncode, imported.stdout) == (0, "2\n")
    assert imported.stderr == "briefapp: imported as MOD-2026-014 (2)\n"
    replaced = run("import", "--replace", str(exported), db=database_path)
    assert (replaced.returncode, replaced.stdout) == (0, "1\n")
    again = tmp_path / "again.brief.json"
    assert run("export", "1", "-o", str(again), db=database_path).returncode == 0
    assert again.read_bytes() == exported.read_bytes()

    word = tmp_path / "brief.docx"
    rendered = run("render", "2", "-o", str(word), db=database_path)
    assert rendered.returncode == 0, rendered.stderr
    document = docx.Document(io.BytesIO(word.read_bytes()))
    assert demo["title"] in [p.text for p in document.paragraphs]


def test_a_new_database_is_announced(database_path: Path) -> None:
    first = run("list", db=database_path)
    assert first.stderr == (
        f"briefapp: created a new database at {database_path} "
        "(with the illustrative demo brief)\n"
    )
    assert run("list", db=database_path).stderr == ""


def test_an_empty_database_path_is_refused() -> None:
    result = run("list", "--db", "")
    assert result.returncode == 2
    assert result.stderr == (
        "briefapp list: argument --db: --db needs the path of a database file "
        "(see briefapp list --help)\n"
    )


def test_the_database_can_be_chosen_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "team.db"
    monkeypatch.setenv(paths.DB_ENV_VAR, str(chosen))
    assert run("list").returncode == 0
    assert chosen.is_file()
    assert not paths.default_database_path().exists()


def test_the_default_database_is_in_the_user_data_folder() -> None:
    assert run("list").returncode == 0
    assert paths.default_database_path().is_file()


def test_a_bad_import_is_one_line_and_changes_nothing(
    tmp_path: Path, database_path: Path
) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["options"][2]["cost"]["amount"] = "12,5"
    bad = tmp_path / "bad.brief.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    before = run("list", db=database_path).stdout
    result = run("import", str(bad), db=database_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        result.stderr
        == "briefapp: brief.options[2].cost.amount: not a decimal number\n"
    )
    assert run("list", db=database_path).stdout == before


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("export", "99", "-o", "x.brief.json"), 1,
         "briefapp: There is no brief with id 99.\n"),
        (("render", "1", "-t", "nope", "-o", "x.docx"), 1,
         "briefapp: There is no template called “nope” (templates: "
         "decision-brief, decision-brief-lt, one-page-summary, options-annex); give a "
         "template name or the path of a .docx file.\n"),
        (("render", "abc", "-o", "x.docx"), 2,
         "briefapp render: argument id: invalid int value: 'abc' "
         "(see briefapp render --help)\n"),
        (("frobnicate",), 2, None),
    ],
)  # fmt: skip
def test_errors_are_one_line_without_traceback(
    tmp_path: Path,
    database_path: Path,
    args: tuple[str, ...],
    status: int,
    message: str | None,
) -> None:
    assert run("list", db=database_path).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "briefapp", "--db", str(database_path), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == status
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    if message is not None:
        assert result.stderr == message


def test_not_a_database_file(tmp_path: Path) -> None:
    fake = tmp_path / "fake.db"
    fake.write_text("hello")
    result = run("list", db=fake)
    assert result.returncode == 1
    assert (
        result.stderr
        == f"briefapp: {fake} is not a Briefapp database (not an SQLite file).\n"
    )
    assert fake.read_text() == "hello"


def test_templates_list() -> None:
    result = run("templates", "list")
    assert result.returncode == 0
    name, origin, language, status, location = result.stdout.splitlines()[0].split("\t")
    assert (name, origin, language, status) == (
        "decision-brief",
        "built-in",
        "en-GB",
        "ok",
    )
    assert Path(location).is_file()


def test_templates_list_marks_a_hidden_twin_and_survives_a_runaway(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "decision-brief.docx").write_bytes(
        (paths.templates_dir() / "decision-brief.docx").read_bytes()
    )
    runaway = Path(__file__).parents[1] / "data" / "templates" / "runaway.docx"
    (folder / "runaway.docx").write_bytes(runaway.read_bytes())
    result = run("templates", "list", "--templates", str(folder), "--timeout", "8")
    assert result.returncode == 0
    rows = {
        (row.split("\t")[0], row.split("\t")[1]): row.split("\t")[3]
        for row in result.stdout.splitlines()
    }
    assert rows[("decision-brief", "built-in")] == "ok"
    assert rows[("decision-brief", "template folder")] == (
        "ok; hidden by an earlier template of this name, use its path"
    )
    assert rows[("runaway", "template folder")] == "1 error"
    assert len(rows) == 6


def test_templates_check_names_each_mistake(tmp_path: Path) -> None:
    broken = Path(__file__).parents[1] / "data" / "templates"
    good = paths.templates_dir() / "one-page-summary.docx"
    result = run("templates", "check", str(good), str(broken / "misspelt-field.docx"))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{good}: ok",
        f"{broken / 'misspelt-field.docx'}: error: body, in “Subject: "
        "{{ titel }}”: “titel” is not a value a brief provides (did you mean “title”?)",
    ]
    assert result.stderr == "briefapp: 1 of 2 templates failed the check\n"
    assert not paths.default_database_path().exists()


def test_templates_check_goes_on_past_a_file_it_cannot_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    good = paths.templates_dir() / "one-page-summary.docx"
    missing = tmp_path / "missing.docx"
    result = run("templates", "check", str(folder), str(missing), str(good))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{folder}: error: The template {folder} is not a file (a folder, a pipe or "
        "a device?).",
        f"{missing}: error: The template {missing} does not exist.",
        f"{good}: ok",
    ]
    assert result.stderr == "briefapp: 2 of 3 templates failed the check\n"


def test_the_extra_folder_chosen_in_the_window_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    shutil.copy(paths.templates_dir() / "one-page-summary.docx", folder / "team.docx")
    Settings(templates_folder=str(folder)).save(paths.settings_file())
    result = run("templates", "list")
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()][-1] == [
        "team",
        "template folder",
    ]


def test_templates_reference_is_written(tmp_path: Path) -> None:
    output = tmp_path / "FIELDS.md"
    assert run("templates", "reference", "-o", str(output)).returncode == 0
    assert output.read_text(encoding="utf-8") == (
        paths.templates_dir() / "FIELDS.md"
    ).read_text(encoding="utf-8")


def test_a_runaway_template_is_stopped_after_the_timeout(
    tmp_path: Path, database_path: Path
) -> None:
    runaway = Path(__file__).parents[1] / "data" / "templates" / "runaway.docx"
    result = run(
        "render", "1", "--timeout", "2", "-t", str(runaway), "-o",
        str(tmp_path / "x.docx"), db=database_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "briefapp: Filling in the template runaway.docx took longer than 2 seconds "
        "and was stopped; a loop in it may never end."
    )
    assert not (tmp_path / "x.docx").exists()


def _analysis_brief(tmp_path: Path, weights: tuple[float, float]) -> Path:
    """Two options, two criteria: with weights 3 and 1, A = 65 and B = 55, and
    A stays first while criterion K1 weighs at least 2/3."""
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    brief = document["brief"]
    brief["options"] = brief["options"][:2]
    brief["recommended_option"] = "A"
    brief["criteria"] = [
        {"key": "K1", "title": "Effect", "description": "", "weight": weights[0]},
        {"key": "K2", "title": "Cost", "description": "", "weight": weights[1]},
    ]
    brief["assessments"] = []
    brief["scores"] = [
        {"option": o, "criterion": k, "score": s, "rationale": ""}
        for o, k, s in (("A", "K1", 4), ("A", "K2", 1), ("B", "K1", 2), ("B", "K2", 5))
    ]
    path = tmp_path / "two.brief.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_analyse_gives_the_hand_computed_numbers(
    tmp_path: Path, database_path: Path
) -> None:
    imported = run(
        "import", "--as-new", str(_analysis_brief(tmp_path, (3, 1))), db=database_path
    )
    brief_id = imported.stdout.strip()
    result = run("analyse", brief_id, "--json", db=database_path)
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)
    assert [(r["option"], r["score"], r["rank"]) for r in analysis["ranking"]] == [
        ("A", pytest.approx(65), 1),
        ("B", pytest.approx(55), 2),
    ]
    k1, k2 = analysis["sensitivity"]
    assert (k1["criterion"], k1["weight"], k1["leader_below"]) == ("K1", 0.75, "B")
    assert round(k1["stable_from"], 3) == 0.667
    assert (round(k2["stable_to"], 3), k2["next_leader"]) == (0.333, "B")
    assert analysis["summary"] == (
        "The recommendation of Option A holds unless the weight of effect falls "
        "below 66.7%, when Option B ranks first."
    )
    text = run("analyse", brief_id, db=database_path).stdout.splitlines()
    assert text[:3] == [
        "Ranking (rank, option, weighted score out of 100)",
        "   1  A       65.0  Combined purchase for national stocks and transfer to "
        "Ukraine",
        "   2  B       55.0  Purchase for national stocks only",
    ]
    assert text[4].startswith("  K1      75.0%   66.7% to 100.0%  below: B ")


def test_analyse_with_every_weight_zero_says_so(
    tmp_path: Path, database_path: Path
) -> None:
    imported = run(
        "import", "--as-new", str(_analysis_brief(tmp_path, (0, 0))), db=database_path
    )
    result = run("analyse", imported.stdout.strip(), db=database_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "briefapp: Every criterion has a weight of zero: give at least one "
        "criterion a weight above zero."
    )
    assert "   –  " not in result.stdout  # nothing ranked, no made-up numbers
    assert result.stdout.startswith(
        "Ranking (rank, option, weighted score out of 100)\n  (none)\n"
        "No option can be ranked: every criterion has a weight of zero.\n"
    )


def test_import_lists_every_problem_of_a_file(
    tmp_path: Path, database_path: Path
) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["scores"][0]["score"] = 7
    document["brief"]["assessments"][5]["option"] = "Z"
    path = tmp_path / "bad.brief.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("import", str(path), db=database_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "briefapp: brief.assessments[5].option: “Z” is not one of the brief's options",
        "briefapp: brief.scores[0].score: must be a whole number from 0 to 5, not 7",
    ]


def test_render_warns_when_the_analysis_ranks_another_option_first(
    tmp_path: Path, database_path: Path
) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["criteria"][2]["weight"] = 40  # cost: B overtakes A
    path = tmp_path / "heavier-cost.brief.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    brief_id = run("import", "--as-new", str(path), db=database_path).stdout.strip()
    result = run("render", brief_id, "-o", str(tmp_path / "b.docx"), db=database_path)
    assert result.returncode == 0
    assert result.stderr.splitlines()[-1] == (
        "briefapp: warning: The brief recommends option A, but the analysis ranks "
        "option B first."
    )
    assert (tmp_path / "b.docx").is_file()


def test_templates_check_with_a_brief_tries_it_and_writes_the_trial(
    tmp_path: Path, database_path: Path
) -> None:
    """A template that passes the demo brief and an empty one but fails with
    the user's own brief (two options) says so with the brief's reference;
    a good one is filled in and written where asked."""
    import docx

    from tests.data.templates.build import document

    run("import", str(_analysis_brief(tmp_path, (3, 1))), "--as-new", db=database_path)
    picky = tmp_path / "picky.docx"
    picky.write_bytes(
        document("{% if options|length == 2 %}{{ options[7].title }}{% endif %}")
    )
    result = run("templates", "check", str(picky), "--with", "2", db=database_path)
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{picky}: error: trial with brief MOD-2026-014 (2): ")
    assert "the list has fewer items than that" in line

    good = paths.templates_dir() / "one-page-summary.docx"
    trial = tmp_path / "trial.docx"
    result = run(
        "templates", "check", str(good), "--with", "2", "-o", str(trial),
        db=database_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{good}: ok, and filled in with brief 2\n"
    assert result.stderr == f"briefapp: wrote the trial to {trial}\n"
    made = docx.Document(str(trial))
    text = "\n".join(p.text for p in made.paragraphs)
    assert "Acquisition of cluster munitions for national defence" in text
    assert made.core_properties.identifier == "MOD-2026-014 (2)"


def test_templates_check_with_a_brief_needs_the_database(tmp_path: Path) -> None:
    good = paths.templates_dir() / "one-page-summary.docx"
    missing = tmp_path / "none.db"
    result = run("templates", "check", str(good), "--with", "1", db=missing)
    assert result.returncode == 1
    assert result.stderr == (
        f"briefapp: There is no database at {missing} to take brief from.\n"
    )
    assert not missing.exists()
    result = run("templates", "check", str(good), "-o", str(tmp_path / "x.docx"))
    assert result.returncode == 1
    assert "-o writes the trial of one template" in result.stderr
