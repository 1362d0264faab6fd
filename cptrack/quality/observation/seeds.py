"""Checking a criterion's source against the seed texts: where the seed files are
(``seeds_dir``), the passage a citation points to, and whether it says the quoted words."""

from __future__ import annotations

import os
import re
from pathlib import Path

from cptrack.quality.observation.framework import Source

HERE = Path(__file__).resolve().parent
ENV_SEEDS = "CPTRACK_SEEDS"


def seeds_dir() -> Path:
    """Where the seed files are: ``CPTRACK_SEEDS``, else ``shared/seeds`` in the nearest
    folder above the package that has one (``../shared/seeds`` beside a checkout)."""
    if os.environ.get(ENV_SEEDS):
        return Path(os.environ[ENV_SEEDS])
    for folder in HERE.parents:
        candidate = folder / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return HERE.parents[3] / "shared" / "seeds"


def _clean(text: str) -> str:
    return " ".join(text.replace("**", "").replace("*", "").split())


_NUMBERED = re.compile(r"^\s*(?:- )?(\d+(?:\.\d+)*)\.?\s")


def _is_heading(line: str, hashed: bool) -> bool:
    stripped = line.strip()
    if hashed:
        return stripped.startswith("#")
    return (
        0 < len(stripped) < 70
        and not stripped.startswith("-")
        and not _NUMBERED.match(line)
        and not stripped.endswith((".", ","))
    )


def _heading_text(line: str) -> str:
    return _clean(line.strip().lstrip("#")).rstrip(":").strip()


def passage(text: str, section: str = "", paragraph: str = "") -> list[str]:
    """The passages of a seed's ``text`` a citation can point to: the numbered paragraph(s)
    ``paragraph`` after heading ``section`` (or anywhere, without a section), or the whole of
    the section. Each passage is cleaned of markdown and spacing. Empty: not found."""
    lines = text.splitlines()
    hashed = any(line.lstrip().startswith("#") for line in lines)
    start = 0
    if section:
        want = _clean(section).rstrip(":")
        for i, line in enumerate(lines):
            if _heading_text(line) == want:
                start = i + 1
                break
        else:
            return []
    if not paragraph:
        end = next(
            (i for i in range(start, len(lines)) if _is_heading(lines[i], hashed)), len(lines)
        )
        return [_clean("\n".join(lines[start:end]))]
    out = []
    i = start
    while i < len(lines):
        m = _NUMBERED.match(lines[i])
        if m and m.group(1) == paragraph:
            j = i + 1
            while (
                j < len(lines)
                and not _NUMBERED.match(lines[j])
                and not (hashed and lines[j].lstrip().startswith("#"))
            ):
                j += 1
            out.append(_clean("\n".join(lines[i:j])))
            if section:
                break  # the first after the heading
        i += 1
    return out


def verify_source(source: Source, seeds: Path | None = None) -> str | None:
    """None when ``source``'s seed file exists, has the paragraph or heading cited, and says
    the quoted words there; otherwise what is wrong. URL sources are not fetched."""
    if source.url:
        return None if source.url.startswith("https://") else f"{source.url} is not https"
    seeds = seeds or seeds_dir()
    path = seeds / source.seed
    if not path.is_file():
        return f"{source.seed} is not in {seeds}"
    text = path.read_text(encoding="utf-8")
    found = passage(text, source.section, source.paragraph)
    if not found:
        return f"{source.seed} has no {source.at!r}"
    quote = _clean(source.quote)
    if not any(quote in p for p in found):
        return f"{source.seed} {source.at} does not say {source.quote!r}"
    return None
