"""Template checks remembered by content: the same bytes are not checked twice,
other bytes always are, and nothing in the cache can make a bad template pass."""

from __future__ import annotations

import json
import shutil
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefapp import paths
from briefapp.documents import isolation
from briefapp.domain.errors import TemplateStoppedError
from briefapp.services.export import ExportService
from briefapp.services.locations import Locations, template_service

DATA = Path(__file__).parents[1] / "data" / "templates"
GOOD = paths.templates_dir() / "one-page-summary.docx"
SANDBOX_ERROR = "1 error"  # “__init__”, refused by the sandbox (said once)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "template-checks"


def service(cache: Path | None, folder: Path | None = None) -> ExportService:
    return template_service(
        Locations(
            paths.templates_dir(),
            paths.user_templates_dir(),
            paths.demo_brief_file(),
            extra_templates=folder,
            template_checks=cache,
        )
    )


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or source.name)
    shutil.copy(source, target)
    return target


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def test_the_same_bytes_are_checked_once_and_changed_bytes_again(
    tmp_path: Path, cache: Path, runs: list[str]
) -> None:
    template = copy(GOOD, tmp_path / "team", "team.docx")
    first = service(cache).check_template(str(template))
    again = service(cache).check_template(str(template))  # a new process, say
    assert (first.status, again.status) == ("ok", "ok")
    assert first.warnings == again.warnings
    assert runs == ["team.docx"]
    data = bytearray(template.read_bytes())
    data[10] ^= 1  # the time in the first part's local header: still a good zip
    template.write_bytes(bytes(data))
    service(cache).check_template(str(template))
    assert runs == ["team.docx", "team.docx"]
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert len(entries(cache)) == 2


def test_a_cached_result_keeps_the_errors_and_names_the_listed_file(
    tmp_path: Path, cache: Path, runs: list[str]
) -> None:
    broken = copy(DATA / "misspelt-field.docx", tmp_path / "a")
    first = service(cache).check_template(str(broken))
    cached = service(cache).check_template(str(broken))
    assert runs == ["misspelt-field.docx"]
    assert (
        cached.errors
        == first.errors
        == (
            "body, in “Subject: {{ titel }}”: “titel” is not a value a brief provides "
            "(did you mean “title”?)",
        )
    )
    assert cached.template.path == broken


def test_a_new_sidecar_language_is_checked_again(
    tmp_path: Path, cache: Path, runs: list[str]
) -> None:
    template = copy(GOOD, tmp_path / "team", "team.docx")
    service(cache).check_template(str(template))
    template.with_suffix(".json").write_text(json.dumps({"language": "xx-XX"}))
    check = service(cache).check_template(str(template))
    assert len(runs) == 2
    assert check.warnings[0].startswith("language: Briefapp has no words for “xx-XX”")


def test_a_garbled_cache_entry_is_ignored_and_written_again(
    tmp_path: Path, cache: Path, runs: list[str]
) -> None:
    template = copy(GOOD, tmp_path / "team", "team.docx")
    service(cache).check_template(str(template))
    (entry,) = entries(cache)
    for garbage in (b"", b"{not json", json.dumps({"findings": []}).encode()):
        entry.write_bytes(garbage)
        assert service(cache).check_template(str(template)).status == "ok"
    assert len(runs) == 4
    assert json.loads(entry.read_bytes())["findings"] == []
    service(cache).check_template(str(template))
    assert len(runs) == 4  # the rewritten entry is used


def test_an_ok_entry_moved_onto_a_hostile_template_does_not_make_it_pass(
    tmp_path: Path, cache: Path, runs: list[str]
) -> None:
    folder = tmp_path / "shared"
    good = copy(GOOD, folder, "team.docx")
    service(cache).check_template(str(good))
    (ok_entry,) = entries(cache)
    forged = json.loads(ok_entry.read_bytes())
    hostile = copy(DATA / "sandbox.docx", folder, "team.docx")  # same name
    first = service(cache).check_template(str(hostile))
    assert first.status == SANDBOX_ERROR
    # Every entry now says "no findings", the forged ones for the old bytes.
    for entry in entries(cache):
        entry.write_text(json.dumps(forged))
    again = service(cache).check_template(str(hostile))
    assert again.errors == first.errors
    assert runs == ["team.docx", "team.docx", "team.docx"]


