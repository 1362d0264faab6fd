"""What every report reads: the store, the profile, the period, who is named and how.

``ReportContext`` is built once per report from its parameters (the same ones the notebook's
``parameters`` cell holds). It loads the caseload and the engine's findings lazily and says
how a person is shown: their name, or with ``pseudonymise=True`` a stable pseudonym (the same
person gets the same pseudonym in every report made with the same key, ``pseudonyms``), a
child's id or its pseudonym, a date of birth or an age in years, an address or nothing. Free
text passes through ``text``: when pseudonymising it is left out, or with
``include_free_text=True`` scrubbed of names, child ids, addresses, dates, postcodes, phone
numbers and emails (``pseudonyms.Scrubber``, which counts what it removed). Texts the engine
writes (a finding's status, which may name a social worker) pass through ``engine_text``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload, load
from cptrack.domain.models import FieldError, RecordError, today
from cptrack.rules import profiles
from cptrack.storage import settings
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store

LEFT_OUT = "(free text left out)"


def as_date(value: Any, name: str) -> dt.date | None:
    """A parameter as a date: None, a date, or YYYY-MM-DD text; a clear error otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RecordError(
            "Report", [FieldError(name, f"{value!r} is not a date; use YYYY-MM-DD")]
        ) from None


def day(value: Any, empty: str = "—") -> str:
    """A date as a UK reader writes it: 3 Mar 2026."""
    if value is None or value is pd.NaT or (not isinstance(value, dt.date) and pd.isna(value)):
        return empty
    return pd.Timestamp(value).strftime("%-d %b %Y")


