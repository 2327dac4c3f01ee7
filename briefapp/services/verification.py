"""What ``verify`` finds in an issued Word file: its marks, the fingerprint of
what a reader sees, its signature; and verifying by a public key alone, on a
computer without the database the file was issued from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from briefapp.domain.errors import ExportError, UserError
from briefapp.services.files import read_user_file

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from briefapp.documents.issue_signature import IssueSignature, IssueStatement

PROPERTY_PREFIX = "Briefapp."
SIGNED_PROPERTIES = {
    "reference": "Reference",
    "version": "Version",
    "digest": "Digest",
    "approved_by": "ApprovedBy",
    "approved_at": "ApprovedAt",
    "fingerprint": "Fingerprint",
}
"""Each field of a signed statement and the custom property that repeats it."""

CHECKED = (
    "Checked: the text as a reader sees it (hidden, faint, tiny, squeezed, "
    "shifted or struck-out text counts as changed), fields, footnotes, endnotes, "
    "comments and pictures, in the body, headers and footers."
)
NAME_UNPROVEN = (
    "It cannot tell whether the approver's name is true: anyone holding the "
    "issuing key could have signed."
)


class Verdict(IntEnum):
    """What ``verify`` found; the values are the command line's exit codes."""

    VERIFIED = 0
    CHANGED = 4
    UNKNOWN = 5
    WITHDRAWN = 6
    """The text matches, but the approval was withdrawn or a later issue
    replaces it."""


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    message: str


@dataclass(frozen=True, slots=True)
class IssuedFile:
    """What a Word file says about itself and what it shows."""

    name: str
    properties: dict[str, str]
    fingerprint: str | None
    """Of what a reader sees (scheme 2); ``None`` if it cannot be told."""
    refusal: str | None
    """Why the fingerprint cannot be told (a sentence after "it ...")."""
    text_fingerprint: str
    """Of its characters alone (scheme 1, the records of earlier issues)."""
    signature: IssueSignature | None
    signature_problem: str | None

    @property
    def digest(self) -> str:
        return self.properties.get(PROPERTY_PREFIX + "Digest", "")

    @property
    def signed_fingerprint(self) -> str | None:
        """The fingerprint its signature states, if it has a readable one."""
        statement = None if self.signature is None else self.signature.read_statement()
        return None if statement is None else statement.fingerprint

    def claims(self, name: str, default: str = "") -> str:
        return self.properties.get(PROPERTY_PREFIX + name, default)

    def matches(self, recorded: str) -> bool:
        """Whether a recorded fingerprint (either scheme) is this file's."""
        if recorded.startswith("v2:"):
            return self.fingerprint is not None and recorded == self.fingerprint
        return recorded == self.text_fingerprint


def read_issued(path: Path) -> IssuedFile:
    """Raises UserError: the file cannot be read or is not a Word document."""
    from briefapp.documents.issue_marks import (
        body_fingerprint,
        read_custom_properties,
    )
    from briefapp.documents.issue_signature import read_signature
    from briefapp.documents.reader_view import (
        UnverifiableTextError,
        reader_fingerprint,
    )

    data = read_user_file(path)
    try:
        properties = read_custom_properties(data)
        text_fingerprint = body_fingerprint(data)
    except ExportError as error:
        raise UserError(f"{path.name}: {error}") from error
    fingerprint = refusal = None
    try:
        fingerprint = reader_fingerprint(data)
    except UnverifiableTextError as error:
        refusal = str(error)
    except ExportError as error:
        raise UserError(f"{path.name}: {error}") from error
    signature = problem = None
    try:
        signature = read_signature(data)
    except ExportError as error:
        problem = str(error)
    return IssuedFile(
        path.name,
        properties,
        fingerprint,
        refusal,
        text_fingerprint,
        signature,
        problem,
    )


def signature_problem(issued: IssuedFile) -> str | None:
    """What is wrong with the file's signature whatever key made it: damaged,
    or vouching for other text or other properties than the file has."""
    if issued.signature_problem:
        return issued.signature_problem
    if issued.signature is None:
        return None
    statement = issued.signature.read_statement()
    if statement is None:
        return "its Briefapp signature is damaged."
    if statement.fingerprint != issued.fingerprint:
        return (
            f"it is signed as version {statement.version} of brief "
            f"{statement.reference}, but its text, or how it is shown, differs "
            "from what was signed."
        )
    for field, name in SIGNED_PROPERTIES.items():
        said = issued.claims(name)
        if said and said != getattr(statement, field):
            return (
                f"its document property {name} says “{said}”, but its signature "
                f"says “{getattr(statement, field)}”."
            )
    return None


