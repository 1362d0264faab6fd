"""A CIN census return (XML) opened for streaming: its header, then its children.

The file is streamed with ``xml.etree.ElementTree.iterparse``: each ``Child`` is read into a
small ``ChildXml`` (``cin_census_child``) and then cleared, so memory stays flat however many
children the return holds. What is plainly not census XML (a workbook, an empty file, a
file whose root is not ``<Message>``) is refused before parsing, and a return without a
reference date in its header is refused on opening.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from cptrack.interchange.imports.cin_census_child import (
    ChildXml,
    local_name,
    read_child,
    read_value,
)
from cptrack.interchange.imports.report import ImportFileError

FORMAT = "CIN census"


class _Counting:
    """A file wrapper that moves a progress bar as the parser reads."""

    def __init__(self, f, bar):
        self.f = f
        self.bar = bar

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        if self.bar is not None:
            self.bar.update(len(data))
        return data


class CensusReader:
    """A CIN census file, open for streaming. The header is read on opening.

    Only end-of-element events are asked of the parser (half the events of start and
    end), and each ``Child`` is cleared once read; the emptied shells left in
    ``<Children>`` cost a few bytes each.
    """

    def __init__(self, path: str | os.PathLike, *, progress: bool = False):
        self.path = Path(path)
        self.name = self.path.name
        self.sha256, root = _check_file(self.path)
        if root != "Message":
            raise ImportFileError(
                f"{self.name} is not a CIN census return: its root element is <{root}>, "
                "not <Message>"
            )
        self.reference_date: dt.date | None = None
        self.la_code: str | None = None
        self.extras_count = 0
        self._bar = None
        if progress:
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.path.stat().st_size,
                unit="B",
                unit_scale=True,
                desc=self.name,
                file=sys.stderr,
                leave=False,
            )
        self._file = open(self.path, "rb")  # noqa: SIM115 - closed when reading ends
        self._events = ET.iterparse(_Counting(self._file, self._bar), events=("end",))
        self._read_header()

    def _parse_error(self, exc: ET.ParseError) -> ImportFileError:
        self.close()
        return ImportFileError(f"{self.name} is not well-formed XML ({exc}); nothing was imported")

    def _read_header(self) -> None:
        try:
            for _, el in self._events:
                tag = el.tag if "}" not in el.tag else el.tag.rsplit("}", 1)[1]
                if tag == "Header":
                    self._take_header(el)
                    break
                if tag == "Child":  # children before the header: refused below
                    break
        except ET.ParseError as exc:
            raise self._parse_error(exc) from None
        if self.reference_date is None:
            self.close()
            raise ImportFileError(
                f"{self.name} has no Header/CollectionDetails/ReferenceDate before its children; "
                "the census year cannot be known without it"
            )

    def _take_header(self, header: ET.Element) -> None:
        for el in header.iter():
            tag = local_name(el.tag)
            if tag == "ReferenceDate":
                value = read_value("CPPstartDate", el.text)
                if not isinstance(value, dt.date):
                    self.close()
                    raise ImportFileError(
                        f"{self.name}: Header ReferenceDate {el.text!r} is not a date (YYYY-MM-DD)"
                    )
                self.reference_date = value
            elif tag == "LEA" and el.text and el.text.strip():
                self.la_code = el.text.strip()

    def children(self) -> Iterator[ChildXml]:
        """Each Child in the file, in order, read and then released."""
        n = 0
        try:
            for _, el in self._events:
                tag = el.tag
                if "}" in tag:
                    tag = tag.rsplit("}", 1)[1]
                if tag != "Child":
                    continue
                n += 1
                child = read_child(el, n)
                el.clear()
                self.extras_count += len(child.extras)
                yield child
        except ET.ParseError as exc:
            raise self._parse_error(exc) from None
        finally:
            self.close()

    def batches(self, size: int) -> Iterator[list[ChildXml]]:
        chunk: list[ChildXml] = []
        for child in self.children():
            chunk.append(child)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    @property
    def source_label(self) -> str:
        la = f" LA {self.la_code}" if self.la_code else ""
        return f"{FORMAT} {self.reference_date}{la}"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if not self._file.closed:
            self._file.close()


_PROLOGUE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S)
_FIRST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _check_file(path: Path) -> tuple[str, str]:
    """The file's SHA-256 and root element, refusing what is plainly not census XML."""
    if not path.exists():
        raise ImportFileError(f"{path} does not exist")
    if path.is_dir():
        raise ImportFileError(f"{path} is a folder, not a file")
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        head = f.read(65536)
        digest.update(head)
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if not head.strip():
        raise ImportFileError(f"{path.name} is empty")
    if head.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            f"{path.name} is an Excel workbook or zip file, not a CIN census XML file "
            "(for Annex A use `cptrack import annex-a`)"
        )
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"<"):
        shown = start[:30].decode("utf-8", "replace")
        raise ImportFileError(
            f"{path.name} is not XML (it starts {shown!r}); a CIN census return is an XML file"
        )
    found = _FIRST_TAG.search(_PROLOGUE.sub(b"", start))
    if found is None:
        raise ImportFileError(f"{path.name} holds no XML elements")
    return digest.hexdigest(), found.group(1).decode("ascii", "replace")
