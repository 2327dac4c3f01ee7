"""Forged copies of an issued brief, made to read differently while keeping
their characters, are refused by `briefapp verify`, with the database and
with the issuer's public key alone; a copy LibreOffice saved again is not."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from briefapp import paths
from briefapp.documents.reader_view import reader_fingerprint
from briefapp.documents.wordml import W
from briefapp.domain.clearance import Member
from briefapp.domain.workflow import Action, Role
from briefapp.services.session import Locations, open_services
from tests.integration.test_libreoffice import _tool

pytestmark = pytest.mark.slow

DRAFTER, APPROVER = "Ona Analyst", "Jonas Approver"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
RECOMMENDATION = "That you agree to Option A"
Part = etree._Element


def issue(database: Path, locations: Locations, output: Path) -> Path:
    """The demo brief issued as the command line would, with this user's key."""
    keyed = dataclasses.replace(locations, issuing_key=paths.issuing_key_file())
    services = open_services(database, keyed)
    try:
        chain = [Member(DRAFTER, Role.DRAFTER), Member(APPROVER, Role.APPROVER)]
        services.clearance.set_chain(1, chain, DRAFTER)
        services.clearance.act(1, Action.SUBMIT, DRAFTER)
        services.clearance.act(1, Action.APPROVE, APPROVER, "Cleared.")
        return services.review.issue(1, output, APPROVER)
    finally:
        services.close()


@pytest.fixture
def issued(database_path: Path, locations: Locations, tmp_path: Path) -> Path:
    return issue(database_path, locations, tmp_path / "issued.docx")


def cli(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefapp", *args],
        capture_output=True,
        text=True,
        env=env or os.environ.copy(),
        timeout=120,
        check=False,
    )


def forge(source: Path, target: Path, change: Callable[[str, Part], bool]) -> Path:
    """A copy of ``source`` with ``change`` applied to each body, header and
    footer part (it says whether it changed the part); the rest byte for byte."""
    changed = 0
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            name = item.filename
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(data)
                if change(name, root):
                    changed += 1
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            new.writestr(item, data)
    assert changed, "the forgery changed nothing"
    return target


def margin(name: str) -> bool:
    return name.startswith(("word/header", "word/footer"))


def runs_with(root: Part, text: str) -> list[Part]:
    return [
        r
        for r in root.iter(f"{W}r")
        if text in "".join(t.text or "" for t in r.iter(f"{W}t"))
    ]


def run_properties(run: Part) -> Part:
    found = run.find(f"{W}rPr")
    if found is None:
        found = etree.Element(f"{W}rPr")
        run.insert(0, found)
    return found


def hide(run: Part) -> None:
    etree.SubElement(run_properties(run), f"{W}vanish")


def hide_marking(name: str, root: Part) -> bool:
    found = runs_with(root, "RESTRICTED") if margin(name) else []
    for run in found:
        hide(run)
    return bool(found)


def hide_recommendation(name: str, root: Part) -> bool:
    if name != "word/document.xml":
        return False
    paragraph = runs_with(root, RECOMMENDATION)[0].getparent()
    for run in paragraph.iter(f"{W}r"):
        hide(run)
    return True


def split_option(name: str, root: Part, shown_as: Callable[[Part, Part], None]) -> bool:
    """The run saying "Option A" in the recommendation becomes "Option ",
    "A" and "C" runs; ``shown_as`` decides how the "A" and "C" are shown."""
    if name != "word/document.xml":
        return False
    run = runs_with(root, RECOMMENDATION)[0]
    text = run.find(f"{W}t")
    before, after = text.text.split("Option A", 1)
    text.text = before + "Option "
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    letters = []
    for letter in ("A", "C", after):
        new = etree.fromstring(etree.tostring(run))
        new.find(f"{W}t").text = letter
        letters.append(new)
    run.addnext(letters[0])
    letters[0].addnext(letters[1])
    letters[1].addnext(letters[2])
    shown_as(letters[0], letters[1])
    return True


def white_and_hidden(real: Part, fake: Part) -> None:
    """The real letter drawn white on white, the fake one hidden, then
    shown: "Option AC" in characters, "Option C" on the page."""
    colour = etree.SubElement(run_properties(real), f"{W}color")
    colour.set(f"{W}val", "FFFFFF")
    etree.SubElement(run_properties(real), f"{W}vanish")


def fallback_letter(real: Part, fake: Part) -> None:
    """The letter in an AlternateContent whose fallback says C."""
    alternate = etree.Element(f"{{{MC}}}AlternateContent", nsmap={"mc": MC})
    choice = etree.SubElement(alternate, f"{{{MC}}}Choice", Requires="w15")
    fallback = etree.SubElement(alternate, f"{{{MC}}}Fallback")
    real.addprevious(alternate)
    choice.append(real)
    fallback.append(fake)


