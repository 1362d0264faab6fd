"""What every report reads: the store, the profile, the period, who is named and how.

``ReportContext`` is built once per report from its parameters (the same ones the notebook's
``parameters`` cell holds). It loads the caseload and the engine's findings lazily and says
how a person is shown: their name, or with ``pseudonymise=True`` a stable pseudonym (the same
person gets the same pseudonym in every report made with the same key), a date of birth or an
age in years, an address or nothing. Free text passes through ``text``, which also replaces
any name of a child, member of staff or recorded professional found in it when pseudonymising.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from cptrack import engine, profiles, settings
from cptrack.caseload import Caseload, load
from cptrack.models import FieldError, RecordError, today
from cptrack.store import Store, StoreError

ENV_KEY = "CPTRACK_PSEUDONYM_KEY"
KEY_SETTING = "pseudonym_key"


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
        from cptrack.cli.check import chair_by_name

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
        return engine.evaluate(self.caseload, self.profile, self.as_of)

    # -- people -------------------------------------------------------------

    @cached_property
    def _key(self) -> bytes:
        env = os.environ.get(ENV_KEY, "").strip()
        if env:
            return env.encode()
        row = self.store.get("settings", KEY_SETTING)
        if row is not None and row.get("value"):
            return str(row["value"]).encode()
        value = secrets.token_hex(32)
        with self.store.transaction(note="pseudonym key for shared reports") as tx:
            tx.add("settings", {"id": KEY_SETTING, "value": value})
        return value.encode()

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
    def _names_pattern(self) -> re.Pattern | None:
        """Every name the database holds, longest first, for scrubbing free text."""
        names: set[str] = set()
        children = pd.DataFrame(self.store.rows("children"))
        if len(children):
            for col in ("given_name", "family_name", "social_worker"):
                names.update(str(v) for v in children[col].dropna())
            names.update(
                f"{g} {f}"
                for g, f in zip(children["given_name"], children["family_name"], strict=True)
            )
        if len(self.staff):
            for full_name in self.staff["name"].dropna():
                names.add(str(full_name))
                names.update(str(full_name).split())
        for kind, col in (("attendance", "person"), ("agency_reports", "author"),
                          ("plan_actions", "owner"), ("escalations", "raised_with")):  # fmt: skip
            for row in self.store.rows(kind):
                value = str(row.get(col) or "").strip()
                words = value.split()
                # Free-text fields hold names and agency words ("Social care"): only what
                # reads as a name (two or more capitalised words) is taken for one.
                if len(words) >= 2 and all(w[:1].isupper() for w in words):
                    names.add(value)
                    names.update(words)
        names = {n.strip() for n in names if n and len(n.strip()) >= 3 and n.strip()[0].isupper()}
        if not names:
            return None
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")

    def text(self, value: Any) -> Any:
        """Free text as it may be shown: names in it replaced when pseudonymising."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        value = str(value)
        if self.pseudonymise and self._names_pattern is not None:
            value = self._names_pattern.sub("[name removed]", value)
        return value

    @cached_property
    def _replacements(self) -> list[tuple[str, str]]:
        """(escaped name, escaped pseudonym) for every member of staff and child, longest
        name first: the last pass over a pseudonymised section, for names that reached it
        through a frame the report did not build itself (the QA summaries')."""
        from cptrack.apps.style import esc

        pairs = []
        if len(self.staff):
            for row in self.staff.itertuples():
                kind = self.chair_role if row.role == "chair" else "Staff"
                pairs.append((esc(row.name), esc(self.pseudonym(kind, int(row.id)))))
        for row in self.store.rows("children"):
            pairs.append((esc(f"{row['given_name']} {row['family_name']}"),
                          esc(self.pseudonym("Child", row["id"]))))  # fmt: skip
        return sorted(pairs, key=lambda p: len(p[0]), reverse=True)

    def scrub_html(self, text: str) -> str:
        if not self.pseudonymise:
            return text
        for name, pseudonym in self._replacements:
            if name in text:
                text = text.replace(name, pseudonym)
        return text

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


def age_years(born: Any, on: dt.date) -> int:
    b = pd.Timestamp(born).date()
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))
