"""The key that signs issued files: an Ed25519 private key in a file only its
owner may read (never in the database), made on first use, and the public
key that others verify with.

The OS keyring is not used: on a desktop without a running secret service
(a server, a headless session, many Linux installations) it fails or asks
for a password no one is there to type; a file with owner-only permissions
works alike everywhere and is what ``ssh`` does with its keys.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from briefapp.documents.issue_signature import key_id, load_public_key, public_key_pem
from briefapp.domain.errors import UserError
from briefapp.services.files import read_user_file, write_atomically

_MAX_KEY_FILE = 64 * 1024


class IssuingKeyError(UserError):
    """The issuing key or a public key file cannot be used."""


def issuing_key(path: Path, *, create: bool) -> Ed25519PrivateKey | None:
    """The private key kept at ``path``; made there if missing and ``create``
    (``None`` if missing otherwise).

    Raises:
        IssuingKeyError: the file is readable by others, not a key, or cannot
            be written.
    """
    if not path.exists() and not path.is_symlink():
        if not create:
            return None
        return _create(path)
    return _load(path)


def _load(path: Path) -> Ed25519PrivateKey:
    _refuse_shared(path)
    try:
        data = path.read_bytes()[:_MAX_KEY_FILE]
        key = serialization.load_pem_private_key(data, password=None)
    except (OSError, ValueError, TypeError) as error:
        raise IssuingKeyError(
            f"The issuing key {path} cannot be read ({error}); files cannot be "
            "signed or checked with it."
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise IssuingKeyError(f"The issuing key {path} is not an Ed25519 key.")
    return key


def public_key(path: Path) -> Ed25519PublicKey | None:
    """The public half of the issuing key at ``path`` (``None``: none yet)."""
    key = issuing_key(path, create=False)
    return None if key is None else key.public_key()


def export_public_key(key_path: Path, output: Path) -> str:
    """Write the public key of the issuing key (made if missing) to
    ``output``; returns its key id."""
    key = issuing_key(key_path, create=True)
    assert key is not None  # made if missing
    write_atomically(output, public_key_pem(key.public_key()))
    return key_id(key.public_key())


def read_public_key(path: Path) -> Ed25519PublicKey:
    """The public key in the PEM file ``path`` (from ``briefapp keys export``).

    Raises:
        IssuingKeyError: it is not one.
    """
    data = read_user_file(path)
    try:
        return load_public_key(data)
    except (ValueError, TypeError) as error:
        raise IssuingKeyError(
            f"{path.name} is not a public key written by `briefapp keys export` "
            "(an Ed25519 key in PEM form)."
        ) from error


def _create(path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Made with owner-only permissions from the start, never widened.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
    except FileExistsError:  # another process made it meanwhile: use that one
        return _load(path)
    except OSError as error:
        raise IssuingKeyError(
            f"The issuing key cannot be made at {path} ({error.strerror}); "
            "nothing was issued."
        ) from error
    return key


def _refuse_shared(path: Path) -> None:
    """A key others may read or replace is not used (as ``ssh`` refuses)."""
    if sys.platform == "win32":  # permissions are ACLs there; the profile is private
        return
    try:
        found = path.lstat()
    except OSError as error:
        raise IssuingKeyError(f"The issuing key {path} cannot be read.") from error
    if not stat.S_ISREG(found.st_mode):
        raise IssuingKeyError(f"The issuing key {path} is not a plain file.")
    if found.st_uid != os.getuid():
        raise IssuingKeyError(
            f"The issuing key {path} belongs to another user; it is not used."
        )
    if found.st_mode & 0o077:
        raise IssuingKeyError(
            f"The issuing key {path} can be read or changed by others (mode "
            f"{stat.S_IMODE(found.st_mode):o}); make it yours alone "
            f"(chmod 600 {path}) or remove it to have a new one made."
        )
