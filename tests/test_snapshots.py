"""Golden snapshots: a rule, setting or engine change shows as a diff of the findings."""

from __future__ import annotations

import difflib

import pytest
import snapshots

from cptrack.rules import profiles


@pytest.mark.parametrize("name", profiles.available())
def test_findings_match_the_golden_snapshot(name):
    """Each profile's findings over the fixed caseload equal tests/snapshots/<profile>.json."""
    stored = snapshots.path(name)
    assert stored.exists(), f"no snapshot for {name}: run `python -m tests.snapshots`"
    expected = stored.read_text(encoding="utf-8")
    actual = snapshots.dumps(snapshots.snapshot(name))
    if expected != actual:
        diff = difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            f"{name}.json (stored)",
            f"{name} (now)",
            lineterm="",
            n=2,
        )
        shown = "\n".join(list(diff)[:80])
        pytest.fail(
            f"findings for {name} differ from the snapshot. If the change is intended, run "
            f"`python -m tests.snapshots` and review the diff in git.\n{shown}"
        )


def test_every_profile_has_a_snapshot_and_no_stray_ones():
    """One snapshot per registered profile."""
    on_disk = {p.stem for p in snapshots.HERE.glob("*.json")}
    assert on_disk == set(profiles.available())


def test_the_snapshot_caseloads_exercise_every_applied_rule_event():
    """Across the profiles, the fixed caseloads produce a finding for every event applied."""
    events_applied = {r.event for n in profiles.available() for r in profiles.load(n).applied_rules}
    demo, hand = snapshots.demo_caseload(), snapshots.caseload()
    seen = set()
    for name in profiles.available():
        data = snapshots.snapshot(name, demo, hand)
        rule_at = data["columns"].index("rule_id")
        for row in data["demo_findings"] + data["hand_built_findings"]:
            seen.add(row[rule_at])
    events_seen = {
        r.event for n in profiles.available() for r in profiles.load(n).rules if r.id in seen
    }
    assert events_applied == events_seen


def test_snapshots_are_valid_json():
    """The line-per-finding layout is still JSON."""
    import json

    for name in profiles.available():
        data = json.loads(snapshots.path(name).read_text(encoding="utf-8"))
        assert data["profile"] == name