def verify_with_key(path: Path, key_file: Path) -> Verification:
    """Whether the file at ``path`` is an issue signed by the key in
    ``key_file`` and unchanged since, without any database.

    Raises:
        UserError: the file or the key cannot be read.
    """
    from briefapp.documents.issue_signature import key_id
    from briefapp.services.issuing_keys import read_public_key

    key = read_public_key(key_file)
    issued = read_issued(path)
    name, signature = issued.name, issued.signature
    if not issued.digest and signature is None and not issued.signature_problem:
        return Verification(
            Verdict.UNKNOWN,
            f"{name} is unknown: it carries no mark of a brief issued by Briefapp.",
        )
    if issued.refusal:
        return _changed(name, issued.refusal)
    if issued.signature_problem:
        return _changed(name, issued.signature_problem)
    if signature is None:
        return Verification(
            Verdict.UNKNOWN,
            f"{name} carries no signature, so only the database it was issued "
            "from can check it: it was issued before Briefapp signed its files, "
            "or its signature was removed.",
        )
    if signature.key_id != key_id(key):
        return Verification(
            Verdict.UNKNOWN,
            f"{name} is signed with another key ({signature.key_id}) than the one "
            f"in {key_file.name} ({key_id(key)}): it was issued by someone else, "
            "or is not what it claims.",
        )
    if not signature.valid_for(key):
        return _changed(name, "its signature does not match what it says it signs.")
    problem = signature_problem(issued)
    if problem:
        return _changed(name, problem)
    statement = signature.read_statement()
    assert statement is not None  # signature_problem says when it is damaged
    return Verification(
        Verdict.VERIFIED,
        f"{_signed_claim(name, statement)}, as signed by the key in "
        f"{key_file.name} ({key_id(key)}). SHA-256 {statement.digest}.\n{CHECKED}\n"
        "It cannot tell whether that approval still stands (only the database it "
        f"was issued from knows of a withdrawal or a later issue). {NAME_UNPROVEN}",
    )


def local_signature_note(
    issued: IssuedFile, key: Ed25519PublicKey | None
) -> tuple[str | None, str]:
    """The file's signature checked with this computer's issuing key:
    (what is wrong, if it is wrong; a sentence saying what was found)."""
    from briefapp.documents.issue_signature import key_id

    alone = (
        "so this rests on the database alone: anyone who can write the database "
        "file could have made an altered file match."
    )
    problem = signature_problem(issued)
    if problem:
        return problem, ""
    signature = issued.signature
    if signature is None:
        return None, (
            "It carries no signature (it was issued before Briefapp signed its "
            f"files, or the signature was removed), {alone}"
        )
    if key is None:
        return None, (
            f"Its signature (key {signature.key_id}) was not checked: this "
            "computer has no issuing key; `briefapp verify --key FILE.pub` checks "
            f"it with the issuer's public key. Until then, {alone}"
        )
    if signature.key_id != key_id(key):
        return None, (
            f"It is signed with another key ({signature.key_id}) than this "
            f"computer's ({key_id(key)}); `briefapp verify --key FILE.pub` checks "
            f"it with the issuer's public key. Until then, {alone}"
        )
    if not signature.valid_for(key):
        return "its signature does not match what it says it signs.", ""
    return None, (
        f"Its signature by this computer's issuing key ({key_id(key)}) is valid. "
        f"{NAME_UNPROVEN}"
    )


def _signed_claim(name: str, statement: IssueStatement) -> str:
    return (
        f"{name} matches version {statement.version} of brief "
        f"{statement.reference}, approved by {statement.approved_by} on "
        f"{_moment(statement.approved_at)}"
    )


def _moment(text: str) -> str:
    """An ISO time as ``verify`` prints times (``2026-12-01 10:00 UTC``)."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        return text
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _changed(name: str, why: str) -> Verification:
    return Verification(Verdict.CHANGED, f"{name} does NOT match: {why}")