def unclassified_fallback(name: str, root: Part) -> bool:
    """Every header and footer says RESTRICTED in a choice only a new Word
    takes, and UNCLASSIFIED in the fallback every other reader shows."""
    if not margin(name):
        return False
    for run in runs_with(root, "RESTRICTED"):
        fallback_letter(run, _copy_saying(run, "UNCLASSIFIED"))
    return True


def _copy_saying(run: Part, text: str) -> Part:
    new = etree.fromstring(etree.tostring(run))
    for t in new.iter(f"{W}t"):
        t.text = text
    return new


FORGERIES = {
    "marking hidden in every header and footer": (
        hide_marking, "but its text, or how it is shown, differs"
    ),
    "a recommendation paragraph hidden": (
        hide_recommendation, "but its text, or how it is shown, differs"
    ),
    "Option A shown as Option C by a white, hidden letter": (
        lambda name, root: split_option(name, root, white_and_hidden),
        "but its text, or how it is shown, differs",
    ),
    "Option A shown as Option C by an mc:Fallback": (
        lambda name, root: split_option(name, root, fallback_letter),
        "it has text inside alternative content (mc:AlternateContent)",
    ),
    "UNCLASSIFIED only in an mc:Fallback on every page": (
        unclassified_fallback,
        "it has text inside alternative content (mc:AlternateContent)",
    ),
}  # fmt: skip


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_copy_is_changed_with_the_database_and_with_the_key(
    issued: Path, database_path: Path, tmp_path: Path, forgery: str
) -> None:
    change, why = FORGERIES[forgery]
    forged = forge(issued, tmp_path / "forged.docx", change)
    checked = cli("--db", str(database_path), "verify", str(forged))
    assert checked.returncode == 4, checked.stdout + checked.stderr
    assert checked.stdout.startswith(
        "forged.docx does NOT match: it is marked as version 2 of brief MOD-2026-014"
    )
    assert why in checked.stdout
    public = tmp_path / "issuer.pub"
    assert cli("keys", "export", "-o", str(public)).returncode == 0
    keyed = cli("verify", "--key", str(public), str(forged))
    assert keyed.returncode == 4, keyed.stdout + keyed.stderr
    assert keyed.stdout.startswith("forged.docx does NOT match: ")


def test_the_genuine_file_verifies_and_says_what_was_checked(
    issued: Path, database_path: Path
) -> None:
    checked = cli("--db", str(database_path), "verify", str(issued))
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.splitlines()
    assert lines[0].startswith("issued.docx matches version 2 of brief MOD-2026-014")
    assert lines[1].startswith("Checked: the text as a reader sees it (hidden, faint")
    assert lines[2].startswith("Its signature by this computer's issuing key (")
    assert lines[2].endswith(
        "is valid. It cannot tell whether the approver's name is true: anyone "
        "holding the issuing key could have signed."
    )


def test_a_database_record_edited_to_match_a_forgery_fails_the_signature(
    issued: Path, database_path: Path, tmp_path: Path
) -> None:
    forged = forge(issued, tmp_path / "forged.docx", hide_recommendation)
    # Someone who can write the database file records the forgery's fingerprint.
    with sqlite3.connect(database_path) as connection:
        updated = connection.execute(
            "UPDATE brief_issue SET fingerprint = ?",
            (reader_fingerprint(forged.read_bytes()),),
        ).rowcount
    connection.close()
    assert updated == 1
    checked = cli("--db", str(database_path), "verify", str(forged))
    assert (checked.returncode, checked.stdout) == (
        4,
        "forged.docx does NOT match: it is signed as version 2 of brief "
        "MOD-2026-014, but its text, or how it is shown, differs from what was "
        "signed. Yet the database's record of version 2 of brief MOD-2026-014 "
        "matches it, so that record was changed too.\n",
    )


def fresh_home(tmp_path: Path) -> dict[str, str]:
    """A user with no database, no settings and no key."""
    home = tmp_path / "elsewhere"
    env = {k: v for k, v in os.environ.items() if k != paths.DB_ENV_VAR}
    env["HOME"] = str(home)
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        env[variable] = str(home / variable.lower())
    return env


