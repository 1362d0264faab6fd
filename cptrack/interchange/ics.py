"""A chair's due dates as an iCalendar (.ics) file, to import into Outlook.

One all-day event per due item: initial and review conferences, core groups, midway reviews
(from the engine's findings, so the dates are the profile's) and the next case-tracking
check each child's latest record set. A review already booked is shown on its booked day.
An item already overdue is put on the day of the export, its title starting "OVERDUE", so it
is not lost in the past.

Titles and descriptions carry the child's pseudonymous id, never their name: calendars are
shared, synced to phones and read over shoulders.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar
import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload, open_plans
from cptrack.domain.models import TrackingKind
from cptrack.domain.values import as_date
from cptrack.rules.profiles import Profile

EVENT_WORDS = {
    "icpc": "Initial conference",
    "first_review": "First review conference",
    "review": "Review conference",
    "first_core_group": "First core group",
    "core_group": "Core group",
    "midway_review": "Midway review",
    "next_check": "Case-tracking check",
}
DEFAULT_DAYS = 90


def due_items(
    caseload: Caseload, profile: Profile, as_of: dt.date, days: int = DEFAULT_DAYS
) -> pd.DataFrame:
    """The items the calendar holds: ``child_id``, ``event``, ``due_date``, ``date`` (the
    day the event goes on), ``overdue``, ``booked_date``, ``status_text``, ``citation``,
    ``uid``; sorted by date."""
    findings = engine.evaluate(caseload, profile, as_of, kinds=("timescale",), since=as_of)
    soon = engine.upcoming(findings, as_of, days=days)
    soon = soon[soon["event"].isin([e for e in EVENT_WORDS if e != "next_check"])]
    rows = []
    for f in soon.itertuples():
        rows.append(
            {
                "child_id": str(f.child_id),
                "event": str(f.event),
                "due_date": as_date(f.due_date),
                "booked_date": as_date(f.booked_date),
                "overdue": f.status == "overdue",
                "status_text": str(f.status_text),
                "citation": engine.short_citation(str(f.citation)),
                "key": f"{f.child_id}/{f.rule_id}/{f.plan_id}/{as_date(f.due_date)}",
            }
        )
    horizon = as_of + dt.timedelta(days=days)
    ct = caseload.case_tracking
    ct = ct[(ct["kind"] == TrackingKind.CASE_TRACKING.value) & (ct["date"] <= pd.Timestamp(as_of))]
    latest = ct.sort_values(["date", "id"]).drop_duplicates("child_id", keep="last")
    on_plan = set(open_plans(caseload.cp_plans, as_of)["child_id"])
    for r in latest.itertuples():
        due = as_date(r.next_check_date)
        if due is None or due > horizon or r.child_id not in on_plan:
            continue
        overdue = due < as_of
        rows.append(
            {
                "child_id": str(r.child_id),
                "event": "next_check",
                "due_date": due,
                "booked_date": None,
                "overdue": overdue,
                "status_text": (
                    f"set at the check of {as_date(r.date):%-d %b %Y}"
                    + ("; not yet done" if overdue else "")
                ),
                "citation": "000 Case Tracking",
                "key": f"{r.child_id}/next_check/{r.id}",
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "child_id",
            "event",
            "due_date",
            "booked_date",
            "overdue",
            "status_text",
            "citation",
            "key",
        ],
    )
    out["date"] = [
        as_of if o else (b if b is not None and not pd.isna(b) and b >= as_of else d)
        for o, b, d in zip(out["overdue"], out["booked_date"], out["due_date"], strict=True)
    ]
    out["uid"] = [hashlib.sha1(k.encode()).hexdigest()[:20] + "@cptrack" for k in out["key"]]
    return out.sort_values(["date", "child_id", "event"], kind="stable").reset_index(drop=True)


def title(item) -> str:
    """The event's title: the pseudonymous id and what is due (never the child's name)."""
    what = EVENT_WORDS.get(item["event"], item["event"])
    if item["overdue"]:
        return f"OVERDUE {item['child_id']}: {what} (due {item['due_date']:%-d %b %Y})"
    return f"{item['child_id']}: {what} due"


def to_ics(items: pd.DataFrame, *, calendar_name: str, as_of: dt.date) -> bytes:
    """The items as an iCalendar file (UTF-8 bytes)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//cptrack//case tracking due dates//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", calendar_name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for item in items.to_dict(orient="records"):
        ev = icalendar.Event()
        ev.add("uid", item["uid"])
        ev.add("dtstamp", stamp)
        ev.add("summary", title(item))
        ev.add("dtstart", item["date"])
        ev.add("dtend", item["date"] + dt.timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
        lines = [
            f"Child {item['child_id']}: {EVENT_WORDS.get(item['event'], item['event'])}",
            f"Due {item['due_date']:%-d %b %Y} ({item['status_text']})",
        ]
        booked = item.get("booked_date")
        if booked is not None and not pd.isna(booked):
            lines.append(f"Booked for {booked:%-d %b %Y}")
        lines.append(f"Standard: {item['citation']}")
        lines.append(f"Exported by cptrack on {as_of:%-d %b %Y}")
        ev.add("description", "\n".join(lines))
        ev.add("categories", [EVENT_WORDS.get(item["event"], item["event"])])
        cal.add_component(ev)
    return cal.to_ical()


def chair_calendar(
    caseload: Caseload, profile: Profile, as_of: dt.date, *, chair: str, days: int = DEFAULT_DAYS
) -> tuple[bytes, int]:
    """The .ics bytes for a chair's caseload, and how many events it holds."""
    items = due_items(caseload, profile, as_of, days)
    name = f"cptrack: {chair} due dates"
    return to_ics(items, calendar_name=name, as_of=as_of), len(items)
