"""Where templates are found and what they say about themselves."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from briefapp import paths
from briefapp.documents.checker import check_template
from briefapp.documents.library import TemplateFolder, list_templates
from briefapp.domain.errors import TemplateError, UserError
from briefapp.domain.templates import TemplateOrigin
from briefapp.services.files import read_user_file
from briefapp.services.session import Services

BUILT_IN = paths.templates_dir()


def _listed(folder: Path) -> dict[str, tuple[str, str]]:
    found = list_templates([TemplateFolder(TemplateOrigin.FOLDER, folder)])
    return {t.name: (t.label, t.language) for t in found}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_in_the_folder_is_skipped_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.docx")
    shutil.copy(BUILT_IN / "one-page-summary.docx", tmp_path / "team.docx")
    os.mkfifo(tmp_path / "team.json")
    assert _listed(tmp_path) == {"team": ("One-page summary", "en-GB")}
    with pytest.raises(UserError, match="is not a regular file"):
        read_user_file(tmp_path / "pipe.docx")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_checking_a_pipe_says_what_it_is(services: Services, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    with pytest.raises(TemplateError) as caught:
        services.export.check_template(str(pipe))
    assert str(caught.value) == (
        f"The template {pipe} is not a file (a folder, a pipe or a device?)."
    )
    assert [str(f) for f in check_template(pipe)] == [
        "error: package: it is not a regular file (a pipe or a device?)"
    ]


def test_the_sidecar_wins_over_properties_unless_it_is_too_large(
    tmp_path: Path,
) -> None:
    shutil.copy(BUILT_IN / "one-page-summary.docx", tmp_path / "small.docx")
    shutil.copy(BUILT_IN / "one-page-summary.docx", tmp_path / "large.docx")
    (tmp_path / "small.json").write_text(
        json.dumps({"name": "Team summary", "language": "lt-LT"}), encoding="utf-8"
    )
    (tmp_path / "large.json").write_text(
        json.dumps({"name": "Ignored", "padding": "x" * 70_000}), encoding="utf-8"
    )
    assert _listed(tmp_path) == {
        "large": ("One-page summary", "en-GB"),
        "small": ("Team summary", "lt-LT"),
    }


def test_the_language_can_be_a_custom_property_as_word_offers_it(
    tmp_path: Path,
) -> None:
    made = docx.Document()
    made.core_properties.title = "Pažyma"
    made.save(tmp_path / "pazyma.docx")
    _add_custom_property(tmp_path / "pazyma.docx", "Language", "lt-LT")
    assert _listed(tmp_path) == {"pazyma": ("Pažyma", "lt-LT")}


def _add_custom_property(path: Path, name: str, value: str) -> None:
    """What Word writes for File ▸ Properties ▸ Advanced ▸ Custom."""
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
        'officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-'
        f'9397-08002B2CF9AE}}" pid="2" name="{name}"><vt:lpwstr>{value}</vt:lpwstr>'
        "</property></Properties>"
    )
    original = path.read_bytes()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/docProps/custom.xml" ContentType="'
                    b"application/vnd.openxmlformats-officedocument.custom-"
                    b'properties+xml"/></Types>',
                )
            if item.filename == "_rels/.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCustom" Type="http://schemas.'
                    b"openxmlformats.org/officeDocument/2006/relationships/"
                    b'custom-properties" Target="docProps/custom.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(item, data)
        target.writestr("docProps/custom.xml", custom)
