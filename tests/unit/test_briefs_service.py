"""Brief actions as the window and the command line use them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from briefapp import paths
from briefapp.db import clearance_store
from briefapp.domain.clearance import CommentClass, CommentTarget, Member, TargetKind
from briefapp.domain.entities import Brief, BriefStatus, Option
from briefapp.domain.errors import (
    BriefConflictError,
    BriefFormatError,
    BriefNotFoundError,
    ReferenceTakenError,
    UserError,
)
from briefapp.domain.workflow import Action, Role
from briefapp.services.briefs import ExistingReference
from briefapp.services.session import Locations, Services, open_services

DRAFTER, REVIEWER, APPROVER = "Ona Analyst", "Rasa Reviewer", "Jonas Approver"


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
    services.briefs.delete_brief(demo_id)  # its reference is free again
    imported = services.briefs.import_brief_file(first)
    assert imported.id != demo_id  # ids are never reused
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


@pytest.fixture
def elsewhere(tmp_path: Path, locations: Locations) -> Iterator[Services]:
    """A second, fresh database, whose demo brief was deleted (a file of the
    demo brief imports there under its own reference)."""
    opened = open_services(tmp_path / "elsewhere.db", locations)
    opened.briefs.delete_brief(1)
    opened.briefs.editor = "Ieva Importer"
    yield opened
    opened.close()


def _cleared(services: Services, *, approve: bool = True) -> int:
    """Brief 1 with a chain, comments (one resolved, with a reply) and, when
    ``approve``, two versions: submitted, then approved."""
    services.briefs.editor = DRAFTER
    chain = [
        Member(DRAFTER, Role.DRAFTER),
        Member(REVIEWER, Role.REVIEWER),
        Member(APPROVER, Role.APPROVER),
    ]
    clearance = services.clearance
    clearance.set_chain(1, chain, DRAFTER)
    if approve:
        clearance.act(1, Action.SUBMIT, DRAFTER)
    must_fix = clearance.add_comment(
        1,
        CommentTarget(TargetKind.OPTION, "B"),
        "The cost of B has no source.",
        REVIEWER,
        CommentClass.MUST_FIX,
    )
    clearance.reply(must_fix.id, "Source added in annex.", DRAFTER)
    clearance.resolve_comment(must_fix.id, REVIEWER)
    clearance.add_comment(
        1,
        CommentTarget(TargetKind.FIELD, "summary"),
        "Shorter, please.",
        APPROVER,
        CommentClass.SHOULD_FIX,
    )
    if approve:
        clearance.act(1, Action.CLEAR, REVIEWER)
        clearance.act(1, Action.APPROVE, APPROVER, "Cleared.")
    return 1


def _read(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def test_the_clearance_record_travels_with_the_brief(
    services: Services, elsewhere: Services, tmp_path: Path
) -> None:
    brief_id = _cleared(services)
    first, second = tmp_path / "first.brief.json", tmp_path / "second.brief.json"
    services.briefs.export_brief_file(brief_id, first)
    imported = elsewhere.briefs.import_brief_file(first)
    assert imported.id is not None
    assert imported.status is BriefStatus.DRAFT

    original = services.clearance.clearance(brief_id)
    copy = elsewhere.clearance.clearance(imported.id)
    assert copy.status is BriefStatus.DRAFT
    # The importer has no part in the file's chain, so drafts the copy here.
    assert copy.chain == (Member("Ieva Importer", Role.DRAFTER), *original.chain)
    assert [(v.number, v.reason, v.created_by, v.digest) for v in copy.versions] == [
        (v.number, v.reason, v.created_by, v.digest) for v in original.versions
    ]
    assert [v.has_content for v in copy.versions] == [False, False]
    assert [(e.action, e.actor, e.note, e.version) for e in copy.events[:-2]] == [
        (e.action, e.actor, e.note, e.version) for e in original.events
    ]
    assert (copy.events[-2].action, copy.events[-2].note) == (
        "chain",
        "Ieva Importer imported this copy and drafts it.",
    )
    assert copy.events[-1].action == "import"
    assert copy.events[-1].actor == "Ieva Importer"
    assert copy.events[-1].note == (
        "Imported from a brief file; it was approved there; this copy starts as a "
        "draft."
    )
    assert (copy.events[-1].from_status, copy.events[-1].to_status) == (
        BriefStatus.APPROVED,
        BriefStatus.DRAFT,
    )
    must_fix, reply, should_fix = copy.comments
    assert (must_fix.text, must_fix.author, must_fix.comment_class) == (
        "The cost of B has no source.",
        REVIEWER,
        CommentClass.MUST_FIX,
    )
    assert (must_fix.resolved, must_fix.resolved_by) == (True, REVIEWER)
    assert copy.replies_to(must_fix.id) == (reply,)
    assert (reply.text, reply.author) == ("Source added in annex.", DRAFTER)
    assert (should_fix.resolved, should_fix.comment_class) == (
        False,
        CommentClass.SHOULD_FIX,
    )
    with pytest.raises(UserError, match="came from a brief file"):
        elsewhere.clearance.version_brief(imported.id, 2)

    elsewhere.briefs.export_brief_file(imported.id, second)
    before, after = _read(first)["clearance"], _read(second)["clearance"]
    added = after["audit"].pop()
    assert (added["action"], added["from_status"], added["to_status"]) == (
        "import",
        "approved",
        "draft",
    )
    assert after["audit"].pop()["action"] == "chain"
    assert after["chain"].pop(0) == {"name": "Ieva Importer", "role": "drafter"}
    assert after == before | {"status": "draft"}


def test_a_draft_with_a_clearance_record_gives_the_same_file(
    services: Services, elsewhere: Services, tmp_path: Path
) -> None:
    brief_id = _cleared(services, approve=False)
    first, second = tmp_path / "first.brief.json", tmp_path / "second.brief.json"
    services.briefs.export_brief_file(brief_id, first)
    assert _read(first)["clearance"]["status"] == "draft"
    assert len(_read(first)["clearance"]["comments"]) == 3
    elsewhere.briefs.editor = DRAFTER  # the drafter moving the brief
    imported = elsewhere.briefs.import_brief_file(first)
    elsewhere.briefs.export_brief_file(imported.id or 0, second)
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("version", [1, 2, 3])
def test_older_brief_files_still_import(
    services: Services, tmp_path: Path, version: int
) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["format_version"] = version
    for option in document["brief"]["options"]:  # units came in version 4
        del option["quantity_unit"]
    if version == 1:
        for name in ("criteria", "assessments", "scores"):
            del document["brief"][name]
    old = tmp_path / "old.brief.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    services.briefs.delete_brief(1)
    imported = services.briefs.import_brief_file(old)
    assert imported.reference == "MOD-2026-014"
    assert imported.status is BriefStatus.DRAFT
    assert [(o.quantity, o.quantity_unit) for o in imported.options][:2] == [
        (12000, ""),
        (6000, ""),
    ]
    clearance = services.clearance.clearance(imported.id or 0)
    assert (clearance.chain, clearance.events, clearance.comments) == ((), (), ())


def _import_refused(services: Services, path: Path, document: dict[str, Any]) -> str:
    path.write_text(json.dumps(document), encoding="utf-8")
    before = services.briefs.list_briefs()
    with pytest.raises(BriefFormatError) as caught:
        services.briefs.import_brief_file(path)
    assert services.briefs.list_briefs() == before
    return str(caught.value)


def test_a_version_2_file_with_a_clearance_is_refused(
    services: Services, tmp_path: Path
) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["format_version"] = 2
    for option in document["brief"]["options"]:
        del option["quantity_unit"]
    document["clearance"] = {"status": "draft"}
    assert _import_refused(services, tmp_path / "v2.brief.json", document) == (
        "clearance: needs format_version 3; this file is version 2"
    )


def test_a_bad_clearance_imports_nothing(
    services: Services, elsewhere: Services, tmp_path: Path
) -> None:
    exported = tmp_path / "cleared.brief.json"
    services.briefs.export_brief_file(_cleared(services), exported)
    document = _read(exported)
    document["clearance"]["comments"][1]["reply_to"] = 7
    assert _import_refused(elsewhere, exported, document) == (
        "clearance.comments[1].reply_to: there is no comment 7 in this file"
    )


def test_an_import_failing_midway_stores_nothing(
    services: Services,
    elsewhere: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exported = tmp_path / "cleared.brief.json"
    services.briefs.export_brief_file(_cleared(services), exported)
    before = elsewhere.briefs.list_briefs()

    def fail(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(clearance_store, "add_comment", fail)
    with pytest.raises(RuntimeError, match="disk on fire"):
        elsewhere.briefs.import_brief_file(exported)
    assert elsewhere.briefs.list_briefs() == before


def test_editing_a_reference_to_one_already_used_is_refused(
    services: Services,
) -> None:
    other = services.briefs.create_brief()
    demo = services.briefs.get_brief(1)
    with pytest.raises(ReferenceTakenError) as caught:
        services.briefs.save_brief(replace(other, reference=" mod-2026-014  "))
    assert str(caught.value) == (
        "Reference mod-2026-014 is already used by brief 1; each brief needs a "
        "reference of its own."
    )
    assert services.briefs.get_brief(other.id or 0).reference == other.reference
    # Its own reference, in another case, is no conflict.
    saved = services.briefs.save_brief(replace(demo, reference="Mod-2026-014"))
    assert saved.reference == "Mod-2026-014"


def test_drafts_may_all_have_an_empty_reference(services: Services) -> None:
    first = services.briefs.create_brief()
    second = services.briefs.create_brief()
    for brief in (first, second):
        services.briefs.save_brief(replace(brief, reference=""))
    assert [b.reference for b in services.briefs.list_briefs()].count("") == 2


def test_duplicates_get_references_of_their_own(services: Services) -> None:
    copies = [services.briefs.duplicate_brief(1) for _ in range(3)]
    assert [c.reference for c in copies] == [
        "MOD-2026-014-COPY",
        "MOD-2026-014-COPY (2)",
        "MOD-2026-014-COPY (3)",
    ]


def test_a_new_brief_skips_a_number_already_used(services: Services) -> None:
    first = services.briefs.create_brief()
    services.briefs.save_brief(replace(first, reference=f"{first.reference[:-3]}003"))
    second = services.briefs.create_brief()
    assert (first.reference[-3:], second.reference[-3:]) == ("002", "004")


def test_import_of_a_used_reference_is_refused_then_done_as_asked(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "demo.brief.json"
    services.briefs.export_brief_file(1, path)
    with pytest.raises(ReferenceTakenError) as caught:
        services.briefs.import_brief_file(path)
    assert (caught.value.brief_id, caught.value.draft) == (1, True)
    assert len(services.briefs.list_briefs()) == 1
    new = services.briefs.import_brief_file(path, ExistingReference.AS_NEW)
    assert (new.id, new.reference) == (2, "MOD-2026-014 (2)")
    replaced = services.briefs.import_brief_file(path, ExistingReference.REPLACE)
    assert (replaced.id, replaced.revision) == (1, 2)
    assert len(services.briefs.list_briefs()) == 2