def test_verify_by_key_needs_no_database(issued: Path, tmp_path: Path) -> None:
    public = tmp_path / "issuer.pub"
    exported = cli("keys", "export", "-o", str(public))
    assert exported.returncode == 0, exported.stderr
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    key_file = paths.issuing_key_file()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert b"PRIVATE" not in public.read_bytes()

    env = fresh_home(tmp_path)
    genuine = cli("verify", "--key", str(public), str(issued), env=env)
    assert genuine.returncode == 0, genuine.stderr
    lines = genuine.stdout.splitlines()
    assert re.fullmatch(
        f"issued.docx matches version 2 of brief MOD-2026-014, approved by "
        f"{APPROVER} on \\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, as signed by "
        "the key in issuer.pub \\([0-9a-f]{16}\\)\\. SHA-256 [0-9a-f]{64}\\.",
        lines[0],
    ), lines[0]
    assert lines[1].startswith("Checked: the text as a reader sees it")
    assert lines[2] == (
        "It cannot tell whether that approval still stands (only the database it "
        "was issued from knows of a withdrawal or a later issue). It cannot tell "
        "whether the approver's name is true: anyone holding the issuing key could "
        "have signed."
    )
    forged = forge(issued, tmp_path / "forged.docx", hide_marking)
    refused = cli("verify", "--key", str(public), str(forged), env=env)
    assert (refused.returncode, refused.stdout) == (
        4,
        "forged.docx does NOT match: it is signed as version 2 of brief "
        "MOD-2026-014, but its text, or how it is shown, differs from what was "
        "signed.\n",
    )
    # Nothing was made for the user who only verified: no database, no key.
    made = [p for p in (tmp_path / "elsewhere").rglob("*") if p.is_file()]
    assert [p for p in made if p.suffix in (".db", ".pem")] == []


def test_a_key_that_is_not_the_issuers_cannot_confirm(
    issued: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.pub"
    made = cli("keys", "export", "-o", str(other), env=fresh_home(tmp_path))
    assert made.returncode == 0, made.stderr
    checked = cli("verify", "--key", str(other), str(issued))
    assert checked.returncode == 5
    assert checked.stdout.startswith("issued.docx is signed with another key (")
    unsigned = tmp_path / "unsigned.docx"
    with zipfile.ZipFile(issued) as old, zipfile.ZipFile(unsigned, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if b"urn:briefapp:issue-signature" not in data:
                new.writestr(item, data)
    public = tmp_path / "issuer.pub"
    assert cli("keys", "export", "-o", str(public)).returncode == 0
    stripped = cli("verify", "--key", str(public), str(unsigned))
    assert (stripped.returncode, stripped.stdout) == (
        5,
        "unsigned.docx carries no signature, so only the database it was issued "
        "from can check it: it was issued before Briefapp signed its files, or its "
        "signature was removed.\n",
    )
    junk = tmp_path / "junk.pub"
    junk.write_text("not a key")
    refused = cli("verify", "--key", str(junk), str(issued))
    assert (refused.returncode, refused.stderr) == (
        1,
        "briefapp: junk.pub is not a public key written by `briefapp keys export` "
        "(an Ed25519 key in PEM form).\n",
    )


def test_a_copy_saved_again_by_libreoffice_still_verifies(
    issued: Path, database_path: Path, tmp_path: Path
) -> None:
    soffice = _tool("soffice")
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--headless", "--norestore", "--convert-to", "docx",
         "--outdir", str(tmp_path / "again"), str(issued)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    resaved = tmp_path / "again" / "issued.docx"
    assert resaved.read_bytes() != issued.read_bytes()
    with zipfile.ZipFile(io.BytesIO(resaved.read_bytes())) as package:
        assert "word/stylesWithEffects.xml" not in package.namelist()  # rewritten
    checked = cli("--db", str(database_path), "verify", str(resaved))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Its signature by this computer's issuing key (" in checked.stdout
    public = tmp_path / "issuer.pub"
    assert cli("keys", "export", "-o", str(public)).returncode == 0
    keyed = cli("verify", "--key", str(public), str(resaved), env=fresh_home(tmp_path))
    assert keyed.returncode == 0, keyed.stdout + keyed.stderr


def test_a_property_changed_against_the_signature_is_refused(
    issued: Path, database_path: Path, tmp_path: Path
) -> None:
    forged = tmp_path / "forged.docx"
    with zipfile.ZipFile(issued) as old, zipfile.ZipFile(forged, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "docProps/custom.xml":
                data = data.replace(APPROVER.encode(), b"The Minister")
            new.writestr(item, data)
    expected = (
        "forged.docx does NOT match: its document property ApprovedBy says “The "
        f"Minister”, but its signature says “{APPROVER}”.\n"
    )
    checked = cli("--db", str(database_path), "verify", str(forged))
    assert (checked.returncode, checked.stdout) == (4, expected)
    public = tmp_path / "issuer.pub"
    assert cli("keys", "export", "-o", str(public)).returncode == 0
    keyed = cli("verify", "--key", str(public), str(forged))
    assert (keyed.returncode, keyed.stdout) == (4, expected)
