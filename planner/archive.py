"""Checking an Office file (.xlsx workbook, .pptx template) before any XML in it is parsed.

Workbooks and templates arrive by email, so they are untrusted (issue 9). Office files are zip
archives of XML parts, and those parts never carry a document type declaration. Before a parser
sees them, every XML part is checked: a DOCTYPE or ENTITY declaration (external entities, entity
expansion bombs) is refused, as is XML in anything but UTF-8 (which could hide one), an archive
of more than ``MAX_PARTS`` parts, or one that would unpack to more than ``MAX_UNPACKED`` bytes
(a zip bomb). Each refusal is a ``PlanError`` saying what is wrong in plain words; nothing is
written. The parts openpyxl reads through ElementTree are also parsed with defusedxml (openpyxl
uses it when it is installed).
"""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path
from typing import IO

MAX_PARTS = 10_000
MAX_UNPACKED = 1_000_000_000
"""Bytes an archive may unpack to: a 200,000-row workbook is well under a third of this."""

_CHUNK = 1 << 20
_DECLARATIONS = (b"<!doctype", b"<!entity")
_NOT_UTF8 = (b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00", b"\x00\x00\xfe\xff", b"\x4c\x6f\xa7\x94")


class UnsafeArchive(ValueError):
    """What is wrong with an archive, in words that complete "'book.xlsx' cannot be used: ..."."""


def check_archive(path: str | os.PathLike | IO[bytes]) -> None:
    """Raise ``UnsafeArchive`` if the Office file at ``path`` (or in a binary stream) is unsafe."""
    try:
        with zipfile.ZipFile(path if hasattr(path, "read") else Path(path)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS:
                raise UnsafeArchive(f"it holds {len(infos):,} parts; an Office file of this kind "
                                    f"has far fewer (at most {MAX_PARTS:,} are read)")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED:
                raise UnsafeArchive(f"it would unpack to {total / 1e9:.1f} GB; the most read is "
                                    f"{MAX_UNPACKED / 1e9:.0f} GB")
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")) or "." not in info.filename:
                    _check_part(archive, info)
    except UnsafeArchive:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, RuntimeError, ValueError) as exc:
        raise UnsafeArchive(f"the file is damaged or is not an Office file ({exc})") from None


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    read = 0
    tail = b""
    with archive.open(info) as part:
        first = True
        while True:
            chunk = part.read(_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            if read > info.file_size + _CHUNK or read > MAX_UNPACKED:
                raise UnsafeArchive(f"its part {info.filename} is larger than its archive says")
            if first:
                first = False
                if chunk.startswith(_NOT_UTF8):
                    raise UnsafeArchive(f"its part {info.filename} is not written as UTF-8, "
                                        "as Office files are")
            window = tail + chunk
            if find_declaration(window):
                raise UnsafeArchive(
                    f"its part {info.filename} declares XML entities or a document type, "
                    "which Office files never do (this is how harmful files reach other "
                    "files or exhaust memory)")
            tail = window[-16:]


def find_declaration(data: bytes) -> str:
    """The DOCTYPE or ENTITY declaration in ``data`` (any case), or "" if there is none."""
    window = data.lower()
    for declaration in _DECLARATIONS:
        if declaration in window:
            return declaration.decode().upper()
    return ""


_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def listed_sheets(path: str | os.PathLike) -> list[str]:
    """The sheet names a workbook's own index lists (whether or not their data is present)."""
    import defusedxml.ElementTree as ET

    with zipfile.ZipFile(Path(path)) as archive:
        book = "xl/workbook.xml"
        try:
            for rel in ET.fromstring(archive.read("_rels/.rels")):
                if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("Target"):
                    book = rel.get("Target").lstrip("/")
        except KeyError:
            pass
        root = ET.fromstring(archive.read(book))
    return [el.get("name", "") for el in root.iter() if el.tag.endswith("}sheet")]
