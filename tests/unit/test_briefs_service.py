"""Brief actions as the window and the command line use them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from briefapp import paths
from briefapp.domain.entities import Brief, Option
from briefapp.domain.errors import (
    BriefConflictError,
    BriefFormatError,
    BriefNotFoundError,
    UserError,
)
from briefapp.services.session import Locations, Services, open_services


def test_a_new_database_starts_with_the_demo_brief(services: Services) -> None:
    listed = services.briefs.list_briefs()
    assert [(b.reference, b.status.value) for b in listed] == [
        ("MOD-2026-014", "draft")
    ]
    assert "illustrative" in listed[0].title


def test_the_demo_is_added_only_to_a_new_database(
    services: Services, database_path: Path, locations: Locations
) -> None:
    only = services.briefs.list_briefs()[0]
    services.briefs.delete_brief(only.id)
    services.close()
    reopened = open_services(database_path, locations)
    try:
        assert reopened.briefs.list_briefs() == []
    finally:
        reopened.close()


def test_saving_keeps_every_field(services: Services, demo_brief: Brief) -> None:
    stored = services.briefs.create_brief(demo_brief)
    edited = replace(
        stored,
        title="Revised",
        deadline=dt.date(2027, 1, 31),
        options=(*stored.options, Option(key="E", title="Lease", risks=("late",))),
    )
    saved = services.briefs.save_brief(edited)
    assert saved.revision == stored.revision + 1
    loaded = services.briefs.get_brief(stored.id or 0)
    assert loaded.content_equals(edited)
    assert loaded.options[-1].risks == ("late",)


def test_a_stale_save_is_refused_and_changes_nothing(
    services: Services, demo_brief: Brief
) -> None:
    stored = services.briefs.create_brief(demo_brief)
    services.briefs.save_brief(replace(stored, title="Saved by the first window"))
    with pytest.raises(BriefConflictError):
        services.briefs.save_brief(replace(stored, title="Saved by the second window"))
    assert (
        services.briefs.get_brief(stored.id or 0).title == "Saved by the first window"
    )


def test_an_invalid_brief_is_not_saved(services: Services, demo_brief: Brief) -> None:
    stored = services.briefs.create_brief(demo_brief)
    twice = (*stored.options, replace(stored.options[0], title="Same key"))
    with pytest.raises(BriefFormatError, match=r"brief\.options\[4\]\.key: the key"):
        services.briefs.save_brief(replace(stored, options=twice))
    assert services.briefs.get_brief(stored.id or 0).options == demo_brief.options


def test_a_draft_without_title_is_kept_but_not_exported(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    stored = services.briefs.create_brief(demo_brief)
    draft = services.briefs.save_brief(replace(stored, title="", summary="Kept."))
    assert services.briefs.get_brief(draft.id or 0).summary == "Kept."
    with pytest.raises(BriefFormatError, match=r"brief\.title: is empty"):
        services.briefs.export_brief_file(draft.id or 0, tmp_path / "x.brief.json")
    with pytest.raises(BriefFormatError, match=r"brief\.title: is empty"):
        services.export.export_docx(draft, tmp_path / "x.docx")
    assert list(tmp_path.glob("x.*")) == []


def test_new_duplicate_and_delete(services: Services) -> None:
    blank = services.briefs.create_brief()
    assert blank.title == "Untitled brief"
    assert blank.classification == "RESTRICTED"
    demo_id = services.briefs.list_briefs()[-1].id
    copy = services.briefs.duplicate_brief(demo_id)
    original = services.briefs.get_brief(demo_id)
    assert copy.id not in (None, demo_id)
    assert copy.title == f"Copy of {original.title}"
    assert copy.options == original.options
    services.briefs.delete_brief(demo_id)
    with pytest.raises(
        BriefNotFoundError, match=f"There is no brief with id {demo_id}."
    ):
        services.briefs.get_brief(demo_id)
    assert services.briefs.get_brief(copy.id or 0).options == original.options


def test_export_import_export_gives_the_same_file(
    services: Services, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.brief.json", tmp_path / "second.brief.json"
    demo_id = services.briefs.list_briefs()[0].id
    services.briefs.export_brief_file(demo_id, first)
    imported = services.briefs.import_brief_file(first)
    services.briefs.export_brief_file(imported.id or 0, second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == paths.demo_brief_file().read_bytes()


def test_a_bad_file_changes_nothing(services: Services, tmp_path: Path) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["options"][2]["cost"]["amount"] = "twelve"
    bad = tmp_path / "bad.brief.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    before = services.briefs.list_briefs()
    with pytest.raises(BriefFormatError) as caught:
        services.briefs.import_brief_file(bad)
    assert str(caught.value) == "brief.options[2].cost.amount: not a decimal number"
    assert services.briefs.list_briefs() == before


def test_unreadable_files_are_named(services: Services, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        services.briefs.import_brief_file(tmp_path / "missing.brief.json")
    with pytest.raises(UserError, match="is a folder, not a file"):
        services.briefs.import_brief_file(tmp_path)
