"""`cptrack calendar`: a chair's due dates as an .ics file that icalendar parses, one event
per due item, titled with the child's pseudonymous id and never their name."""

from __future__ import annotations

import subprocess
import sys

import icalendar

from cptrack.caseload import load
from cptrack.domain.models import today
from cptrack.interchange import ics
from cptrack.rules import profiles
from cptrack.storage.store import Store

TODAY = today()


def test_the_calendar_holds_one_event_per_due_item_without_names(fresh_demo_db, tmp_path):
    with Store.open(fresh_demo_db) as store:
        chair = store.rows("staff", role="chair")[0]
        caseload = load(store, chair_id=chair["id"])
        children = store.rows("children")
    items = ics.due_items(caseload, profiles.load("national"), TODAY)
    out = tmp_path / "due.ics"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "calendar",
            "--db",
            fresh_demo_db,
            "--chair",
            chair["name"],
            "--out",
            str(out),
            "--as-of",
            TODAY.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert 0 == result.returncode, result.stderr
    assert f"{len(items)} due dates for {chair['name']}" in result.stdout
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(items) > 0
    assert len({str(e["UID"]) for e in events}) == len(events)
    mine = set(caseload.children["id"])
    names = [f"{c['given_name']} {c['family_name']}" for c in children] + [
        c["family_name"] for c in children
    ]
    kinds = set()
    for e, item in zip(events, items.to_dict(orient="records"), strict=True):
        summary, description = str(e["SUMMARY"]), str(e["DESCRIPTION"])
        assert item["child_id"] in summary and item["child_id"] in mine
        assert not any(n in summary or n in description for n in names), summary
        assert e.decoded("DTSTART") == item["date"]
        assert e.decoded("DTSTART") >= TODAY
        kinds.add(item["event"])
        if item["overdue"]:
            assert summary.startswith("OVERDUE ") and e.decoded("DTSTART") == TODAY
    assert {"next_check"} & kinds and kinds & {"review", "first_review", "core_group"}


def test_an_unknown_chair_is_a_clear_error(fresh_demo_db, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "calendar",
            "--db",
            fresh_demo_db,
            "--chair",
            "Nobody Atall",
            "--out",
            str(tmp_path / "x.ics"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert 2 == result.returncode
    assert "no single chair called 'Nobody Atall'" in result.stderr
    assert not (tmp_path / "x.ics").exists()