def test_a_hostile_template_is_refused_with_a_warm_cache(
    tmp_path: Path, cache: Path, runs: list[str]
) -> None:
    folder = tmp_path / "shared"
    copy(DATA / "sandbox.docx", folder, "hostile.docx")
    export = service(cache, folder)
    first = {t.name: c for t, c in _checked(export)}
    second = {t.name: c for t, c in _checked(export)}
    assert runs.count("hostile.docx") == 1
    assert {name: c.status for name, c in second.items()} == {
        "decision-brief": "ok",
        "decision-brief-lt": "ok",
        "one-page-summary": "ok",
        "options-annex": "ok",
        "hostile": SANDBOX_ERROR,
    }
    assert second["hostile"].errors == first["hostile"].errors
    assert len(runs) == 5


def test_a_cache_folder_others_can_write_is_emptied_first(
    tmp_path: Path, cache: Path, runs: list[str]
) -> None:
    hostile = copy(DATA / "sandbox.docx", tmp_path / "shared")
    service(cache).check_template(str(hostile))
    (entry,) = entries(cache)
    document = json.loads(entry.read_bytes())
    entry.write_text(json.dumps({**document, "findings": []}))  # a forged "ok"
    cache.chmod(0o777)
    assert service(cache).check_template(str(hostile)).status == SANDBOX_ERROR
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert len(runs) == 2
    assert json.loads(entry.read_bytes())["findings"] != []


def test_a_check_stopped_by_its_time_limit_is_not_remembered(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped: list[str] = []

    def too_slow(_function: Callable[..., Any], *args: Any, **_kwargs: Any) -> Any:
        stopped.append(args[0].name)
        raise TemplateStoppedError("Checking the template team.docx took too long.")

    monkeypatch.setattr(isolation, "run_isolated", too_slow)
    template = copy(GOOD, tmp_path / "team", "team.docx")
    for _ in range(2):
        check = service(cache).check_template(str(template))
        assert check.errors == ("Checking the template team.docx took too long.",)
    assert stopped == ["team.docx", "team.docx"]
    assert entries(cache) == []


def test_the_child_checks_the_bytes_that_were_hashed(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A template swapped for another while it is checked cannot have the new
    bytes' result stored under the old bytes' digest."""
    folder = tmp_path / "shared"
    template = copy(DATA / "sandbox.docx", folder, "team.docx")
    real = isolation.run_isolated

    def swapped_meanwhile(function: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        shutil.copy(GOOD, template)  # someone replaces it in the shared folder
        return real(function, *args, **kw)

    monkeypatch.setattr(isolation, "run_isolated", swapped_meanwhile)
    assert service(cache).check_template(str(template)).status == SANDBOX_ERROR
    shutil.copy(DATA / "sandbox.docx", template)
    monkeypatch.setattr(isolation, "run_isolated", real)
    assert service(cache).check_template(str(template)).status == SANDBOX_ERROR


def test_templates_are_checked_side_by_side_but_no_more_than_the_slots(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "team"
    for number in range(6):
        copy(GOOD, folder, f"team-{number}.docx")
    export = service(None, folder)
    export._check_slots = threading.BoundedSemaphore(2)
    together = threading.Barrier(2, timeout=30)
    lock = threading.Lock()
    running = {"now": 0, "most": 0, "started": 0}

    def fake(_function: Callable[..., Any], *_args: Any, **_kwargs: Any) -> Any:
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
            running["started"] += 1
            first_two = running["started"] <= 2
        if first_two:
            together.wait()  # both must be running at once to get past this
        with lock:
            running["now"] -= 1
        return []

    monkeypatch.setattr(isolation, "run_isolated", fake)
    templates = export.list_templates()
    outcomes = dict(export.check_templates(templates))
    assert sorted(outcomes) == list(range(len(templates)))
    assert all(c.status == "ok" for c in outcomes.values())  # type: ignore[union-attr]
    assert (running["most"], running["started"]) == (2, 10)


def _checked(export: ExportService) -> list[tuple[Any, Any]]:
    templates = export.list_templates()
    return [(templates[n], outcome) for n, outcome in export.check_templates(templates)]