@dataclass
class ReportContext:
    """The parameters of one report and what it reads, loaded when first asked for."""

    store: Store
    title: str
    as_of: dt.date
    start: dt.date | None = None
    end: dt.date | None = None
    child: str | None = None
    chair: str | None = None
    record: int | None = None
    profile_name: str | None = None
    pseudonymise: bool = False
    include_free_text: bool = False
    generated_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now().replace(microsecond=0)
    )

    @classmethod
    def open(
        cls,
        title: str,
        db: str | None = None,
        *,
        as_of: Any = None,
        start: Any = None,
        end: Any = None,
        child: str | None = None,
        chair: str | None = None,
        record: Any = None,
        profile: str | None = None,
        pseudonymise: bool = False,
        include_free_text: bool = False,
    ) -> ReportContext:
        store = Store.open(db or None)
        as_of_day = as_date(as_of, "as_of") or today()
        start_day, end_day = as_date(start, "from"), as_date(end, "to")
        if start_day and end_day and end_day < start_day:
            raise RecordError("Report", [FieldError("to", "is before --from")])
        return cls(
            store=store,
            title=title,
            as_of=as_of_day,
            start=start_day,
            end=end_day,
            child=str(child) if child not in (None, "") else None,
            chair=str(chair) if chair not in (None, "") else None,
            record=int(record) if record not in (None, "") else None,
            profile_name=profile or None,
            pseudonymise=bool(pseudonymise),
            include_free_text=bool(include_free_text),
        )

    # -- what is read -------------------------------------------------------

    @cached_property
    def profile(self) -> profiles.Profile:
        return profiles.load(self.profile_name or str(settings.get("profile", self.store)))

    @cached_property
    def authority(self) -> str:
        return str(settings.get("authority_name", self.store))

    @property
    def chair_role(self) -> str:
        return self.profile.chair_role

    @cached_property
    def staff(self) -> pd.DataFrame:
        return pd.DataFrame(self.store.rows("staff"))

    @cached_property
    def chair_id(self) -> int | None:
        """The chair named by ``chair`` (a name or an id), None for the whole service."""
        if self.chair is None:
            return None
        from cptrack.storage.staff import chair_by_name

        return chair_by_name(self.store, self.chair)

    @cached_property
    def caseload(self) -> Caseload:
        if self.child is not None:
            caseload = load(self.store, child_ids=[self.child])
            if not len(caseload.children):
                raise StoreError(f"no child with id {self.child!r} in the database")
            return caseload
        return load(self.store, chair_id=self.chair_id)

    @cached_property
    def findings(self) -> pd.DataFrame:
        findings = engine.evaluate(self.caseload, self.profile, self.as_of)
        if self.pseudonymise:
            # A drift finding's words can name people ("social worker changed (A to B)").
            for col in ("status_text", "message"):
                values = findings[col].astype(object)
                words = {v: self.engine_text(v) for v in pd.unique(values) if isinstance(v, str)}
                findings[col] = values.map(words).where(values.isin(list(words)), values)
        return findings

    # -- people -------------------------------------------------------------

    @cached_property
    def _key(self) -> bytes:
        from cptrack.reports.pseudonyms import load_key

        return load_key(self.store)

    def pseudonym(self, kind: str, key: Any) -> str:
        """A stable pseudonym: ``Child K7QD2M``, ``Chair 3FJX``, ``Person WQ4R``."""
        digest = hmac.new(self._key, f"{kind}:{key}".encode(), hashlib.sha256).digest()
        code = base64.b32encode(digest).decode()[: 6 if kind == "Child" else 4]
        return f"{kind} {code}"

    @cached_property
    def _child_names(self) -> dict[str, str]:
        k = self.caseload.children
        return {
            i: f"{g} {f}"
            for i, g, f in zip(k["id"], k["given_name"], k["family_name"], strict=True)
        }

    def child_ref(self, child_id: Any) -> str:
        """A child's id, or when pseudonymising its pseudonym's code (``K7QD2M``)."""
        if child_id is None or (not isinstance(child_id, str) and pd.isna(child_id)):
            return "—"
        if self.pseudonymise:
            return self.pseudonym("Child", str(child_id)).removeprefix("Child ")
        return str(child_id)

    def child_label(self, child_id: Any) -> str:
        """``Name (C000001)``, or when pseudonymising ``Child K7QD2M``."""
        if self.pseudonymise:
            return self.pseudonym("Child", str(child_id))
        return f"{self.child_name(child_id)} ({child_id})"

    def child_name(self, child_id: Any) -> str:
        if self.pseudonymise:
            return self.pseudonym("Child", child_id)
        name = self._child_names.get(child_id)
        if name is None:
            row = self.store.get("children", child_id)
            if row is None:
                return str(child_id)
            name = f"{row['given_name']} {row['family_name']}"
        return name

    @cached_property
    def _staff_by_id(self) -> dict[int, dict]:
        return {int(r["id"]): r for r in self.staff.to_dict("records")} if len(self.staff) else {}

    def staff_name(self, staff_id: Any, kind: str | None = None) -> str:
        if staff_id is None or pd.isna(staff_id):
            return "—"
        row = self._staff_by_id.get(int(staff_id))
        if row is None:
            return f"staff {staff_id}"
        if self.pseudonymise:
            label = kind or {"chair": self.chair_role}.get(row["role"], "Staff")
            return self.pseudonym(label, int(staff_id))
        return str(row["name"])

    def person(self, name: Any) -> str:
        """A professional's or family member's name as recorded (free text)."""
        if name is None or (not isinstance(name, str) and pd.isna(name)) or not str(name).strip():
            return "—"
        if self.pseudonymise:
            return self.pseudonym("Person", str(name).strip().casefold())
        return str(name)

    def born(self, child_row: Any) -> str:
        """Date of birth (or expected delivery), or the age in years when pseudonymising."""
        dob = child_row.get("date_of_birth") if hasattr(child_row, "get") else None
        edd = child_row.get("expected_date_of_delivery") if hasattr(child_row, "get") else None
        if dob is None or pd.isna(dob):
            return "Unborn" if self.pseudonymise else f"Unborn (due {day(edd)})"
        if self.pseudonymise:
            return f"Age {age_years(dob, self.as_of)}"
        return day(dob)

    def address(self, child_row: Any) -> str:
        if self.pseudonymise:
            return "(removed)"
        parts = [child_row.get("address"), child_row.get("postcode")]
        return ", ".join(str(p) for p in parts if p is not None and not pd.isna(p)) or "—"

    @cached_property
    def scrubber(self):
        """The ``pseudonyms.Scrubber`` for this database: every name, child id and address."""
        from cptrack.reports.pseudonyms import Scrubber

        names: list[str] = []
        children = self.store.rows("children")
        addresses: list[str] = []
        for k in children:
            names += [k["given_name"], k["family_name"], k.get("social_worker") or ""]
            addresses += str(k.get("address") or "").split(",")
        if len(self.staff):
            names += [str(n) for n in self.staff["name"].dropna()]
        for kind, col in (
            ("attendance", "person"),
            ("agency_reports", "author"),
            ("plan_actions", "owner"),
            ("escalations", "raised_with"),
            ("conferences", "core_group_members"),
        ):
            for row in self.store.rows(kind):
                value = str(row.get(col) or "").strip()
                # These fields hold names and agency words ("Social care", "Police"): what
                # reads as a name (capitalised words, two or more) is taken for one.
                for one in re.split(r"[,;/&\n]| and ", value):
                    words = one.split()
                    if len(words) >= 2 and all(w[:1].isupper() for w in words):
                        names.append(one)
        ids = {k["id"]: self.pseudonym("Child", k["id"]) for k in children}
        return Scrubber(names, ids, addresses)

    def text(self, value: Any) -> Any:
        """Free text as it may be shown: when pseudonymising, left out, or with
        ``include_free_text`` scrubbed of whatever could identify someone."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        value = str(value)
        if not self.pseudonymise or not value.strip():
            return value
        if not self.include_free_text:
            self.scrubber.counts["free-text entries left out"] += 1
            return LEFT_OUT
        return self.scrubber(value)

    def engine_text(self, value: Any) -> Any:
        """Words cptrack wrote (a finding's status) with any name or child id in them replaced
        when pseudonymising; dates are kept (they are due dates, not anyone's birthday)."""
        if not self.pseudonymise or not isinstance(value, str):
            return value
        value = _replace_names(value, self._pseudonyms_index)
        return self.scrubber(value, patterns=False)

    @cached_property
    def _pseudonyms_index(self) -> dict[str, list[tuple[str, str]]]:
        return _by_first_word(self._pseudonyms)

    @cached_property
    def _replacements_index(self) -> dict[str, list[tuple[str, str]]]:
        return _by_first_word(self._replacements)

    @cached_property
    def _pseudonyms(self) -> tuple[tuple[str, str], ...]:
        """(name, pseudonym) for every member of staff and child, longest name first."""
        pairs = []
        if len(self.staff):
            for row in self.staff.itertuples():
                kind = self.chair_role if row.role == "chair" else "Staff"
                pairs.append((str(row.name), self.pseudonym(kind, int(row.id))))
        for row in self.store.rows("children"):
            pairs.append(
                (f"{row['given_name']} {row['family_name']}", self.pseudonym("Child", row["id"]))
            )
        return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))

    @cached_property
    def _replacements(self) -> tuple[tuple[str, str], ...]:
        """(escaped name, escaped pseudonym): the last pass over a pseudonymised section, for
        names that reached it through a frame the report did not build itself (the QA
        summaries')."""
        from cptrack.render.style import esc

        return tuple((esc(name), esc(pseudonym)) for name, pseudonym in self._pseudonyms)

    def scrub_html(self, text: str) -> str:
        """The last pass over a pseudonymised section: full names to pseudonyms, and any child
        id left in the text (not in tags: an image's data could hold one by chance) to its
        pseudonym."""
        if not self.pseudonymise:
            return text
        text = _replace_names(text, self._replacements_index)
        ids = self._id_pattern
        if ids is None:
            return text
        parts = re.split(r"(<[^>]*>)", text)
        for i in range(0, len(parts), 2):
            if parts[i]:
                parts[i] = ids.sub(lambda m: self.child_label(m.group(0)), parts[i])
        return "".join(parts)

    @cached_property
    def _id_pattern(self) -> re.Pattern | None:
        """Every child id the database holds that could not be mistaken for a number in a
        table (five characters or more, or holding a letter)."""
        ids = [k["id"] for k in self.store.rows("children")]
        ids = [i for i in ids if len(i) >= 5 or not i.isdigit()]
        if not ids:
            return None
        alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
        return re.compile(rf"(?<![\w/-])(?:{alternatives})(?![\w/-])")

    # -- the header ---------------------------------------------------------

    @property
    def period(self) -> str:
        if self.start and self.end:
            return f"{day(self.start)} to {day(self.end)}"
        if self.end:
            return f"to {day(self.end)}"
        return f"as at {day(self.as_of)}"

    @property
    def generated(self) -> str:
        return self.generated_at.strftime("%-d %b %Y %H:%M")


NAME_WORD = re.compile(r"[^\W\d_]+")


def _by_first_word(pairs: tuple[tuple[str, str], ...]) -> dict[str, list[tuple[str, str]]]:
    """(name, replacement) pairs by the first word of the name."""
    index: dict[str, list[tuple[str, str]]] = {}
    for name, replacement in pairs:
        words = NAME_WORD.findall(name)
        if words:
            index.setdefault(words[0], []).append((name, replacement))
    return index


def _replace_names(text: str, by_first_word: dict[str, list[tuple[str, str]]]) -> str:
    """``text`` with each name it holds replaced, longest first, trying only the names whose
    first word is in it (a page is searched for the few names it may hold, not every one)."""
    candidates = [p for word in set(NAME_WORD.findall(text)) for p in by_first_word.get(word, ())]
    for name, replacement in sorted(candidates, key=lambda p: len(p[0]), reverse=True):
        if name in text:
            text = text.replace(name, replacement)
    return text


def age_years(born: Any, on: dt.date) -> int:
    b = pd.Timestamp(born).date()
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
