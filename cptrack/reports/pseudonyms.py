"""Pseudonymisation for shared reports: the key, kept out of the database, and the scrubber
that takes identifying details out of free text.

**The key.** Pseudonyms are HMAC-SHA256 of a person's id under a secret key, so the same
child gets the same pseudonym in every report made with the same key, and nobody without
the key can map a pseudonym back to a child by trying every id. The key is read from
``CPTRACK_PSEUDONYM_KEY``, else from the file the setting ``pseudonym_key_file`` names
(``CPTRACK_PSEUDONYM_KEY_FILE``; default ``~/.config/cptrack/pseudonym.key``), which must be
readable by its owner only (mode 600). When neither exists a new key is written to that file,
with a message saying where. The key is never kept in the database: a key an older cptrack
kept in the ``settings`` table is moved to the key file on first use (so pseudonyms stay the
same), deleted from the table, and blanked in the audit log's old rows.

**Free text.** A pseudonymised report leaves free text out unless asked
(``include_free_text``); then ``Scrubber`` replaces in it, in any case, every name the
database holds (children, staff, social workers, the people recorded at conferences and as
owners or authors; each word of a name, the parts of a hyphenated one), every child id (by
its pseudonym) and every address line the database holds, and whatever looks like a date
(UK and ISO formats), a UK postcode, a UK phone number or an email address. It counts what
it removed.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from cptrack.storage import settings
from cptrack.storage.audit import redact_audit
from cptrack.storage.connection import StoreError
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

LEGACY_SETTING = "pseudonym_key"
KEY_ENV = "CPTRACK_PSEUDONYM_KEY"


def key_file(store: Store | None = None) -> Path:
    return Path(str(settings.get("pseudonym_key_file", store))).expanduser()


def load_key(store: Store | None = None, *, say: Callable[[str], None] | None = None) -> bytes:
    """The pseudonym key: the environment's, else the key file's (made when absent)."""
    say = say or (lambda message: print(message, file=sys.stderr))
    legacy = store.get("settings", LEGACY_SETTING) if store is not None else None
    old = str(legacy["value"] or "") if legacy is not None else ""
    env = os.environ.get(KEY_ENV, "").strip()
    path = key_file(store)
    if env or path.exists():
        value = env or _read_key_file(path)
        if legacy is not None:
            _delete_legacy_key(store, legacy)
            if old != value:
                say(
                    f"cptrack: deleted an old pseudonym key from the database; the key in use "
                    f"is {KEY_ENV if env else path}, so pseudonyms differ from those made with "
                    "the old one."
                )
        return value.encode()
    value = old or secrets.token_hex(32)
    try:
        _write_key_file(path, value)
    except FileExistsError:  # another report made it a moment ago: that one is the key
        return load_key(store, say=say)
    if legacy is not None:  # deleted only once it is safe in the file
        _delete_legacy_key(store, legacy)
    if old:
        say(
            f"cptrack: moved the pseudonym key out of the database into {path} (mode 600); "
            "pseudonyms stay as they were. Keep that file safe."
        )
    else:
        say(
            f"cptrack: made a new pseudonym key in {path} (mode 600). Reports pseudonymised "
            f"with another key give other pseudonyms: to share the key, set {KEY_ENV} or "
            "point the setting pseudonym_key_file at the same file."
        )
    return value.encode()


def _read_key_file(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise StoreError(
            f"the pseudonym key file {path} can be read by others (mode {mode:o}); "
            f"make it private: chmod 600 {path}"
        )
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise StoreError(f"the pseudonym key file {path} is empty")
    return value


def _write_key_file(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value + "\n")


def _delete_legacy_key(store: Store, row: dict) -> None:
    """Delete a key an older cptrack kept in the settings table (audited without its value)
    and blank it in the old audit rows."""
    try:
        with store.transaction(note="pseudonym key moved out of the database") as tx:
            tx.delete("settings", LEGACY_SETTING, row["version"])
            redact_audit(tx.conn, "settings", LEGACY_SETTING)
    except StaleVersionError:  # another report deleted it a moment ago
        pass


# ---------------------------------------------------------------------------
# Free text

TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "sir",
    "dame",
    "rev",
    "revd",
    "lord",
    "lady",
}
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*")
WHOLE_WORD = re.compile(rf"(?<!\w){WORD.pattern}(?!\w)")
MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("emails", re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.I)),
    (
        "dates",
        re.compile(
            r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}|"
            rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\.?,?\s+\d{{2,4}}|"
            rf"{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
            re.I,
        ),
    ),
    ("phone numbers", re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d[\d\s)-]{8,12}\d\b")),
    ("postcodes", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)),
)
SINGULAR = {
    "free-text entries left out": "free-text entry left out",
    "child ids": "child id",
    "addresses": "address",
}
KINDS = ("free-text entries left out", "names", "child ids", "addresses", *(k for k, _ in PATTERNS))


def name_words(names: Iterable[str]) -> set[str]:
    """The words of names, casefolded: each word, the parts of hyphenated ones, no titles or
    initials."""
    words: set[str] = set()
    for name in names:
        for word in WORD.findall(str(name or "")):
            for part in (word, *word.split("-")):
                part = part.replace("’", "'").casefold()
                if len(part) >= 2 and part not in TITLES:
                    words.add(part)
    return words


class Scrubber:
    """Takes names, child ids, addresses and identifying patterns out of free text."""

    def __init__(self, names: Iterable[str], child_ids: dict[str, str], addresses: Iterable[str]):
        self.names = name_words(names)
        self.counts: Counter[str] = Counter()
        ids = sorted((i for i in child_ids if i), key=len, reverse=True)
        self.child_ids = {i.casefold(): p for i, p in child_ids.items()}
        self._ids = (
            re.compile(r"(?<![\w/-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w/-])", re.I)
            if ids
            else None
        )
        lines = {a.strip() for a in addresses if a and len(a.strip()) >= 4}
        self._addresses = (
            re.compile(
                r"(?<!\w)(?:"
                + "|".join(map(re.escape, sorted(lines, key=len, reverse=True)))
                + r")(?!\w)",
                re.I,
            )
            if lines
            else None
        )

    def _sub(self, kind: str, pattern: re.Pattern, text: str, repl) -> str:
        text, n = pattern.subn(repl, text)
        self.counts[kind] += n
        return text

    def __call__(self, text: str, *, patterns: bool = True) -> str:
        """``text`` with child ids replaced by their pseudonyms and names removed; with
        ``patterns``, also addresses, dates, postcodes, phone numbers and emails."""
        if self._ids is not None:
            text = self._sub(
                "child ids", self._ids, text, lambda m: self.child_ids[m.group(0).casefold()]
            )
        if not patterns:
            return self._names(text)
        for kind, pattern in PATTERNS:
            text = self._sub(kind, pattern, text, f"[{kind[:-1]} removed]")
        if self._addresses is not None:
            text = self._sub("addresses", self._addresses, text, "[address removed]")
        return self._names(text)

    def _names(self, text: str) -> str:
        out, last, run = [], 0, False
        for m in WHOLE_WORD.finditer(text):
            word = m.group(0).replace("’", "'").casefold()
            parts = word.split("-")
            if word not in self.names and not any(p in self.names for p in parts):
                run = False
                continue
            gap = text[last : m.start()]
            if run and gap.strip() == "":  # "Albert Bailey" is one name removed
                out.append(gap[:0])
            else:
                out.append(gap + "[name removed]")
                self.counts["names"] += 1
            last, run = m.end(), True
        out.append(text[last:])
        return "".join(out)

    def summary(self) -> str:
        return describe(self.counts, KINDS[1:])


def describe(counts: Counter, kinds: Iterable[str] = KINDS) -> str:
    """What was removed, in words: "3 names, 1 postcode"."""
    parts = []
    for kind in kinds:
        n = counts.get(kind, 0)
        if n:
            parts.append(f"{n} {kind if n != 1 else SINGULAR.get(kind, kind[:-1])}")
    return ", ".join(parts) if parts else "nothing"
