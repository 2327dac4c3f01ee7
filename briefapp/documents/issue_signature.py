"""The signature of an issued Word file: an Ed25519 signature over what the
issue states (reference, version, digest, approver, approval time and the
fingerprint of what a reader sees), kept in a custom XML part of the file.

A custom XML part (``customXml/itemN.xml``, related from the main document as
Word relates its own) is kept by Word and by LibreOffice when they save the
file again; a part of a type of its own is dropped by LibreOffice.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from lxml import etree

from briefapp.documents.package import SAFE_PARSER, size_problem
from briefapp.domain.errors import ExportError

NAMESPACE = "urn:briefapp:issue-signature:1"
_STATEMENT_KIND = "briefapp issued brief 1"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CUSTOM_XML = f"{_RELS}/customXml"
_CUSTOM_XML_PROPS = f"{_RELS}/customXmlProps"
_DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


@dataclass(frozen=True, slots=True)
class IssueStatement:
    """What a signature vouches for."""

    reference: str
    version: str
    digest: str
    approved_by: str
    approved_at: str
    fingerprint: str

    def to_bytes(self) -> bytes:
        """The bytes signed: canonical JSON (sorted keys, no spacing)."""
        content = {"kind": _STATEMENT_KIND, **asdict(self)}
        return json.dumps(
            content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> IssueStatement:
        """Raises ValueError if ``data`` is not a statement."""
        content = json.loads(data.decode())
        if not isinstance(content, dict) or content.pop("kind", "") != _STATEMENT_KIND:
            raise ValueError("not an issue statement")
        if set(content) != set(cls.__slots__) or not all(
            isinstance(v, str) for v in content.values()
        ):
            raise ValueError("not an issue statement")
        return cls(**content)


@dataclass(frozen=True, slots=True)
class IssueSignature:
    """A signature as a file carries it."""

    statement: bytes
    signature: bytes
    key_id: str

    def read_statement(self) -> IssueStatement | None:
        try:
            return IssueStatement.from_bytes(self.statement)
        except ValueError:
            return None

    def valid_for(self, key: Ed25519PublicKey) -> bool:
        """Whether ``key`` made this signature over the statement."""
        try:
            key.verify(self.signature, self.statement)
        except InvalidSignature:
            return False
        return True


def key_id(key: Ed25519PublicKey) -> str:
    """A short name of a public key: 16 hex digits of its SHA-256."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(statement: IssueStatement, key: Ed25519PrivateKey) -> IssueSignature:
    data = statement.to_bytes()
    return IssueSignature(data, key.sign(data), key_id(key.public_key()))


def add_signature(
    data: bytes, signature: IssueSignature, properties: Mapping[str, str]
) -> bytes:
    """The DOCX ``data`` with ``signature`` in a custom XML part and
    ``properties`` added to its custom document properties."""
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    from briefapp.documents.issue_marks import write_custom_properties

    document = docx.Document(io.BytesIO(data))
    package = document.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    number = 1
    while f"/customXml/item{number}.xml" in taken:
        number += 1
    item = Part(
        PackURI(f"/customXml/item{number}.xml"),
        "application/xml",
        _signature_xml(signature),
        package,
    )
    item_props = Part(
        PackURI(f"/customXml/itemProps{number}.xml"),
        _PROPS_TYPE,
        _datastore_xml(),
        package,
    )
    item.relate_to(item_props, _CUSTOM_XML_PROPS)
    document.part.relate_to(item, _CUSTOM_XML)
    write_custom_properties(document, properties)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def read_signature(data: bytes) -> IssueSignature | None:
    """The Briefapp signature a DOCX carries (``None``: it has none).

    Raises:
        ExportError: the file is not readable, or has more than one signature
            or a damaged one.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise ExportError("This file is not a readable zip package.") from error
    with package:
        if size_problem(package):
            raise ExportError("This Word document cannot be read: it is too large.")
        found = []
        for name in package.namelist():
            if not (name.startswith("customXml/") and name.endswith(".xml")):
                continue
            try:
                root = etree.fromstring(package.read(name), SAFE_PARSER)
            except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, ValueError):
                continue  # another program's part, or not ours to judge
            if root.tag == f"{{{NAMESPACE}}}signature":
                found.append(root)
    if not found:
        return None
    if len(found) > 1:
        raise ExportError("it carries more than one Briefapp signature.")
    return _parse(found[0])


def _parse(root: etree._Element) -> IssueSignature:
    statement = root.find(f"{{{NAMESPACE}}}statement")
    value = root.find(f"{{{NAMESPACE}}}value")
    if statement is None or value is None or root.get("algorithm") != "Ed25519":
        raise ExportError("its Briefapp signature is damaged.")
    try:
        return IssueSignature(
            base64.b64decode(statement.text or "", validate=True),
            base64.b64decode(value.text or "", validate=True),
            root.get("key", ""),
        )
    except (binascii.Error, ValueError) as error:
        raise ExportError("its Briefapp signature is damaged.") from error


def _signature_xml(signature: IssueSignature) -> bytes:
    ns = f"{{{NAMESPACE}}}"
    root = etree.Element(
        f"{ns}signature",
        nsmap={None: NAMESPACE},
        algorithm="Ed25519",
        key=signature.key_id,
    )
    etree.SubElement(root, f"{ns}statement").text = base64.b64encode(
        signature.statement
    ).decode()
    etree.SubElement(root, f"{ns}value").text = base64.b64encode(
        signature.signature
    ).decode()
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _datastore_xml() -> bytes:
    ds = f"{{{_DATASTORE}}}"
    root = etree.Element(
        f"{ds}datastoreItem",
        nsmap={"ds": _DATASTORE},
        attrib={f"{ds}itemID": "{" + str(uuid.uuid4()).upper() + "}"},
    )
    refs = etree.SubElement(root, f"{ds}schemaRefs")
    etree.SubElement(refs, f"{ds}schemaRef", attrib={f"{ds}uri": NAMESPACE})
    return bytes(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)
    )


def load_public_key(data: bytes) -> Ed25519PublicKey:
    """Raises ValueError if ``data`` is not a PEM Ed25519 public key."""
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
